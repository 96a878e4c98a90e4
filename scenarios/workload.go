package scenarios

import (
	"time"

	"gopkg.in/yaml.v3"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// podStartup reads spec.workload.podStartup: a fixed duration, or a
// seeded distribution {min, max} (uniform) or {mean, stddev} (normal,
// clamped at 0).
func podStartup(v node) (time.Duration, *sim.Distribution) {
	if v.n.Kind != yaml.MappingNode {
		return v.duration(), nil
	}
	d := &sim.Distribution{}
	var seen []string
	v.walk(distributionSection, func(key string, v node) {
		seen = append(seen, key)
		switch key {
		case "min":
			d.Min = v.duration()
		case "max":
			d.Max = v.duration()
		case "mean":
			d.Mean = v.duration()
		case "stddev":
			d.Stddev = v.duration()
		}
	})
	uniform := contains(seen, "min") || contains(seen, "max")
	normal := contains(seen, "mean") || contains(seen, "stddev")
	switch {
	case uniform && normal:
		v.fail("give {min, max} (uniform) or {mean, stddev} (normal), not both")
	case uniform && (!contains(seen, "max") || d.Max < d.Min):
		v.fail("a uniform distribution needs max >= min, e.g. {min: 10s, max: 40s}")
	case normal && !contains(seen, "mean"):
		v.fail("a normal distribution needs a mean, e.g. {mean: 20s, stddev: 5s}")
	case !uniform && !normal:
		v.fail("give a duration, {min, max} or {mean, stddev}")
	}
	return 0, d
}

// resources reads spec.workload.resources:
//
//	resources:
//	  container: app
//	  requests: {cpu: 500m, memory: 256Mi}
//	  usage:
//	    cpu: {base: 50m, perUnit: 10m, load: http_requests_total}
//	    memory: {base: 100Mi, perUnit: 1Mi}
func resources(v node, sc *Scenario) sim.Resources {
	var r sim.Resources
	v.walk(resourcesSection, func(key string, v node) {
		switch key {
		case "container":
			r.Container = v.str()
		case "requests":
			r.RequestsMilli = map[string]int64{}
			v.walk(requestsSection, func(key string, v node) {
				q := v.quantity()
				if q <= 0 {
					v.fail("must be a positive quantity such as 500m or 256Mi")
				}
				r.RequestsMilli[key] = q
			})
		case "usage":
			r.Usage = map[string]sim.Usage{}
			v.walk(usageSection, func(res string, v node) {
				var u sim.Usage
				v.walk(resourceUsageSection, func(key string, v node) {
					switch key {
					case "base":
						u.BaseMilli = v.quantityFloat() * 1000
					case "perUnit":
						u.PerUnitMilli = v.quantityFloat() * 1000
					case "load":
						metric := v.str()
						sc.replays = append(sc.replays, replayRef{at: v, load: -1, series: -1, usage: res, metric: metric})
					}
				})
				r.Usage[res] = u
			})
		}
	})
	return r
}

// crashes reads spec.workload.crashes: [{at: 12m, pod: 0}] or
// [{at: 12m, count: 2}].
func crashes(v node) []sim.Crash {
	var out []sim.Crash
	v.items(func(i int, v node) {
		var c sim.Crash
		hasAt := false
		v.walk(crashSection, func(key string, v node) {
			switch key {
			case "at":
				c.At, hasAt = v.duration(), true
			case "pod":
				c.Pod = int(v.int32())
				if c.Pod < 0 {
					v.fail("must not be negative")
				}
			case "count":
				c.Count = int(v.int32())
				if c.Count <= 0 {
					v.fail("must be positive")
				}
			}
		})
		if !hasAt {
			v.fail("at must be set, e.g. {at: 12m, pod: 0}")
		}
		if hasKey(v.n, "pod") && hasKey(v.n, "count") {
			v.fail("give pod or count, not both")
		}
		out = append(out, c)
	})
	return out
}

// phases reads spec.phases: aligned, random, or a mapping of offsets.
func phases(v node) sim.Phases {
	var ph sim.Phases
	if v.n.Kind != yaml.MappingNode {
		switch mode := v.str(); mode {
		case "aligned":
		case "random":
			ph.Random = true
		default:
			v.fail("unsupported value %q; allowed: aligned (every schedule from t = 0, the best case), random (offsets drawn from the seed), or a mapping {mode, scrape, poll, sync, probePeriod, metricsResolution, metricsOffset}", mode)
		}
		return ph
	}
	offset := func(v node) *time.Duration {
		d := v.duration()
		if d < 0 {
			v.fail("must not be negative, got %s", d)
		}
		return &d
	}
	v.walk(phasesSection, func(key string, v node) {
		switch key {
		case "mode":
			switch mode := v.str(); mode {
			case "aligned":
			case "random":
				ph.Random = true
			default:
				v.fail("unsupported value %q; allowed: aligned, random", mode)
			}
		case "scrape":
			ph.Scrape = offset(v)
		case "poll":
			ph.Poll = offset(v)
		case "sync":
			ph.Sync = offset(v)
		case "metricsOffset":
			ph.MetricsOffset = offset(v)
		case "probePeriod":
			ph.ProbePeriod = *offset(v)
		case "metricsResolution":
			ph.MetricsResolution = *offset(v)
		}
	})
	return ph
}
