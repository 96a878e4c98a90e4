package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster"
	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

func nodePoolSpec(t *testing.T) sim.Spec {
	t.Helper()
	sc, err := scenarios.Load("../examples/node-pool/scenario.yaml")
	require.NoError(t, err)
	require.NotNil(t, sc.Spec.NodePool)
	return sc.Spec
}

func eventsOf(res *sim.Result, reason string) []sim.Event {
	var out []sim.Event
	for _, e := range res.Events {
		if e.Reason == reason {
			out = append(out, e)
		}
	}
	return out
}

// On a fixed pool where one pod of 1.5 cpu fits per node, a scale-out to
// 5 places three pods and leaves two Pending for the whole run: they are
// in status.replicas, never ready, and each gets one FailedScheduling
// event in the scheduler's wording, not one per step. A model that
// ignored the requests, or counted a Pending pod as ready, would show 5
// ready pods.
func TestPendingPodsAreCountedButNotReady(t *testing.T) {
	spec := nodePoolSpec(t)
	spec.NodePool.Autoscaling = nil
	res, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	var peak sim.Sample
	for _, s := range res.Samples {
		if s.Replicas > peak.Replicas {
			peak = s
		}
		require.LessOrEqual(t, s.ReadyReplicas, int32(3), "at %s", s.T)
	}
	require.Equal(t, int32(5), peak.Replicas)
	failed := eventsOf(res, "FailedScheduling")
	require.Len(t, failed, 2)
	for _, e := range failed {
		require.Contains(t, e.Message, "0/3 nodes are available: 3 Insufficient cpu.")
	}
	require.Empty(t, eventsOf(res, "TriggeredScaleUp"))
	// The two pods waited from the scale-out until the scale-in deleted
	// them.
	require.Len(t, res.Cluster.Pending, 2)
	for _, sp := range res.Cluster.Pending {
		require.False(t, sp.End.IsZero(), "deleted while Pending, the span ends")
	}
}

// With the autoscaler, the Pending pods trigger a scale-up at the
// autoscaler's next loop, and each is bound only when its node is Ready,
// after a provisioning delay within the pool's bounds; its start-up delay
// runs from the binding. A node Ready at once, or a start-up counted from
// the pod's creation, would make it ready minutes earlier.
func TestScaleOutWaitsForNewNode(t *testing.T) {
	spec := nodePoolSpec(t)
	res, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	up := eventsOf(res, "TriggeredScaleUp")
	require.NotEmpty(t, up)
	asked := up[0].T
	ready := eventsOf(res, "NodeReady")
	require.Len(t, ready, 2)
	prov := spec.NodePool.Autoscaling.Provisioning
	for _, e := range ready {
		require.GreaterOrEqual(t, e.T-asked, prov.Min-spec.Tick)
		require.LessOrEqual(t, e.T-asked, prov.Max+spec.Tick)
	}
	scheduled := eventsOf(res, "Scheduled")
	require.Len(t, scheduled, 2)
	for i, e := range scheduled {
		require.Equal(t, ready[i].T, e.T)
		require.Contains(t, e.Message, "Successfully assigned")
	}
	// Ready replicas reach 5 only the start-up delay after the last
	// binding.
	last := scheduled[1].T
	for _, s := range res.Samples {
		if s.T < last+spec.Workload.PodStartup {
			require.Less(t, s.ReadyReplicas, int32(5), "at %s", s.T)
		}
	}
	require.Equal(t, 5, maxReady(res))
}

func maxReady(res *sim.Result) int {
	m := 0
	for _, s := range res.Samples {
		m = max(m, int(s.ReadyReplicas))
	}
	return m
}

// The provisioning delays come from the scenario's seed: the same seed
// gives the same run, another seed other delays.
func TestNodeProvisioningIsSeeded(t *testing.T) {
	spec := nodePoolSpec(t)
	a, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	b, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	require.Equal(t, traceJSON(t, a), traceJSON(t, b))
	require.Equal(t, a.Cluster, b.Cluster)
	spec.Seed = 7
	c, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	require.NotEqual(t, a.Cluster.Ready, c.Cluster.Ready)
}

// Once the clients leave and the pods go, the nodes the scale-up added are
// unneeded; after scale-down-unneeded-time the autoscaler deletes them,
// down to minNodes, and the node spans end there.
func TestUnneededNodesAreRemoved(t *testing.T) {
	spec := nodePoolSpec(t)
	spec.Duration = 40 * time.Minute
	res, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	var removed []string
	for _, sp := range res.Cluster.Nodes {
		if !sp.End.IsZero() {
			removed = append(removed, sp.Name)
		}
	}
	require.Len(t, removed, 2, "the two added nodes, not the minNodes")
	peak, _ := cluster.Peak(res.Cluster.Ready, time.Time{}.Add(res.Duration))
	require.Equal(t, 5, peak)
	down := eventsOf(res, "ScaleDownEmpty")
	require.NotEmpty(t, down)
	// Not before the first pod left (at the first scale-in) plus
	// scale-down-unneeded-time.
	firstIn := eventsOf(res, "SuccessfulRescale")[1].T
	require.GreaterOrEqual(t, down[0].T, firstIn+autoscaler.DefaultOptions().ScaleDownUnneededTime)
	require.True(t, strings.HasPrefix(down[0].Message, "node/pool-"), down[0].Message)
}

