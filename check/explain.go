package check

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Explanation is the decisions in force at one instant of a run (see
// ExplainAt). Times are offsets from the start of the run.
type Explanation struct {
	At         time.Duration
	Autoscaler string
	Workload   string
	// Replicas is spec.replicas at At, after every decision taken then.
	Replicas int32
	// Trace is the last trace row at or before At (nil before the first).
	Trace       *sim.Sample
	Settings    []sim.Setting
	Assumptions []sim.Assumption
	// Phases describes the offsets of the run's schedules (see
	// sim.Phases): aligned, the best case, unless the scenario says.
	Phases []string
	// KEDA is nil for a plain HPA.
	KEDA *KEDAExplanation
	// Jobs is the ScaledJob's last poll (nil without a ScaledJob, which
	// has no HPA).
	Jobs *JobsExplanation
	// Nodes is the node pool at the instant (nil without one): why each
	// Pending pod waits and what the cluster-autoscaler is doing.
	Nodes *sim.ClusterStatus
	HPA   HPAExplanation
}

// JobsExplanation is a ScaledJob's last poll at or before the instant:
// what the triggers gave, the Jobs KEDA counted, and what the strategy
// decided.
type JobsExplanation struct {
	PollingInterval time.Duration
	Polled          bool
	LastPoll        time.Duration
	Poll            keda.JobPollResult
	// Queue is the messages waiting in the trace row at or before the
	// instant.
	Queue      float64
	Conditions []keda.NamedCondition
}

// KEDAExplanation is the ScaledObject's state at the last poll.
type KEDAExplanation struct {
	PollingInterval time.Duration
	// Polled is false before the first poll; Active, ActiveTriggers and
	// Reason are then unset.
	Polled         bool
	Active         bool
	ActiveTriggers []string
	Reason         string
	// Conditions are the ScaledObject's status conditions.
	Conditions []keda.NamedCondition
	// LastActiveTime is nil while no trigger was ever active.
	LastActiveTime *time.Duration
	// Cooldown says what cooldownPeriod does at this point.
	Cooldown string
}

// HPAExplanation is the last HPA reconcile at or before the instant.
type HPAExplanation struct {
	SyncPeriod time.Duration
	// Synced is false before the first sync; Decision is then nil.
	Synced   bool
	LastSync time.Duration
	Decision *hpa.Decision
	// Metrics describe the decision's metrics with the trace's columns.
	Metrics []MetricExplanation
}

// MetricExplanation is a metric of the decision with its query and the
// value the trace holds.
type MetricExplanation struct {
	Query string
	// Value is the trace's value (nil when the trace has none), against
	// Target of TargetType.
	Value      *float64
	Target     float64
	TargetType string
	// WithinTolerance: the usage ratio keeps the replicas.
	WithinTolerance bool
}

// ExplainAt simulates spec up to at and returns the decisions in force at
// that instant: what the HPA read (query value, value per pod), its usage
// ratio against the tolerance, each metric's proposal, the stabilization
// window contents, the limiting policy and the conditions; for KEDA also
// the activity, lastActiveTime and the cooldown clock. The HPA and KEDA
// run on their own periods, so the last sync and poll at or before at are
// given, with their time.
func ExplainAt(ctx context.Context, spec sim.Spec, at time.Duration) (*Explanation, error) {
	s, err := sim.New(spec)
	if err != nil {
		return nil, err
	}
	spec = s.Spec()
	if at < 0 || at > spec.Duration {
		return nil, fmt.Errorf("--at %s is outside the run [0s, %s]", Duration(at), Duration(spec.Duration))
	}
	if err := s.RunUntil(ctx, at); err != nil {
		return nil, err
	}
	return explainRun(s, at), nil
}

// ExplainNamespaceAt simulates a namespace up to at and explains its
// workload of index i as ExplainAt does (its pool's Pending pods are
// every workload's).
func ExplainNamespaceAt(ctx context.Context, spec sim.NamespaceSpec, i int, at time.Duration) (*Explanation, error) {
	ns, err := sim.NewNamespace(spec)
	if err != nil {
		return nil, err
	}
	ws := ns.Workloads()
	if i < 0 || i >= len(ws) {
		return nil, fmt.Errorf("the namespace has no workload %d", i)
	}
	if d := ws[0].Spec().Duration; at < 0 || at > d {
		return nil, fmt.Errorf("--at %s is outside the run [0s, %s]", Duration(at), Duration(d))
	}
	if err := ns.RunUntil(ctx, at); err != nil {
		return nil, err
	}
	return explainRun(ws[i], at), nil
}

// explainRun explains s, run up to at.
func explainRun(s *sim.Simulator, at time.Duration) *Explanation {
	spec := s.Spec()
	res := s.Result()
	x := &Explanation{At: at, Autoscaler: res.Autoscaler, Workload: res.Workload, Replicas: res.DesiredAt(at),
		Settings: res.Settings, Assumptions: res.Assumptions}
	var poll time.Duration
	if loop := s.KEDA(); loop != nil {
		poll = loop.PollingInterval()
	} else if spec.ScaledJob != nil && spec.ScaledJob.Object != nil {
		poll = time.Duration(spec.ScaledJob.Object.PollingIntervalSeconds()) * time.Second
	}
	x.Phases = res.Phases.Describe(spec.Prometheus.ScrapeInterval, poll, spec.Controller.SyncPeriod)
	if n := len(res.Samples); n > 0 {
		last := res.Samples[n-1]
		x.Trace = &last
	}
	if loop := s.KEDA(); loop != nil {
		so := spec.KEDA.Object
		k := &KEDAExplanation{PollingInterval: loop.PollingInterval()}
		if poll, ok := s.LastPoll(); ok {
			k.Polled, k.Active, k.ActiveTriggers, k.Reason = true, poll.Active, poll.ActiveTriggers, poll.Reason
		}
		k.Conditions = loop.Conditions().List()
		lat := loop.LastActiveTime()
		cool := time.Duration(so.CooldownPeriodSeconds()) * time.Second
		if lat != nil {
			t := lat.Sub(spec.Start)
			k.LastActiveTime = &t
		}
		switch {
		case so.MinReplicas() > 0 && so.IdleReplicaCount == nil:
			k.Cooldown = fmt.Sprintf("cooldownPeriod %s has no effect: minReplicaCount is %d, so KEDA never scales to zero", Duration(cool), so.MinReplicas())
		case lat == nil:
			k.Cooldown = fmt.Sprintf("never active; scale to zero is governed by initialCooldownPeriod and cooldownPeriod %s", Duration(cool))
		default:
			// KEDA checks the deadline at its polls, every pollingInterval
			// from the start; a poll that falls on the deadline already
			// finds it passed (see sim.kedaClockLag).
			deadline := lat.Add(cool).Sub(spec.Start)
			every := loop.PollingInterval()
			poll := (deadline + every - 1) / every * every
			to, which := so.InactiveReplicas()
			if deadline > at {
				k.Cooldown = fmt.Sprintf("%s of %s left: ends at %s; the first poll from then (%s) scales to %s %d unless a trigger is active before",
					Duration(deadline-at), Duration(cool), Duration(deadline), Duration(poll), which, to)
			} else {
				k.Cooldown = fmt.Sprintf("%s ended at %s; the first poll from then (%s) scales to %s %d", Duration(cool), Duration(deadline), Duration(poll), which, to)
			}
		}
		x.KEDA = k
	}
	x.Nodes = s.Cluster()
	if jl := s.JobLoop(); jl != nil {
		j := &JobsExplanation{PollingInterval: jl.PollingInterval(), Conditions: jl.Conditions().List()}
		if poll, t, ok := s.LastJobPoll(); ok {
			j.Polled, j.LastPoll, j.Poll = true, t, poll
		}
		if x.Trace != nil && x.Trace.Jobs != nil {
			j.Queue = x.Trace.Jobs.Queue
		}
		x.Jobs = j
		return x
	}
	x.HPA.SyncPeriod = spec.Controller.SyncPeriod
	if d, ok := s.LastHPADecision(); ok {
		x.HPA.Synced, x.HPA.LastSync, x.HPA.Decision = true, d.Time.Sub(spec.Start), &d
		for i, m := range d.Metrics {
			var me MetricExplanation
			if i < len(res.Metrics) {
				info := res.Metrics[i]
				me.Query, me.Target, me.TargetType = info.Query, info.Target, info.TargetType
				if n := len(res.Samples); n > 0 && i < len(res.Samples[n-1].Metrics) {
					if v := res.Samples[n-1].Metrics[i]; !math.IsNaN(v) {
						me.Value = &v
					}
				}
			}
			me.WithinTolerance = m.Err == nil && d.Tolerances.IsWithin(m.UsageRatio)
			x.HPA.Metrics = append(x.HPA.Metrics, me)
		}
	}
	return x
}

// Explain writes ExplainAt's explanation as text (see WriteText).
func Explain(ctx context.Context, w io.Writer, spec sim.Spec, at time.Duration) error {
	x, err := ExplainAt(ctx, spec, at)
	if err != nil {
		return err
	}
	return x.WriteText(w)
}

// WriteText writes the explanation as autoscale-sim explain prints it.
func (x *Explanation) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	p := ew.printf
	p("At %s: %s on %s, spec.replicas %d", Duration(x.At), x.Autoscaler, x.Workload, x.Replicas)
	if last := x.Trace; last != nil {
		p(" (trace at %s: %d pods, %d ready, load %g)", Duration(last.T), last.Replicas, last.ReadyReplicas, last.Load)
	}
	p("\n")
	if len(x.Settings) > 0 || len(x.Assumptions) > 0 {
		p("\nInputs (where each value came from)\n")
		for _, st := range x.Settings {
			p("  %-18s %s  (%s", st.Name+":", st.Value, st.Source)
			if st.Note != "" {
				p("; %s", st.Note)
			}
			p(")\n")
		}
		for _, a := range x.Assumptions {
			p("  assumed:         %s (%s)\n", a.Message, a.Hint)
		}
	}

	if len(x.Phases) > 0 {
		p("\nPhases\n")
		for _, ph := range x.Phases {
			p("  %s\n", ph)
		}
	}

	if k := x.KEDA; k != nil {
		p("\nKEDA (polls every %s)\n", Duration(k.PollingInterval))
		if k.Polled {
			p("  active:          %t", k.Active)
			if len(k.ActiveTriggers) > 0 {
				p(" (%s)", strings.Join(k.ActiveTriggers, ", "))
			}
			p("\n")
			if k.Reason != "" {
				p("  last poll:       %s\n", k.Reason)
			}
		} else {
			p("  no poll yet\n")
		}
		for _, c := range k.Conditions {
			p("  condition:       %s=%s", c.Type, c.Status)
			if c.Reason != "" {
				p(" %s: %s", c.Reason, c.Message)
			}
			p("\n")
		}
		if k.LastActiveTime == nil {
			p("  lastActiveTime:  never\n")
		} else {
			p("  lastActiveTime:  %s (%s ago)\n", Duration(*k.LastActiveTime), Duration(x.At-*k.LastActiveTime))
		}
		p("  cooldown:        %s\n", k.Cooldown)
	}

	if j := x.Jobs; j != nil {
		p("\nKEDA ScaledJob (polls every %s; no HPA: KEDA creates Jobs itself)\n", Duration(j.PollingInterval))
		if !j.Polled {
			p("  no poll yet\n")
		} else {
			r := j.Poll
			p("  last poll:       %s\n", Duration(j.LastPoll))
			for _, m := range r.Metrics {
				p("  trigger:         %s queue %g, target %g per Job, active %t\n", m.Name, m.QueueLength, m.Target, m.Active)
			}
			p("  combined:        scaleTo %d, maxScale %d (active %t)\n", r.Scale.ScaleTo, r.Scale.MaxScale, r.Scale.Active)
			p("  Jobs:            %d running, %d pending\n", r.Running, r.Pending)
			p("  decision:        %d created: %s\n", r.Decision.Create, r.Decision.Reason)
		}
		p("  queue now:       %g messages waiting\n", math.Floor(j.Queue))
		for _, c := range j.Conditions {
			p("  condition:       %s=%s", c.Type, c.Status)
			if c.Reason != "" {
				p(" %s: %s", c.Reason, c.Message)
			}
			p("\n")
		}
		return ew.err
	}

	p("\nHPA (syncs every %s)\n", Duration(x.HPA.SyncPeriod))
	d := x.HPA.Decision
	if d == nil {
		p("  no sync yet\n")
		return ew.err
	}
	p("  last sync:       %s, path %s\n", Duration(x.HPA.LastSync), d.Path)
	tol := d.Tolerances
	p("  tolerance:       keep replicas while the usage ratio is within [%.3g, %.3g]\n", 1-tol.ScaleDown, 1+tol.ScaleUp)
	for i, m := range d.Metrics {
		p("  metric %d:        %s\n", i, m.Description)
		me := x.HPA.Metrics[i]
		if me.Query != "" {
			p("    query:         %s\n", me.Query)
		}
		if me.Value != nil {
			p("    value:         %g (target %s %g)\n", *me.Value, me.TargetType, me.Target)
		}
		if m.Err != nil {
			p("    error:         %v\n", m.Err)
			continue
		}
		p("    current:       %s", m.CurrentValue)
		if m.Details.AverageValueMilli != nil {
			p(" per pod")
		}
		p("\n")
		within := "outside the tolerance"
		if me.WithinTolerance {
			within = "within the tolerance: no change"
		}
		p("    usage ratio:   %.3f (%s)\n", m.UsageRatio, within)
		p("    proposal:      %d replicas\n", m.Proposal)
	}
	if d.Path == hpa.PathMetrics {
		p("  by metrics:      %d (%s)\n", d.MetricsDesired, orNone(d.MetricName))
		p("  stabilization:   %d", d.Stabilized)
		if d.StabilizationReason != "" {
			p(" (%s)", d.StabilizationReason)
		}
		p("\n")
		if len(d.StabilizationWindow) == 0 {
			p("    window:        empty\n")
		}
		for _, r := range x.Window() {
			p("    window:        %d recommended at %s\n", r.Replicas, Duration(r.At))
		}
		for _, pp := range d.PolicyProposals {
			p("  policy:          %s %d per %ds allows %d (from %d at the period start)\n", pp.Policy.Type, pp.Policy.Value, pp.Policy.PeriodSeconds, pp.Proposed, pp.PeriodStartReplicas)
		}
	}
	if d.LimitReason != "" {
		p("  limited:         %s: %s\n", d.LimitReason, d.LimitMessage)
	}
	change := "no change"
	if d.Rescale {
		change = "rescale"
	}
	p("  result:          %d -> %d (%s)\n", d.CurrentReplicas, d.DesiredReplicas, change)
	for _, c := range d.Conditions {
		p("  condition:       %s=%s %s: %s\n", c.Type, c.Status, c.Reason, c.Message)
	}
	writeNodes(p, x)
	return ew.err
}

