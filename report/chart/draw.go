package chart

import (
	"fmt"
	"math"
	"strings"
)

// grid draws the axes, their ticks, grid lines and labels.
func (p *plot) grid(b *strings.Builder) {
	b.WriteString(`<g class="grid-lines">`)
	for _, t := range p.ys.ticks {
		y := p.py(t)
		fmt.Fprintf(b, `<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s"/>`, f(p.x0), f(y), f(p.x0+p.pw), f(y))
	}
	b.WriteString("</g>\n<g class=\"tick\">")
	for _, t := range p.ys.ticks {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`, f(p.x0-6), f(p.py(t)), esc(p.c.Y.format(t)))
	}
	for _, t := range p.xs.ticks {
		x := p.px(t)
		fmt.Fprintf(b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`, f(x), f(p.y0), f(x), f(p.y0+4))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle">%s</text>`, f(x), f(p.y0+17), esc(p.c.X.format(t)))
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`, f(p.x0), f(p.y0), f(p.x0+p.pw), f(p.y0))
	fmt.Fprintf(b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", f(p.x0), f(p.y0), f(p.x0), f(p.y0-p.ph))
	fmt.Fprintf(b, `<text class="axis-label" x="%s" y="%s" text-anchor="middle">%s</text>`, f(p.x0+p.pw/2), f(p.h-8), esc(p.c.X.Label))
	fmt.Fprintf(b, `<text class="axis-label" x="14" y="%s" text-anchor="middle" transform="rotate(-90 14 %s)">%s</text>`+"\n",
		f(p.y0-p.ph/2), f(p.y0-p.ph/2), esc(p.c.Y.Label))
}

// series draws every series: stacked areas, or lines with optional dots.
func (p *plot) series(b *strings.Builder) {
	for i := len(p.c.Series) - 1; i >= 0 && p.stackTop != nil; i-- { // areas: the top first, so lower ones paint over
		s := p.c.Series[i]
		fmt.Fprintf(b, `<path class="area %s" d="%s"><title>%s</title></path>`+"\n", esc(s.Class), p.areaPath(i), esc(s.Name))
	}
	if p.stackTop != nil {
		return
	}
	for i, s := range p.c.Series {
		if d := p.linePath(p.drawn(i)); d != "" {
			fmt.Fprintf(b, `<path class="series %s %s" d="%s"><title>%s</title></path>`+"\n", esc(s.Class), esc(s.Style), d, esc(s.Name))
		}
		if s.Dots {
			p.dots(b, s)
		}
	}
}

// linePath is an SVG path through pts; NaN values break the line.
func (p *plot) linePath(pts []Point) string {
	var d strings.Builder
	move := true
	for _, pt := range pts {
		if math.IsNaN(pt.Y) {
			move = true
			continue
		}
		cmd := "L"
		if move {
			cmd = "M"
			move = false
		}
		fmt.Fprintf(&d, "%s%s %s", cmd, f(p.px(pt.X)), f(p.py(pt.Y)))
	}
	return d.String()
}

// areaPath is the area between stacked series i and the one below it (or the axis).
func (p *plot) areaPath(i int) string {
	top := p.stackTop[i]
	var d strings.Builder
	for j, pt := range top {
		cmd := "L"
		if j == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&d, "%s%s %s", cmd, f(p.px(pt.X)), f(p.py(pt.Y)))
	}
	for j := len(top) - 1; j >= 0; j-- {
		base := p.ys.lo
		if i > 0 {
			base = p.stackTop[i-1][j].Y
		}
		y := p.y0
		if i > 0 || p.c.Y.Scale == Linear {
			y = p.py(math.Max(base, 0))
		}
		fmt.Fprintf(&d, "L%s %s", f(p.px(top[j].X)), f(y))
	}
	if d.Len() > 0 {
		d.WriteString("Z")
	}
	return d.String()
}

func (p *plot) dots(b *strings.Builder, s Series) {
	for _, pt := range s.Points {
		if math.IsNaN(pt.Y) {
			continue
		}
		fmt.Fprintf(b, `<circle class="pt %s" cx="%s" cy="%s" r="3.5"><title>%s: %s, %s</title></circle>`,
			esc(s.Class), f(p.px(pt.X)), f(p.py(pt.Y)), esc(s.Name), esc(p.c.X.format(pt.X)), esc(p.c.Y.format(pt.Y)))
	}
	b.WriteString("\n")
}

// rules draws the reference lines with their labels.
func (p *plot) rules(b *strings.Builder) {
	for _, r := range p.c.Rules {
		if r.Horizontal {
			y := p.py(r.Value)
			fmt.Fprintf(b, `<line class="rule %s" x1="%s" y1="%s" x2="%s" y2="%s"/>`, esc(r.Class), f(p.x0), f(y), f(p.x0+p.pw), f(y))
			fmt.Fprintf(b, `<text class="rule-label %s" x="%s" y="%s" text-anchor="start">%s</text>`+"\n", esc(r.Class), f(p.x0+6), f(y-5), esc(r.Label))
			continue
		}
		x := p.px(r.Value)
		anchor, dx := "start", 4.0
		if x > p.x0+p.pw*0.7 {
			anchor, dx = "end", -4
		}
		fmt.Fprintf(b, `<line class="rule %s" x1="%s" y1="%s" x2="%s" y2="%s"/>`, esc(r.Class), f(x), f(p.y0), f(x), f(p.y0-p.ph))
		fmt.Fprintf(b, `<text class="rule-label %s" x="%s" y="%s" text-anchor="%s">%s</text>`+"\n", esc(r.Class), f(x+dx), f(p.y0-8), anchor, esc(r.Label))
	}
}

// markers draws the labelled points.
func (p *plot) markers(b *strings.Builder) {
	for i, m := range p.c.Markers {
		x, y := p.px(m.X), p.py(m.Y)
		anchor, dx := "start", 9.0
		if x > p.x0+p.pw*0.82 {
			anchor, dx = "end", -9
		}
		dy := -9.0 // labels alternate above and below their points, so that neighbours do not collide
		if i%2 == 1 {
			dy = 19
		}
		fmt.Fprintf(b, `<circle class="marker %s" cx="%s" cy="%s" r="6" fill-opacity="0.25" stroke-width="2"/>`, esc(m.Class), f(x), f(y))
		fmt.Fprintf(b, `<text class="rule-label %s" x="%s" y="%s" text-anchor="%s">%s</text>`+"\n", esc(m.Class), f(x+dx), f(y+dy), anchor, esc(m.Label))
	}
}

// legend draws one swatch and name per series, above the plot.
func (p *plot) legend(b *strings.Builder) {
	b.WriteString(`<g class="legend">`)
	x := p.x0
	for _, s := range p.c.Series {
		if p.stackTop != nil {
			fmt.Fprintf(b, `<rect class="area %s" x="%s" y="10" width="14" height="10"/>`, esc(s.Class), f(x))
		} else {
			fmt.Fprintf(b, `<line class="series %s %s" x1="%s" y1="15" x2="%s" y2="15"/>`, esc(s.Class), esc(s.Style), f(x), f(x+18))
		}
		fmt.Fprintf(b, `<text x="%s" y="19">%s</text>`, f(x+22), esc(s.Name))
		x += 22 + 7.2*float64(len([]rune(s.Name))) + 16
	}
	b.WriteString("</g>\n")
}
