package scenarios

import (
	"maps"
	"slices"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/internal/closest"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// checkAnnotation refuses a key KEDA does not read: changing it changes
// nothing, so a typo (paused-replica) would give a calm run that was
// never paused.
func checkAnnotation(v node, key string) {
	if slices.Contains(keda.ScaledObjectAnnotations, key) {
		return
	}
	hint := ""
	if m, ok := closest.Match(key, keda.ScaledObjectAnnotations); ok {
		hint = " (did you mean " + m + "?)"
	}
	v.fail("KEDA reads no annotation %q on a ScaledObject%s, so changing it changes nothing; allowed: %s", key, hint, strings.Join(keda.ScaledObjectAnnotations, ", "))
}

// annotation reads one entry of spec.annotate:
//
//   - {at: 10m, set: {autoscaling.keda.sh/paused: "true"}}
//   - {at: 25m, remove: [autoscaling.keda.sh/paused]}
func annotation(v node) (sim.AnnotationChange, node) {
	var c sim.AnnotationChange
	at, hasAt, given := v, false, false
	v.walk(annotateSection, func(key string, v node) {
		switch key {
		case "at":
			c.At, at, hasAt = v.duration(), v, true
		case "set":
			given = true
			c.Set = v.stringMap()
			if _, empty := c.Set[""]; empty {
				v.fail("an annotation name must not be empty")
			}
			for _, k := range slices.Sorted(maps.Keys(c.Set)) {
				if k != "" {
					checkAnnotation(v, k)
				}
			}
		case "remove":
			given = true
			v.items(func(i int, v node) {
				k := v.str()
				if k == "" {
					v.fail("an annotation name must not be empty")
				} else {
					checkAnnotation(v, k)
				}
				c.Remove = append(c.Remove, k)
			})
		}
	})
	if !hasAt {
		v.fail("at must be set: the instant of the change, e.g. {at: 10m, set: {autoscaling.keda.sh/paused: \"true\"}}")
	}
	if !given {
		v.fail("set or remove must name at least one annotation, e.g. {at: 10m, set: {autoscaling.keda.sh/paused: \"true\"}}")
	}
	for _, k := range c.Remove {
		if _, both := c.Set[k]; both {
			v.fail("annotation %q is both set and removed", k)
		}
	}
	return c, at
}