// writeNodes writes the node pool's part of an explanation.
func writeNodes(p func(string, ...any), x *Explanation) {
	c := x.Nodes
	if c == nil {
		return
	}
	p("\nNodes (pool %s: %d Ready", c.Pool, len(c.Nodes))
	if c.Autoscaled {
		p(", cluster-autoscaler between %d and %d", c.MinNodes, c.MaxNodes)
	}
	p(")\n")
	for _, n := range c.Nodes {
		p("  %-16s %d pods, cpu %dm of %dm requested, memory %s of %s\n", n.Name+":", n.Pods, n.RequestedMilliCPU, n.AllocatableMilliCPU,
			bytesText(n.RequestedMemory), bytesText(n.AllocatableMemory))
	}
	for _, pp := range c.Pending {
		p("  Pending %s for %s\n", pp.Name, Duration(x.At-pp.Since))
		if pp.Message != "" {
			p("    FailedScheduling: %s\n", pp.Message)
		}
		for _, l := range pp.Nodes {
			p("    %s\n", l)
		}
	}
	if !c.Autoscaled {
		if len(c.Pending) > 0 {
			p("  no cluster-autoscaler: the pool is fixed, the pods wait until a pod leaves a node\n")
		}
		return
	}
	if c.Looped {
		p("  cluster-autoscaler: last loop at %s, next at %s\n", Duration(c.LastLoop), Duration(c.NextLoop))
	}
	for _, u := range c.Upcoming {
		p("    upcoming:      %s asked at %s, Ready at %s (in %s)\n", u.Name, Duration(u.Requested), Duration(u.Ready), Duration(u.Ready-x.At))
	}
	if c.NoScaleUp != "" {
		p("    no scale-up:   %s\n", c.NoScaleUp)
	}
	for _, u := range c.Unneeded {
		p("    unneeded:      %s since %s\n", u.Name, Duration(u.Since))
	}
	if c.ScaleDownSkipped != "" {
		p("    scale-down:    %s\n", c.ScaleDownSkipped)
	}
}

// bytesText renders a byte count as a binary quantity (16Gi).
func bytesText(b int64) string {
	return resource.NewQuantity(b, resource.BinarySI).String()
}

// WindowEntry is a recommendation of the stabilization window.
type WindowEntry struct {
	Replicas int32
	At       time.Duration
}

// Window lists the stabilization window of the last sync, oldest first.
func (x *Explanation) Window() []WindowEntry {
	d := x.HPA.Decision
	if d == nil {
		return nil
	}
	win := append([]hpa.Recommendation(nil), d.StabilizationWindow...)
	sort.SliceStable(win, func(i, j int) bool { return win[i].Time.Before(win[j].Time) })
	out := make([]WindowEntry, len(win))
	start := d.Time.Add(-x.HPA.LastSync)
	for i, r := range win {
		out[i] = WindowEntry{Replicas: r.Replicas, At: r.Time.Sub(start)}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "no valid metric"
	}
	return s
}

// errWriter keeps the first write error so that printing stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
