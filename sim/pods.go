package sim

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/promql"
)

// pod is one simulated pod of the workload.
type pod struct {
	name    string
	seq     int // creation order, the tie-breaker of every choice
	created time.Duration
	readyAt time.Duration
	ready   bool
	// deleting is set when the ReplicaSet deletes the pod; it leaves the
	// endpoints at once and disappears at goneAt.
	deleting bool
	goneAt   time.Duration
	// scraped is true while the pod is a scrape target; when it stops being
	// one the next scrape writes staleness markers for its series.
	scraped bool
	// load holds the open connections of Connections loads, indexed like
	// Spec.Loads.
	load []int64
	// served is the pod's share of a Requests or Queue load per second at
	// the current tick; total counts the requests it served (the counter
	// it exposes).
	served, total []float64
	// failed marks a crashed pod (phase Failed) on its way out.
	failed bool
	// refs are the pod's series in the store, indexed like Spec.Loads,
	// looked up at its first scrape so that later scrapes append by
	// reference.
	refs []promql.SeriesRef
	// cadvisor is the container's CPU counter and its cAdvisor series.
	cadvisor cadvisorState
	// runningAt is when the pod's container starts (phase Running): the
	// time to Ready less the readiness probe's part.
	runningAt time.Duration
	// jobs is the pod's state in each scrape job (Prometheus.Jobs).
	jobs []scrapeJobState
	// msUsage is the usage metrics-server read at its last scrape, at
	// msAt (see Phases.MetricsResolution).
	msUsage map[string]int64
	msAt    time.Duration
	// On a node pool (Spec.NodePool): node is where the pod is bound,
	// nil while it is Pending (or after its node was deleted); boundAt
	// is when it was bound, startup its start-up delay, which runs from
	// the binding. unschedulable says the scheduler found no node for
	// it (PodScheduled=False, reason Unschedulable), schedMsg is its
	// last FailedScheduling message and pendingSpan its wait's index in
	// ClusterResult.Pending, plus one (0: none open).
	node          *simNode
	boundAt       time.Duration
	startup       time.Duration
	unschedulable bool
	schedMsg      string
	pendingSpan   int
}

// unbound reports whether the pod waits for a node: on a node pool, a
// pod not yet scheduled. Without a node pool every pod is bound at its
// creation.
func (p *pod) unbound(ps *podSet) bool { return ps.cl != nil && p.node == nil && !p.deleting }

// inEndpoints reports whether the pod receives traffic and is scraped:
// Endpoints list ready pods that are not terminating.
func (p *pod) inEndpoints() bool { return p.ready && !p.deleting }

// podSet is the pods of the workload and the ReplicaSet logic that creates
// and deletes them.
type podSet struct {
	prefix  string
	nextSeq int
	pods    []*pod // creation order
	// gone are removed pods whose cAdvisor series await staleness markers.
	gone  []*pod
	loads int
	// container and requests make up each pod's spec: the container
	// that carries the load, and the others (sidecars).
	container string
	requests  map[string]int64
	sidecars  []Container
	// readinessDelay is the part of a pod's startup between its container
	// starting and it being Ready (Workload.ReadinessDelay).
	readinessDelay time.Duration
	// ever holds the name of every pod created, for questions about where
	// series came from.
	ever map[string]bool
	// probePeriod is the readiness probe's period (Phases.ProbePeriod)
	// and probeOffset, when set, draws each new pod's probe offset.
	probePeriod time.Duration
	probeOffset func() time.Duration
	// ordered names pods by ordinal and creates and deletes them one at
	// a time (Workload.Ordered).
	ordered bool
	// cl is the node pool, nil when capacity is unbounded; tmpl is the
	// pod as its scheduler reads it and clres holds the pods' Pending
	// spans and the scale-out (see clusterState.join).
	cl    *clusterState
	tmpl  scheduler.Pod
	clres *ClusterResult
}

func (ps *podSet) phase(p *pod) hpa.PodPhase {
	if p.failed {
		return hpa.PodFailed
	}
	if p.unbound(ps) {
		// Not scheduled: phase Pending, which the HPA counts as unready
		// (replica_calculator.go: groupPods).
		return hpa.PodPending
	}
	return hpa.PodRunning
}

