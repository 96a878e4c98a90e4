package sim

import (
	"math"
	"time"
)

// Event-driven stepping.
//
// Most ticks have nothing due but the load: with a 15s scrape, a 15s sync
// and a 30s poll, 14 ticks in 15 change no pod, write no sample, run no
// query and record no row. The engine still visits every tick (the load,
// its noise and the overload accounting are defined per tick), but such a
// quiet tick costs a few operations per load instead of passes over the
// pods: the full tick runs only at the instants computed by dueAfter.
//
// A quiet tick is exactly a full tick with nothing due, for these reasons:
//
//   - pods change only at their readiness instant, at their removal (the
//     first tick at or after goneAt once their series are marked stale,
//     which a scrape does) and when the ReplicaSet acts, which it does
//     only in a tick where it was not already at spec.replicas or after
//     spec.replicas changed in a poll or a sync; so between two due
//     instants the pods in the endpoints are the same;
//   - a connections load places want(t) = round(offered(t)) connections
//     by greedy one-by-one placement (fill) or removal (drain), and with
//     the same pods a run of fills composes into one fill of the sum (the
//     same for drains): the engine only places when the wanted count
//     turns from rising to falling or back, and before the next full
//     tick, so the placement after any run of ticks is that of per-tick
//     placement;
//   - a queue's backlog is one number per tick, and the per-pod shares it
//     sets are read only by the resource usage of a full tick, which
//     recomputes them first;
//   - noise is drawn at every tick in the same order as by a full tick, so
//     the seeded stream is consumed identically.
//
// Loads whose state lives on every pod at every tick (requests counters,
// Kafka partitions, CPU accrual of cAdvisor series) and ScaledJobs run a
// full tick at every tick. TestEventSteppingMatchesEveryTick runs every
// example and a battery of generated specs both ways and requires equal
// results.

// initStepping decides whether quiet ticks may skip the full tick.
func (s *Simulator) initStepping() {
	s.quietOK = s.sj == nil && !s.cadvisor.cpu && !s.everyTick
	for _, l := range s.spec.Loads {
		if l.Model != Connections && l.Model != Queue {
			s.quietOK = false
		}
	}
	s.pending = make([]int64, len(s.spec.Loads))
	s.applied = make([]int64, len(s.spec.Loads))
}

// quietTick runs tick now, at which nothing but the load is due.
func (s *Simulator) quietTick(now time.Duration) {
	dt := s.spec.Tick.Seconds()
	n := float64(s.endpoints)
	overloaded := false
	for li := range s.spec.Loads {
		l, st := &s.spec.Loads[li], &s.loads[li]
		st.offered = s.offeredAt(li, now)
		switch l.Model {
		case Connections:
			s.placeLater(li, int64(math.Round(st.offered)))
			if st.offered > 0 && (n == 0 || (l.Capacity > 0 && st.offered/n > l.Capacity)) {
				overloaded = true
			}
		case Queue:
			capacity := n * l.ServiceRate
			if st.offered > capacity {
				overloaded = true
			}
			st.served = 0
			if now > 0 {
				done := min(st.backlog+st.offered*dt, capacity*dt)
				st.backlog += st.offered*dt - done
				st.backlog = max(st.backlog, 0)
				st.served = done / dt
			}
		}
	}
	if overloaded && now < s.spec.Duration {
		s.result.OverloadedSeconds += dt
	}
	s.noteLoadRise(now)
	s.deferred = true
}

// placeLater records that connections load li wants want connections
// now. It places the pending count first when the wanted count turns
// (see the comment at the top of this file).
func (s *Simulator) placeLater(li int, want int64) {
	a, p := s.applied[li], s.pending[li]
	if (p > a && want < p) || (p < a && want > p) {
		balanceConnections(s.pods.pods, li, p)
		s.applied[li] = p
	}
	s.pending[li] = want
}

// flushLoads places the connections wanted at the last quiet tick, before
// a full tick changes the pods.
func (s *Simulator) flushLoads() {
	if !s.deferred {
		return
	}
	for li, l := range s.spec.Loads {
		if l.Model == Connections {
			balanceConnections(s.pods.pods, li, s.pending[li])
		}
	}
	s.deferred = false
	s.settle()
}

// settle records, after a full tick, the pods in the endpoints and the
// connections they hold, from which quiet ticks continue.
func (s *Simulator) settle() {
	s.endpoints = 0
	clear(s.applied)
	for _, p := range s.pods.pods {
		if !p.inEndpoints() {
			continue
		}
		s.endpoints++
		for li := range s.applied {
			s.applied[li] += p.load[li]
		}
	}
	copy(s.pending, s.applied)
}

// dueAfter is the first tick after now at which a full tick must run.
func (s *Simulator) dueAfter(now time.Duration) time.Duration {
	tick := s.spec.Tick
	next := now + tick
	if !s.quietOK {
		return next
	}
	end := s.spec.Duration
	best := end
	at := func(t time.Duration) {
		if t <= now {
			t = next
		}
		// Instants between ticks are seen at the following tick.
		if r := t % tick; r != 0 {
			t += tick - r
		}
		best = min(best, t)
	}
	every := func(d, offset time.Duration) {
		if d > 0 {
			at(nextAt(now, d, offset))
		}
	}
	every(s.spec.Prometheus.ScrapeInterval, s.phase.Scrape)
	for _, j := range s.spec.Prometheus.Jobs {
		every(j.Interval, s.phase.Scrape)
	}
	if s.loop != nil {
		every(s.loop.PollingInterval(), s.pollFrom)
	}
	if s.ctrl != nil {
		every(s.spec.Controller.SyncPeriod, s.syncFrom)
	}
	every(s.phase.MetricsResolution, s.phase.Metrics)
	every(s.spec.TraceInterval, 0)
	for _, f := range s.spec.Faults {
		if f.From > now {
			at(f.From)
		}
		if f.To > now {
			at(f.To)
		}
	}
	for _, a := range s.spec.Annotate[s.annotateNext:] {
		if a.At > now {
			at(a.At)
			break // in time order: the first one after now is the next
		}
	}
	for _, c := range s.spec.Workload.Crashes {
		if c.At > now {
			at(c.At)
		}
	}
	for i, r := range s.spec.Series {
		if k := s.rawNext[i]; k < len(r.Points) {
			at(r.Points[k].T)
		}
	}
	s.clusterDue(at)
	replicas := int32(0)
	for _, p := range s.pods.pods {
		switch {
		case p.deleting && !p.scraped:
			at(p.goneAt)
		case !p.deleting && !p.ready:
			at(p.readyAt)
		}
		if !p.deleting {
			replicas++
		}
	}
	if replicas != s.desired {
		// The ReplicaSet has more to do (an ordered StatefulSet creates
		// and deletes one pod at a time).
		at(next)
	}
	return best
}
