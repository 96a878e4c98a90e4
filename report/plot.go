package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Figure geometry: 10 × 6 in, rendered at 96 dpi for PNG (960 × 576 px).
const (
	figureWidth  = 10 * vg.Inch
	figureHeight = 6 * vg.Inch
	figureDPI    = 96

	// loadScaleFactor bounds how far the peak of Load may be from the peak
	// of the metric panel for Load to be drawn there (see doc.go).
	loadScaleFactor = 3
)

// Plot formats accepted by WritePlot, in the order SavePlots writes them.
var plotFormats = []string{"png", "svg"}

// WritePlot renders the figure of r (see the package documentation) in the
// given format, "png" or "svg", and writes it to w.
func WritePlot(w io.Writer, r *sim.Result, format string) error {
	if err := validate(r); err != nil {
		return err
	}
	var canvas vg.CanvasWriterTo
	switch format {
	case "png":
		img := vgimg.NewWith(
			vgimg.UseWH(figureWidth, figureHeight),
			vgimg.UseDPI(figureDPI),
			vgimg.UseBackgroundColor(color.White),
		)
		canvas = vgimg.PngCanvas{Canvas: img}
	case "svg":
		canvas = vgsvg.New(figureWidth, figureHeight)
	default:
		return fmt.Errorf("report: unknown plot format %q (want %q or %q)", format, plotFormats[0], plotFormats[1])
	}
	if err := drawFigure(draw.New(canvas), r); err != nil {
		return err
	}
	if _, err := canvas.WriteTo(w); err != nil {
		return fmt.Errorf("report: writing %s plot: %w", format, err)
	}
	return nil
}

// SavePlots writes the figure of r to dir/plot.png and dir/plot.svg,
// creating dir if needed.
func SavePlots(dir string, r *sim.Result) error {
	if err := validate(r); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, format := range plotFormats {
		if err := savePlot(filepath.Join(dir, "plot."+format), r, format); err != nil {
			return err
		}
	}
	return nil
}

func savePlot(path string, r *sim.Result, format string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("report: %w", cerr)
		}
	}()
	return WritePlot(f, r, format)
}

// Colours: the Tableau 10 palette, which stays distinguishable for the
// common forms of colour blindness and prints well in grey.
var (
	metricColors = []color.Color{
		rgb(0x1f, 0x77, 0xb4), // blue
		rgb(0xd6, 0x27, 0x28), // red
		rgb(0x94, 0x67, 0xbd), // purple
		rgb(0x8c, 0x56, 0x4b), // brown
		rgb(0xe3, 0x77, 0xc2), // pink
		rgb(0x17, 0xbe, 0xcf), // cyan
		rgb(0xbc, 0xbd, 0x22), // olive
	}
	desiredColor = rgb(0x1f, 0x77, 0xb4)
	readyColor   = rgb(0x2c, 0xa0, 0x2c)
	boundColor   = rgb(0x59, 0x59, 0x59)
	loadColor    = rgb(0x9a, 0x9a, 0x9a)
	gridColor    = rgb(0xe6, 0xe6, 0xe6)
	axisColor    = rgb(0x40, 0x40, 0x40)

	dashed = []vg.Length{vg.Points(6), vg.Points(3)}
	dotted = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
)

// sans is the typeface of every text of the figure (gonum's default is a
// serif face).
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func rgb(r, g, b uint8) color.Color { return color.RGBA{R: r, G: g, B: b, A: 0xff} }

// panel is one plot of the figure with the legend drawn beside it.
type panel struct {
	p      *plot.Plot
	legend plot.Legend
}

// drawFigure lays out the two panels, one above the other with aligned data
// areas, and their legends in a column on the right.
func drawFigure(dc draw.Canvas, r *sim.Result) error {
	xMax := timeSpanMinutes(r)
	xTicks := minuteTicks(xMax)

	top, err := metricPanel(r, xMax, xTicks)
	if err != nil {
		return err
	}
	bottom, err := replicaPanel(r, xMax, xTicks)
	if err != nil {
		return err
	}
	panels := []*panel{top, bottom}

	const pad = 10 // points around the figure and between plots and legends
	var legendWidth vg.Length
	for _, pn := range panels {
		rect := pn.legend.Rectangle(dc)
		legendWidth = max(legendWidth, rect.Max.X-rect.Min.X)
	}
	legendWidth = min(legendWidth, dc.Size().X*0.38)

	plots := dc
	plots.Max.X -= legendWidth + 2*pad
	tiles := draw.Tiles{
		Rows: len(panels), Cols: 1,
		PadY:   vg.Points(pad),
		PadTop: vg.Points(pad), PadBottom: vg.Points(pad),
		PadLeft: vg.Points(pad), PadRight: vg.Points(pad),
	}
	grid := make([][]*plot.Plot, len(panels))
	for i, pn := range panels {
		grid[i] = []*plot.Plot{pn.p}
	}
	canvases := plot.Align(grid, tiles, plots)
	for i, pn := range panels {
		c := canvases[i][0]
		pn.p.Draw(c)
		data := pn.p.DataCanvas(c)
		lc := dc
		lc.Min = vg.Point{X: plots.Max.X + pad, Y: data.Min.Y}
		lc.Max = vg.Point{X: dc.Max.X - pad, Y: data.Max.Y}
		pn.legend.Draw(lc)
	}
	return nil
}