func (ps *podSet) create(now, startup time.Duration) *pod {
	running := now + max(startup-ps.readinessDelay, 0)
	name := fmt.Sprintf("%s-%05d", ps.prefix, ps.nextSeq)
	if ps.ordered {
		name = fmt.Sprintf("%s-%d", ps.prefix, ps.lowestFreeOrdinal())
	}
	p := &pod{
		name:    name,
		seq:     ps.nextSeq,
		created: now,
		boundAt: now,
		startup: startup,
		load:    make([]int64, ps.loads),
		served:  make([]float64, ps.loads),
		total:   make([]float64, ps.loads),
		refs:    make([]promql.SeriesRef, ps.loads),
	}
	if ps.cl != nil {
		// A new pod waits for the scheduler: its containers start, and
		// its start-up delay runs, from the binding (bind).
		p.readyAt, p.runningAt = never, never
		ps.cl.dirty = true
	} else {
		p.readyAt, p.runningAt = ps.readyAt(now, startup), running
	}
	ps.nextSeq++
	if ps.ever == nil {
		ps.ever = map[string]bool{}
	}
	ps.ever[name] = true
	if p.readyAt == now {
		p.ready = true
	}
	ps.pods = append(ps.pods, p)
	return p
}

// readyAt is when a pod created at now with this startup delay passes its
// readiness probe (see Phases.ProbePeriod).
func (ps *podSet) readyAt(now, startup time.Duration) time.Duration {
	if ps.probePeriod <= 0 {
		return now + startup
	}
	var offset time.Duration
	if ps.probeOffset != nil {
		offset = ps.probeOffset()
	}
	return probeReady(now, startup, ps.probePeriod, offset)
}

// active returns the pods that count towards replicas: not terminating.
func (ps *podSet) active() []*pod {
	out := make([]*pod, 0, len(ps.pods))
	for _, p := range ps.pods {
		if !p.deleting {
			out = append(out, p)
		}
	}
	return out
}

func (ps *podSet) counts() (replicas, ready int32) {
	for _, p := range ps.pods {
		if p.deleting {
			continue
		}
		replicas++
		if p.ready {
			ready++
		}
	}
	return replicas, ready
}

// advance applies readiness and removal due at now.
func (ps *podSet) advance(now time.Duration) {
	// Most ticks remove nothing: only read until a pod goes.
	for i, p := range ps.pods {
		if p.deleting && now >= p.goneAt && !p.scraped {
			ps.removeFrom(i, now)
			return
		}
		if !p.deleting && !p.ready && now >= p.readyAt {
			p.ready = true
		}
	}
}

// removeFrom finishes advance from index i, the first pod that goes,
// keeping the creation order.
func (ps *podSet) removeFrom(i int, now time.Duration) {
	ps.leave(ps.pods[i], now)
	kept := ps.pods[:i]
	for _, p := range ps.pods[i+1:] {
		if p.deleting && now >= p.goneAt && !p.scraped {
			ps.leave(p, now)
			continue
		}
		if !p.deleting && !p.ready && now >= p.readyAt {
			p.ready = true
		}
		kept = append(kept, p)
	}
	clear(ps.pods[len(kept):])
	ps.pods = kept
}

// leave keeps the cAdvisor series of a pod that goes, for the next scrape
// to mark stale.
func (ps *podSet) leave(p *pod, now time.Duration) {
	if ps.cl != nil {
		ps.unbind(p, now)
	}
	if p.cadvisor.live {
		ps.gone = append(ps.gone, p)
	}
}

// scaleTo creates or deletes pods so that replicas (non-terminating pods)
// equals want.
// startup gives each new pod its startup delay.
func (ps *podSet) scaleTo(want int32, now time.Duration, startup func() time.Duration, termination time.Duration) {
	if ps.ordered {
		ps.scaleOrdered(want, now, startup, termination)
		return
	}
	n, _ := ps.counts()
	for ; n < want; n++ {
		ps.create(now, startup())
	}
	if excess := int(n - want); excess > 0 {
		for _, p := range podsToDelete(ps.active(), excess) {
			p.goneAt = now + termination
			if p.unbound(ps) {
				// A pod not bound to a node is deleted at once, without
				// a grace period (pkg/registry/core/pod/strategy.go:
				// CheckGracefulDelete).
				p.goneAt = now
				ps.endPending(p, now)
			}
			p.deleting = true
			p.ready = false
		}
	}
}

// scaleOrdered is scaleTo for a StatefulSet with podManagementPolicy
// OrderedReady (kubernetes pkg/controller/statefulset/
// stateful_set_control.go updateStatefulSet with monotonic ordering): it
// creates the next ordinal only when every pod is Ready and none is
// terminating, and deletes the highest ordinal only when every other pod
// is Ready and the previous deletion is complete.
func (ps *podSet) scaleOrdered(want int32, now time.Duration, startup func() time.Duration, termination time.Duration) {
	n, ready := ps.counts()
	for _, p := range ps.pods {
		if p.deleting {
			return
		}
	}
	switch {
	case n < want && ready == n:
		ps.create(now, startup())
	case n > want && ready == n:
		active := ps.active()
		victim := active[0]
		for _, p := range active {
			if ordinal(p.name) > ordinal(victim.name) {
				victim = p
			}
		}
		victim.deleting = true
		victim.ready = false
		victim.goneAt = now + termination
	}
}

