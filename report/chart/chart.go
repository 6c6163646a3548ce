package chart

import (
	"errors"
	"fmt"
	"html"
	"math"
	"strings"
)

// Default size of a chart, in SVG user units (it scales to its container).
const (
	DefaultWidth  = 720
	DefaultHeight = 300
)

// margins around the plot area: room for tick labels, legend and axis labels.
const (
	marginLeft   = 64
	marginRight  = 32
	marginTop    = 34
	marginBottom = 46
)

// Point is one value of a series. A NaN Y leaves a gap in a line.
type Point struct{ X, Y float64 }

// Series is one line (or stacked area) of a chart.
type Series struct {
	// Name is shown in the legend and the data table.
	Name string
	// Points are drawn in order.
	Points []Point
	// Class colours the series: "s1"…"s7" (a colour-blind-safe palette),
	// "ok", "bad" or "note".
	Class string
	// Style is "" (solid), "dashed" or "dotted", so that series differ by
	// more than colour.
	Style string
	// Dots draws a dot at every point (for sparse data, such as a curve of
	// capacity steps).
	Dots bool
}

// Rule is a labelled reference line across the plot: an objective, a knee.
type Rule struct {
	// Horizontal draws the line at Value on the y axis; otherwise it is
	// vertical, at Value on the x axis.
	Horizontal bool
	Value      float64
	Label      string
	Class      string
}

// Marker is a labelled point: the knee, the first failure.
type Marker struct {
	X, Y  float64
	Label string
	Class string
}

// Chart is a chart to draw.
type Chart struct {
	// ID is unique in the page; the title and description hang from it.
	ID string
	// Title says what is drawn; Desc says what it shows, in a sentence a
	// screen reader reads out.
	Title, Desc string
	X, Y        Axis
	Series      []Series
	// Stacked draws the series as areas stacked in order; they must share
	// their X values.
	Stacked bool
	Rules   []Rule
	Markers []Marker
	// Width and Height are the SVG's size; zero takes the defaults.
	Width, Height int
}

// plot is a chart being drawn: its geometry and spans.
type plot struct {
	c        *Chart
	w, h     float64
	x0, y0   float64 // the plot area's bottom-left corner
	pw, ph   float64 // the plot area's size
	xs, ys   span
	stackTop [][]Point // the stacked series' tops, when Stacked
}

