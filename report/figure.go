package report

import (
	"fmt"
	"image/color"
	"io"
)

// stackFigure is panels stacked on one shared x axis, with state strips
// (thin bands of periods) above them, a legend beside each panel in a
// column of its own and labels in a margin between data and legends:
// nothing is ever drawn over the data but the data.
type stackFigure struct {
	// title is the headline; subtitle and notes are lines of smaller text
	// under it (notes say what is not shown, and why).
	title    string
	subtitle []string
	notes    []string
	// desc is the SVG document's accessible title.
	desc string

	xs     scale
	xlabel string

	strips      []strip
	stripLegend []legendEntry
	panels      []*panel
	// shades are periods drawn lightly across every strip and panel.
	shades []span
}

// strip is one row of periods, such as KEDA's activity.
type strip struct {
	label string
	class string
	spans []span
}

// span is a period [from, to) in x units; a span with from == to is an
// instant, drawn as a thin line.
type span struct {
	from, to float64
	fill     color.NRGBA
	class    string
	// title is the hover text; text is written inside, in ink, when it
	// fits.
	title, text string
	ink         color.NRGBA
}

// panel is one plot of the stack.
type panel struct {
	class  string
	title  string
	ylabel string
	// height is the least height of the data area; it grows to fit the
	// legend.
	height float64
	ys     scale
	legend []legendEntry
	labels []panelLabel
	// note is written in the data area when there is nothing to draw.
	note string
	draw func(s surface, f frame)
}

// panelLabel names a horizontal line in the right margin.
type panelLabel struct {
	v     float64
	text  string
	color color.NRGBA
}

// Strip and panel geometry, in points.
const (
	stripHeight = 11
	stripGap    = 3
	panelGap    = 9
	legendGap   = 8
	labelGap    = 4
	// titleGap keeps a panel's title clear of its top tick label.
	titleGap = 6
)

// layout is where everything of a stackFigure goes.
type layout struct {
	w, h           float64
	dataX, dataW   float64
	marginX        float64 // left edge of the margin labels
	legendX        float64
	legendW        float64
	titleLines     []string
	subtitleLines  []string
	noteLines      []string
	stripTop       float64
	panelTops      []float64 // top of each data area
	panelHeights   []float64
	panelTitles    [][]string
	panelTitleTops []float64
	yLabelX        float64
	stripLabelX    float64
	stripBlockDown float64
}

func (fg *stackFigure) layout(fs *fonts, width float64) layout {
	l := layout{w: width}
	tickW := 0.0
	for _, p := range fg.panels {
		tickW = max(tickW, yTicksWidth(fs, p.ys.ticks))
	}
	l.yLabelX = margin + fs.ascent(labelSize)
	l.dataX = l.yLabelX + 6 + tickW + 5
	for _, st := range fg.strips {
		l.dataX = max(l.dataX, margin+fs.width(st.label, legendSize, false)+6)
	}
	l.stripLabelX = l.dataX - 6

	labelW := 0.0
	for _, p := range fg.panels {
		for _, pl := range p.labels {
			labelW = max(labelW, fs.width(pl.text, legendSize, false))
		}
	}
	legendNat := legendNaturalWidth(fs, fg.stripLegend)
	for _, p := range fg.panels {
		legendNat = max(legendNat, legendNaturalWidth(fs, p.legend))
	}
	l.legendW = min(legendNat, width*0.28)
	right := width - margin
	if l.legendW > 0 {
		l.legendX = right - l.legendW
		right = l.legendX - legendGap
	}
	if labelW > 0 {
		right -= labelW + 2*labelGap
	}
	l.marginX = right + labelGap
	l.dataW = right - l.dataX

	y := float64(margin)
	l.titleLines = fs.wrap(fg.title, titleSize, true, width-2*margin)
	y += float64(len(l.titleLines)) * titleSize * lineHeight
	for _, s := range fg.subtitle {
		l.subtitleLines = append(l.subtitleLines, fs.wrap(s, noteSize, false, width-2*margin)...)
	}
	for _, s := range fg.notes {
		l.noteLines = append(l.noteLines, fs.wrap(s, noteSize, false, width-2*margin)...)
	}
	y += float64(len(l.subtitleLines)+len(l.noteLines)) * noteSize * lineHeight
	y += 6
	if len(fg.strips) > 0 {
		l.stripTop = y
		rows := float64(len(fg.strips))*(stripHeight+stripGap) - stripGap
		block := max(rows, legendHeight(fs, fg.stripLegend, l.legendW))
		y += block + 2
	}
	for _, p := range fg.panels {
		y += panelGap
		lines := fs.wrap(p.title, labelSize, false, l.dataW+(l.dataX-margin))
		l.panelTitles = append(l.panelTitles, lines)
		l.panelTitleTops = append(l.panelTitleTops, y)
		y += float64(len(lines))*labelSize*lineHeight + titleGap
		h := max(p.height, legendHeight(fs, p.legend, l.legendW))
		l.panelTops = append(l.panelTops, y)
		l.panelHeights = append(l.panelHeights, h)
		y += h
	}
	y += xAxisHeight(fs, fg.xlabel) + margin
	l.h = y
	return l
}

