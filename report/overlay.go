package report

import (
	"fmt"
	"image/color"
	"io"
	"sort"
	"time"
)

// Overlays of many runs: spec.replicas over time, one line per group of
// runs whose replicas are identical, so that coinciding runs are one line
// with one label instead of lines drawn over each other.
const (
	// overlayLines is the most groups drawn on one panel; beyond it each
	// group gets a panel of its own.
	overlayLines = 8
	// overlayPanels is the most small multiples; beyond it the figure
	// shows the range of all runs and the extremes of cost.
	overlayPanels = 48
)

// WriteOverlay draws spec.replicas over time of every variant (see the
// package documentation): up to 8 distinct lines on one panel, up to 48
// as small multiples with the range of all runs behind each, beyond that
// the range with the cheapest and the dearest run. axes, when the
// variants come from a sweep, lets groups be named by the values they
// share ("any cooldownPeriod").
func WriteOverlay(w io.Writer, format, title string, vs []Variant, axes []Axis) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	if len(vs) == 0 {
		return fmt.Errorf("report: no runs to draw")
	}
	gs := groupVariants(vs)
	var span time.Duration
	var hi int32 = 1
	for _, v := range vs {
		span = max(span, v.Duration)
		hi = max(hi, v.Figures.MaxReplicas, v.Initial, v.MaxReplicas)
	}
	xs, xlabel := timeScale(max(span, time.Minute))
	top := float64(hi) + 1
	ys := scale{lo: -top * 0.045, hi: top, ticks: integerTicks(top)}
	sub := fmt.Sprintf("%d runs, %d distinct: runs with identical replicas over time share one line", len(vs), len(gs))
	if len(gs) == len(vs) {
		sub = fmt.Sprintf("%d runs, all distinct", len(vs))
	}
	desc := title + ": spec.replicas over time of every run"
	switch {
	case len(gs) <= overlayLines:
		p := &panel{class: "overlay", title: "spec.replicas over time", ylabel: "spec.replicas", height: 220, ys: ys}
		for i, g := range gs {
			st := overlayStroke(i)
			p.legend = append(p.legend, legendEntry{label: groupLabel(vs, g, axes), thumb: thumbLine, stroke: st})
		}
		p.draw = func(s surface, f frame) {
			for i, g := range gs {
				s.begin("run", groupLabel(vs, g, axes))
				s.polyline(stepLine(f, vs[g.members[0]]), overlayStroke(i))
				s.end()
			}
		}
		fg := &stackFigure{title: title, subtitle: []string{sub}, desc: desc, xs: xs, xlabel: xlabel, panels: []*panel{p}}
		return fg.write(w, format, figureWidth)
	case len(gs) <= overlayPanels:
		env := envelope(vs)
		g := &gridFigure{title: title, subtitle: []string{sub}, desc: desc, cols: 4, cellH: 70, xlabel: xlabel, ylabel: "spec.replicas"}
		if len(gs) > 16 {
			g.cols, g.cellH = 6, 55
		}
		g.fitX = func(w float64) scale {
			s, _ := timeScaleN(max(span, time.Minute), int(w/24))
			return s
		}
		envFill := rgba(0x1f, 0x77, 0xb4, 0x22)
		g.legend = []legendEntry{
			{label: "spec.replicas of the runs named above the panel", thumb: thumbLine, stroke: stroke{color: desiredBlue, width: 1.5}},
			{label: "range of all runs", thumb: thumbBand, fill: envFill},
		}
		for _, gr := range gs {
			gr := gr
			g.cells = append(g.cells, gridCell{title: groupLabel(vs, gr, axes), class: "run", xs: xs, ys: ys, draw: func(s surface, f frame) {
				drawEnvelope(s, f, env, envFill)
				s.begin("run", groupLabel(vs, gr, axes))
				s.polyline(stepLine(f, vs[gr.members[0]]), stroke{color: desiredBlue, width: 1.5})
				s.end()
			}})
		}
		return g.write(w, format, figureWidth)
	default:
		env := envelope(vs)
		cheap, dear := 0, 0
		for i, v := range vs {
			if v.Figures.ReplicaSeconds < vs[cheap].Figures.ReplicaSeconds {
				cheap = i
			}
			if v.Figures.ReplicaSeconds > vs[dear].Figures.ReplicaSeconds {
				dear = i
			}
		}
		envFill := rgba(0x1f, 0x77, 0xb4, 0x33)
		p := &panel{class: "overlay", title: "spec.replicas over time: the range of all runs and the extremes of cost", ylabel: "spec.replicas", height: 220, ys: ys}
		cheapSt, dearSt := stroke{color: palette[2], width: 1.6}, stroke{color: palette[3], width: 1.6, dashes: dashed}
		p.legend = []legendEntry{
			{label: "range of all runs", thumb: thumbBand, fill: envFill},
			{label: "cheapest: " + vs[cheap].Name(), thumb: thumbLine, stroke: cheapSt},
			{label: "dearest: " + vs[dear].Name(), thumb: thumbLine, stroke: dearSt},
		}
		p.draw = func(s surface, f frame) {
			drawEnvelope(s, f, env, envFill)
			for _, x := range []struct {
				i  int
				st stroke
			}{{cheap, cheapSt}, {dear, dearSt}} {
				s.begin("run", vs[x.i].Name())
				s.polyline(stepLine(f, vs[x.i]), x.st)
				s.end()
			}
		}
		note := fmt.Sprintf("Not shown: each of the %d distinct runs (more than %d panels would be unreadable); the table and the heatmap give every run's figures.", len(gs), overlayPanels)
		fg := &stackFigure{title: title, subtitle: []string{sub}, notes: []string{note}, desc: desc, xs: xs, xlabel: xlabel, panels: []*panel{p}}
		return fg.write(w, format, figureWidth)
	}
}

