package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"
)

// viridis, from low to high, reversed so that a low value (cheap, never
// overloaded) is light: perceptually uniform and readable by the
// colour-blind and in grey.
var viridis = []color.NRGBA{
	rgb(0xfd, 0xe7, 0x25), rgb(0xb5, 0xde, 0x2b), rgb(0x6e, 0xce, 0x58), rgb(0x35, 0xb7, 0x79), rgb(0x1f, 0x9e, 0x89),
	rgb(0x26, 0x82, 0x8e), rgb(0x31, 0x68, 0x8e), rgb(0x3e, 0x49, 0x89), rgb(0x48, 0x28, 0x78), rgb(0x44, 0x01, 0x54),
}

// colourAt maps f in [0, 1] onto the scale.
func colourAt(f float64) color.NRGBA {
	f = min(max(f, 0), 1) * float64(len(viridis)-1)
	i := min(int(f), len(viridis)-2)
	t := f - float64(i)
	a, b := viridis[i], viridis[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return rgb(mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B))
}

// inkOn is black or white, whichever reads better on c.
func inkOn(c color.NRGBA) color.NRGBA {
	if 0.299*float64(c.R)+0.587*float64(c.G)+0.114*float64(c.B) > 140 {
		return black
	}
	return rgb(0xff, 0xff, 0xff)
}

var noValue = rgb(0xee, 0xee, 0xee)

// WriteHeatmap draws one figure of every run of a sweep (cost,
// overloaded, ...: see HeatmapFigures) as coloured cells over the first two
// axes, the first axis down and the second across, each cell labelled
// with its value; every combination of further axes gets a grid of its
// own. vs are in the sweep's order, the first axis varying slowest.
func WriteHeatmap(w io.Writer, format, title string, vs []Variant, axes []Axis, figure string) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	def, err := lookupFigure(figure)
	if err != nil {
		return err
	}
	if len(axes) == 0 {
		return fmt.Errorf("report: a heatmap needs at least one axis")
	}
	n := 1
	for _, a := range axes {
		n *= len(a.Values)
	}
	if n != len(vs) || n == 0 {
		return fmt.Errorf("report: %d runs for %d combinations of the axes", len(vs), n)
	}
	rowsAxis, colsAxis := Axis{}, axes[0]
	if len(axes) > 1 {
		rowsAxis, colsAxis = axes[0], axes[1]
	}
	rows, cols := max(1, len(rowsAxis.Values)), len(colsAxis.Values)
	facets := n / (rows * cols)

	var e extent
	missing := false
	for _, v := range vs {
		if x, ok := def.value(v.Figures); ok {
			e.add(x)
		} else {
			missing = true
		}
	}
	frac := func(x float64) float64 {
		if !e.ok || e.hi == e.lo {
			return 0
		}
		return (x - e.lo) / (e.hi - e.lo)
	}

	xs := scale{lo: 0, hi: float64(cols)}
	for i, val := range colsAxis.Values {
		xs.ticks = append(xs.ticks, tick{v: float64(i) + 0.5, label: val})
	}
	ys := scale{lo: 0, hi: float64(rows)}
	for i, val := range rowsAxis.Values {
		ys.ticks = append(ys.ticks, tick{v: float64(rows-i) - 0.5, label: val})
	}
	g := &gridFigure{
		title:    title,
		subtitle: []string{fmt.Sprintf("%s of each run: %s down, %s across", def.title, orDash(rowsAxis.Name), colsAxis.Name)},
		desc:     title + ": " + def.title + " of every run",
		cols:     min(facets, 3),
		cellH:    float64(rows) * 20,
		xlabel:   colsAxis.Name,
		ylabel:   rowsAxis.Name,
	}
	if facets == 1 {
		g.cellH = min(float64(rows)*24, 320)
	}
	for fi := range facets {
		var parts []string
		rest := fi
		for j := len(axes) - 1; j >= 2; j-- {
			parts = append([]string{axes[j].Name + "=" + axes[j].Values[rest%len(axes[j].Values)]}, parts...)
			rest /= len(axes[j].Values)
		}
		cell := gridCell{title: strings.Join(parts, " "), class: "heatmap", xs: xs, ys: ys}
		if len(axes) > 1 && facets == 1 {
			cell.title = ""
		}
		fi := fi
		cell.draw = func(s surface, f frame) {
			for r := range rows {
				for c := range cols {
					// index in sweep order: rows axis slowest, then
					// columns, then the facet axes
					v := vs[(r*cols+c)*facets+fi]
					x, ok := def.value(v.Figures)
					fill, text := noValue, "none"
					if ok {
						fill, text = colourAt(frac(x)), def.format(x)
					}
					x0, x1 := f.px(float64(c)), f.px(float64(c+1))
					y0, y1 := f.py(float64(rows-r)), f.py(float64(rows-r-1))
					s.begin("value", fmt.Sprintf("%s: %s %s", v.Name(), def.title, text))
					s.rect(x0, y0, x1-x0, y1-y0, fill, stroke{color: rgb(0xff, 0xff, 0xff), width: 1}, "")
					s.text((x0+x1)/2, (y0+y1)/2+3, text, textStyle{size: 8, color: inkOn(fill), anchor: anchorMiddle})
					s.end()
				}
			}
		}
		g.cells = append(g.cells, cell)
	}
	if missing {
		g.legend = []legendEntry{{label: "none: the run has no value", thumb: thumbBand, fill: noValue}}
	}
	g.legendExtraW, g.legendExtraH = 110, 140
	g.legendExtra = func(s surface, fs *fonts, x, y, w float64) float64 {
		s.text(x, y+fs.ascent(legendSize), def.title, textStyle{size: legendSize, bold: true})
		top := y + legendSize*lineHeight + 4
		const steps, h = 20, 100.0
		for i := range steps {
			s.rect(x, top+float64(i)*h/steps, 14, h/steps+0.3, colourAt(1-float64(i)/float64(steps-1)), stroke{}, "")
		}
		lo, hi := "", ""
		if e.ok {
			lo, hi = def.format(e.lo), def.format(e.hi)
		}
		if lo == hi {
			s.text(x+18, top+h, "every run: "+lo, textStyle{size: legendSize})
		} else {
			s.text(x+18, top+fs.ascent(legendSize), hi+" (highest)", textStyle{size: legendSize})
			s.text(x+18, top+h, lo+" (lowest)", textStyle{size: legendSize})
		}
		return h + legendSize*lineHeight + 4
	}
	return g.write(w, format, figureWidth)
}