// lowestFreeOrdinal is the ordinal a StatefulSet gives its next pod.
func (ps *podSet) lowestFreeOrdinal() int {
	used := map[int]bool{}
	for _, p := range ps.pods {
		if !p.deleting {
			used[ordinal(p.name)] = true
		}
	}
	i := 0
	for used[i] {
		i++
	}
	return i
}

// ordinal is the number after the last dash of a StatefulSet pod's name.
func ordinal(name string) int {
	n := 0
	for i := strings.LastIndexByte(name, '-') + 1; i < len(name); i++ {
		n = n*10 + int(name[i]-'0')
	}
	return n
}

// crash fails pods at now: pod index i among the active pods in creation
// order, or the count oldest. A failed pod is no longer active, so the
// ReplicaSet replaces it in this tick's step 6: kubernetes
// pkg/controller/replicaset/replica_set.go syncReplicaSet counts only
// controller.FilterActivePods, which drops pods in phase Failed
// (pkg/controller/controller_utils.go IsPodActive). It leaves the endpoints
// at once (EndpointSlice controller: not ready) and is gone at the next
// tick after its series were marked stale.
func (ps *podSet) crash(now time.Duration, c Crash) (names []string) {
	active := ps.active()
	victims := active
	switch {
	case c.Count > 0:
		victims = active[:min(c.Count, len(active))]
	case c.Pod < len(active):
		victims = active[c.Pod : c.Pod+1]
	default:
		victims = nil
	}
	for _, p := range victims {
		p.failed, p.deleting, p.ready = true, true, false
		p.goneAt = now
		names = append(names, p.name)
	}
	return names
}

// podsToDelete picks which pods a ReplicaSet deletes when scaled down:
// not-ready pods before ready ones, then the ones that became ready most
// recently, then the newest. This follows the ranking of
// kubernetes pkg/controller/replicaset/replica_set.go getPodsToDelete and
// pkg/controller/controller_utils.go ActivePodsWithRanks.Less, restricted
// to what the simulation models (one node, no restarts, no
// pod-deletion-cost). Deviation: with the LogarithmicScaleDown gate (on by
// default) upstream compares ready and creation times in power-of-two
// buckets of their age and breaks ties by pod UID, a pseudorandom order;
// the simulation compares exact times instead, so that runs stay
// reproducible without inventing UIDs.
func podsToDelete(active []*pod, n int) []*pod {
	ranked := append([]*pod(nil), active...)
	sort.SliceStable(ranked, func(i, j int) bool {
		a, b := ranked[i], ranked[j]
		// Unassigned before assigned (ActivePodsWithRanks.Less, its first
		// rule): on a node pool a scale-in removes Pending pods first.
		if ua, ub := a.node == nil && a.unschedulable, b.node == nil && b.unschedulable; ua != ub {
			return ua
		}
		if a.ready != b.ready {
			return !a.ready
		}
		if a.ready && a.readyAt != b.readyAt {
			return a.readyAt > b.readyAt
		}
		if a.created != b.created {
			return a.created > b.created
		}
		return a.seq > b.seq
	})
	return ranked[:n]
}

// hpaPods is what the HPA controller's pod lister sees.
func (ps *podSet) hpaPods(start time.Time) []hpa.Pod {
	out := make([]hpa.Pod, 0, len(ps.pods))
	for _, p := range ps.pods {
		started := start.Add(p.boundAt)
		hp := hpa.Pod{
			Name:      p.name,
			Phase:     ps.phase(p),
			Deleting:  p.deleting,
			StartTime: &started,
		}
		if req := ps.requests; len(req) > 0 || len(ps.sidecars) > 0 {
			hp.Containers = make([]hpa.Container, 0, 1+len(ps.sidecars))
			hp.Containers = append(hp.Containers, hpa.Container{Name: ps.container, RequestsMilli: req})
			for _, c := range ps.sidecars {
				hp.Containers = append(hp.Containers, hpa.Container{Name: c.Name, RequestsMilli: c.RequestsMilli})
			}
		}
		if p.ready {
			hp.Ready = &hpa.ReadyCondition{Status: true, LastTransitionTime: start.Add(p.readyAt)}
		} else {
			hp.Ready = &hpa.ReadyCondition{Status: false, LastTransitionTime: started}
		}
		out = append(out, hp)
	}
	return out
}