// SVG draws the chart. It refuses data the axes cannot show (a value that
// is not finite, a non-positive one on a log axis, stacked series that do
// not share their X values) with an error naming the series and point.
func (c *Chart) SVG() (string, error) {
	p, err := c.newPlot()
	if err != nil {
		return "", fmt.Errorf("chart %s: %w", c.ID, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" id="%s" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`,
		esc(c.ID), int(p.w), int(p.h), esc(c.ID), esc(c.ID))
	fmt.Fprintf(&b, "\n<title id=\"%s-t\">%s</title>\n<desc id=\"%s-d\">%s</desc>\n", esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
	p.grid(&b)
	p.series(&b)
	p.rules(&b)
	p.markers(&b)
	p.legend(&b)
	b.WriteString("</svg>")
	return b.String(), nil
}

func (c *Chart) newPlot() (*plot, error) {
	p := &plot{c: c, w: float64(orDefault(c.Width, DefaultWidth)), h: float64(orDefault(c.Height, DefaultHeight))}
	p.x0, p.y0 = marginLeft, p.h-marginBottom
	p.pw, p.ph = p.w-marginLeft-marginRight, p.h-marginTop-marginBottom
	if c.Stacked {
		tops, err := stack(c.Series)
		if err != nil {
			return nil, err
		}
		p.stackTop = tops
	}
	xlo, xhi, ylo, yhi, err := p.extent()
	if err != nil {
		return nil, err
	}
	p.xs, p.ys = c.X.newSpan(xlo, xhi), c.Y.newSpan(ylo, yhi)
	return p, nil
}

func orDefault(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

// drawn returns the points as drawn: the stacked tops, or the series' own.
func (p *plot) drawn(i int) []Point {
	if p.stackTop != nil {
		return p.stackTop[i]
	}
	return p.c.Series[i].Points
}

// extent checks every value and returns the data's range.
func (p *plot) extent() (xlo, xhi, ylo, yhi float64, err error) {
	xlo, ylo, xhi, yhi = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	see := func(x, y float64, what string) error {
		if e := p.c.X.check(x); e != nil || math.IsNaN(x) {
			return fmt.Errorf("%s: x: %v", what, orNaN(e))
		}
		if math.IsNaN(y) {
			return nil
		}
		if e := p.c.Y.check(y); e != nil {
			return fmt.Errorf("%s: y: %w", what, e)
		}
		xlo, xhi, ylo, yhi = math.Min(xlo, x), math.Max(xhi, x), math.Min(ylo, y), math.Max(yhi, y)
		return nil
	}
	for i, s := range p.c.Series {
		for j, pt := range p.drawn(i) {
			if err := see(pt.X, pt.Y, fmt.Sprintf("series %q point %d", s.Name, j)); err != nil {
				return 0, 0, 0, 0, err
			}
		}
	}
	for _, m := range p.c.Markers {
		if err := see(m.X, m.Y, fmt.Sprintf("marker %q", m.Label)); err != nil {
			return 0, 0, 0, 0, err
		}
	}
	for _, r := range p.c.Rules {
		if err := p.seeRule(r, &xlo, &xhi, &ylo, &yhi); err != nil {
			return 0, 0, 0, 0, err
		}
	}
	if math.IsInf(xlo, 1) {
		return 0, 0, 0, 0, errors.New("no data to draw")
	}
	if math.IsInf(ylo, 1) { // only vertical rules
		ylo, yhi = 1, 1
	}
	return xlo, xhi, ylo, yhi, nil
}

func orNaN(e error) any {
	if e == nil {
		return "not a number"
	}
	return e
}

// seeRule widens the range to show a rule.
func (p *plot) seeRule(r Rule, xlo, xhi, ylo, yhi *float64) error {
	a, lo, hi := &p.c.X, xlo, xhi
	if r.Horizontal {
		a, lo, hi = &p.c.Y, ylo, yhi
	}
	if err := a.check(r.Value); err != nil || math.IsNaN(r.Value) {
		return fmt.Errorf("rule %q: %v", r.Label, orNaN(err))
	}
	*lo, *hi = math.Min(*lo, r.Value), math.Max(*hi, r.Value)
	return nil
}

// stack returns the cumulative tops of the series; they must share X values.
func stack(ss []Series) ([][]Point, error) {
	out := make([][]Point, len(ss))
	for i, s := range ss {
		if i > 0 && len(s.Points) != len(ss[0].Points) {
			return nil, fmt.Errorf("stacked series %q has %d points, %q has %d", s.Name, len(s.Points), ss[0].Name, len(ss[0].Points))
		}
		out[i] = make([]Point, len(s.Points))
		for j, pt := range s.Points {
			base := 0.0
			if i > 0 {
				if ss[0].Points[j].X != pt.X {
					return nil, fmt.Errorf("stacked series %q point %d is at x=%v, %q's at x=%v", s.Name, j, pt.X, ss[0].Name, ss[0].Points[j].X)
				}
				base = out[i-1][j].Y
			}
			y := pt.Y
			if math.IsNaN(y) {
				y = 0
			}
			out[i][j] = Point{X: pt.X, Y: base + y}
		}
	}
	return out, nil
}

// px and py map data values to SVG coordinates.
func (p *plot) px(x float64) float64 {
	return p.x0 + (p.c.X.transform(x)-p.xs.lo)/(p.xs.hi-p.xs.lo)*p.pw
}

func (p *plot) py(y float64) float64 {
	return p.y0 - (p.c.Y.transform(y)-p.ys.lo)/(p.ys.hi-p.ys.lo)*p.ph
}

// esc escapes text for SVG (XML) content and attributes.
func esc(s string) string { return html.EscapeString(s) }

// f writes a coordinate to a tenth of a unit.
func f(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}
