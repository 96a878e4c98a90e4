package check

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Run is a finished simulation and what it was made from.
type Run struct {
	// Scenario is the loaded scenario, nil when the Spec was built in code.
	Scenario *scenarios.Scenario
	Spec     sim.Spec
	Result   *sim.Result
}

// File loads a scenario file, applies the overrides to its autoscaler
// manifest and runs it.
func File(path string, overrides ...scenarios.Override) (*Run, error) {
	sc, err := scenarios.LoadWithOverrides(path, overrides...)
	if err != nil {
		return nil, err
	}
	return RunScenario(context.Background(), sc)
}

// RunScenario runs a loaded scenario; edit sc.Spec first to try a
// variant in code (for example sc.Spec.KEDA.Object.CooldownPeriod).
func RunScenario(ctx context.Context, sc *scenarios.Scenario) (*Run, error) {
	r, err := Simulate(ctx, sc.Spec)
	if err != nil {
		return nil, sc.LocateError(err)
	}
	r.Scenario = sc
	return r, nil
}

// Simulate runs a Spec built in code.
func Simulate(ctx context.Context, spec sim.Spec) (*Run, error) {
	res, err := sim.Run(ctx, spec)
	if err != nil {
		return nil, err
	}
	return &Run{Spec: spec, Result: res}, nil
}

