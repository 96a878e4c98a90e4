package sim

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/autoscale-sim/autoscale-sim/cluster"
	"github.com/autoscale-sim/autoscale-sim/promql"
)

// NamespaceSpec is several workloads simulated together: each Spec is
// one workload with its autoscaler, loads and pods, as for Run, and they
// share what a cluster shares.
//
//   - One Prometheus: every workload's pods are scraped into one store and
//     every query reads it, so a query whose selector matches another
//     workload's series sees them, as it would in the cluster.
//   - One kube-controller-manager: its HPA controller's settings
//     (Spec.Controller) must be the same for all. Each HPA still keeps its
//     own resync: the controller re-queues an HPA a sync period after it
//     last processed it (pkg/controller/podautoscaler/horizontal.go:
//     processNextWorkItem, queue.AddRateLimited), so its phase is its own.
//   - One KEDA operator: the ScaledObjects' KEDA version must be the same;
//     each ScaledObject has its own scale loop (pkg/scaling/scale_handler.go:
//     HandleScalableObject starts one per object), on its own
//     pollingInterval.
//   - One node pool, when the Specs have one: they must give the same
//     pool, whose nodes, scheduler queue and cluster-autoscaler serve the
//     pods of all the workloads.
//
// Feeds couple loads: the requests one workload serves are another's
// arrivals.
type NamespaceSpec struct {
	// Name names the namespace in outputs.
	Name string
	// Workloads are the workloads, in the namespace's order: the order of
	// their pods in the scheduler's queue when created at the same
	// instant, and of their rows in outputs. Their Start, Duration, Tick,
	// TraceInterval and Prometheus engine settings must agree. A
	// workload's Seed is mixed with its index (the first keeps it), so
	// that identical workloads do not draw identical delays.
	Workloads []Spec
	// Feeds are the loads whose arrivals are another load's served
	// requests.
	Feeds []Feed
}

// Feed makes load ToLoad of workload To arrive at Factor times the rate
// at which load FromLoad of workload From is served: a frontend's served
// requests become a backend's requests or a queue's messages. The source
// must be a requests or queue load (it has a served rate) and the target
// a requests, queue or kafka load; its own shape is then unused, its
// noise still applies. The source steps first within each tick, so the
// target sees the rate served at the same tick.
type Feed struct {
	From, FromLoad int
	To, ToLoad     int
	// Factor scales the rate (default 1): messages per request, or the
	// share of requests that reach the backend.
	Factor float64
}

// feed is a Feed as the target's engine reads it.
type feed struct {
	src    *Simulator
	load   int
	factor float64
}

// Namespace is a NamespaceSpec in progress. Create it with NewNamespace.
type Namespace struct {
	spec   NamespaceSpec
	sims   []*Simulator
	order  []int
	store  *promql.Store
	engine *promql.Engine
	cl     *clusterState
	events []Event
	// next is the next tick to run, nextFull the next at which every
	// workload runs a full tick (the earliest any of them needs one).
	now, next, nextFull time.Duration
	started             bool
}

// NamespaceResult is what a namespace's run recorded.
type NamespaceResult struct {
	Name string
	// Workloads are the workloads' results, in the namespace's order. On
	// a node pool each Cluster holds the pool's nodes and the
	// workload's own Pending spans and scale-out.
	Workloads []*Result
	// Events are the pool's own: the cluster-autoscaler's on nodes and
	// its loops (events on a pod are on its workload's timeline).
	Events []Event
	// Cluster is the pool's nodes (nil without a pool), with the Pending
	// spans of all the workloads.
	Cluster *ClusterResult
	// Duration is the simulated time.
	Duration time.Duration
}

// MaxWorkloads bounds the workloads of a namespace (each of which its
// Spec.Limits bounds).
const MaxWorkloads = 100

// seedMix spreads the workloads' seeds (the golden ratio's odd constant).
const seedMix = -7046029254386353131

