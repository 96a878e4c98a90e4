package sim_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// renamed is a copy of a KEDA spec for another Deployment whose trigger
// reads only its own pods' series (job label).
func renamed(spec sim.Spec, name string) sim.Spec {
	so := *spec.KEDA.Object
	so.Name, so.ScaleTargetRef.Name = name, name
	so.Triggers = append(so.Triggers[:0:0], so.Triggers...)
	md := map[string]string{}
	for k, v := range so.Triggers[0].Metadata {
		md[k] = v
	}
	md["query"] = fmt.Sprintf(`sum(websocket_connection_count{job=%q})`, name)
	so.Triggers[0].Metadata = md
	k := *spec.KEDA
	k.Object = &so
	spec.KEDA = &k
	spec.Workload.Name = name
	spec.Prometheus.Job = ""
	return spec
}

func namespaceExample(t *testing.T) sim.NamespaceSpec {
	t.Helper()
	sc, err := scenarios.Load("../examples/namespace/scenario.yaml")
	require.NoError(t, err)
	require.NotNil(t, sc.Namespace)
	return sc.Namespace.Spec(sc.Name)
}

// A namespace of one workload is that workload's run, byte for byte:
// the lockstep driver, the shared store and the pool's event routing add
// nothing of their own.
func TestNamespaceOfOneIsARun(t *testing.T) {
	for _, p := range []string{"websocket/scenario.yaml", "node-pool/scenario.yaml", "queue/scenario.yaml", "http-rate/scenario.yaml"} {
		t.Run(p, func(t *testing.T) {
			sc, err := scenarios.Load("../examples/" + p)
			require.NoError(t, err)
			want, err := sim.Run(context.Background(), sc.Spec)
			require.NoError(t, err)
			got, err := sim.RunNamespace(context.Background(), sim.NamespaceSpec{Workloads: []sim.Spec{sc.Spec}})
			require.NoError(t, err)
			require.Len(t, got.Workloads, 1)
			sameText(t, traceJSON(t, want), traceJSON(t, got.Workloads[0]))
			require.Equal(t, want.Events, got.Workloads[0].Events)
			require.Equal(t, want.Figures(), got.Workloads[0].Figures())
		})
	}
}

// One Prometheus: a trigger whose selector matches another workload's
// series sees them. Workload b serves no clients, but its query has no
// job selector, so it counts a's connections and scales with a; a's own
// query, restricted to its job, does not see b's pods. Separate stores
// (one Prometheus per workload) would leave b at minReplicaCount.
func TestNamespaceSharesOnePrometheus(t *testing.T) {
	a := renamed(daySpec(20, 2*time.Hour), "a")
	a.Loads[0].Shape = sim.Sine{Period: time.Hour, Min: 200, Max: 1500}
	b := renamed(daySpec(20, 2*time.Hour), "b")
	b.KEDA.Object.Triggers[0].Metadata["query"] = `sum(websocket_connection_count{namespace="bench"})`
	b.Loads[0].Shape = sim.Stages{}
	res, err := sim.RunNamespace(context.Background(), sim.NamespaceSpec{Workloads: []sim.Spec{a, b}})
	require.NoError(t, err)
	fa, fb := res.Workloads[0].Figures(), res.Workloads[1].Figures()
	require.Greater(t, fa.MaxReplicas, int32(4))
	require.Greater(t, fb.MaxReplicas, int32(4), "b reads a's series from the one Prometheus")

	alone, err := sim.Run(context.Background(), b)
	require.NoError(t, err)
	require.Equal(t, b.Workload.InitialReplicas, alone.Figures().MaxReplicas, "alone, b sees no connection")
	aAlone, err := sim.Run(context.Background(), a)
	require.NoError(t, err)
	require.Equal(t, aAlone.Figures().ReplicaSeconds, fa.ReplicaSeconds, "a's job selector keeps b's pods out")
}