// newPanel returns a plot with the common styling: readable fonts, a light
// grid drawn under the data, the shared time axis and the given y label.
func newPanel(yLabel string, xMax float64, xTicks []plot.Tick) *panel {
	p := plot.New()
	p.BackgroundColor = color.Transparent
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Color = axisColor
		ax.Tick.Color = axisColor
		ax.Tick.Label.Font = font.From(sans, vg.Points(10))
		ax.Label.TextStyle.Font = font.From(sans, vg.Points(11))
	}
	p.Y.Label.Text = yLabel
	p.X.Min, p.X.Max = 0, xMax
	p.X.Tick.Marker = plot.ConstantTicks(xTicks)
	p.Add(&gridLines{x: xTicks})

	l := plot.NewLegend()
	l.Top, l.Left = true, true
	l.TextStyle.Font = font.From(sans, vg.Points(10))
	l.ThumbnailWidth = vg.Points(24)
	l.Padding = vg.Points(2)
	return &panel{p: p, legend: l}
}

// metricPanel is the top panel: every metric with its target (dashed) and
// activation target (dotted), and Load when it is on a comparable scale.
func metricPanel(r *sim.Result, xMax float64, xTicks []plot.Tick) (*panel, error) {
	pn := newPanel("metric vs target", xMax, xTicks)
	p := pn.p
	p.Title.Text = figureTitle(r)
	p.Title.TextStyle.Font = font.From(sans, vg.Points(14))
	p.Title.Padding = vg.Points(8)
	// The time axis is labelled once, under the replica panel.
	p.X.Tick.Label.Font.Size = 0
	p.X.Tick.Marker = plot.ConstantTicks(nil)
	p.X.Tick.Length = 0
	p.X.Width = 0

	// The extent of the metric lines and thresholds decides whether Load is
	// shown; Load is then drawn first, under the metrics.
	var ext extent
	ext.add(0)
	for i, m := range r.Metrics {
		for _, s := range r.Samples {
			ext.add(s.Metrics[i])
		}
		ext.add(m.Target)
		if m.ActivationTarget > 0 {
			ext.add(m.ActivationTarget)
		}
	}
	var loadThumb plot.Thumbnailer
	if showLoad(r, ext) {
		xys := make(plotter.XYs, len(r.Samples))
		for j, s := range r.Samples {
			xys[j] = plotter.XY{X: minutes(s.T), Y: s.Load}
			ext.add(s.Load)
		}
		var err error
		loadThumb, err = addSeries(p, xys, draw.LineStyle{Color: loadColor, Width: vg.Points(0.9)}, plotter.NoStep)
		if err != nil {
			return nil, fmt.Errorf("report: plotting load: %w", err)
		}
	}

	for i, m := range r.Metrics {
		col := metricColors[i%len(metricColors)]
		sty := draw.LineStyle{Color: col, Width: vg.Points(1.6)}
		xys := make(plotter.XYs, len(r.Samples))
		for j, s := range r.Samples {
			xys[j] = plotter.XY{X: minutes(s.T), Y: s.Metrics[i]}
		}
		thumb, err := addSeries(p, xys, sty, plotter.PostStep)
		if err != nil {
			return nil, fmt.Errorf("report: plotting metric %q: %w", m.Name, err)
		}
		name := legendName(m.Name)
		pn.legend.Add(name, thumb)

		if isFinite(m.Target) {
			l := hline(m.Target, xMax, draw.LineStyle{Color: col, Width: vg.Points(1.2), Dashes: dashed})
			p.Add(l)
			pn.legend.Add(fmt.Sprintf("%s target (%s)", name, shortNumber(m.Target)), l)
		}
		if m.ActivationTarget > 0 && isFinite(m.ActivationTarget) {
			l := hline(m.ActivationTarget, xMax, draw.LineStyle{Color: col, Width: vg.Points(1.2), Dashes: dotted})
			p.Add(l)
			pn.legend.Add(fmt.Sprintf("%s activation (%s)", name, shortNumber(m.ActivationTarget)), l)
		}
	}
	if loadThumb != nil {
		pn.legend.Add("load", loadThumb)
	}

	lo, hi := ext.lo, ext.hi
	if hi <= lo {
		hi = lo + 1
	}
	hi += (hi - lo) * 0.05 // headroom so a line at the top stays visible
	step := niceStep((hi - lo) / 5)
	p.Y.Min = math.Floor(lo/step) * step
	p.Y.Max = math.Ceil(hi/step) * step
	p.Y.Tick.Marker = plot.ConstantTicks(valueTicks(p.Y.Min, p.Y.Max, step))
	p.X.Min, p.X.Max = 0, xMax
	return pn, nil
}

