package scenarios

import (
	"errors"
	"math"
	"time"

	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// load reads one entry of spec.load: a metric, a model and exactly one
// shape (values in promtool notation with an interval, or k6 stages).
func load(n node) (sim.Load, bool) {
	l := sim.Load{Model: sim.Connections}
	var steps *sim.Steps
	var stages *sim.Stages
	var interval time.Duration
	var valuesNode *node
	n.fields([]string{"metric", "model", "values", "interval", "stages", "start"}, func(key string, v node) {
		switch key {
		case "metric":
			l.Metric = v.str()
		case "model":
			l.Model = sim.LoadModel(v.str())
			if l.Model != sim.Connections {
				v.fail("unsupported value %q; allowed: %s", l.Model, sim.Connections)
			}
		case "values":
			vv := v
			valuesNode = &vv
		case "interval":
			interval = v.duration()
		case "start":
			if stages == nil {
				stages = &sim.Stages{}
			}
			stages.Start = v.float()
		case "stages":
			if stages == nil {
				stages = &sim.Stages{}
			}
			v.items(func(i int, v node) {
				var st sim.Stage
				v.fields([]string{"duration", "target"}, func(key string, v node) {
					switch key {
					case "duration":
						st.Duration = v.duration()
					case "target":
						st.Target = v.float()
					}
				})
				if st.Duration == 0 {
					v.fail("duration must be positive")
				}
				stages.Stages = append(stages.Stages, st)
			})
		}
	})
	if valuesNode != nil {
		steps = seriesSteps(*valuesNode, interval)
	}
	if l.Metric == "" {
		n.fail("metric must be set, e.g. websocket_connection_count")
	}
	switch {
	case steps != nil && stages != nil:
		n.fail("give either values (with interval) or stages, not both")
	case steps != nil:
		l.Shape = *steps
	case stages != nil:
		if len(stages.Stages) == 0 {
			n.fail("stages must list at least one {duration, target}")
		}
		l.Shape = *stages
	case valuesNode == nil:
		n.fail("a shape must be set: values (promtool notation) with interval, or stages")
	}
	if interval != 0 && valuesNode == nil {
		n.fail("interval goes with values")
	}
	return l, l.Shape != nil
}

// seriesSteps parses promtool's expanding notation ("0+20x10 200x40 _
// stale") with the Prometheus parser and places the samples interval
// apart. A "_" keeps the previous load and "stale" ends it (load 0).
func seriesSteps(v node, interval time.Duration) *sim.Steps {
	s := v.str()
	if interval == 0 {
		v.fail("values need an interval, e.g. interval: 15s")
		return nil
	}
	vals, err := promql.ParseSeriesValues(s)
	if err != nil {
		var pe *promql.ParseError
		if errors.As(err, &pe) && pe.Column > 0 {
			v.fail("column %d: %s", pe.Column, pe.Msg)
		} else {
			v.fail("%v", err)
		}
		return nil
	}
	out := &sim.Steps{Interval: interval, Values: make([]float64, len(vals))}
	for i, x := range vals {
		switch {
		case x.Omitted:
			out.Values[i] = math.NaN()
		case x.Stale:
			out.Values[i] = 0
		default:
			out.Values[i] = x.Value
		}
	}
	return out
}
