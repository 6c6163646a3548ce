package chart

import (
	"fmt"
	"math"
	"strings"
)

// Table returns the chart's numbers as an HTML table, for readers who
// cannot see the chart and for anyone who wants the exact values: one row
// per x value and a column per series when the series share their x values,
// else one row per point. Rules and markers are listed after the table.
func (c *Chart) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "<table class=\"data\">\n<caption class=\"sr-only\">%s: data</caption>\n", esc(c.Title))
	if sharedX(c.Series) {
		c.wideTable(&b)
	} else {
		c.longTable(&b)
	}
	b.WriteString("</table>\n")
	if len(c.Rules)+len(c.Markers) > 0 {
		b.WriteString("<ul class=\"marks\">")
		for _, r := range c.Rules {
			axis, a := "x", &c.X
			if r.Horizontal {
				axis, a = "y", &c.Y
			}
			fmt.Fprintf(&b, "<li>%s: %s = %s</li>", esc(r.Label), axis, esc(a.format(r.Value)))
		}
		for _, m := range c.Markers {
			fmt.Fprintf(&b, "<li>%s: %s, %s</li>", esc(m.Label), esc(c.X.format(m.X)), esc(c.Y.format(m.Y)))
		}
		b.WriteString("</ul>\n")
	}
	return b.String()
}

// sharedX reports whether every series has the same x values, in order.
func sharedX(ss []Series) bool {
	for _, s := range ss[min(1, len(ss)):] {
		if len(s.Points) != len(ss[0].Points) {
			return false
		}
		for j, pt := range s.Points {
			if pt.X != ss[0].Points[j].X {
				return false
			}
		}
	}
	return true
}

func (c *Chart) wideTable(b *strings.Builder) {
	fmt.Fprintf(b, "<thead><tr><th scope=\"col\">%s</th>", esc(c.X.Label))
	for _, s := range c.Series {
		fmt.Fprintf(b, "<th scope=\"col\" class=\"num\">%s</th>", esc(s.Name))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	if len(c.Series) == 0 {
		b.WriteString("</tbody>\n")
		return
	}
	for j, pt := range c.Series[0].Points {
		fmt.Fprintf(b, "<tr><th scope=\"row\">%s</th>", esc(c.X.format(pt.X)))
		for _, s := range c.Series {
			fmt.Fprintf(b, "<td class=\"num\">%s</td>", esc(c.value(s.Points[j].Y)))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n")
}

func (c *Chart) longTable(b *strings.Builder) {
	fmt.Fprintf(b, "<thead><tr><th scope=\"col\">series</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
		esc(c.X.Label), esc(c.Y.Label))
	for _, s := range c.Series {
		for _, pt := range s.Points {
			fmt.Fprintf(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td class=\"num\">%s</td></tr>\n", esc(s.Name), esc(c.X.format(pt.X)), esc(c.value(pt.Y)))
		}
	}
	b.WriteString("</tbody>\n")
}

// value writes a y value of the table; a gap is a dash.
func (c *Chart) value(y float64) string {
	if math.IsNaN(y) {
		return "—"
	}
	return c.Y.format(y)
}