// The node figures: a fixed pool costs its nodes for the whole run; on
// the autoscaled pool the scale-out waited at least the provisioning
// delay for a node and was all Ready only the start-up delay after that;
// without a pool there are none.
func TestNodeFigures(t *testing.T) {
	spec := nodePoolSpec(t)
	res, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	f := res.Figures().Nodes
	require.NotNil(t, f)
	require.Equal(t, 2, f.NodesAdded)
	require.Equal(t, 5, f.PeakNodes)
	require.Equal(t, 2, f.PodsWaited)
	require.NotNil(t, f.ScaleOut)
	require.True(t, f.ScaleOut.Reached)
	require.GreaterOrEqual(t, f.ScaleOutNodeWait, spec.NodePool.Autoscaling.Provisioning.Min)
	require.GreaterOrEqual(t, f.ScaleOut.Ready-f.ScaleOut.At, f.ScaleOutNodeWait+spec.Workload.PodStartup)
	require.Greater(t, f.NodeSeconds, f.ReadyNodeSeconds, "the cloud bills a node while it boots")
	require.Greater(t, f.NodeSeconds, 3*spec.Duration.Seconds())

	spec.NodePool.Autoscaling = nil
	res, err = sim.Run(context.Background(), spec)
	require.NoError(t, err)
	f = res.Figures().Nodes
	require.Equal(t, 3*spec.Duration.Seconds(), f.NodeSeconds)
	require.Equal(t, 3, f.PeakNodes)
	require.False(t, f.ScaleOut.Reached, "two pods never find a node")

	spec.NodePool = nil
	res, err = sim.Run(context.Background(), spec)
	require.NoError(t, err)
	require.Nil(t, res.Figures().Nodes)
	require.Nil(t, res.Cluster)
}

// The pool's taints and labels select the pods: a pod that does not
// tolerate the taint, or whose nodeSelector no node matches, is Pending
// from the start, in the scheduler's words, while one that tolerates it
// runs. Scheduling by requests alone would place all three.
func TestTaintsAndNodeSelector(t *testing.T) {
	taint := corev1.Taint{Key: "dedicated", Value: "websocket", Effect: corev1.TaintEffectNoSchedule}
	tests := []struct {
		name      string
		placement corev1.PodSpec
		want      string
	}{
		{"untolerated", corev1.PodSpec{}, "0/3 nodes are available: 3 node(s) had untolerated taint(s)."},
		{"tolerated", corev1.PodSpec{Tolerations: []corev1.Toleration{{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "websocket", Effect: corev1.TaintEffectNoSchedule}}}, ""},
		{"selector", corev1.PodSpec{NodeSelector: map[string]string{"pool": "batch"}, Tolerations: []corev1.Toleration{{Key: "dedicated", Operator: corev1.TolerationOpExists}}},
			"0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := nodePoolSpec(t)
			spec.NodePool.Autoscaling = nil
			spec.NodePool.Taints = []corev1.Taint{taint}
			spec.NodePool.Labels = map[string]string{"pool": "general"}
			spec.Workload.Placement = tt.placement
			// No pod may ever run, so the trigger may never see a series.
			spec.AllowEmptyQueries = []int{0}
			res, err := sim.Run(context.Background(), spec)
			require.NoError(t, err)
			failed := eventsOf(res, "FailedScheduling")
			if tt.want == "" {
				require.Equal(t, int32(1), res.Samples[0].ReadyReplicas)
				require.Len(t, failed, 2, "only the two pods that do not fit by cpu")
				return
			}
			require.Equal(t, int32(0), res.Samples[0].ReadyReplicas)
			require.NotEmpty(t, failed)
			require.Equal(t, time.Duration(0), failed[0].T)
			require.Contains(t, failed[0].Message, tt.want)
		})
	}
}

// dayOnNodes is daySpec(100, 24h) on an autoscaled pool of 8-cpu nodes
// with 1-cpu pods: the day's scale-outs wait for nodes, its scale-ins
// empty them.
func dayOnNodes() sim.Spec {
	d := daySpec(100, 24*time.Hour)
	d.Workload.Resources.RequestsMilli = map[string]int64{"cpu": 1000}
	d.NodePool = &cluster.Pool{Name: "pool", Nodes: 2, CPU: resource.MustParse("8"), Memory: resource.MustParse("32Gi"), Pods: 110,
		Scheduler: scheduler.DefaultOptions(),
		Autoscaling: &cluster.Autoscaling{MinNodes: 2, MaxNodes: 20, Options: autoscaler.DefaultOptions(),
			Provisioning: autoscaler.Delay{Min: 90 * time.Second, Max: 150 * time.Second}}}
	return d
}

// BenchmarkDay100PodsOnNodes is BenchmarkDay100Pods on a node pool: the
// cost of scheduling and of the autoscaler's loop every 10 s.
func BenchmarkDay100PodsOnNodes(b *testing.B) { runDays(b, dayOnNodes()) }

// A pool larger than the model's bound is refused before the run, not
// simulated for minutes.
func TestHugePoolRefused(t *testing.T) {
	spec := nodePoolSpec(t)
	spec.NodePool.Autoscaling.MaxNodes = 5000
	_, err := sim.New(spec)
	require.ErrorContains(t, err, "nodePool: at most 1000 nodes are modelled (nodes 3, maxNodes 5000)")
}
