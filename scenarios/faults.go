package scenarios

import (
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// fault reads one entry of spec.faults:
//
//   - {kind: metricsDown, from: 5m, to: 8m}
//   - {kind: metricsDown, from: 5m, to: 8m, metric: 1}  (spec.triggers[1] only)
//   - {kind: metricsServerDown, from: 5m, to: 8m}
//   - {kind: controllerRestart, at: 12m}
func fault(v node) (sim.Fault, node) {
	var f sim.Fault
	hasFrom, hasTo, hasAt := false, false, false
	var metric node
	v.walk(faultSection, func(key string, v node) {
		switch key {
		case "kind":
			f.Kind = sim.FaultKind(v.str())
			if !contains(faultSection.field("kind").enum, string(f.Kind)) {
				v.fail("unsupported value %q; allowed: %v", f.Kind, sim.FaultKinds)
			}
		case "from":
			f.From, hasFrom = v.duration(), true
		case "to":
			f.To, hasTo = v.duration(), true
		case "at":
			f.From, hasAt = v.duration(), true
		case "metric":
			m := int(v.int32())
			if m < 0 {
				v.fail("must not be negative: the index of a trigger of the ScaledObject or a metric of the HPA")
			}
			f.Metric, metric = &m, v
		}
	})
	if f.Metric != nil && f.Kind != "" && f.Kind != sim.MetricsDown && f.Kind != sim.EmptyResult && f.Kind != sim.NaNResult {
		metric.fail("only the query faults %s, %s and %s can be limited to one metric", sim.MetricsDown, sim.EmptyResult, sim.NaNResult)
	}
	switch {
	case f.Kind == "":
		v.fail("kind must be set; allowed: %v", sim.FaultKinds)
	case f.Kind == sim.ControllerRestart:
		if !hasAt || hasFrom || hasTo {
			v.fail("a controllerRestart happens at an instant: give at, e.g. {kind: controllerRestart, at: 12m}")
		}
	case hasAt:
		v.fail("a %s fault lasts: give from and to instead of at", f.Kind)
	case !hasFrom || !hasTo || f.To <= f.From:
		v.fail("from and to must be set, with to after from, e.g. {kind: %s, from: 5m, to: 8m}", f.Kind)
	}
	return f, metric
}
