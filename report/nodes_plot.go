package report

import (
	"slices"
	"time"

	"github.com/autoscale-sim/autoscale-sim/cluster"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// nodesPanel draws, for a run on a node pool, the Ready nodes and the
// pods waiting for a node, each at the instants they changed (their
// spans), so that a scale-out that waits for a new node shows the wait
// under the replicas' panel.
func nodesPanel(r *sim.Result) *panel {
	c := r.Cluster
	if c == nil {
		return nil
	}
	end := time.Time{}.Add(timeSpan(r))
	ready, pending := spanSteps(c.Ready, end), spanSteps(c.Pending, end)
	var e extent
	e.add(0)
	for _, s := range [][]pt{ready, pending} {
		for _, p := range s {
			e.add(p.y)
		}
	}
	top := max(e.hi, 1)
	top += max(1, float64(int(top*0.05)))
	p := &panel{class: "nodes", title: "Nodes: the pool's Ready nodes, and the pods Pending for want of one", ylabel: "count", height: 80,
		ys: scale{lo: -top * 0.045, hi: top, ticks: integerTicks(top)}}
	nodes := stroke{color: minGrey, width: 1.8}
	waiting := stroke{color: warnOrange, width: 1.3, dashes: dashed}
	p.legend = append(p.legend,
		legendEntry{label: "Ready nodes (" + c.Pool + ")", thumb: thumbLine, stroke: nodes},
		legendEntry{label: "Pending pods", thumb: thumbLine, stroke: waiting})
	p.draw = func(s surface, f frame) {
		for _, line := range []struct {
			class string
			pts   []pt
			st    stroke
		}{{"series nodes-ready", ready, nodes}, {"series pods-pending", pending, waiting}} {
			px := make([]pt, len(line.pts))
			for i, q := range line.pts {
				px[i] = pt{f.px(q.x), f.py(q.y)}
			}
			s.begin(line.class, "")
			s.polyline(px, line.st)
			s.end()
		}
	}
	return p
}

// spanSteps is the count of open spans over time, as a step line in
// minutes from 0 to end.
func spanSteps(spans []cluster.Span, end time.Time) []pt {
	type change struct {
		t time.Time
		d int
	}
	var cs []change
	for _, sp := range spans {
		cs = append(cs, change{sp.Start, 1})
		if !sp.End.IsZero() && sp.End.Before(end) {
			cs = append(cs, change{sp.End, -1})
		}
	}
	slices.SortStableFunc(cs, func(a, b change) int { return a.t.Compare(b.t) })
	at := func(t time.Time) float64 { return t.Sub(time.Time{}).Minutes() }
	n, i := 0, 0
	for ; i < len(cs) && !cs[i].t.After(time.Time{}); i++ {
		n += cs[i].d
	}
	out := []pt{{0, float64(n)}}
	for _, c := range cs[i:] {
		x := at(c.t)
		out = append(out, pt{x, float64(n)})
		n += c.d
		out = append(out, pt{x, float64(n)})
	}
	return append(out, pt{at(end), float64(n)})
}