// NewNamespace validates spec and prepares a run.
func NewNamespace(spec NamespaceSpec) (*Namespace, error) {
	if len(spec.Workloads) == 0 {
		return nil, errors.New("a namespace needs at least one workload")
	}
	// Each workload is bounded by its Limits; this bounds how many.
	if len(spec.Workloads) > MaxWorkloads {
		return nil, fmt.Errorf("%d workloads: at most %d are simulated in one namespace", len(spec.Workloads), MaxWorkloads)
	}
	ws := make([]Spec, len(spec.Workloads))
	for i, w := range spec.Workloads {
		ws[i] = w.Defaulted()
		ws[i].Seed ^= int64(i) * seedMix
		if ws[i].Seed == 0 {
			ws[i].Seed = 1
		}
	}
	if err := sharedSettings(ws); err != nil {
		return nil, err
	}
	order, err := feedOrder(spec.Feeds, ws)
	if err != nil {
		return nil, err
	}
	first := ws[0]
	first.Seed = spec.Workloads[0].Defaulted().Seed
	ns := &Namespace{spec: spec, order: order, store: promql.NewStore(),
		engine: promql.NewEngine(promql.EngineOptions{LookbackDelta: first.Prometheus.LookbackDelta, Evaluation: first.Prometheus.Evaluation, MaxSamples: first.Prometheus.MaxSamples})}
	if first.NodePool != nil {
		if ns.cl, err = newPool(*first.NodePool, first.Seed, first.Start); err != nil {
			return nil, err
		}
		ns.cl.emit = func(now time.Duration, source, typ, reason, msg string) {
			ns.events = append(ns.events, Event{T: now, Source: source, Type: typ, Reason: reason, Message: msg})
		}
	}
	for i, w := range ws {
		s, err := newSimulator(w, ns)
		if err != nil {
			return nil, workloadError(i, w, err)
		}
		// Outputs name the namespace's seed, the one to run again with.
		s.result.Seed = first.Seed
		ns.sims = append(ns.sims, s)
	}
	for _, f := range spec.Feeds {
		t := ns.sims[f.To]
		if t.feeds == nil {
			t.feeds = map[int]feed{}
		}
		factor := f.Factor
		if factor == 0 {
			factor = 1
		}
		t.feeds[f.ToLoad] = feed{src: ns.sims[f.From], load: f.FromLoad, factor: factor}
	}
	for i, s := range ns.sims {
		for li, l := range s.spec.Loads {
			if _, ok := l.Shape.(Fed); ok && s.feeds[li].src == nil {
				return nil, fmt.Errorf("%s: load %d is fed (sim.Fed) but no feed names it", workloadLabel(i, s.spec), li)
			}
		}
	}
	if ns.cl != nil {
		// The initial pods of all the workloads, placed as the scheduler
		// would have placed them, in one queue.
		ns.cl.schedule(0)
		for _, s := range ns.sims {
			s.initialPending()
		}
	}
	return ns, nil
}

// WorkloadError is an error of one workload of a namespace.
type WorkloadError struct {
	// Index is the workload's index in NamespaceSpec.Workloads.
	Index int
	Label string
	Err   error
}

func (e *WorkloadError) Error() string { return e.Label + ": " + e.Err.Error() }
func (e *WorkloadError) Unwrap() error { return e.Err }

func workloadError(i int, w Spec, err error) error {
	return &WorkloadError{Index: i, Label: workloadLabel(i, w), Err: err}
}

func workloadLabel(i int, w Spec) string {
	return fmt.Sprintf("workloads[%d] (%s/%s)", i, w.Workload.Kind, w.Workload.Name)
}

