package report

import (
	"fmt"
	"io"
	"math"

	"github.com/autoscale-sim/autoscale-sim/check"
)

// WriteBand draws spec.replicas over the runs of a distribution, in the
// style of the run's plot: the median as a step line over a light min-max
// band and a darker p5-p95 band (nearest-rank quantiles at each instant of
// b).
func WriteBand(w io.Writer, format string, d *check.Distribution, b check.Band) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	if d == nil || len(b.T) == 0 {
		return fmt.Errorf("report: a band needs at least one run")
	}
	xs, xlabel := timeScale(max(d.Duration, b.T[len(b.T)-1]))
	name := safe(d.Name)
	if name == "" {
		name = "unnamed scenario"
	}
	first, last := int64(0), int64(0)
	if n := len(d.Records); n > 0 {
		first, last = d.Records[0].Seed, d.Records[n-1].Seed
	}
	fg := &stackFigure{
		title:    name,
		desc:     name + ": spec.replicas over the runs (median, p5-p95 and min-max bands)",
		xs:       xs,
		xlabel:   xlabel,
		subtitle: []string{fmt.Sprintf("%d runs · seeds %d to %d · %s each", len(d.Records), first, last, age(d.Duration))},
	}
	hi := 1.0
	for _, v := range b.Max {
		hi = math.Max(hi, v)
	}
	top := hi + math.Max(1, math.Ceil(hi*0.05))
	ys := scale{lo: -top * 0.045, hi: top, ticks: integerTicks(top)}
	outer := withAlpha(desiredBlue, 0x30)
	inner := withAlpha(desiredBlue, 0x70)
	median := stroke{color: desiredBlue, width: 2.2}
	p := &panel{class: "band", title: "Replicas over the runs: spec.replicas at each instant, across the seeded runs", ylabel: "replicas", height: 160, ys: ys}
	p.legend = []legendEntry{
		{label: "median", thumb: thumbLine, stroke: median},
		{label: "p5 to p95", thumb: thumbBand, fill: inner},
		{label: "min to max", thumb: thumbBand, fill: outer},
	}
	area := func(f frame, lo, up []float64) []pt {
		pts := make([]pt, 0, 4*len(b.T))
		for i, t := range b.T {
			pts = append(pts, pt{f.px(minutes(t)), f.py(up[i])})
			if i+1 < len(b.T) {
				pts = append(pts, pt{f.px(minutes(b.T[i+1])), f.py(up[i])})
			}
		}
		for i := len(b.T) - 1; i >= 0; i-- {
			if i+1 < len(b.T) {
				pts = append(pts, pt{f.px(minutes(b.T[i+1])), f.py(lo[i])})
			}
			pts = append(pts, pt{f.px(minutes(b.T[i])), f.py(lo[i])})
		}
		return pts
	}
	p.draw = func(s surface, f frame) {
		s.begin("band min-max", "")
		s.polygon(area(f, b.Min, b.Max), outer)
		s.end()
		s.begin("band p5-p95", "")
		s.polygon(area(f, b.P5, b.P95), inner)
		s.end()
		s.begin("series median", "")
		line := make([]pt, 0, 2*len(b.T))
		for i, t := range b.T {
			x := f.px(minutes(t))
			if i > 0 {
				line = append(line, pt{x, f.py(b.Median[i-1])})
			}
			line = append(line, pt{x, f.py(b.Median[i])})
		}
		s.polyline(simplify(line), median)
		s.end()
	}
	fg.panels = []*panel{p}
	return fg.write(w, format, figureWidth)
}