// Check runs every assertion and returns their failures joined, nil when
// all hold. Each failure starts with the assertion's name.
func (r *Run) Check(as ...Assertion) error {
	var errs []error
	for _, a := range as {
		if err := a.Check(r.Result); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Figures summarises the run.
func (r *Run) Figures() Figures { return FiguresOf(r.Result) }

// Expectations returns the scenario's expect: entries as Assertions (none
// for a Spec built in code).
func (r *Run) Expectations() []Assertion {
	if r.Scenario == nil {
		return nil
	}
	out := make([]Assertion, len(r.Scenario.Expect))
	for i, e := range r.Scenario.Expect {
		out[i] = FromExpectation(e)
	}
	return out
}

// Assertion is one claim about a run.
type Assertion interface {
	// Name says what is claimed, e.g. "replicas at 12m = 3".
	Name() string
	// Check returns nil when the claim holds, otherwise an error that
	// says what was wanted and what happened.
	Check(r *sim.Result) error
}

type assertion struct {
	name  string
	check func(r *sim.Result) error
}

func (a assertion) Name() string { return a.name }

func (a assertion) Check(r *sim.Result) error {
	if err := a.check(r); err != nil {
		return fmt.Errorf("%s: %w", a.name, err)
	}
	return nil
}

// ReplicasAt claims spec.replicas is want at t (after every decision
// taken at t).
func ReplicasAt(t time.Duration, want int32) Assertion {
	return assertion{fmt.Sprintf("replicas at %s", Duration(t)), func(r *sim.Result) error {
		if got := r.DesiredAt(t); got != want {
			return fmt.Errorf("want %d, got %d\n%s", want, got, around(r, t, t, fmt.Sprintf("want %d, got %d", want, got)))
		}
		return nil
	}}
}

// AtMost claims spec.replicas stays at or below n during [from, to].
func AtMost(from, to time.Duration, n int32) Assertion {
	return assertion{fmt.Sprintf("max replicas during [%s, %s]", Duration(from), Duration(to)), func(r *sim.Result) error {
		if _, hi := r.DesiredRange(from, to); hi > n {
			return fmt.Errorf("want at most %d, got %d\n%s", n, hi, around(r, from, to, ""))
		}
		return nil
	}}
}

// AtLeast claims spec.replicas stays at or above n during [from, to].
func AtLeast(from, to time.Duration, n int32) Assertion {
	return assertion{fmt.Sprintf("min replicas during [%s, %s]", Duration(from), Duration(to)), func(r *sim.Result) error {
		if lo, _ := r.DesiredRange(from, to); lo < n {
			return fmt.Errorf("want at least %d, got %d\n%s", n, lo, around(r, from, to, ""))
		}
		return nil
	}}
}

// Between claims lo <= spec.replicas <= hi during [from, to].
func Between(from, to time.Duration, lo, hi int32) Assertion {
	return assertion{fmt.Sprintf("replicas during [%s, %s]", Duration(from), Duration(to)), func(r *sim.Result) error {
		gotLo, gotHi := r.DesiredRange(from, to)
		if gotLo < lo || gotHi > hi {
			return fmt.Errorf("want %s, got %s\n%s", span(lo, hi), span(gotLo, gotHi), around(r, from, to, ""))
		}
		return nil
	}}
}

func span(lo, hi int32) string {
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d..%d", lo, hi)
}

// Reaches claims spec.replicas is at least n at some instant up to by.
func Reaches(n int32, by time.Duration) Assertion {
	return assertion{fmt.Sprintf("reaches %d replicas by %s", n, Duration(by)), func(r *sim.Result) error {
		t, ok := r.FirstReach(n)
		switch {
		case !ok:
			f := r.Figures()
			return fmt.Errorf("never reached; peak %d replicas\n%s", f.MaxReplicas, around(r, 0, by, ""))
		case t > by:
			return fmt.Errorf("reached at %s, %s late\n%s", Duration(t), Duration(t-by), around(r, by, t, ""))
		}
		return nil
	}}
}

// ZeroBy claims the workload is scaled to zero at some instant up to t.
func ZeroBy(t time.Duration) Assertion {
	return assertion{fmt.Sprintf("zero replicas by %s", Duration(t)), func(r *sim.Result) error {
		at, ok := r.FirstAtOrBelow(0)
		switch {
		case !ok:
			return fmt.Errorf("never scaled to zero; %s at %s\n%s", plural(int(r.DesiredAt(t)), "replica"), Duration(t), around(r, t, t, "want 0"))
		case at > t:
			return fmt.Errorf("scaled to zero at %s, %s late\n%s", Duration(at), Duration(at-t), around(r, t, at, ""))
		}
		return nil
	}}
}

// NoChange claims no replica change happens in (from, to].
func NoChange(from, to time.Duration) Assertion {
	return assertion{fmt.Sprintf("no change during [%s, %s]", Duration(from), Duration(to)), func(r *sim.Result) error {
		if evs := r.ScaleEvents(from, to); len(evs) > 0 {
			return fmt.Errorf("want none, got %s\n%s", plural(len(evs), "change"), around(r, from, to, ""))
		}
		return nil
	}}
}

// MaxScaleEventsPerHour claims no hour-long window holds more than k
// replica changes (the whole run when it is shorter than an hour).
func MaxScaleEventsPerHour(k int) Assertion {
	return assertion{fmt.Sprintf("at most %d scale events per hour", k), func(r *sim.Result) error {
		evs := r.ScaleEvents(-1, r.Duration)
		worst, worstEnd := 0, time.Duration(0)
		for _, e := range evs {
			n := len(r.ScaleEvents(e.T-time.Hour, e.T))
			if n > worst {
				worst, worstEnd = n, e.T
			}
		}
		if worst > k {
			from := max(worstEnd-time.Hour, 0)
			return fmt.Errorf("want at most %d, got %d in [%s, %s]\n%s", k, worst, Duration(from), Duration(worstEnd), around(r, from, worstEnd, ""))
		}
		return nil
	}}
}

// MaxReplicaSeconds claims the cost of the run (the integral of
// spec.replicas) is at most x replica-seconds.
func MaxReplicaSeconds(x float64) Assertion {
	return assertion{fmt.Sprintf("at most %g replica-seconds", x), func(r *sim.Result) error {
		if got := r.Figures().ReplicaSeconds; got > x {
			return fmt.Errorf("want at most %g, got %g (%.0f%% over)", x, got, 100*(got-x)/max(x, 1))
		}
		return nil
	}}
}

// MaxAboveTarget claims a metric per ready pod exceeds its target for at
// most d in total (see Figures.AboveTarget).
func MaxAboveTarget(d time.Duration) Assertion {
	return assertion{fmt.Sprintf("above target at most %s", Duration(d)), func(r *sim.Result) error {
		f := FiguresOf(r)
		if f.AboveTarget > d {
			return fmt.Errorf("want at most %s, got %s (from %s; peak %.4g per ready pod)\n%s",
				Duration(d), Duration(f.AboveTarget), Duration(f.FirstAboveTarget), f.PeakLoadPerPod,
				around(r, f.FirstAboveTarget, f.FirstAboveTarget, "above target from here"))
		}
		return nil
	}}
}

// MaxOverloaded claims the load exceeds what the ready pods can serve
// (Load.Capacity per pod, or a queue's service rate) for at most d in
// total (sim.Figures.OverloadedSeconds).
func MaxOverloaded(d time.Duration) Assertion {
	return assertion{fmt.Sprintf("overloaded at most %s", Duration(d)), func(r *sim.Result) error {
		got := time.Duration(r.OverloadedSeconds * float64(time.Second))
		if got > d {
			return fmt.Errorf("overloaded: want at most %s, got %s", Duration(d), Duration(got))
		}
		return nil
	}}
}

// MaxMeanMessageWait claims that, in a ScaledJob run, messages wait on
// average at most d before a Job's pod takes them
// (sim.JobFigures.MeanMessageWait).
func MaxMeanMessageWait(d time.Duration) Assertion {
	return assertion{fmt.Sprintf("mean message wait at most %s", Duration(d)), func(r *sim.Result) error {
		j := r.Figures().Jobs
		if j == nil {
			return errors.New("maxMeanMessageWait applies to a ScaledJob run; this run's autoscaler is " + r.Autoscaler)
		}
		if j.MeanMessageWait > d {
			return fmt.Errorf("mean message wait: want at most %s, got %s (%d messages taken, %d still waiting, %d Jobs created, at most %d running)",
				Duration(d), Duration(j.MeanMessageWait), j.MessagesTaken, j.MessagesWaiting, j.JobsCreated, j.PeakRunning)
		}
		return nil
	}}
}

// MaxPodPending claims that, on a node pool, no pod waits Pending for a
// node longer than d (sim.NodeFigures.LongestWait; a pod still Pending at
// the end counts the time it waited so far).
func MaxPodPending(d time.Duration) Assertion {
	return assertion{fmt.Sprintf("no pod Pending longer than %s", Duration(d)), func(r *sim.Result) error {
		n := r.Figures().Nodes
		if n == nil {
			return errors.New("maxPodPending applies to a run on a node pool (spec.nodePool); this run has unbounded capacity")
		}
		if n.LongestWait > d {
			return fmt.Errorf("pod Pending: want at most %s, got %s (%d pods waited, %s in all; peak %d nodes)",
				Duration(d), Duration(n.LongestWait), n.PodsWaited, Duration(time.Duration(n.PendingSeconds*float64(time.Second))), n.PeakNodes)
		}
		return nil
	}}
}

// FromExpectation turns an expect: entry into an Assertion named after
// it (with its file and line).
func FromExpectation(e scenarios.Expectation) Assertion {
	var a Assertion
	switch {
	case e.At != nil && e.Replicas != nil:
		a = ReplicasAt(*e.At, *e.Replicas)
	case e.During != nil && e.NoChange:
		a = NoChange(e.During[0], e.During[1])
	case e.During != nil && e.Min != nil && e.Max != nil:
		a = Between(e.During[0], e.During[1], *e.Min, *e.Max)
	case e.During != nil && e.Min != nil:
		a = AtLeast(e.During[0], e.During[1], *e.Min)
	case e.During != nil && e.Max != nil:
		a = AtMost(e.During[0], e.During[1], *e.Max)
	case e.Reaches != nil && e.By != nil:
		a = Reaches(*e.Reaches, *e.By)
	case e.ZeroBy != nil:
		a = ZeroBy(*e.ZeroBy)
	case e.MaxScaleEventsPerHour != nil:
		a = MaxScaleEventsPerHour(int(*e.MaxScaleEventsPerHour))
	case e.MaxReplicaSeconds != nil:
		a = MaxReplicaSeconds(*e.MaxReplicaSeconds)
	case e.MaxAboveTarget != nil:
		a = MaxAboveTarget(*e.MaxAboveTarget)
	case e.MaxOverloaded != nil:
		a = MaxOverloaded(*e.MaxOverloaded)
	case e.MaxMeanMessageWait != nil:
		a = MaxMeanMessageWait(*e.MaxMeanMessageWait)
	case e.MaxPodPending != nil:
		a = MaxPodPending(*e.MaxPodPending)
	default:
		// The loader rejects such entries; a hand-built one fails loudly.
		a = assertion{"", func(*sim.Result) error { return errors.New("the expectation makes no claim") }}
	}
	return named{a, e}
}

type named struct {
	Assertion
	e scenarios.Expectation
}

func (n named) Name() string { return n.e.Name }

func (n named) Check(r *sim.Result) error {
	if err := n.Assertion.Check(r); err != nil {
		loc := ""
		if n.e.File != "" {
			loc = fmt.Sprintf("%s:%d: ", n.e.File, n.e.Line)
		}
		return fmt.Errorf("%s%s: %w", loc, n.e.Name, err)
	}
	return nil
}

// around shows the timeline of spec.replicas from two minutes before from
// to two minutes after to; when note is set, a line marked ">" at to says
// what was expected there.
func around(r *sim.Result, from, to time.Duration, note string) string {
	lo, hi := max(from-2*time.Minute, 0), min(to+2*time.Minute, r.Duration)
	var b strings.Builder
	if from == to {
		fmt.Fprintf(&b, "  timeline around %s:\n", Duration(from))
	} else {
		fmt.Fprintf(&b, "  timeline around [%s, %s]:\n", Duration(from), Duration(to))
	}
	fmt.Fprintf(&b, "    %8s  %s\n", Duration(lo), plural(int(r.DesiredAt(lo)), "replica"))
	marked := note == ""
	mark := func() {
		if !marked {
			fmt.Fprintf(&b, "  > %8s  %s\n", Duration(to), note)
			marked = true
		}
	}
	for _, e := range r.ScaleEvents(lo, hi) {
		if e.T > to {
			mark()
		}
		in := " "
		if e.T >= from && e.T <= to {
			in = "*"
		}
		fmt.Fprintf(&b, "  %s %8s  %d -> %d  %s %s: %s\n", in, Duration(e.T), e.From, e.To, e.Source, e.Reason, clip(e.Message, 70))
	}
	mark()
	fmt.Fprintf(&b, "    %8s  %s", Duration(hi), plural(int(r.DesiredAt(hi)), "replica"))
	return b.String()
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// Duration prints a duration the way users write them in scenarios:
// 12m rather than 12m0s.
func Duration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