// sharedSettings checks that the workloads agree on what one cluster
// shares (see NamespaceSpec).
func sharedSettings(ws []Spec) error {
	first := ws[0]
	names := map[string]int{}
	keda := -1
	for i, w := range ws {
		label := workloadLabel(i, w)
		if j, ok := names[w.Workload.Name]; ok {
			return fmt.Errorf("%s: the name %q is also workloads[%d]'s; pods are named after their workload, so names must differ", label, w.Workload.Name, j)
		}
		names[w.Workload.Name] = i
		if i == 0 {
			continue
		}
		differ := func(what string) error {
			return fmt.Errorf("%s: %s differs from workloads[0]'s; the workloads of a namespace share it", label, what)
		}
		switch {
		case !w.Start.Equal(first.Start):
			return differ("the start")
		case w.Duration != first.Duration:
			return differ("the duration")
		case w.Tick != first.Tick:
			return differ("the tick")
		case w.TraceInterval != first.TraceInterval:
			return differ("the trace interval")
		case w.Prometheus.LookbackDelta != first.Prometheus.LookbackDelta || w.Prometheus.Evaluation != first.Prometheus.Evaluation ||
			w.Prometheus.MaxSamples != first.Prometheus.MaxSamples:
			return differ("Prometheus' query engine (lookback delta, evaluation, sample limit)")
		case !reflect.DeepEqual(w.Controller, first.Controller):
			return differ("the HPA controller's settings (one kube-controller-manager syncs every HPA)")
		case (w.NodePool == nil) != (first.NodePool == nil) || w.NodePool != nil && !reflect.DeepEqual(*w.NodePool, *first.NodePool):
			return differ("the node pool")
		}
	}
	for i, w := range ws {
		if w.KEDA == nil {
			continue
		}
		if keda < 0 {
			keda = i
			continue
		}
		if w.KEDA.Version != ws[keda].KEDA.Version {
			return fmt.Errorf("%s: KEDA %s differs from workloads[%d]'s %s; one KEDA operator serves the namespace", workloadLabel(i, w), w.KEDA.Version, keda, ws[keda].KEDA.Version)
		}
	}
	return nil
}

// feedOrder checks the feeds and returns the order in which the
// workloads step within a tick: every feed's source before its target,
// otherwise the namespace's order.
func feedOrder(feeds []Feed, ws []Spec) ([]int, error) {
	after := make([][]int, len(ws))
	fed := map[[2]int]bool{}
	for k, f := range feeds {
		where := fmt.Sprintf("feeds[%d]", k)
		if f.From < 0 || f.From >= len(ws) || f.To < 0 || f.To >= len(ws) {
			return nil, fmt.Errorf("%s: workload index out of range (0 to %d)", where, len(ws)-1)
		}
		if f.From == f.To {
			return nil, fmt.Errorf("%s: a workload cannot feed itself", where)
		}
		if f.Factor < 0 {
			return nil, fmt.Errorf("%s: factor %g is negative; want a rate multiplier of 0 or more", where, f.Factor)
		}
		src, dst := ws[f.From], ws[f.To]
		if f.FromLoad < 0 || f.FromLoad >= len(src.Loads) {
			return nil, fmt.Errorf("%s: %s has no load %d", where, workloadLabel(f.From, src), f.FromLoad)
		}
		if f.ToLoad < 0 || f.ToLoad >= len(dst.Loads) {
			return nil, fmt.Errorf("%s: %s has no load %d", where, workloadLabel(f.To, dst), f.ToLoad)
		}
		if m := src.Loads[f.FromLoad].Model; m != Requests && m != Queue {
			return nil, fmt.Errorf("%s: the source is a %s load; only requests and queue loads serve requests (allowed: requests, queue)", where, m)
		}
		if m := dst.Loads[f.ToLoad].Model; m != Requests && m != Queue && m != KafkaModel {
			return nil, fmt.Errorf("%s: the target is a %s load; requests can only arrive as requests, queue messages or Kafka records (allowed: requests, queue, kafka)", where, m)
		}
		if _, ok := dst.Loads[f.ToLoad].Shape.(Fed); !ok {
			return nil, fmt.Errorf("%s: %s load %d has a shape of its own; a fed load's shape is sim.Fed", where, workloadLabel(f.To, dst), f.ToLoad)
		}
		key := [2]int{f.To, f.ToLoad}
		if fed[key] {
			return nil, fmt.Errorf("%s: %s load %d is already fed by another feed", where, workloadLabel(f.To, dst), f.ToLoad)
		}
		fed[key] = true
		after[f.From] = append(after[f.From], f.To)
	}
	// Kahn's algorithm, always taking the lowest ready index.
	in := make([]int, len(ws))
	for _, ts := range after {
		for _, t := range ts {
			in[t]++
		}
	}
	var order []int
	done := make([]bool, len(ws))
	for len(order) < len(ws) {
		next := -1
		for i := range ws {
			if !done[i] && in[i] == 0 {
				next = i
				break
			}
		}
		if next < 0 {
			return nil, errors.New("feeds: the feeds form a cycle; a workload's arrivals cannot depend on what it serves")
		}
		done[next] = true
		order = append(order, next)
		for _, t := range after[next] {
			in[t]--
		}
	}
	return order, nil
}

