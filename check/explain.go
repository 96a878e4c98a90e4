package check

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Explain simulates spec up to at and writes the decisions in force at
// that instant: what the HPA read (query value, value per pod), its usage
// ratio against the tolerance, each metric's proposal, the stabilization
// window contents, the limiting policy and the conditions; for KEDA also
// the activity, lastActiveTime and the cooldown clock. The HPA and KEDA
// run on their own periods, so the last sync and poll at or before at are
// shown, with their time.
func Explain(ctx context.Context, w io.Writer, spec sim.Spec, at time.Duration) error {
	s, err := sim.New(spec)
	if err != nil {
		return err
	}
	spec = s.Spec()
	if at < 0 || at > spec.Duration {
		return fmt.Errorf("--at %s is outside the run [0s, %s]", Duration(at), Duration(spec.Duration))
	}
	if err := s.RunUntil(ctx, at); err != nil {
		return err
	}
	res := s.Result()
	ew := &errWriter{w: w}
	p := ew.printf
	p("At %s: %s on %s, spec.replicas %d", Duration(at), res.Autoscaler, res.Workload, res.DesiredAt(at))
	if n := len(res.Samples); n > 0 {
		last := res.Samples[n-1]
		p(" (trace at %s: %d pods, %d ready, load %g)", Duration(last.T), last.Replicas, last.ReadyReplicas, last.Load)
	}
	p("\n")
	if len(res.Settings) > 0 || len(res.Assumptions) > 0 {
		p("\nInputs (where each value came from)\n")
		for _, st := range res.Settings {
			p("  %-18s %s  (%s", st.Name+":", st.Value, st.Source)
			if st.Note != "" {
				p("; %s", st.Note)
			}
			p(")\n")
		}
		for _, a := range res.Assumptions {
			p("  assumed:         %s (%s)\n", a.Message, a.Hint)
		}
	}

	if loop := s.KEDA(); loop != nil {
		so := spec.KEDA.Object
		p("\nKEDA (polls every %s)\n", Duration(loop.PollingInterval()))
		if poll, ok := s.LastPoll(); ok {
			p("  active:          %t", poll.Active)
			if len(poll.ActiveTriggers) > 0 {
				p(" (%s)", strings.Join(poll.ActiveTriggers, ", "))
			}
			p("\n")
			if poll.Reason != "" {
				p("  last poll:       %s\n", poll.Reason)
			}
		} else {
			p("  no poll yet\n")
		}
		for _, c := range loop.Conditions().List() {
			p("  condition:       %s=%s", c.Type, c.Status)
			if c.Reason != "" {
				p(" %s: %s", c.Reason, c.Message)
			}
			p("\n")
		}
		lat := loop.LastActiveTime()
		cool := time.Duration(so.CooldownPeriodSeconds()) * time.Second
		if lat == nil {
			p("  lastActiveTime:  never\n")
		} else {
			since := spec.Start.Add(at).Sub(*lat)
			p("  lastActiveTime:  %s (%s ago)\n", Duration(lat.Sub(spec.Start)), Duration(since))
		}
		switch {
		case so.MinReplicas() > 0 && so.IdleReplicaCount == nil:
			p("  cooldown:        cooldownPeriod %s has no effect: minReplicaCount is %d, so KEDA never scales to zero\n", Duration(cool), so.MinReplicas())
		case lat == nil:
			p("  cooldown:        never active; scale to zero is governed by initialCooldownPeriod and cooldownPeriod %s\n", Duration(cool))
		default:
			// KEDA checks the deadline at its polls, every pollingInterval
			// from the start; a poll that falls on the deadline already
			// finds it passed (see sim.kedaClockLag).
			deadline := lat.Add(cool).Sub(spec.Start)
			every := loop.PollingInterval()
			poll := (deadline + every - 1) / every * every
			to, which := so.InactiveReplicas()
			if deadline > at {
				p("  cooldown:        %s of %s left: ends at %s; the first poll from then (%s) scales to %s %d unless a trigger is active before\n",
					Duration(deadline-at), Duration(cool), Duration(deadline), Duration(poll), which, to)
			} else {
				p("  cooldown:        %s ended at %s; the first poll from then (%s) scales to %s %d\n", Duration(cool), Duration(deadline), Duration(poll), which, to)
			}
		}
	}

	d, ok := s.LastHPADecision()
	p("\nHPA (syncs every %s)\n", Duration(spec.Controller.SyncPeriod))
	if !ok {
		p("  no sync yet\n")
		return ew.err
	}
	p("  last sync:       %s, path %s\n", Duration(d.Time.Sub(spec.Start)), d.Path)
	tol := d.Tolerances
	p("  tolerance:       keep replicas while the usage ratio is within [%.3g, %.3g]\n", 1-tol.ScaleDown, 1+tol.ScaleUp)
	for i, m := range d.Metrics {
		p("  metric %d:        %s\n", i, m.Description)
		if i < len(res.Metrics) {
			info := res.Metrics[i]
			if info.Query != "" {
				p("    query:         %s\n", info.Query)
			}
			if n := len(res.Samples); n > 0 && i < len(res.Samples[n-1].Metrics) {
				v := res.Samples[n-1].Metrics[i]
				if !math.IsNaN(v) {
					p("    value:         %g (target %s %g)\n", v, info.TargetType, info.Target)
				}
			}
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
		if tol.IsWithin(m.UsageRatio) {
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
		win := append([]hpa.Recommendation(nil), d.StabilizationWindow...)
		sort.SliceStable(win, func(i, j int) bool { return win[i].Time.Before(win[j].Time) })
		for _, r := range win {
			p("    window:        %d recommended at %s\n", r.Replicas, Duration(r.Time.Sub(spec.Start)))
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
	return ew.err
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
