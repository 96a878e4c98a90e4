package report

import (
	"image/color"
	"math"
	"sort"
	"strconv"
	"time"
)

// The building blocks every figure of the package shares: one palette, one
// type scale, axes with round ticks, legends in a column beside the data,
// and labels in the right margin that never overlap.

// Colours: the Tableau 10 palette, which stays distinguishable for the
// common forms of colour blindness and prints well in grey.
var (
	palette = []color.NRGBA{
		rgb(0x1f, 0x77, 0xb4), // blue
		rgb(0xff, 0x7f, 0x0e), // orange
		rgb(0x2c, 0xa0, 0x2c), // green
		rgb(0xd6, 0x27, 0x28), // red
		rgb(0x94, 0x67, 0xbd), // purple
		rgb(0x8c, 0x56, 0x4b), // brown
		rgb(0xe3, 0x77, 0xc2), // pink
		rgb(0x7f, 0x7f, 0x7f), // grey
		rgb(0xbc, 0xbd, 0x22), // olive
		rgb(0x17, 0xbe, 0xcf), // cyan
	}
	// metricColors leaves out the replica panel's blue and green.
	metricColors = []color.NRGBA{palette[4], palette[1], palette[5], palette[3], palette[6], palette[9], palette[8]}

	black       = rgb(0x22, 0x22, 0x22)
	textGrey    = rgb(0x55, 0x55, 0x55)
	desiredBlue = palette[0]
	readyGreen  = palette[2]
	minGrey     = rgb(0x4d, 0x4d, 0x4d)
	maxRed      = rgb(0xa5, 0x1c, 0x1c)
	loadGrey    = rgb(0x70, 0x70, 0x70)
	loadFill    = rgba(0x9a, 0x9a, 0x9a, 0x40)
	servedGreen = rgb(0x2c, 0x7f, 0x2c)
	gridGrey    = rgb(0xe8, 0xe8, 0xe8)
	axisGrey    = rgb(0x40, 0x40, 0x40)
	eventNavy   = rgb(0x08, 0x30, 0x6b)
	warnOrange  = rgb(0xe6, 0x55, 0x0d)
	faultShade  = rgba(0xd6, 0x27, 0x28, 0x1c)
	faultStrip  = rgba(0xd6, 0x27, 0x28, 0x99)
	activeFill  = rgba(0x2c, 0xa0, 0x2c, 0xb0)
	idleFill    = rgb(0xdd, 0xdd, 0xdd)
	coolFill    = rgba(0xff, 0x7f, 0x0e, 0xc0)
	pausedFill  = rgb(0x99, 0x99, 0x99)
	fallbackFil = rgba(0x94, 0x67, 0xbd, 0xc0)

	dashed  = []float64{6, 3}
	dotted  = []float64{1.5, 2.5}
	dashDot = []float64{7, 2.5, 1.5, 2.5}
)

func rgb(r, g, b uint8) color.NRGBA     { return color.NRGBA{R: r, G: g, B: b, A: 0xff} }
func rgba(r, g, b, a uint8) color.NRGBA { return color.NRGBA{R: r, G: g, B: b, A: a} }

// withAlpha is c at the given opacity.
func withAlpha(c color.NRGBA, a uint8) color.NRGBA { c.A = a; return c }

// The type scale, in points.
const (
	titleSize  = 13
	labelSize  = 9.5
	tickSize   = 9
	legendSize = 9
	noteSize   = 9

	lineHeight = 1.3 // times the size

	margin = 10 // around the figure
)

// tick is a labelled value on an axis.
type tick struct {
	v     float64
	label string
}

// scale maps data values to a range of points.
type scale struct {
	lo, hi float64
	ticks  []tick
}

// frame is a data area with its two scales.
type frame struct {
	x, y, w, h float64
	xs, ys     scale
}

func (f frame) px(v float64) float64 {
	if f.xs.hi == f.xs.lo {
		return f.x
	}
	return f.x + (v-f.xs.lo)/(f.xs.hi-f.xs.lo)*f.w
}

func (f frame) py(v float64) float64 {
	if f.ys.hi == f.ys.lo {
		return f.y + f.h
	}
	return f.y + f.h - (v-f.ys.lo)/(f.ys.hi-f.ys.lo)*f.h
}