// replicaPanel is the bottom panel: desired and ready replicas as step
// lines, and the autoscaler's bounds as dashed lines.
func replicaPanel(r *sim.Result, xMax float64, xTicks []plot.Tick) (*panel, error) {
	pn := newPanel("replicas", xMax, xTicks)
	p := pn.p
	p.X.Label.Text = "time (minutes)"

	hi := max(r.MaxReplicas, r.MinReplicas, r.InitialReplicas, 1)
	desired := make(plotter.XYs, len(r.Samples))
	ready := make(plotter.XYs, len(r.Samples))
	for i, s := range r.Samples {
		x := minutes(s.T)
		desired[i] = plotter.XY{X: x, Y: float64(s.DesiredReplicas)}
		ready[i] = plotter.XY{X: x, Y: float64(s.ReadyReplicas)}
		hi = max(hi, s.DesiredReplicas, s.ReadyReplicas)
	}
	// Desired is drawn wide and ready narrower on top of it, so both stay
	// visible where they coincide.
	thumb, err := addSeries(p, desired, draw.LineStyle{Color: desiredColor, Width: vg.Points(2.6)}, plotter.PostStep)
	if err != nil {
		return nil, fmt.Errorf("report: plotting desired replicas: %w", err)
	}
	pn.legend.Add("desired replicas", thumb)
	thumb, err = addSeries(p, ready, draw.LineStyle{Color: readyColor, Width: vg.Points(1.3)}, plotter.PostStep)
	if err != nil {
		return nil, fmt.Errorf("report: plotting ready replicas: %w", err)
	}
	pn.legend.Add("ready replicas", thumb)

	bound := draw.LineStyle{Color: boundColor, Width: vg.Points(1), Dashes: dashed}
	minLine := hline(float64(r.MinReplicas), xMax, bound)
	maxLine := hline(float64(r.MaxReplicas), xMax, bound)
	p.Add(minLine, maxLine)
	pn.legend.Add(fmt.Sprintf("min replicas (%d)", r.MinReplicas), minLine)
	pn.legend.Add(fmt.Sprintf("max replicas (%d)", r.MaxReplicas), maxLine)

	top := float64(hi) + max(1, math.Ceil(float64(hi)*0.05))
	step := max(1, niceStep(top/6))
	p.Y.Min = 0
	p.Y.Max = math.Ceil(top/step) * step
	p.Y.Tick.Marker = plot.ConstantTicks(valueTicks(p.Y.Min, p.Y.Max, step))
	p.X.Min, p.X.Max = 0, xMax
	return pn, nil
}