// BoundMemory bounds the shared store as Simulator.BoundMemory does, to
// the longest retention any workload's queries need.
func (ns *Namespace) BoundMemory() bool {
	var keep time.Duration
	for _, s := range ns.sims {
		k, ok := s.retention()
		if !ok {
			return false
		}
		keep = max(keep, k)
	}
	ns.store.SetRetention(keep)
	return true
}

// Run simulates the namespace to the end and returns its result.
func (ns *Namespace) Run(ctx context.Context) (*NamespaceResult, error) {
	if err := ns.RunUntil(ctx, ns.sims[0].spec.Duration); err != nil {
		return nil, err
	}
	for i, s := range ns.sims {
		if err := s.checkQueries(); err != nil {
			return nil, workloadError(i, s.spec, err)
		}
		if err := s.checkServed(); err != nil {
			return nil, workloadError(i, s.spec, err)
		}
	}
	return ns.Result(), nil
}

// RunNamespace runs spec with the store bounded as Run does.
func RunNamespace(ctx context.Context, spec NamespaceSpec) (*NamespaceResult, error) {
	ns, err := NewNamespace(spec)
	if err != nil {
		return nil, err
	}
	ns.BoundMemory()
	return ns.Run(ctx)
}

// RunUntil runs every tick up to and including t, as Simulator.RunUntil.
// At each tick every workload runs the same part of the tick before any
// runs the next (doc.go's steps): the pool's cluster-autoscaler, then
// steps 0 to 3 (so every scrape of the tick is in the store before any
// query), steps 4 to 6, the scheduler's pass over all the Pending pods,
// and step 7. A tick is quiet for all or for none: the union of the
// workloads' due instants runs in full, which gives the same results as
// a full tick everywhere (stepping.go).
func (ns *Namespace) RunUntil(ctx context.Context, t time.Duration) error {
	first := ns.sims[0]
	t = min(t, first.spec.Duration)
	tick := first.spec.Tick
	if !ns.started {
		for _, s := range ns.sims {
			s.initStepping()
		}
		ns.started = true
	}
	for ; ns.next <= t; ns.next += tick {
		now := ns.next
		if now < ns.nextFull {
			ns.now = now
			for _, i := range ns.order {
				s := ns.sims[i]
				s.now, s.next = now, now+tick
				s.quietTick(now)
			}
			continue
		}
		if err := ctx.Err(); err != nil {
			return &InterruptedError{At: ns.now, Duration: first.spec.Duration, Err: err}
		}
		ns.now = now
		for _, s := range ns.sims {
			s.flushLoads()
			s.now, s.next = now, now+tick
		}
		if ns.cl != nil {
			ns.cl.step(now)
		}
		for part := range 2 {
			for _, i := range ns.order {
				s := ns.sims[i]
				var err error
				if part == 0 {
					err = s.tickInputs(ctx)
				} else {
					err = s.tickControllers(ctx)
				}
				if err != nil {
					var ie *InterruptedError
					if errors.As(err, &ie) {
						return ie
					}
					return fmt.Errorf("t=%s: %w", now, workloadError(i, s.spec, err))
				}
			}
		}
		if ns.cl != nil {
			ns.cl.schedule(now)
		}
		ns.nextFull = first.spec.Duration
		for _, s := range ns.sims {
			s.tickRecord()
			s.settle()
			ns.nextFull = min(ns.nextFull, s.dueAfter(now))
		}
	}
	for _, s := range ns.sims {
		s.flushLoads()
	}
	return nil
}

// withPoolEvents merges the pool's events into a workload's timeline, so
// that it reads as a run of its own would (a Node Ready before the pod
// bound to it): at the same instant the pool's come first, as the
// cluster-autoscaler steps before the workloads.
// Each carries the workload's spec.replicas then, as its own events do.
func withPoolEvents(own, pool []Event, initial int32) []Event {
	out := make([]Event, 0, len(own)+len(pool))
	i, cur := 0, initial
	flush := func(upTo time.Duration, all bool) {
		for i < len(pool) && (all || pool[i].T <= upTo) {
			e := pool[i]
			e.From, e.To = cur, cur
			out = append(out, e)
			i++
		}
	}
	for _, e := range own {
		flush(e.T, false)
		out = append(out, e)
		cur = e.To
	}
	flush(0, true)
	return out
}