// clampY keeps a y in the data area.
func (f frame) clampY(y float64) float64 { return min(max(y, f.y), f.y+f.h) }

// valueScale returns a scale from the extent with round ticks, about five
// of them, including 0 when the extent is positive, with headroom above
// the highest value so a line at the top stays visible.
func valueScale(e extent) scale {
	lo, hi := 0.0, 1.0
	if e.ok {
		lo, hi = min(e.lo, 0), max(e.hi, 0)
	}
	if hi <= lo {
		hi = lo + 1
	}
	hi += (hi - lo) * 0.05
	step := niceStep((hi - lo) / 5)
	s := scale{lo: math.Floor(lo/step) * step, hi: math.Ceil(hi/step) * step}
	s.ticks = valueTicks(s.lo, s.hi, step)
	return s
}

// timeScale is the shared time axis from 0 to span: minutes up to three
// hours, hours beyond, at most 12 intervals at a round step.
func timeScale(span time.Duration) (scale, string) { return timeScaleN(span, 12) }

// timeScaleN is timeScale with at most n intervals, for narrow panels.
func timeScaleN(span time.Duration, n int) (scale, string) {
	n = max(n, 1)
	m := max(span.Minutes(), 1)
	unit, label := 1.0, "time (minutes)"
	steps := []float64{0.25, 0.5, 1, 2, 5, 10, 15, 30, 60}
	if m > 180 {
		unit, label = 60, "time (hours)"
		steps = []float64{0.5, 1, 2, 3, 4, 6, 12, 24}
	}
	v := m / unit
	step := steps[len(steps)-1]
	for _, s := range steps {
		if v/s <= float64(n) {
			step = s
			break
		}
	}
	for v/step > float64(n) {
		step *= 2
	}
	s := scale{lo: 0, hi: m}
	for i := 0; float64(i)*step <= v+1e-9; i++ {
		t := float64(i) * step
		s.ticks = append(s.ticks, tick{v: t * unit, label: strconv.FormatFloat(t, 'f', -1, 64)})
	}
	return s, label
}

// niceStep rounds raw up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if !(raw > 0) || !isFinite(raw) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / mag; {
	case f <= 1:
		return mag
	case f <= 2:
		return 2 * mag
	case f <= 5:
		return 5 * mag
	default:
		return 10 * mag
	}
}

// valueTicks returns labelled ticks every step from lo to hi (both
// multiples of step). Labels carry only the decimals the step needs
// ("1750", "0.25", "2.5k"), never "1750.00".
func valueTicks(lo, hi, step float64) []tick {
	var ticks []tick
	first := math.Round(lo / step)
	n := int(math.Round((hi-lo)/step)) + 1
	if n > 1000 {
		return nil
	}
	for i := range n {
		v := (first + float64(i)) * step
		ticks = append(ticks, tick{v: v, label: tickLabel(v, step)})
	}
	return ticks
}

