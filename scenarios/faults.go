package scenarios

import (
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// fault reads one entry of spec.faults:
//
//   - {kind: metricsDown, from: 5m, to: 8m}
//   - {kind: controllerRestart, at: 12m}
func fault(v node) sim.Fault {
	var f sim.Fault
	hasFrom, hasTo, hasAt := false, false, false
	v.fields([]string{"kind", "from", "to", "at"}, func(key string, v node) {
		switch key {
		case "kind":
			f.Kind = sim.FaultKind(v.str())
			if !contains(faultKindNames(), string(f.Kind)) {
				v.fail("unsupported value %q; allowed: %v", f.Kind, sim.FaultKinds)
			}
		case "from":
			f.From, hasFrom = v.duration(), true
		case "to":
			f.To, hasTo = v.duration(), true
		case "at":
			f.From, hasAt = v.duration(), true
		}
	})
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
	return f
}

func faultKindNames() []string {
	out := make([]string, len(sim.FaultKinds))
	for i, k := range sim.FaultKinds {
		out[i] = string(k)
	}
	return out
}
