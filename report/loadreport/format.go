package loadreport

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/report/chart"
)

// ms converts a duration to milliseconds, the unit of every latency axis.
func ms(d result.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// msLabel writes milliseconds for people: 850 µs, 3.84 ms, 1.09 s.
func msLabel(v float64) string {
	switch av := math.Abs(v); {
	case av == 0:
		return "0"
	case av >= 1000:
		return sig(v/1000) + " s"
	case av < 1:
		return sig(v*1000) + " µs"
	}
	return sig(v) + " ms"
}

// sig writes v with three significant digits, without a trailing zero.
func sig(v float64) string {
	if math.Abs(v) >= 1000 {
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// dur writes a load duration for people.
func dur(d result.Duration) string { return msLabel(ms(d)) }

// rate writes hits per second: "110/s", "24.2/s".
func rate(r float64) string { return chart.Number(math.Round(r*10)/10) + "/s" }

// percent writes a ratio as a percentage with up to three decimals: 99.95%.
func percent(r float64) string {
	s := strconv.FormatFloat(100*r, 'f', 3, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// count writes a count with thousands separators: 12,345.
func count(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// seconds writes an x offset in seconds for a time axis.
func seconds(v float64) string { return chart.Number(v) + " s" }

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