// addSeries adds xys to p as one or more lines split at NaN values (gonum
// rejects NaN), with a dot for a point that has no neighbour. It returns
// a thumbnail for the legend.
func addSeries(p *plot.Plot, xys plotter.XYs, sty draw.LineStyle, step plotter.StepKind) (plot.Thumbnailer, error) {
	thumb := &plotter.Line{LineStyle: sty}
	start := -1
	flush := func(end int) error {
		if start < 0 {
			return nil
		}
		seg := xys[start:end]
		start = -1
		if len(seg) == 1 {
			s, err := plotter.NewScatter(seg)
			if err != nil {
				return err
			}
			s.GlyphStyle = draw.GlyphStyle{Color: sty.Color, Radius: sty.Width, Shape: draw.CircleGlyph{}}
			p.Add(s)
			return nil
		}
		l, err := plotter.NewLine(seg)
		if err != nil {
			return err
		}
		l.LineStyle = sty
		l.StepStyle = step
		p.Add(l)
		return nil
	}
	for i, xy := range xys {
		if !isFinite(xy.Y) {
			if err := flush(i); err != nil {
				return nil, err
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if err := flush(len(xys)); err != nil {
		return nil, err
	}
	return thumb, nil
}

// hline is a horizontal line at y across the time axis.
func hline(y, xMax float64, sty draw.LineStyle) *plotter.Line {
	return &plotter.Line{XYs: plotter.XYs{{X: 0, Y: y}, {X: xMax, Y: y}}, LineStyle: sty}
}

// gridLines draws light vertical lines at the given time ticks and
// horizontal lines at the major y ticks. It replaces plotter.Grid because
// the top panel hides its x ticks but keeps the vertical grid.
type gridLines struct{ x []plot.Tick }

func (g *gridLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := draw.LineStyle{Color: gridColor, Width: vg.Points(0.6)}
	for _, t := range g.x {
		if x := trX(t.Value); !t.IsMinor() && x >= c.Min.X && x <= c.Max.X {
			c.StrokeLine2(sty, x, c.Min.Y, x, c.Max.Y)
		}
	}
	for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if y := trY(t.Value); !t.IsMinor() && y >= c.Min.Y && y <= c.Max.Y {
			c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
		}
	}
}

// legendName shortens a metric name to legendNameMax runes, keeping its
// start and end, so that the legend column stays narrow.
func legendName(name string) string {
	const legendNameMax = 24
	rs := []rune(name)
	if len(rs) <= legendNameMax {
		return name
	}
	head := (legendNameMax - 1) / 2
	tail := legendNameMax - 1 - head
	return string(rs[:head]) + "…" + string(rs[len(rs)-tail:])
}

func figureTitle(r *sim.Result) string {
	name := r.Name
	if name == "" {
		name = "unnamed scenario"
	}
	if r.Autoscaler == "" && r.Workload == "" {
		return name
	}
	return fmt.Sprintf("%s (%s on %s)", name, orDash(r.Autoscaler), orDash(r.Workload))
}

// showLoad reports whether Load goes on the metric panel: always when there
// is no metric, otherwise when its peak is within loadScaleFactor of the
// peak of the metric lines and targets.
func showLoad(r *sim.Result, metrics extent) bool {
	var load extent
	for _, s := range r.Samples {
		load.add(s.Load)
	}
	if !load.ok {
		return false
	}
	if len(r.Metrics) == 0 {
		return true
	}
	if load.hi <= 0 || metrics.hi <= 0 {
		return false
	}
	ratio := load.hi / metrics.hi
	return ratio <= loadScaleFactor && ratio >= 1.0/loadScaleFactor
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

func minutes(d time.Duration) float64 { return d.Minutes() }

// timeSpanMinutes is the length of the time axis: the run's duration, or
// the last sample or event if they go further, and at least one minute.
func timeSpanMinutes(r *sim.Result) float64 {
	d := r.Duration
	if n := len(r.Samples); n > 0 {
		d = max(d, r.Samples[n-1].T)
	}
	if n := len(r.Events); n > 0 {
		d = max(d, r.Events[n-1].T)
	}
	return max(minutes(d), 1)
}

// minuteTicks returns ticks from 0 to span minutes at a round step (15 s up
// to days) giving at most 12 intervals.
func minuteTicks(span float64) []plot.Tick {
	steps := []float64{0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440}
	step := steps[len(steps)-1]
	for _, s := range steps {
		if span/s <= 12 {
			step = s
			break
		}
	}
	for span/step > 12 {
		step *= 2
	}
	var ticks []plot.Tick
	for i := 0; float64(i)*step <= span+1e-9; i++ {
		v := float64(i) * step
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ticks
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
// ("1750", "0.25", "2.5k"), never gonum's default "1750.00".
func valueTicks(lo, hi, step float64) []plot.Tick {
	var ticks []plot.Tick
	first := math.Round(lo / step)
	n := int(math.Round((hi-lo)/step)) + 1
	if n > 1000 {
		return nil
	}
	for i := range n {
		v := (first + float64(i)) * step
		ticks = append(ticks, plot.Tick{Value: v, Label: tickLabel(v, step)})
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

// shortNumber is a legend-friendly number: shortest form, no exponent for
// ordinary magnitudes.
func shortNumber(v float64) string {
	if a := math.Abs(v); a != 0 && (a < 1e-4 || a >= 1e9) {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
