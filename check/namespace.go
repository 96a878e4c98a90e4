package check

import (
	"context"
	"fmt"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// NamespaceRun is a finished simulation of a scenario with
// spec.workloads: one Run per workload, each with its scenario, its
// result and its expectations, and the namespace's result.
type NamespaceRun struct {
	Scenario  *scenarios.Scenario
	Result    *sim.NamespaceResult
	Workloads []*Run
}

// RunNamespace runs a loaded scenario with spec.workloads.
func RunNamespace(ctx context.Context, sc *scenarios.Scenario) (*NamespaceRun, error) {
	ns := sc.Namespace
	if ns == nil {
		return nil, fmt.Errorf("%s: the scenario has no spec.workloads", sc.File)
	}
	res, err := sim.RunNamespace(ctx, ns.Spec(sc.Name))
	if err != nil {
		return nil, ns.LocateError(err)
	}
	out := &NamespaceRun{Scenario: sc, Result: res}
	for i, w := range ns.Workloads {
		out.Workloads = append(out.Workloads, &Run{Scenario: w, Spec: w.Spec, Result: res.Workloads[i]})
	}
	return out, nil
}

// NamespaceFigures are the figures of a namespace: its workloads' summed
// and the pool's.
type NamespaceFigures struct {
	// ReplicaSeconds and OverloadedSeconds sum the workloads'.
	ReplicaSeconds, OverloadedSeconds float64
	// Nodes are the pool's figures over the Pending pods of every
	// workload (nil without a pool).
	Nodes *sim.NodeFigures
}

// Figures sums the workloads' figures and adds the pool's.
func (r *NamespaceRun) Figures() NamespaceFigures {
	var f NamespaceFigures
	for _, w := range r.Workloads {
		wf := w.Figures()
		f.ReplicaSeconds += wf.ReplicaSeconds
		f.OverloadedSeconds += wf.OverloadedSeconds
	}
	f.Nodes = r.Result.NodeFigures()
	return f
}

// Total is the namespace as one run (sim.NamespaceResult.Total), with
// the figures that do not add up as the sum of the changes taken from
// the workloads: the time above target and the flaps are the sums of
// theirs (one workload scaling up while another scales down is no flap).
func (r *NamespaceRun) Total() (*Run, Figures) {
	run := &Run{Result: r.Result.Total()}
	f := run.Figures()
	f.AboveTarget, f.DirectionChanges, f.PeakLoadPerPod = 0, 0, 0
	first := true
	for _, w := range r.Workloads {
		wf := w.Figures()
		f.AboveTarget += wf.AboveTarget
		f.DirectionChanges += wf.DirectionChanges
		if wf.AboveTarget > 0 && (first || wf.FirstAboveTarget < f.FirstAboveTarget) {
			f.FirstAboveTarget, first = wf.FirstAboveTarget, false
		}
	}
	return run, f
}