// integerTicks are ticks at whole numbers from 0 to hi, at most about
// seven of them.
func integerTicks(hi float64) []tick {
	step := max(1, niceStep(hi/7))
	var ticks []tick
	for v := 0.0; v <= hi+1e-9; v += step {
		ticks = append(ticks, tick{v: v, label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return ticks
}

// tickLabel formats v with as many decimals as step needs, switching to k
// (thousands) and M (millions) suffixes for large values and to exponent
// notation from a billion on.
func tickLabel(v, step float64) string {
	if v == 0 {
		return "0"
	}
	unit, suffix := 1.0, ""
	switch a := math.Abs(step); {
	case a >= 1e9:
		return strconv.FormatFloat(v, 'g', 6, 64)
	case a >= 1e6:
		unit, suffix = 1e6, "M"
	case a >= 1e4:
		unit, suffix = 1e3, "k"
	}
	v, step = v/unit, step/unit
	decimals := 0
	if step < 1 {
		// enough digits for the step: 0.5 needs one, 0.25 and 0.05 two
		for decimals < 12 {
			scaled := step * math.Pow(10, float64(decimals))
			if math.Abs(scaled-math.Round(scaled)) < 1e-9*scaled {
				break
			}
			decimals++
		}
	}
	return strconv.FormatFloat(v, 'f', decimals, 64) + suffix
}

// shortNumber is a label-friendly number: shortest form, no exponent for
// ordinary magnitudes, at most four decimals.
func shortNumber(v float64) string {
	if a := math.Abs(v); a != 0 && (a < 1e-4 || a >= 1e9) {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	return strconv.FormatFloat(math.Round(v*1e4)/1e4, 'f', -1, 64)
}

// extent is the range of the finite values added to it.
type extent struct {
	lo, hi float64
	ok     bool
}

func (e *extent) add(v float64) {
	if !isFinite(v) {
		return
	}
	if !e.ok {
		e.lo, e.hi, e.ok = v, v, true
		return
	}
	e.lo, e.hi = min(e.lo, v), max(e.hi, v)
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// drawGrid draws light lines at the ticks under the data.
func drawGrid(s surface, f frame) {
	st := stroke{color: gridGrey, width: 0.6}
	for _, t := range f.xs.ticks {
		if x := f.px(t.v); x >= f.x-0.01 && x <= f.x+f.w+0.01 {
			s.polyline([]pt{{x, f.y}, {x, f.y + f.h}}, st)
		}
	}
	for _, t := range f.ys.ticks {
		if y := f.py(t.v); y >= f.y-0.01 && y <= f.y+f.h+0.01 {
			s.polyline([]pt{{f.x, y}, {f.x + f.w, y}}, st)
		}
	}
}

// drawYAxis draws the axis line, the tick labels and the rotated label
// centred at labelX.
func drawYAxis(s surface, fs *fonts, f frame, label string, labelX float64) {
	s.begin("axis y", "")
	ax := stroke{color: axisGrey, width: 0.8}
	s.polyline([]pt{{f.x, f.y}, {f.x, f.y + f.h}}, ax)
	asc := fs.ascent(tickSize)
	for _, t := range f.ys.ticks {
		y := f.py(t.v)
		s.polyline([]pt{{f.x - 3, y}, {f.x, y}}, ax)
		s.text(f.x-5, y+asc/2-0.5, t.label, textStyle{size: tickSize, color: axisGrey, anchor: anchorEnd})
	}
	if label != "" {
		s.text(labelX, f.y+f.h/2, label, textStyle{size: labelSize, anchor: anchorMiddle, rotated: true})
	}
	s.end()
}

// drawXAxis draws the bottom axis line and, when labelled, the tick
// labels and the axis label under it.
func drawXAxis(s surface, fs *fonts, f frame, label string, labelled bool) {
	s.begin("axis x", "")
	ax := stroke{color: axisGrey, width: 0.8}
	s.polyline([]pt{{f.x, f.y + f.h}, {f.x + f.w, f.y + f.h}}, ax)
	if labelled {
		asc := fs.ascent(tickSize)
		for _, t := range f.xs.ticks {
			x := f.px(t.v)
			s.polyline([]pt{{x, f.y + f.h}, {x, f.y + f.h + 3}}, ax)
			s.text(x, f.y+f.h+4+asc, t.label, textStyle{size: tickSize, color: axisGrey, anchor: anchorMiddle})
		}
		if label != "" {
			s.text(f.x+f.w/2, f.y+f.h+4+asc+4+fs.ascent(labelSize)+2, label, textStyle{size: labelSize, anchor: anchorMiddle})
		}
	}
	s.end()
}

// xAxisHeight is the room drawXAxis needs under the data area.
func xAxisHeight(fs *fonts, label string) float64 {
	h := 4 + fs.ascent(tickSize) + 4
	if label != "" {
		h += fs.ascent(labelSize) + 6
	}
	return h
}

// yTicksWidth is the width of the widest tick label.
func yTicksWidth(fs *fonts, ticks []tick) float64 {
	w := 0.0
	for _, t := range ticks {
		w = max(w, fs.width(t.label, tickSize, false))
	}
	return w
}

// Legend thumbnails.
const (
	thumbLine = iota
	thumbBand
	thumbMarker
)

// Marker shapes.
const (
	markerUp = iota
	markerDown
	markerDiamond
)

type legendEntry struct {
	label  string
	thumb  int
	stroke stroke
	fill   color.NRGBA
	marker int
}

const (
	thumbWidth = 22
	thumbGap   = 5
)

// legendNaturalWidth is the width a legend needs to show every label on
// one line.
func legendNaturalWidth(fs *fonts, entries []legendEntry) float64 {
	w := 0.0
	for _, e := range entries {
		w = max(w, thumbWidth+thumbGap+fs.width(e.label, legendSize, false))
	}
	return w
}

// legendHeight is the height of the legend drawn in width w.
func legendHeight(fs *fonts, entries []legendEntry, w float64) float64 {
	h := 0.0
	for _, e := range entries {
		h += float64(len(fs.wrap(e.label, legendSize, false, w-thumbWidth-thumbGap)))*legendSize*lineHeight + 2
	}
	return h
}

// drawLegend draws entries from (x, y) down, in width w, wrapping long
// labels; it returns the height used.
func drawLegend(s surface, fs *fonts, entries []legendEntry, x, y, w float64) float64 {
	if len(entries) == 0 {
		return 0
	}
	s.begin("legend", "")
	top := y
	asc := fs.ascent(legendSize)
	lh := legendSize * lineHeight
	for _, e := range entries {
		lines := fs.wrap(e.label, legendSize, false, w-thumbWidth-thumbGap)
		mid := y + lh/2
		switch e.thumb {
		case thumbLine:
			s.polyline([]pt{{x, mid}, {x + thumbWidth, mid}}, e.stroke)
		case thumbBand:
			s.rect(x, mid-4, thumbWidth, 8, e.fill, e.stroke, "")
		case thumbMarker:
			drawMarker(s, e.marker, x+thumbWidth/2, mid, e.fill)
		}
		for i, l := range lines {
			s.text(x+thumbWidth+thumbGap, y+float64(i)*lh+(lh-asc)/2+asc-0.5, l, textStyle{size: legendSize})
		}
		y += float64(len(lines))*lh + 2
	}
	s.end()
	return y - top
}

// drawMarker draws a marker centred at (x, y).
func drawMarker(s surface, kind int, x, y float64, fill color.NRGBA) {
	const r = 4
	switch kind {
	case markerUp:
		s.polygon([]pt{{x, y - r}, {x + r, y + r*0.8}, {x - r, y + r*0.8}}, fill)
	case markerDown:
		s.polygon([]pt{{x, y + r}, {x + r, y - r*0.8}, {x - r, y - r*0.8}}, fill)
	case markerDiamond:
		s.polygon([]pt{{x, y - r}, {x + r, y}, {x, y + r}, {x - r, y}}, fill)
	}
}

// marginLabel is a text in the right margin of a panel at the height of
// the line it names.
type marginLabel struct {
	y     float64
	text  string
	color color.NRGBA
}

// placeMarginLabels spreads labels vertically so that none overlaps
// another, keeping each as close to its line as it can, within [top,
// bottom].
func placeMarginLabels(labels []marginLabel, top, bottom, spacing float64) []marginLabel {
	out := append([]marginLabel(nil), labels...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].y < out[j].y })
	for i := range out {
		out[i].y = min(max(out[i].y, top), bottom)
		if i > 0 && out[i].y < out[i-1].y+spacing {
			out[i].y = out[i-1].y + spacing
		}
	}
	// Push back up from the bottom if the stack ran past it.
	for i := len(out) - 1; i >= 0; i-- {
		limit := bottom
		if i+1 < len(out) {
			limit = out[i+1].y - spacing
		}
		out[i].y = min(out[i].y, limit)
	}
	return out
}

// simplify drops the points of a polyline that lie on a horizontal or
// vertical segment between their neighbours, which step lines are full
// of, so that a day of samples stays a small file.
func simplify(pts []pt) []pt {
	if len(pts) < 3 {
		return pts
	}
	out := []pt{pts[0]}
	for i := 1; i < len(pts)-1; i++ {
		a, b, c := out[len(out)-1], pts[i], pts[i+1]
		if (a.y == b.y && b.y == c.y) || (a.x == b.x && b.x == c.x) || (a == b) {
			continue
		}
		out = append(out, b)
	}
	return append(out, pts[len(pts)-1])
}