// write renders the figure as "png" or "svg".
func (fg *stackFigure) write(w io.Writer, format string, width float64) error {
	fs := newFonts()
	l := fg.layout(fs, width)
	var s surface
	var out io.WriterTo
	switch format {
	case "svg":
		sv := newSVG(fs, l.w, l.h, fg.desc)
		s, out = sv, sv
	case "png":
		pn := newPNG(fs, l.w, l.h)
		s, out = pn, pn
	default:
		return fmt.Errorf("report: unknown plot format %q (want %q or %q)", format, plotFormats[0], plotFormats[1])
	}
	fg.draw(s, fs, l)
	if _, err := out.WriteTo(w); err != nil {
		return fmt.Errorf("report: writing %s plot: %w", format, err)
	}
	return nil
}

func (fg *stackFigure) draw(s surface, fs *fonts, l layout) {
	y := float64(margin)
	s.begin("heading", "")
	for _, line := range l.titleLines {
		y += titleSize * lineHeight
		s.text(margin, y-titleSize*0.3, line, textStyle{size: titleSize, bold: true})
	}
	for _, line := range l.subtitleLines {
		y += noteSize * lineHeight
		s.text(margin, y-noteSize*0.3, line, textStyle{size: noteSize, color: textGrey})
	}
	for _, line := range l.noteLines {
		y += noteSize * lineHeight
		s.text(margin, y-noteSize*0.3, line, textStyle{size: noteSize, color: warnOrange})
	}
	s.end()

	xframe := frame{x: l.dataX, w: l.dataW, xs: fg.xs}
	if len(fg.strips) > 0 {
		s.begin("strips", "")
		y := l.stripTop
		for _, st := range fg.strips {
			f := xframe
			f.y, f.h = y, stripHeight
			s.begin("strip "+st.class, "")
			s.rect(f.x, f.y, f.w, f.h, rgb(0xf7, 0xf7, 0xf7), stroke{}, "data-area")
			asc := fs.ascent(legendSize)
			s.text(l.stripLabelX, y+(stripHeight+asc)/2-0.5, st.label, textStyle{size: legendSize, anchor: anchorEnd})
			for _, sp := range st.spans {
				drawSpan(s, fs, f, sp, true)
			}
			s.end()
			y += stripHeight + stripGap
		}
		drawLegend(s, fs, fg.stripLegend, l.legendX, l.stripTop-1, l.legendW)
		s.end()
	}

	for i, p := range fg.panels {
		f := xframe
		f.y, f.h, f.ys = l.panelTops[i], l.panelHeights[i], p.ys
		s.begin("panel "+p.class, "")
		ty := l.panelTitleTops[i]
		for _, line := range l.panelTitles[i] {
			ty += labelSize * lineHeight
			s.text(margin, ty-labelSize*0.35, line, textStyle{size: labelSize, bold: true})
		}
		s.rect(f.x, f.y, f.w, f.h, color.NRGBA{}, stroke{}, "data-area")
		drawGrid(s, f)
		for _, sp := range fg.shades {
			drawSpan(s, fs, f, sp, false)
		}
		if p.draw != nil {
			p.draw(s, f)
		}
		if p.note != "" {
			s.begin("note", "")
			s.text(f.x+f.w/2, f.y+f.h/2+fs.ascent(noteSize)/2, p.note, textStyle{size: noteSize, color: textGrey, anchor: anchorMiddle})
			s.end()
		}
		drawYAxis(s, fs, f, p.ylabel, l.yLabelX)
		last := i == len(fg.panels)-1
		drawXAxis(s, fs, f, fg.xlabel, last)
		if len(p.labels) > 0 {
			s.begin("line-labels", "")
			var mls []marginLabel
			for _, pl := range p.labels {
				mls = append(mls, marginLabel{y: f.py(pl.v), text: pl.text, color: pl.color})
			}
			asc := fs.ascent(legendSize)
			for _, ml := range placeMarginLabels(mls, f.y+asc/2, f.y+f.h-asc/2, legendSize*1.15) {
				s.text(l.marginX, ml.y+asc/2-0.5, ml.text, textStyle{size: legendSize, color: ml.color})
			}
			s.end()
		}
		drawLegend(s, fs, p.legend, l.legendX, f.y, l.legendW)
		s.end()
	}
}

// drawSpan fills a period of a frame; in a strip its text is written
// inside when it fits.
func drawSpan(s surface, fs *fonts, f frame, sp span, labelled bool) {
	x0, x1 := f.px(sp.from), f.px(sp.to)
	x0, x1 = max(x0, f.x), min(x1, f.x+f.w)
	s.begin(sp.class, sp.title)
	if x1-x0 < 1 {
		x0, x1 = (x0+x1)/2-0.6, (x0+x1)/2+0.6
	}
	s.rect(x0, f.y, x1-x0, f.h, sp.fill, stroke{}, "")
	if labelled && sp.text != "" && fs.width(sp.text, 8, false)+4 <= x1-x0 {
		s.text((x0+x1)/2, f.y+(f.h+fs.ascent(8))/2-0.5, sp.text, textStyle{size: 8, color: sp.ink, anchor: anchorMiddle})
	}
	s.end()
}
