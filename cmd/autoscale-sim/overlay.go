package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

func checkPlotName(name string) error {
	if name == "" {
		return nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png", ".svg":
		return nil
	}
	return usageError{fmt.Sprintf("--plot %s: the file name must end in .png or .svg", name)}
}

// saveOverlay draws spec.replicas over time of every variant on one
// chart. Lines are read from the timeline, so they are exact steps; dash
// patterns tell apart lines that coincide.
func saveOverlay(name, title string, vs []*variant) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (minutes)"
	p.Y.Label.Text = "spec.replicas"
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	hi := int32(1)
	for i, v := range vs {
		r := v.Steps
		var xys plotter.XYs
		cur := r.Initial
		xys = append(xys, plotter.XY{X: 0, Y: float64(cur)})
		for _, e := range r.Changes {
			xys = append(xys, plotter.XY{X: e.T.Minutes(), Y: float64(cur)}, plotter.XY{X: e.T.Minutes(), Y: float64(e.To)})
			cur = e.To
		}
		xys = append(xys, plotter.XY{X: r.Duration.Minutes(), Y: float64(cur)})
		hi = max(hi, v.Figures.MaxReplicas)
		l, err := plotter.NewLine(xys)
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(v.Label, l)
	}
	// Headroom above the highest line keeps the legend off the data.
	top := float64(hi) + 1 + 0.35*float64(len(vs))
	p.Y.Min, p.Y.Max = 0, top
	var ticks []plot.Tick
	step := max(1, int(hi+1)/10)
	for y := 0; y <= int(hi)+1; y += step {
		ticks = append(ticks, plot.Tick{Value: float64(y), Label: fmt.Sprint(y)})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	if err := writeFile(name, func(w io.Writer) error {
		wt, err := p.WriterTo(10*vg.Inch, 6*vg.Inch, strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), "."))
		if err != nil {
			return err
		}
		_, err = wt.WriteTo(w)
		return err
	}); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
