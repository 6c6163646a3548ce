package chart

import (
	"encoding/xml"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/internal/testkit"
)

// golden compares got with testdata/name (testkit.Golden).
func golden(t *testing.T, name, got string) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name), []byte(got))
}

// wellFormed fails when s is not well-formed XML.
func wellFormed(t *testing.T, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := d.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}

func ms(v float64) string { return Number(v) + " ms" }

func samples() map[string]*Chart {
	var p50, p99, ok, bad []Point
	for i := 0; i < 30; i++ {
		x := float64(i)
		p50 = append(p50, Point{x, 2 + math.Sin(x/3)})
		y := 8 + 4*math.Sin(x/5)
		if i == 12 {
			y = math.NaN() // an empty bucket: a gap
		}
		p99 = append(p99, Point{x, y})
		ok = append(ok, Point{x, 50})
		bad = append(bad, Point{x, float64(i % 7)})
	}
	var dist []Point
	for i := 0; i <= 16; i++ {
		q := 1 - math.Pow(0.5, float64(i))
		dist = append(dist, Point{q, 1 + float64(i*i)/4})
	}
	return map[string]*Chart{
		"lines": {ID: "lat", Title: "Latency <over> time", Desc: "p50 & p99", X: Axis{Label: "time (s)"}, Y: Axis{Label: "latency (ms)", Format: ms},
			Series: []Series{{Name: "p50", Points: p50, Class: "s1"}, {Name: "p99", Points: p99, Class: "s2", Style: "dashed"}},
			Rules:  []Rule{{Horizontal: true, Value: 11, Label: "objective p99 < 11 ms", Class: "bad"}}},
		"stacked": {ID: "codes", Title: "Status codes", X: Axis{Label: "time (s)"}, Y: Axis{Label: "requests/s"}, Stacked: true,
			Series: []Series{{Name: "201", Points: ok, Class: "ok"}, {Name: "503", Points: bad, Class: "bad"}}},
		"percentiles": {ID: "dist", Title: "Latency by percentile", X: Axis{Label: "percentile", Scale: Percentile, Format: PercentLabel},
			Y: Axis{Label: "latency (ms)", Scale: Log, Format: ms}, Series: []Series{{Name: "create", Points: dist, Class: "s1", Dots: true}},
			Markers: []Marker{{X: 0.99, Y: 20, Label: "p99 knee", Class: "ok"}}, Rules: []Rule{{Value: 0.999, Label: "99.9%", Class: "note"}}},
	}
}

func TestChartGolden(t *testing.T) {
	for name, c := range samples() {
		t.Run(name, func(t *testing.T) {
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			wellFormed(t, svg)
			wellFormed(t, c.Table())
			golden(t, name+".svg.golden", svg)
			golden(t, name+".table.golden", c.Table())
		})
	}
}

func TestChartEscapesText(t *testing.T) {
	svg, err := samples()["lines"].SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svg, "Latency &lt;over&gt; time") || !strings.Contains(svg, "p50 &amp; p99") {
		t.Errorf("title or description not escaped:\n%s", svg[:400])
	}
}

func TestChartGapBreaksTheLine(t *testing.T) {
	svg, _ := samples()["lines"].SVG()
	i := strings.Index(svg, `class="series s2 dashed" d="`)
	d := svg[i:]
	d = d[:strings.Index(d, `"><title>`)]
	if n := strings.Count(d, "M"); n != 2 {
		t.Errorf("the p99 line has %d moves, want 2 (one after the gap): %s", n, d)
	}
}