// overlayStroke tells groups apart by colour and, for the colour-blind
// and in grey print, by dash pattern.
func overlayStroke(i int) stroke {
	dashes := [][]float64{nil, {6, 3}, {1.5, 2.5}, {7, 2.5, 1.5, 2.5}}
	return stroke{color: palette[i%len(palette)], width: 1.8, dashes: dashes[i%len(dashes)]}
}

// stepLine is a variant's spec.replicas as a step line in f.
func stepLine(f frame, v Variant) []pt {
	cur := v.Initial
	line := []pt{{f.px(0), f.py(float64(cur))}}
	for _, e := range v.Changes {
		x := f.px(minutes(e.T))
		line = append(line, pt{x, f.py(float64(cur))}, pt{x, f.py(float64(e.To))})
		cur = e.To
	}
	return simplify(append(line, pt{f.px(minutes(v.Duration)), f.py(float64(cur))}))
}

// envStep is the lowest and highest spec.replicas of all runs from t on.
type envStep struct {
	t      time.Duration
	lo, hi int32
}

// envelope returns the lowest and highest spec.replicas over all runs as
// step functions sampled at every change of any run.
func envelope(vs []Variant) []envStep {
	times := map[time.Duration]bool{0: true}
	var end time.Duration
	for _, v := range vs {
		end = max(end, v.Duration)
		for _, e := range v.Changes {
			times[e.T] = true
		}
	}
	ts := make([]time.Duration, 0, len(times))
	for t := range times {
		ts = append(ts, t)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	idx := make([]int, len(vs))
	cur := make([]int32, len(vs))
	for i, v := range vs {
		cur[i] = v.Initial
	}
	var lo []envStep
	for _, t := range ts {
		st := envStep{t: t, lo: 1<<31 - 1, hi: -1 << 31}
		for i, v := range vs {
			for idx[i] < len(v.Changes) && v.Changes[idx[i]].T <= t {
				cur[i] = v.Changes[idx[i]].To
				idx[i]++
			}
			st.lo, st.hi = min(st.lo, cur[i]), max(st.hi, cur[i])
		}
		lo = append(lo, st)
	}
	return append(lo, envStep{t: end, lo: lo[len(lo)-1].lo, hi: lo[len(lo)-1].hi})
}

// drawEnvelope fills the range between the lowest and highest runs.
func drawEnvelope(s surface, f frame, env []envStep, fill color.NRGBA) {
	s.begin("range", "")
	var upper, lower []pt
	for i := 0; i+1 < len(env); i++ {
		x0, x1 := f.px(minutes(env[i].t)), f.px(minutes(env[i+1].t))
		upper = append(upper, pt{x0, f.py(float64(env[i].hi) + 0.15)}, pt{x1, f.py(float64(env[i].hi) + 0.15)})
		lower = append(lower, pt{x0, f.py(float64(env[i].lo) - 0.15)}, pt{x1, f.py(float64(env[i].lo) - 0.15)})
	}
	for i := len(lower) - 1; i >= 0; i-- {
		upper = append(upper, lower[i])
	}
	if len(upper) > 2 {
		s.polygon(upper, fill)
	}
	s.end()
}
