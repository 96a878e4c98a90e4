package report

import (
	"github.com/autoscale-sim/autoscale-sim/internal/textsafe"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// printable returns r with every text that came from an input (names,
// queries, messages) made safe to show: control characters and
// bidirectional overrides escaped, line breaks made spaces. The text,
// HTML, SVG and CSV writers show this copy; JSON escapes on its own. r
// itself is not changed.
func printable(r *sim.Result) *sim.Result {
	c := *r
	c.Name, c.Autoscaler, c.Workload = safe(r.Name), safe(r.Autoscaler), safe(r.Workload)
	c.Metrics = mapSlice(r.Metrics, func(m sim.MetricInfo) sim.MetricInfo {
		m.Name, m.Query, m.TargetType, m.SourceType = safe(m.Name), safe(m.Query), safe(m.TargetType), safe(m.SourceType)
		return m
	})
	c.Events = mapSlice(r.Events, func(e sim.Event) sim.Event {
		e.Source, e.Type, e.Reason, e.Message = safe(e.Source), safe(e.Type), safe(e.Reason), safe(e.Message)
		return e
	})
	c.Settings = mapSlice(r.Settings, func(s sim.Setting) sim.Setting {
		s.Name, s.Value, s.Source, s.Note = safe(s.Name), safe(s.Value), safe(s.Source), safe(s.Note)
		return s
	})
	c.Assumptions = mapSlice(r.Assumptions, func(a sim.Assumption) sim.Assumption {
		a.Message, a.Hint = safe(a.Message), safe(a.Hint)
		return a
	})
	c.Conditions = mapSlice(r.Conditions, func(cc sim.ConditionChange) sim.ConditionChange {
		cc.Type, cc.Status, cc.Reason, cc.Message = safe(cc.Type), safe(cc.Status), safe(cc.Reason), safe(cc.Message)
		return cc
	})
	return &c
}

// safe is one line of printable text: line breaks and tabs become
// spaces, other unsafe runes escapes.
func safe(s string) string { return textsafe.Line(oneLine(s)) }

// mapSlice copies s through f (nil stays nil).
func mapSlice[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}