// Now is the instant of the last tick run.
func (ns *Namespace) Now() time.Duration { return ns.now }

// Workloads are the namespace's simulators, in its order, to inspect
// (their Query reads the namespace's one Prometheus).
func (ns *Namespace) Workloads() []*Simulator { return slices.Clone(ns.sims) }

// Result returns a copy of what has been recorded so far.
func (ns *Namespace) Result() *NamespaceResult {
	out := &NamespaceResult{Name: ns.spec.Name, Events: slices.Clone(ns.events), Duration: ns.sims[0].spec.Duration}
	for _, s := range ns.sims {
		r := s.Result()
		if ns.cl != nil {
			r.Cluster.Nodes = slices.Clone(ns.cl.res.Nodes)
			r.Cluster.Ready = slices.Clone(ns.cl.res.Ready)
			r.Events = withPoolEvents(r.Events, ns.events, r.InitialReplicas)
		}
		out.Workloads = append(out.Workloads, r)
	}
	if ns.cl != nil {
		c := ns.cl.res.clone()
		for _, r := range out.Workloads {
			c.Pending = append(c.Pending, r.Cluster.Pending...)
		}
		slices.SortStableFunc(c.Pending, func(a, b cluster.Span) int { return a.Start.Compare(b.Start) })
		out.Cluster = c
	}
	return out
}

// NodeFigures are the pool's figures over the Pending pods of every
// workload (nil without a pool); the scale-out is each workload's own.
func (r *NamespaceResult) NodeFigures() *NodeFigures {
	if r.Cluster == nil {
		return nil
	}
	return nodeFigures(&Result{Cluster: r.Cluster, Duration: r.Duration})
}

// NamespaceAutoscaler is the Autoscaler of NamespaceResult.Total.
const NamespaceAutoscaler = "namespace"

// Total is the namespace as one workload: its replicas are the sum of
// the workloads' at every instant (the scale events are the changes of
// the sum, one per workload's change), its bounds the sums of theirs,
// its overload the sum of theirs and its cluster the pool's. The load
// columns are left out (the workloads' loads have different units).
// Sweeps and comparisons read it.
func (r *NamespaceResult) Total() *Result {
	out := &Result{Name: r.Name, Duration: r.Duration, Autoscaler: NamespaceAutoscaler, Workload: fmt.Sprintf("%d workloads", len(r.Workloads)),
		Cluster: r.Cluster.clone()}
	type change struct {
		Event
		w int
	}
	var all []change
	cur := make([]int32, len(r.Workloads))
	for i, w := range r.Workloads {
		if i == 0 {
			out.Start, out.Seed = w.Start, w.Seed
		}
		out.InitialReplicas += w.InitialReplicas
		out.MinReplicas += w.MinReplicas
		out.MaxReplicas += w.MaxReplicas
		out.OverloadedSeconds += w.OverloadedSeconds
		if w.LoadRises && (!out.LoadRises || w.LoadRise < out.LoadRise) {
			out.LoadRise, out.LoadRises = w.LoadRise, true
		}
		cur[i] = w.InitialReplicas
		for _, e := range w.changes() {
			all = append(all, change{e, i})
		}
	}
	slices.SortStableFunc(all, func(a, b change) int { return cmp.Compare(a.T, b.T) })
	total := out.InitialReplicas
	for _, c := range all {
		next := total - cur[c.w] + c.To
		cur[c.w] = c.To
		e := c.Event
		e.From, e.To = total, next
		e.Message = r.Workloads[c.w].Workload + ": " + e.Message
		out.Events = append(out.Events, e)
		total = next
	}
	if len(r.Workloads) > 0 {
		for k := range r.Workloads[0].Samples {
			var s Sample
			for _, w := range r.Workloads {
				if k >= len(w.Samples) {
					continue
				}
				ws := w.Samples[k]
				s.T = ws.T
				s.DesiredReplicas += ws.DesiredReplicas
				s.Replicas += ws.Replicas
				s.ReadyReplicas += ws.ReadyReplicas
			}
			out.Samples = append(out.Samples, s)
		}
	}
	return out
}