// One pool, one scheduler queue: two copies of the node-pool example on
// its three fixed nodes of 1.5 cpu, each starting with one pod, leave
// one node free. When both ask for 5 pods at the same instant, the
// queue holds a's new pods first (the namespace's order among pods
// created together), so a gets the free node and every other pod waits.
// Each workload's Pending pods, spans and FailedScheduling events are its
// own; the pool's figures count all of them. Two pools of their own
// would give each workload three nodes.
func TestNamespaceSharesThePool(t *testing.T) {
	base := nodePoolSpec(t)
	base.NodePool.Autoscaling = nil
	a, b := renamed(base, "ws-a"), renamed(base, "ws-b")
	res, err := sim.RunNamespace(context.Background(), sim.NamespaceSpec{Workloads: []sim.Spec{a, b}})
	require.NoError(t, err)
	ra, rb := res.Workloads[0], res.Workloads[1]
	peakReady := func(r *sim.Result) (ready, replicas int32) {
		for _, s := range r.Samples {
			ready, replicas = max(ready, s.ReadyReplicas), max(replicas, s.Replicas)
		}
		return
	}
	readyA, replicasA := peakReady(ra)
	readyB, replicasB := peakReady(rb)
	require.Equal(t, [2]int32{2, 5}, [2]int32{readyA, replicasA})
	require.Equal(t, [2]int32{1, 5}, [2]int32{readyB, replicasB})
	require.Len(t, ra.Cluster.Pending, 3)
	require.Len(t, rb.Cluster.Pending, 4)
	for _, e := range eventsOf(ra, "FailedScheduling") {
		require.Contains(t, e.Message, "pod/ws-a-", "a's timeline holds a's pods' events")
	}
	for _, e := range eventsOf(rb, "FailedScheduling") {
		require.Contains(t, e.Message, "pod/ws-b-")
	}
	require.NotEmpty(t, eventsOf(rb, "FailedScheduling"))
	nf := res.NodeFigures()
	require.Equal(t, 7, nf.PodsWaited)
	require.Equal(t, 3, nf.PeakNodes)

	alone, err := sim.Run(context.Background(), b)
	require.NoError(t, err)
	require.Len(t, alone.Cluster.Pending, 2, "alone, b has the three nodes")
}

// With the cluster-autoscaler the pool scales up for the Pending pods of
// both workloads in one loop, and its events (NodeReady, ScaleDownEmpty)
// are on both timelines, before the pods bound to the new nodes.
func TestNamespacePoolScalesForAll(t *testing.T) {
	base := nodePoolSpec(t)
	a, b := renamed(base, "ws-a"), renamed(base, "ws-b")
	res, err := sim.RunNamespace(context.Background(), sim.NamespaceSpec{Workloads: []sim.Spec{a, b}})
	require.NoError(t, err)
	require.Equal(t, 6, res.NodeFigures().PeakNodes, "maxNodes bounds the scale-up for both")
	for _, r := range res.Workloads {
		ready := eventsOf(r, "NodeReady")
		require.NotEmpty(t, ready)
		for _, s := range eventsOf(r, "Scheduled") {
			require.GreaterOrEqual(t, s.T, ready[0].T)
		}
	}
	var poolEvents []string
	for _, e := range res.Events {
		poolEvents = append(poolEvents, e.Reason)
	}
	require.Contains(t, poolEvents, "NodeReady")
	require.NotContains(t, poolEvents, "FailedScheduling", "a pod's events are its workload's")
}

// feedSpecs are a frontend serving at most 2 pods x 5 req/s of the 30
// req/s it is offered, and a queue backend whose messages are the
// frontend's served requests times factor.
func feedSpecs(t *testing.T, factor float64) sim.NamespaceSpec {
	t.Helper()
	sc, err := scenarios.Load("../examples/http-rate/scenario.yaml")
	require.NoError(t, err)
	front := sc.Spec
	front.KEDA.Object.MaxReplicaCount = i32(2)
	front.Loads[0].Capacity = 5
	front.Loads[0].Shape = sim.Stages{Start: 3, Stages: []sim.Stage{{Duration: time.Minute, Target: 3}, {Duration: time.Second, Target: 30}, {Duration: time.Hour, Target: 30}}}
	qs, err := scenarios.Load("../examples/queue/scenario.yaml")
	require.NoError(t, err)
	back := qs.Spec
	back.Duration = front.Duration
	back.Loads[0].Shape = sim.Fed{}
	back.Loads[0].Noise = sim.Noise{}
	return sim.NamespaceSpec{Workloads: []sim.Spec{back, front}, Feeds: []sim.Feed{{From: 1, To: 0, Factor: factor}}}
}

// A feed passes on what the source served, at the same tick: the
// backend's arrivals are capped by what the frontend's ready pods serve
// (5 req/s each), not its 30 req/s offered. Listing the backend first checks that the
// source steps first whatever the order. A feed of the offered load
// would give 30.
func TestNamespaceFeedPassesServedRequests(t *testing.T) {
	for _, factor := range []float64{1, 0.5} {
		res, err := sim.RunNamespace(context.Background(), feedSpecs(t, factor))
		require.NoError(t, err)
		back, front := res.Workloads[0], res.Workloads[1]
		peak, ready := 0.0, int32(0)
		for i, s := range back.Samples {
			ready = max(ready, front.Samples[i].ReadyReplicas)
			peak = max(peak, s.Load)
			f := front.Samples[i]
			served := min(f.Load, 5*float64(f.ReadyReplicas))
			require.InDelta(t, factor*served, s.Load, 1e-9, "at %s", s.T)
		}
		require.GreaterOrEqual(t, ready, int32(1))
		require.InDelta(t, factor*5*float64(ready), peak, 1e-9)
		require.Less(t, peak, factor*30, "the offered 30 req/s never reach the backend")
		require.True(t, back.LoadRises, "the fed load rises with its source")
		require.Equal(t, front.LoadRise, back.LoadRise)
	}
}

