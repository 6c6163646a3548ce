package load

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxRate is the highest rate ParseRate accepts, in hits per second: far
// beyond what one machine sends, low enough that no interval underflows a
// nanosecond.
const MaxRate = 1e8

// ParseRate reads a rate: a number of hits per time unit, "100/s", "6000/m",
// "2/1m", "0.5/s", or a bare number meaning per second ("100"). It returns
// hits per second. Zero is allowed (a pause in a step list); negative,
// non-finite and absurd rates are errors naming the text.
func ParseRate(s string) (float64, error) {
	text := strings.TrimSpace(s)
	num, unit, hasUnit := strings.Cut(text, "/")
	per := time.Second
	if hasUnit {
		d, err := parseRateUnit(unit)
		if err != nil {
			return 0, fmt.Errorf("rate %q: %v", s, err)
		}
		per = d
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("rate %q: %q is not a number of hits (want e.g. 100/s)", s, num)
	}
	if n < 0 {
		return 0, fmt.Errorf("rate %q is negative", s)
	}
	r := n / per.Seconds()
	if r > MaxRate {
		return 0, fmt.Errorf("rate %q is above the maximum of %g/s", s, float64(MaxRate))
	}
	return r, nil
}

// parseRateUnit reads the unit after the slash: "s", "m", "h", or a Go
// duration ("1s", "500ms", "2m").
func parseRateUnit(unit string) (time.Duration, error) {
	switch u := strings.TrimSpace(unit); u {
	case "s", "sec", "second":
		return time.Second, nil
	case "m", "min", "minute":
		return time.Minute, nil
	case "h", "hour":
		return time.Hour, nil
	default:
		d, err := time.ParseDuration(u)
		if err != nil || d <= 0 {
			return 0, fmt.Errorf("unit %q is not s, m, h or a positive duration", u)
		}
		return d, nil
	}
}

// FormatRate writes a rate in hits per second the way ParseRate reads it:
// "100/s", "0.5/s".
func FormatRate(r float64) string {
	return strconv.FormatFloat(r, 'f', -1, 64) + "/s"
}
