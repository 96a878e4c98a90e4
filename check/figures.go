package check

import (
	"time"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Figures are the numbers a design review compares: the cost and scale
// figures of sim.Figures (whose OverloadedSeconds is load above the
// pods' capacity) plus how long the load ran above the policy's target.
type Figures struct {
	sim.Figures
	// AboveTarget is the total time during which the offered load per ready
	// pod exceeded the target of the first metric, read from the trace
	// (each row stands for one trace interval). With an AverageValue
	// target that is the per-pod capacity the policy was designed for;
	// load with no ready pod counts as above target.
	AboveTarget time.Duration
	// FirstAboveTarget is the first trace row that was above target.
	FirstAboveTarget time.Duration
	// PeakLoadPerPod is the highest load per ready pod in the trace.
	PeakLoadPerPod float64
}

// FiguresOf computes the Figures of a result.
func FiguresOf(r *sim.Result) Figures {
	f := Figures{Figures: r.Figures()}
	target := 0.0
	if len(r.Metrics) > 0 {
		target = r.Metrics[0].Target
	}
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
		over := s.Load > 0 && (s.ReadyReplicas == 0 || (target > 0 && per > target))
		if over {
			f.AboveTarget += next - s.T
			if first {
				f.FirstAboveTarget, first = s.T, false
			}
		}
	}
	return f
}