// Quiet ticks are exact in a namespace too: every example namespace, the
// shared pool with its autoscaler and a feed run the same with a full
// tick at every tick.
func TestNamespaceEventSteppingMatchesEveryTick(t *testing.T) {
	base := nodePoolSpec(t)
	specs := map[string]sim.NamespaceSpec{
		"example": namespaceExample(t),
		"pool":    {Workloads: []sim.Spec{renamed(base, "ws-a"), renamed(base, "ws-b")}},
		"feed":    feedSpecs(t, 1),
	}
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			want, err := sim.RunNamespaceEveryTick(context.Background(), spec)
			require.NoError(t, err)
			got, err := sim.RunNamespace(context.Background(), spec)
			require.NoError(t, err)
			for i := range want.Workloads {
				sameText(t, traceJSON(t, want.Workloads[i]), traceJSON(t, got.Workloads[i]))
				require.Equal(t, want.Workloads[i].Events, got.Workloads[i].Events)
				require.Equal(t, want.Workloads[i].OverloadedSeconds, got.Workloads[i].OverloadedSeconds)
			}
			require.Equal(t, want.Events, got.Events)
		})
	}
}

// The same namespace gives the same result, byte for byte, however many
// run at once.
func TestNamespaceIsDeterministic(t *testing.T) {
	spec := namespaceExample(t)
	render := func() string {
		res, err := sim.RunNamespace(context.Background(), spec)
		require.NoError(t, err)
		var b strings.Builder
		for _, w := range res.Workloads {
			b.WriteString(traceJSON(t, w))
			fmt.Fprint(&b, w.Events)
		}
		return b.String()
	}
	want := render()
	outs := make([]string, 8)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Add(1)
		go func() { defer wg.Done(); outs[i] = render() }()
	}
	wg.Wait()
	for _, o := range outs {
		require.Equal(t, want, o)
	}
}

// What one cluster shares must agree, and feeds must make sense; each
// refusal names the workload and what is allowed.
func TestNamespaceRefuses(t *testing.T) {
	day := func(name string) sim.Spec { return renamed(daySpec(5, 20*time.Minute), name) }
	feed := feedSpecs(t, 1)
	tests := map[string]struct {
		spec sim.NamespaceSpec
		want string
	}{
		"no workload": {sim.NamespaceSpec{}, "at least one workload"},
		"too many":    {sim.NamespaceSpec{Workloads: make([]sim.Spec, sim.MaxWorkloads+1)}, "101 workloads: at most 100"},
		"same name":   {sim.NamespaceSpec{Workloads: []sim.Spec{day("a"), day("a")}}, `workloads[1] (Deployment/a): the name "a" is also workloads[0]'s`},
		"controller": {func() sim.NamespaceSpec {
			b := day("b")
			b.Controller.SyncPeriod = 30 * time.Second
			return sim.NamespaceSpec{Workloads: []sim.Spec{day("a"), b}}
		}(), "the HPA controller's settings (one kube-controller-manager syncs every HPA)"},
		"keda version": {func() sim.NamespaceSpec {
			b := day("b")
			b.KEDA.Version = "2.12"
			return sim.NamespaceSpec{Workloads: []sim.Spec{day("a"), b}}
		}(), "one KEDA operator serves the namespace"},
		"duration": {func() sim.NamespaceSpec {
			b := day("b")
			b.Duration = time.Hour
			return sim.NamespaceSpec{Workloads: []sim.Spec{day("a"), b}}
		}(), "the duration differs"},
		"cycle": {sim.NamespaceSpec{Workloads: feed.Workloads, Feeds: []sim.Feed{{From: 1, To: 0}, {From: 0, To: 1}}}, ""},
		"from connections": {sim.NamespaceSpec{Workloads: []sim.Spec{day("a"), feed.Workloads[0]}, Feeds: []sim.Feed{{From: 0, To: 1}}},
			"the source is a connections load; only requests and queue loads serve requests"},
		"unfed": {sim.NamespaceSpec{Workloads: feed.Workloads}, "workloads[0] (Deployment/worker): load 0 is fed (sim.Fed) but no feed names it"},
		"own shape": {sim.NamespaceSpec{Workloads: []sim.Spec{day("a"), feed.Workloads[1]}, Feeds: []sim.Feed{{From: 1, To: 0}}},
			"the target is a connections load"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := sim.NewNamespace(tc.spec)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := sim.Run(context.Background(), feed.Workloads[0])
	require.ErrorContains(t, err, "loads[0]: a fed load's arrivals come from another workload")
}
