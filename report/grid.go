package report

import (
	"fmt"
	"io"
)

// gridFigure is small multiples: cells of one size in rows, sharing their
// axes (tick labels on the first column and the bottom row only), with one
// legend in a column to the right.
type gridFigure struct {
	title    string
	subtitle []string
	notes    []string
	desc     string

	cols  int
	cellH float64
	cells []gridCell
	// fitX, when set, gives the x scale of a cell of the given width
	// (fewer ticks in narrow cells).
	fitX   func(cellW float64) scale
	xlabel string
	ylabel string
	// yTicksEverywhere labels the y axis of every cell (categorical axes
	// that differ from cell to cell would need it; shared ones do not).
	legend []legendEntry
	// legendExtra draws more below the legend (a colour bar) and returns
	// its height; legendExtraW is the width it needs.
	legendExtra  func(s surface, fs *fonts, x, y, w float64) float64
	legendExtraW float64
	legendExtraH float64
}

type gridCell struct {
	title  string
	class  string
	xs, ys scale
	draw   func(s surface, f frame)
}

type gridLayout struct {
	w, h                float64
	left, cellW, legend float64
	legendX             float64
	titleLines          []string
	subLines, noteLines []string
	rowTops             []float64 // top of each row's titles
	titleH              []float64 // height of each row's titles
	cellTitles          [][]string
	yLabelX             float64
}

const gridGapX, gridGapY = 10, 8

func (g *gridFigure) layout(fs *fonts, width float64) gridLayout {
	l := gridLayout{w: width}
	tickW := 0.0
	for _, c := range g.cells {
		tickW = max(tickW, yTicksWidth(fs, c.ys.ticks))
	}
	l.yLabelX = margin + fs.ascent(labelSize)
	l.left = l.yLabelX + 6 + tickW + 5
	l.legend = min(max(legendNaturalWidth(fs, g.legend), g.legendExtraW), width*0.28)
	right := width - margin
	if l.legend > 0 {
		l.legendX = right - l.legend
		right = l.legendX - legendGap - 4
	}
	cols := max(1, min(g.cols, len(g.cells)))
	l.cellW = (right - l.left - float64(cols-1)*gridGapX) / float64(cols)
	if g.fitX != nil {
		xs := g.fitX(l.cellW)
		for i := range g.cells {
			g.cells[i].xs = xs
		}
	}

	y := float64(margin)
	l.titleLines = fs.wrap(g.title, titleSize, true, width-2*margin)
	y += float64(len(l.titleLines)) * titleSize * lineHeight
	for _, s := range g.subtitle {
		l.subLines = append(l.subLines, fs.wrap(s, noteSize, false, width-2*margin)...)
	}
	for _, s := range g.notes {
		l.noteLines = append(l.noteLines, fs.wrap(s, noteSize, false, width-2*margin)...)
	}
	y += float64(len(l.subLines)+len(l.noteLines))*noteSize*lineHeight + 8
	top := y
	for _, c := range g.cells {
		l.cellTitles = append(l.cellTitles, fs.wrap(c.title, legendSize, false, l.cellW))
	}
	rows := (len(g.cells) + cols - 1) / cols
	xh := xAxisHeight(fs, "")
	// The rotated y label is drawn beside one cell: it must fit its height.
	g.cellH = max(g.cellH, fs.width(g.ylabel, labelSize, false)+8)
	for r := range rows {
		th := 0.0
		for c := r * cols; c < min(len(g.cells), (r+1)*cols); c++ {
			th = max(th, float64(len(l.cellTitles[c]))*legendSize*lineHeight)
		}
		l.rowTops = append(l.rowTops, y)
		l.titleH = append(l.titleH, th+3)
		y += th + 3 + g.cellH + xh + gridGapY
	}
	if g.xlabel != "" {
		y += fs.ascent(labelSize) + 4
	}
	legendH := legendHeight(fs, g.legend, l.legend) + g.legendExtraH
	l.h = max(y, top+legendH) + margin
	return l
}

func (g *gridFigure) write(w io.Writer, format string, width float64) error {
	fs := newFonts()
	l := g.layout(fs, width)
	var s surface
	var out io.WriterTo
	switch format {
	case "svg":
		sv := newSVG(fs, l.w, l.h, g.desc)
		s, out = sv, sv
	case "png":
		pn := newPNG(fs, l.w, l.h)
		s, out = pn, pn
	default:
		return checkFormat(format)
	}
	g.draw(s, fs, l)
	if _, err := out.WriteTo(w); err != nil {
		return fmt.Errorf("report: writing %s plot: %w", format, err)
	}
	return nil
}

func (g *gridFigure) draw(s surface, fs *fonts, l gridLayout) {
	y := float64(margin)
	s.begin("heading", "")
	for _, line := range l.titleLines {
		y += titleSize * lineHeight
		s.text(margin, y-titleSize*0.3, line, textStyle{size: titleSize, bold: true})
	}
	for _, line := range l.subLines {
		y += noteSize * lineHeight
		s.text(margin, y-noteSize*0.3, line, textStyle{size: noteSize, color: textGrey})
	}
	for _, line := range l.noteLines {
		y += noteSize * lineHeight
		s.text(margin, y-noteSize*0.3, line, textStyle{size: noteSize, color: warnOrange})
	}
	s.end()
	cols := max(1, min(g.cols, len(g.cells)))
	rows := (len(g.cells) + cols - 1) / cols
	legendTop := 0.0
	for i, c := range g.cells {
		row, col := i/cols, i%cols
		f := frame{x: l.left + float64(col)*(l.cellW+gridGapX), y: l.rowTops[row] + l.titleH[row], w: l.cellW, h: g.cellH, xs: c.xs, ys: c.ys}
		if i == 0 {
			legendTop = f.y
		}
		s.begin("cell "+c.class, "")
		ty := l.rowTops[row]
		for _, line := range l.cellTitles[i] {
			ty += legendSize * lineHeight
			s.text(f.x, ty-legendSize*0.3, line, textStyle{size: legendSize, bold: true})
		}
		s.rect(f.x, f.y, f.w, f.h, rgba(0, 0, 0, 0), stroke{}, "data-area")
		drawGrid(s, f)
		if c.draw != nil {
			c.draw(s, f)
		}
		yLabel := ""
		if col == 0 && row == rows/2 {
			yLabel = g.ylabel
		}
		if col == 0 {
			drawYAxis(s, fs, f, yLabel, l.yLabelX)
		} else {
			noLabels := f
			noLabels.ys.ticks = nil
			drawYAxis(s, fs, noLabels, "", 0)
		}
		lastRow := row == rows-1 || i+cols >= len(g.cells)
		drawXAxis(s, fs, f, "", lastRow)
		s.end()
	}
	if g.xlabel != "" && len(g.cells) > 0 {
		lastTop := l.rowTops[rows-1] + l.titleH[rows-1] + g.cellH + xAxisHeight(fs, "")
		s.text(l.left+(float64(cols)*(l.cellW+gridGapX)-gridGapX)/2, lastTop+fs.ascent(labelSize)+2, g.xlabel,
			textStyle{size: labelSize, anchor: anchorMiddle})
	}
	lh := drawLegend(s, fs, g.legend, l.legendX, legendTop, l.legend)
	if g.legendExtra != nil {
		s.begin("legend", "")
		g.legendExtra(s, fs, l.legendX, legendTop+lh+4, l.legend)
		s.end()
	}
}
