package sim

import (
	"math"
	"time"

	"github.com/autoscale-sim/autoscale-sim/promql"
)

// loadState is the engine's state of one load besides what the pods hold.
type loadState struct {
	// offered is the load at the current tick, noise included.
	offered float64
	// backlog is the queue of the Queue model.
	backlog float64
	// served is what all pods served per second at the current tick.
	served float64
	// ref is the backlog series of the Queue model, once written.
	ref promql.SeriesRef
	// kafka is the topic of the Kafka model.
	kafka *kafkaState
}

// offeredAt is load li's shape at now plus its noise, never negative.
func (s *Simulator) offeredAt(li int, now time.Duration) float64 {
	l := &s.spec.Loads[li]
	var v float64
	if f, ok := s.feeds[li]; ok {
		// What the source served at this tick: it stepped first.
		v = f.factor * f.src.loads[f.load].served
	} else {
		v = l.Shape.At(now)
	}
	if sd := l.Noise.Stddev + l.Noise.Relative*math.Abs(v); sd > 0 {
		v += s.noise.NormFloat64() * sd
	}
	return max(v, 0)
}

// noteLoadRise records the first instant the first load is above its
// start: the reference of the time to the first scale-up. A load fed by
// another workload rises when its source's does.
func (s *Simulator) noteLoadRise(now time.Duration) {
	if len(s.spec.Loads) == 0 || s.result.LoadRises {
		return
	}
	rises := false
	if f, ok := s.feeds[0]; ok {
		rises = f.src.result.LoadRises
	} else {
		rises = s.spec.Loads[0].Shape.At(now) > s.spec.Loads[0].Shape.At(0)
	}
	if rises {
		s.result.LoadRise, s.result.LoadRises = now, true
	}
}

// applyLoads runs step 2 of a tick: each load meets the ready pods.
// overloaded reports a load above what the ready pods handle.
func (s *Simulator) applyLoads(now time.Duration) (overloaded bool) {
	dt := s.spec.Tick.Seconds()
	// The ready pods, listed (in a buffer reused from tick to tick) only
	// for the models that visit them.
	ready := s.ready[:0]
	listed := false
	readyList := func() []*pod {
		if !listed {
			for _, p := range s.pods.pods {
				if p.inEndpoints() {
					ready = append(ready, p)
				}
			}
			s.ready, listed = ready, true
		}
		return ready
	}
	var count int
	for _, p := range s.pods.pods {
		if p.inEndpoints() {
			count++
		}
	}
	n := float64(count)
	for li, l := range s.spec.Loads {
		st := &s.loads[li]
		st.offered = s.offeredAt(li, now)
		if l.Model != Connections {
			// served is only ever set for these models: it stays 0 for
			// the Connections ones.
			for _, p := range s.pods.pods {
				p.served[li] = 0
			}
		}
		switch l.Model {
		case Connections:
			balanceConnections(s.pods.pods, li, int64(math.Round(st.offered)))
			// With no ready pod, clients find nothing to connect to,
			// whatever the capacity.
			if st.offered > 0 && (n == 0 || (l.Capacity > 0 && st.offered/n > l.Capacity)) {
				overloaded = true
			}
		case Requests:
			// Clients spread requests evenly over the endpoints (kube-proxy
			// picks a backend at random per connection); a pod serves at
			// most Capacity req/s and the rest fail.
			per := 0.0
			if n > 0 {
				per = st.offered / n
			}
			if st.offered > 0 && (n == 0 || (l.Capacity > 0 && per > l.Capacity)) {
				overloaded = true
			}
			if l.Capacity > 0 {
				per = min(per, l.Capacity)
			}
			st.served = per * n
			for _, p := range readyList() {
				p.served[li] = per
				// The counter counts the requests of the tick that ends now.
				if now > 0 {
					p.total[li] += per * dt
				}
			}
		case KafkaModel:
			if s.applyKafka(li, now, readyList()) {
				overloaded = true
			}
		case Queue:
			// Items arrive during the tick; each ready pod takes ServiceRate
			// per second off the backlog.
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
			for _, p := range readyList() {
				p.served[li] = st.served / n
			}
		}
	}
	return overloaded
}

// podValue is what pod p exposes for per-pod load li.
func podValue(l *Load, p *pod, li int) float64 {
	if l.Model == Connections {
		return float64(p.load[li])
	}
	return p.total[li]
}

// unit is pod p's share of load li, the driver of resource usage.
func unit(l Load, p *pod, li int) float64 {
	if l.Model == Connections {
		return float64(p.load[li])
	}
	return p.served[li]
}

// queueLabels are the labels of a queue's backlog series: it belongs to
// the broker, not to a pod.
func (s *Simulator) queueLabels(metric string) promql.Labels {
	return promql.Labels{
		"__name__":  metric,
		"namespace": s.spec.Workload.Namespace,
		"job":       s.spec.Prometheus.Job,
	}
}

// appendRaw writes the points of the raw series that fall in (prev, now].
func (s *Simulator) appendRaw(now time.Duration) error {
	for i, r := range s.spec.Series {
		pts := r.Points
		for s.rawNext[i] < len(pts) && pts[s.rawNext[i]].T <= now {
			pt := pts[s.rawNext[i]]
			s.rawNext[i]++
			if pt.T < 0 {
				continue
			}
			at := s.spec.Start.Add(pt.T)
			var err error
			if pt.Stale {
				err = s.store.AppendStale(r.Labels, at)
			} else {
				err = s.store.Append(r.Labels, at, pt.V)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
