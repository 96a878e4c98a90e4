package sim

import (
	"fmt"
	"time"
)

// Phases places the periodic schedules of the run relative to each other.
//
// In a cluster the phases are independent: the HPA controller's sync
// follows from when kube-controller-manager started (and when the HPA was
// added), KEDA's scale loop from when the ScaledObject was created,
// Prometheus spreads its targets over the scrape interval by a hash of
// each target (scrape/target.go offset), and each pod's readiness probe
// runs on its own timer from the container's start. The default, every
// schedule starting at t = 0, is the best case: a scrape lands just
// before the poll and the sync that read it. Random draws the offsets
// from the seed, so that a distribution of runs (Spec.Runs in the
// scenarios package, check.RunMany) shows the spread a cluster has.
type Phases struct {
	// Random draws every offset not given here from Spec.Seed: uniform
	// over the period, in whole ticks; each new pod also gets its own
	// probe offset when ProbePeriod is set.
	Random bool
	// Scrape, Poll and Sync are the instants of the first scrape, KEDA
	// poll and HPA sync; each then repeats every period. Nil: 0, or
	// drawn when Random. An offset must be shorter than its period.
	Scrape, Poll, Sync *time.Duration
	// ProbePeriod is the readiness probe's periodSeconds: a pod becomes
	// Ready at the first probe at or after its startup delay, probes
	// running every ProbePeriod from the pod's creation (plus a random
	// offset under the period when Random). Zero: a pod is Ready the
	// tick its startup delay ends.
	ProbePeriod time.Duration
	// MetricsResolution is metrics-server's --metric-resolution: the HPA
	// reads a Resource metric's usage as of metrics-server's last
	// scrape of the kubelet, every MetricsResolution from MetricsOffset
	// (drawn when Random and nil). Zero: the usage at the sync itself.
	MetricsResolution time.Duration
	MetricsOffset     *time.Duration
}

// PhaseOffsets are the resolved offsets of a run.
type PhaseOffsets struct {
	// Random says the offsets not given were drawn from the seed.
	Random                     bool
	Scrape, Poll, Sync         time.Duration
	ProbePeriod                time.Duration
	MetricsResolution, Metrics time.Duration
}

// Aligned reports whether every schedule starts at t = 0 with no probe
// period or metrics-server delay: the best case.
func (p PhaseOffsets) Aligned() bool {
	return p == PhaseOffsets{Random: p.Random}
}

// Describe lists the offsets as explain shows them.
func (p PhaseOffsets) Describe(scrape, poll, sync time.Duration) []string {
	how := "given"
	if p.Random {
		how = "drawn from the seed"
	}
	if p.Aligned() {
		return []string{"aligned: the first scrape, KEDA poll and HPA sync all at t = 0, pods Ready the tick their startup ends (the best case a cluster shows; set spec.phases)"}
	}
	out := []string{
		fmt.Sprintf("offsets %s: first scrape at %s (every %s), first KEDA poll at %s (every %s), first HPA sync at %s (every %s)", how, p.Scrape, scrape, p.Poll, poll, p.Sync, sync),
	}
	if p.ProbePeriod > 0 {
		out = append(out, fmt.Sprintf("readiness probe every %s: a pod is Ready at its first probe after its startup delay", p.ProbePeriod))
	}
	if p.MetricsResolution > 0 {
		out = append(out, fmt.Sprintf("metrics-server scrapes the kubelets every %s from %s: Resource metrics are as old as its last scrape", p.MetricsResolution, p.Metrics))
	}
	return out
}

// streamPhases draws the offsets, and streamProbe each pod's probe offset.
const (
	streamPhases = streamNoise + 1 + iota
	streamProbe
)

// resolvePhases fixes the offsets of the run.
func (s *Simulator) resolvePhases() PhaseOffsets {
	ph := s.spec.Phases
	tick := s.spec.Tick
	r := newRand(s.spec.Seed, streamPhases)
	pick := func(given *time.Duration, period time.Duration) time.Duration {
		// Always drawn, used or not, so that giving one offset does not
		// move the others.
		var v time.Duration
		if period > tick {
			v = time.Duration(r.Int64N(int64(period/tick))) * tick
		}
		switch {
		case given != nil:
			return *given
		case ph.Random:
			return v
		}
		return 0
	}
	var poll time.Duration
	if s.loop != nil {
		poll = s.loop.PollingInterval()
	} else if s.sj != nil {
		poll = s.sj.loop.PollingInterval()
	}
	out := PhaseOffsets{Random: ph.Random, ProbePeriod: ph.ProbePeriod, MetricsResolution: ph.MetricsResolution}
	out.Scrape = pick(ph.Scrape, s.spec.Prometheus.ScrapeInterval)
	out.Poll = pick(ph.Poll, poll)
	out.Sync = pick(ph.Sync, s.spec.Controller.SyncPeriod)
	out.Metrics = pick(ph.MetricsOffset, ph.MetricsResolution)
	return out
}

func (p Phases) validate(s Spec) []error {
	var errs []error
	check := func(name string, d *time.Duration, period time.Duration) {
		if d == nil {
			return
		}
		switch {
		case *d < 0:
			errs = append(errs, fmt.Errorf("phases.%s %s must not be negative", name, *d))
		case s.Tick > 0 && *d%s.Tick != 0:
			errs = append(errs, fmt.Errorf("phases.%s %s must be a multiple of the tick %s", name, *d, s.Tick))
		case period > 0 && *d >= period:
			errs = append(errs, fmt.Errorf("phases.%s %s must be shorter than its period %s", name, *d, period))
		}
	}
	check("scrape", p.Scrape, s.Prometheus.ScrapeInterval)
	check("poll", p.Poll, 0)
	check("sync", p.Sync, s.Controller.SyncPeriod)
	check("metricsOffset", p.MetricsOffset, p.MetricsResolution)
	for name, d := range map[string]time.Duration{"probePeriod": p.ProbePeriod, "metricsResolution": p.MetricsResolution} {
		if d < 0 || (s.Tick > 0 && d%s.Tick != 0) {
			errs = append(errs, fmt.Errorf("phases.%s %s must be a non-negative multiple of the tick %s", name, d, s.Tick))
		}
	}
	return errs
}

// dueAt reports whether a schedule of period every starting at offset
// fires at now.
func dueAt(now, every, offset time.Duration) bool {
	return every > 0 && now >= offset && (now-offset)%every == 0
}

// nextAt is the first instant after now of that schedule.
func nextAt(now, every, offset time.Duration) time.Duration {
	if now < offset {
		return offset
	}
	return now - (now-offset)%every + every
}

// probeReady is when a pod created at created with startup delay startup
// passes its first readiness probe: probes run every period from created
// plus offset.
func probeReady(created, startup, period, offset time.Duration) time.Duration {
	if period <= 0 {
		return created + startup
	}
	first := created + offset
	ready := created + startup
	if ready <= first {
		return first
	}
	k := (ready - first + period - 1) / period
	return first + k*period
}
