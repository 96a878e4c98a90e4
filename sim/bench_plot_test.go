package sim_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// scalingPlot, when set, makes TestScalingPlot measure how the cost of a
// run grows with pods and with simulated time and draw it to this PNG:
//
//	go test ./sim/ -run TestScalingPlot -cpu 1 -v -scaling.plot=../docs/scaling.png
var scalingPlot = flag.String("scaling.plot", "", "write the scaling curves of docs/benchmarks.md to this PNG")

// wallOf is the median wall time of runs of spec.
func wallOf(t *testing.T, spec sim.Spec, runs int) time.Duration {
	var ds []time.Duration
	for i := 0; i < runs; i++ {
		start := time.Now()
		if _, err := sim.Run(context.Background(), spec); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

func TestScalingPlot(t *testing.T) {
	if *scalingPlot == "" {
		t.Skip("set -scaling.plot FILE.png to measure and draw the scaling curves")
	}
	// Cost against pods: one simulated day of the benchmark workload.
	var byPods plotter.XYs
	for _, n := range []int32{1, 3, 10, 30, 100, 300, 1000} {
		runs := 3
		if n >= 300 {
			runs = 1
		}
		w := wallOf(t, daySpec(n, 24*time.Hour), runs)
		t.Logf("%4d pods: %.3f s per simulated day, %.0f ns/tick", n, w.Seconds(), float64(w.Nanoseconds())/86401)
		byPods = append(byPods, plotter.XY{X: float64(n), Y: w.Seconds()})
	}
	// Cost against simulated time: the 100-pod workload, 6 h to 4 days.
	var byTime plotter.XYs
	for _, h := range []int{6, 12, 24, 48, 96} {
		w := wallOf(t, daySpec(100, time.Duration(h)*time.Hour), 3)
		t.Logf("%3d h at 100 pods: %.3f s", h, w.Seconds())
		byTime = append(byTime, plotter.XY{X: float64(h), Y: w.Seconds()})
	}

	left := plot.New()
	left.Title.Text = "One simulated day (24 h, 1 s tick)"
	left.X.Label.Text = "max pods (log)"
	left.Y.Label.Text = "wall seconds (log)"
	left.X.Scale, left.Y.Scale = plot.LogScale{}, plot.LogScale{}
	left.X.Tick.Marker = plot.LogTicks{Prec: -1}
	left.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	left.Add(plotter.NewGrid())
	// The cost is a fixed part per simulated day (ticks, and the PromQL
	// engine's per-query floor) plus a part per pod: fit a + b*pods.
	a, b := fitLine(byPods)
	t.Logf("fit: %.3f s + %.2f ms per pod per simulated day", a, b*1000)
	var linear plotter.XYs
	for x := 1.0; x <= 1000; x *= 1.2 {
		linear = append(linear, plotter.XY{X: x, Y: a + b*x})
	}
	if err := addLines(left, "measured", byPods, fmt.Sprintf("%.2f s + %.2f ms per pod", a, b*1000), linear); err != nil {
		t.Fatal(err)
	}

	right := plot.New()
	right.Title.Text = "100 pods, growing simulated time"
	right.X.Label.Text = "simulated hours"
	right.Y.Label.Text = "wall seconds"
	right.Add(plotter.NewGrid())
	last := byTime[len(byTime)-1]
	if err := addLines(right, "measured", byTime, "proportional to time", plotter.XYs{{X: 0, Y: 0}, {X: last.X, Y: last.Y}}); err != nil {
		t.Fatal(err)
	}

	img := vgimg.New(12*vg.Inch, 5*vg.Inch)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Inch / 4, PadTop: vg.Inch / 8, PadBottom: vg.Inch / 8, PadLeft: vg.Inch / 8, PadRight: vg.Inch / 8}
	canvases := plot.Align([][]*plot.Plot{{left, right}}, tiles, dc)
	left.Draw(canvases[0][0])
	right.Draw(canvases[0][1])
	f, err := os.Create(*scalingPlot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	fmt.Println("wrote", *scalingPlot)
}

func addLines(p *plot.Plot, name string, xys plotter.XYs, refName string, ref plotter.XYs) error {
	l, pts, err := plotter.NewLinePoints(xys)
	if err != nil {
		return err
	}
	r, err := plotter.NewLine(ref)
	if err != nil {
		return err
	}
	r.Dashes = []vg.Length{vg.Points(4), vg.Points(4)}
	r.Color = plotter.DefaultLineStyle.Color
	p.Add(l, pts, r)
	p.Legend.Add(name, l, pts)
	p.Legend.Add(refName, r)
	p.Legend.Top, p.Legend.Left = true, true
	return nil
}

// fitLine is the least-squares fit y = a + b*x.
// fitLine fits y = a + b*x by least squares on the relative error
// (weights 1/y²), so that the small sizes, drawn on a log scale, count as
// much as the large ones.
func fitLine(xys plotter.XYs) (a, b float64) {
	var s, sx, sy, sxx, sxy float64
	for _, p := range xys {
		w := 1 / (p.Y * p.Y)
		s += w
		sx += w * p.X
		sy += w * p.Y
		sxx += w * p.X * p.X
		sxy += w * p.X * p.Y
	}
	b = (s*sxy - sx*sy) / (s*sxx - sx*sx)
	return (sy - b*sx) / s, b
}