func TestChartRefusesWhatItCannotDraw(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Chart
		want string
	}{
		// nothing at all to draw
		{"empty", Chart{ID: "e"}, "chart e: no data to draw"},
		// zero latency on a log axis
		{"log zero", Chart{ID: "l", Y: Axis{Scale: Log}, Series: []Series{{Name: "p99", Points: []Point{{1, 0}}}}}, `chart l: series "p99" point 0: y: value 0 on a log axis`},
		// the maximum (q = 1) cannot sit on a percentile axis
		{"quantile 1", Chart{ID: "q", X: Axis{Scale: Percentile}, Series: []Series{{Name: "d", Points: []Point{{1, 5}}}}}, `chart q: series "d" point 0: x: quantile 1 outside [0, 1)`},
		// an infinite value
		{"inf", Chart{ID: "i", Series: []Series{{Name: "s", Points: []Point{{0, math.Inf(1)}}}}}, `point 0: y: value +Inf is infinite`},
		// a NaN x
		{"nan x", Chart{ID: "n", Series: []Series{{Name: "s", Points: []Point{{math.NaN(), 1}}}}}, `point 0: x: not a number`},
		// stacked series must share their x values
		{"stack x", Chart{ID: "s", Stacked: true, Series: []Series{{Name: "a", Points: []Point{{0, 1}}}, {Name: "b", Points: []Point{{1, 1}}}}}, `stacked series "b" point 0 is at x=1, "a"'s at x=0`},
		{"stack len", Chart{ID: "s", Stacked: true, Series: []Series{{Name: "a", Points: []Point{{0, 1}}}, {Name: "b"}}}, `stacked series "b" has 0 points, "a" has 1`},
		// a rule outside what the axis can show
		{"rule", Chart{ID: "r", Y: Axis{Scale: Log}, Series: []Series{{Name: "s", Points: []Point{{0, 1}}}}, Rules: []Rule{{Horizontal: true, Value: -1, Label: "obj"}}}, `rule "obj": value -1 on a log axis`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.SVG()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("SVG() error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    Axis
		lo   float64
		hi   float64
		want string
	}{
		{"linear from zero", Axis{}, 3, 47, "0 10 20 30 40 50"},
		{"linear headroom", Axis{}, 0, 800, "0 200 400 600 800 1000"},                           // non-negative data starts at 0
		{"linear small", Axis{}, 0.2, 0.9, "0 0.2 0.4 0.6 0.8 1"},                               // steps of 2×10^-1
		{"linear negative", Axis{}, -3, 4, "-4 -2 0 2 4 6"},                                     // below zero
		{"linear flat", Axis{}, 5, 5, "0 2 4 6"},                                                // one value
		{"linear fixed", Axis{Min: 10, Max: 20}, 0, 100, "10 12 14 16 18 20"},                   // the axis' own range wins
		{"log wide", Axis{Scale: Log}, 0.3, 2000, "0.1 1 10 100 1000 10000"},                    // decades only
		{"log narrow", Axis{Scale: Log}, 3, 40, "1 2 5 10 20 50 100"},                           // 2 and 5 within few decades
		{"percentiles", Axis{Scale: Percentile}, 0, 0.99998, "0 0.9 0.99 0.999 0.9999 0.99999"}, // up to the nines that hold the data
		{"percentiles few", Axis{Scale: Percentile}, 0, 0.5, "0 0.9 0.99"},                      // at least two nines
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, v := range tc.a.newSpan(tc.lo, tc.hi).ticks {
				got = append(got, strconv.FormatFloat(v, 'f', -1, 64))
			}
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("ticks = %s, want %s", s, tc.want)
			}
		})
	}
}

func TestLabels(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 1.5: "1.5", 999: "999", 1234: "1234", 12000: "12k", 2.5e6: "2.5M", 0.00012: "0.00012"} {
		if got := Number(in); got != want {
			t.Errorf("Number(%v) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[float64]string{0: "0%", 0.5: "50%", 0.999: "99.9%", 0.99999: "99.999%", 1 - math.Pow(0.5, 16): "99.9985%"} {
		if got := PercentLabel(in); got != want {
			t.Errorf("PercentLabel(%v) = %q, want %q", in, got, want)
		}
	}
}
