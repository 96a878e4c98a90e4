package check

import (
	"math"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Figures are the numbers a design review compares: the cost and scale
// figures of sim.Figures (whose OverloadedSeconds is load above the
// pods' capacity) plus how long the autoscaler read a metric above its
// target.
type Figures struct {
	sim.Figures
	// AboveTarget is the total time during which some metric, as the
	// autoscaler last read it, was above its target per serving pod: an
	// External or Object value with an AverageValue target (KEDA's
	// default) is divided by the ready pods, every other value (Pods
	// averages, Value targets, resource utilization) is compared as it
	// stands. It is in the metric's own unit, so a query such as
	// sum(rate(x[5m])) * 300 is compared with its threshold correctly. It
	// counts the time the autoscaler had not yet read the change, the time
	// pods took to become ready, and the time it could not add pods
	// (maxReplicas, stabilization, activation). A positive value with no
	// ready pod counts as above target; metrics not read yet or failing do
	// not count. Each trace row stands for one trace interval.
	AboveTarget time.Duration
	// FirstAboveTarget is the first trace row that was above target.
	FirstAboveTarget time.Duration
	// PeakLoadPerPod is the highest offered load per ready pod in the
	// trace, in the load's unit.
	PeakLoadPerPod float64
}

// FiguresOf computes the Figures of a result.
func FiguresOf(r *sim.Result) Figures {
	f := Figures{Figures: r.Figures()}
	first := true
	for i, s := range r.Samples {
		next := r.Duration
		if i+1 < len(r.Samples) {
			next = r.Samples[i+1].T
		}
		per := s.Load
		if s.ReadyReplicas > 0 {
			per = s.Load / float64(s.ReadyReplicas)
		}
		f.PeakLoadPerPod = max(f.PeakLoadPerPod, per)
		if aboveTarget(r.Metrics, s) {
			f.AboveTarget += next - s.T
			if first {
				f.FirstAboveTarget, first = s.T, false
			}
		}
	}
	return f
}

// aboveTarget reports whether some metric of row s exceeds its target.
func aboveTarget(metrics []sim.MetricInfo, s sim.Sample) bool {
	for j, m := range metrics {
		// A ScaledJob's target is per Job to create, not a level to hold.
		if j >= len(s.Metrics) || m.Target <= 0 || m.SourceType == sim.ScaledJobSource {
			continue
		}
		v := s.Metrics[j]
		if math.IsNaN(v) {
			continue
		}
		perPod := m.TargetType == string(hpa.AverageValueMetricType) &&
			(m.SourceType == string(hpa.ExternalMetricSourceType) || m.SourceType == string(hpa.ObjectMetricSourceType))
		if perPod {
			if s.ReadyReplicas == 0 {
				if v > 0 {
					return true
				}
				continue
			}
			v /= float64(s.ReadyReplicas)
		}
		if v > m.Target {
			return true
		}
	}
	return false
}
