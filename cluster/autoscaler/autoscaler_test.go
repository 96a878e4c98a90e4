package autoscaler_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func alloc(cpu, mem string) corev1.ResourceList {
	return corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse(cpu),
		corev1.ResourceMemory: resource.MustParse(mem),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
}

func group(name string, minSize, maxSize int, cpu, mem string, delay time.Duration) autoscaler.NodeGroup {
	return autoscaler.NodeGroup{Name: name, MinSize: minSize, MaxSize: maxSize,
		Template: scheduler.Node{Labels: map[string]string{"pool": name}, Allocatable: alloc(cpu, mem)}, Provision: autoscaler.Delay{Min: delay, Max: delay}}
}

func mkpod(t testing.TB, name, cpu, mem string) scheduler.Pod {
	t.Helper()
	req := corev1.ResourceList{}
	if cpu != "" {
		req[corev1.ResourceCPU] = resource.MustParse(cpu)
	}
	if mem != "" {
		req[corev1.ResourceMemory] = resource.MustParse(mem)
	}
	p, err := scheduler.NewPod(name, corev1.PodSpec{Containers: []corev1.Container{{Resources: corev1.ResourceRequirements{Requests: req}}}})
	require.NoError(t, err)
	return p
}

// mknode builds a Ready node of group g named name with pods bound.
func mknode(t testing.TB, g autoscaler.NodeGroup, name string, pods ...scheduler.Pod) autoscaler.Node {
	t.Helper()
	n := g.Template
	n.Name = name
	ni, err := scheduler.NewNodeInfo(n)
	require.NoError(t, err)
	for _, p := range pods {
		ni = ni.Bind(p)
	}
	return autoscaler.Node{Group: g.Name, Info: ni, Pods: pods}
}

func rng() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

// A pool of three 4-cpu nodes, each 3 cpu busy.
func busyPool(t *testing.T, g autoscaler.NodeGroup) []autoscaler.Node {
	var nodes []autoscaler.Node
	for i := 1; i <= 3; i++ {
		nodes = append(nodes, mknode(t, g, fmt.Sprintf("pool-%d", i), mkpod(t, fmt.Sprintf("shop/api-%d", i), "3", "1Gi")))
	}
	return nodes
}

func TestLoopEveryScanInterval(t *testing.T) {
	g := group("pool", 1, 5, "4", "16Gi", 3*time.Minute)
	opts := autoscaler.DefaultOptions()
	var st autoscaler.State
	var loops []time.Duration
	for s := 0; s <= 30; s += 5 {
		var res autoscaler.Result
		st, res = autoscaler.Step([]autoscaler.NodeGroup{g}, opts, st, autoscaler.Observation{}, t0.Add(time.Duration(s)*time.Second), rng())
		if res.Loop {
			loops = append(loops, time.Duration(s)*time.Second)
		}
	}
	assert.Equal(t, []time.Duration{0, 10 * time.Second, 20 * time.Second, 30 * time.Second}, loops)
}

func TestScaleUpForPendingPods(t *testing.T) {
	g := group("pool", 1, 5, "4", "16Gi", 3*time.Minute)
	groups := []autoscaler.NodeGroup{g}
	obs := autoscaler.Observation{Nodes: busyPool(t, g), Pending: []autoscaler.PendingPod{
		{Pod: mkpod(t, "shop/ws-1", "2", "1Gi"), Created: t0},
		{Pod: mkpod(t, "shop/ws-2", "2", "1Gi"), Created: t0},
	}}
	opts := autoscaler.DefaultOptions()

	// At t0 the pods are new: the loop waits for more (and does not scale down).
	st, res := autoscaler.Step(groups, opts, autoscaler.State{}, obs, t0, rng())
	require.True(t, res.Loop)
	assert.Nil(t, res.ScaleUp)
	assert.Equal(t, "unschedulable pods are very new, waiting one iteration for more", res.NoScaleUp)

	// 10 s later both pods fit one new node.
	st, res = autoscaler.Step(groups, opts, st, obs, t0.Add(10*time.Second), rng())
	require.NotNil(t, res.ScaleUp)
	assert.Equal(t, 3, res.ScaleUp.From)
	assert.Equal(t, 4, res.ScaleUp.To)
	assert.Equal(t, []string{"shop/ws-1", "shop/ws-2"}, res.ScaleUp.Pods)
	require.Len(t, res.ScaleUp.Nodes, 1)
	assert.Equal(t, autoscaler.Upcoming{Name: "pool-4", Group: "pool", Requested: t0.Add(10 * time.Second), Ready: t0.Add(10*time.Second + 3*time.Minute)}, res.ScaleUp.Nodes[0])
	assert.Equal(t, []autoscaler.Event{
		{Type: "Normal", Reason: "TriggeredScaleUp", Object: "shop/ws-1", Message: "pod triggered scale-up: [{pool 3->4 (max: 5)}]"},
		{Type: "Normal", Reason: "TriggeredScaleUp", Object: "shop/ws-2", Message: "pod triggered scale-up: [{pool 3->4 (max: 5)}]"},
	}, res.Events)

	// While the node is provisioning, the same pods fit the upcoming node:
	// no second scale-up.
	st, res = autoscaler.Step(groups, opts, st, obs, t0.Add(20*time.Second), rng())
	assert.Nil(t, res.ScaleUp)
	assert.Empty(t, res.NoScaleUp)

	// The node is Ready after its provisioning delay, not before.
	_, res = autoscaler.Step(groups, opts, st, obs, t0.Add(3*time.Minute+9*time.Second), rng())
	assert.Empty(t, res.Ready)
	_, res = autoscaler.Step(groups, opts, st, obs, t0.Add(3*time.Minute+10*time.Second), rng())
	require.Len(t, res.Ready, 1)
	assert.Equal(t, "pool-4", res.Ready[0].Name, "named after the nodes in use")
}

func TestScaleUpLimits(t *testing.T) {
	pending := func(n int) []autoscaler.PendingPod {
		var ps []autoscaler.PendingPod
		for i := 0; i < n; i++ {
			ps = append(ps, autoscaler.PendingPod{Pod: mkpod(t, fmt.Sprintf("shop/ws-%d", i), "3", ""), Created: t0})
		}
		return ps
	}
	now := t0.Add(time.Minute)

	t.Run("group max caps the nodes and the pods helped", func(t *testing.T) {
		g := group("pool", 1, 5, "4", "16Gi", time.Minute)
		_, res := autoscaler.Step([]autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), autoscaler.State{},
			autoscaler.Observation{Nodes: busyPool(t, g), Pending: pending(4)}, now, rng())
		require.NotNil(t, res.ScaleUp)
		assert.Equal(t, 5, res.ScaleUp.To)
		assert.Len(t, res.ScaleUp.Pods, 2)
	})
	t.Run("group at max", func(t *testing.T) {
		g := group("pool", 1, 3, "4", "16Gi", time.Minute)
		_, res := autoscaler.Step([]autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), autoscaler.State{},
			autoscaler.Observation{Nodes: busyPool(t, g), Pending: pending(1)}, now, rng())
		assert.Nil(t, res.ScaleUp)
		assert.Equal(t, "no node group can help: pool: max node group size reached", res.NoScaleUp)
	})
	t.Run("max-nodes-total reached", func(t *testing.T) {
		g := group("pool", 1, 10, "4", "16Gi", time.Minute)
		opts := autoscaler.DefaultOptions()
		opts.MaxNodesTotal = 3
		_, res := autoscaler.Step([]autoscaler.NodeGroup{g}, opts, autoscaler.State{},
			autoscaler.Observation{Nodes: busyPool(t, g), Pending: pending(1)}, now, rng())
		assert.Nil(t, res.ScaleUp)
		assert.Equal(t, []autoscaler.Event{{Type: "Warning", Reason: "MaxNodesTotalReached", Object: "configmap/cluster-autoscaler-status", Message: "Max total nodes in cluster reached: 3"}}, res.Events)
	})
	t.Run("max-nodes-total caps the scale-up", func(t *testing.T) {
		g := group("pool", 1, 10, "4", "16Gi", time.Minute)
		opts := autoscaler.DefaultOptions()
		opts.MaxNodesTotal = 4
		_, res := autoscaler.Step([]autoscaler.NodeGroup{g}, opts, autoscaler.State{},
			autoscaler.Observation{Nodes: busyPool(t, g), Pending: pending(3)}, now, rng())
		require.NotNil(t, res.ScaleUp)
		assert.Equal(t, 4, res.ScaleUp.To)
	})
	t.Run("a pod larger than a new node", func(t *testing.T) {
		g := group("pool", 1, 10, "4", "16Gi", time.Minute)
		huge := []autoscaler.PendingPod{{Pod: mkpod(t, "shop/huge", "8", ""), Created: t0}}
		_, res := autoscaler.Step([]autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), autoscaler.State{},
			autoscaler.Observation{Nodes: busyPool(t, g), Pending: huge}, now, rng())
		assert.Equal(t, "no node group can help: pool: no pending pod would fit a new node", res.NoScaleUp)
	})
	t.Run("new-pod-scale-up-delay", func(t *testing.T) {
		g := group("pool", 1, 10, "4", "16Gi", time.Minute)
		opts := autoscaler.DefaultOptions()
		opts.NewPodScaleUpDelay = 2 * time.Minute
		_, res := autoscaler.Step([]autoscaler.NodeGroup{g}, opts, autoscaler.State{},
			autoscaler.Observation{Nodes: busyPool(t, g), Pending: pending(1)}, now, rng())
		assert.Nil(t, res.ScaleUp)
	})
}

// Binpacking packs the largest pods first: 3, 2, 2, 1 cpu on 4-cpu nodes
// make 3+1 and 2+2, two nodes; in arrival order (1, 2, 2, 3) first fit
// would need three.
func TestEstimateLargestFirst(t *testing.T) {
	g := group("pool", 0, 10, "4", "16Gi", time.Minute)
	var pending []autoscaler.PendingPod
	for i, cpu := range []string{"1", "2", "2", "3"} {
		pending = append(pending, autoscaler.PendingPod{Pod: mkpod(t, fmt.Sprintf("shop/p%d", i), cpu, ""), Created: t0})
	}
	_, res := autoscaler.Step([]autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), autoscaler.State{},
		autoscaler.Observation{Pending: pending}, t0.Add(time.Minute), rng())
	require.NotNil(t, res.ScaleUp)
	assert.Equal(t, 2, res.ScaleUp.To)
	assert.Equal(t, []string{"shop/p3", "shop/p1", "shop/p2", "shop/p0"}, res.ScaleUp.Pods)
}

func TestLeastWaste(t *testing.T) {
	pending := []autoscaler.PendingPod{{Pod: mkpod(t, "shop/ws", "3", "3Gi"), Created: t0}}
	small := group("small", 0, 5, "4", "4Gi", time.Minute)
	big := group("big", 0, 5, "16", "64Gi", time.Minute)
	_, res := autoscaler.Step([]autoscaler.NodeGroup{big, small}, autoscaler.DefaultOptions(), autoscaler.State{},
		autoscaler.Observation{Pending: pending}, t0.Add(time.Minute), rng())
	require.NotNil(t, res.ScaleUp)
	assert.Equal(t, "small", res.ScaleUp.Group)
	// small: (4-3)/4 + (4-3)/4 = 0.5; big: 13/16 + 61/64.
	assert.InDelta(t, 0.5, res.ScaleUp.Options[1].Waste, 1e-12)
	assert.InDelta(t, 13.0/16+61.0/64, res.ScaleUp.Options[0].Waste, 1e-12)

	// The expander reads the capacity, not the allocatable: with a
	// capacity twice the allocatable, small wastes more than big.
	small.Capacity = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("32"), corev1.ResourceMemory: resource.MustParse("128Gi")}
	_, res = autoscaler.Step([]autoscaler.NodeGroup{big, small}, autoscaler.DefaultOptions(), autoscaler.State{},
		autoscaler.Observation{Pending: pending}, t0.Add(time.Minute), rng())
	assert.Equal(t, "big", res.ScaleUp.Group)
}

// Equal options are broken by the seeded generator: the same seed gives the
// same group, and over seeds both groups are chosen.
func TestTiesAreSeeded(t *testing.T) {
	pending := []autoscaler.PendingPod{{Pod: mkpod(t, "shop/ws", "1", "1Gi"), Created: t0}}
	a := group("a", 0, 5, "4", "4Gi", time.Minute)
	b := group("b", 0, 5, "4", "4Gi", time.Minute)
	chosen := map[string]int{}
	for seed := uint64(0); seed < 32; seed++ {
		pick := func() string {
			_, res := autoscaler.Step([]autoscaler.NodeGroup{a, b}, autoscaler.DefaultOptions(), autoscaler.State{},
				autoscaler.Observation{Pending: pending}, t0.Add(time.Minute), rand.New(rand.NewPCG(seed, 7)))
			require.NotNil(t, res.ScaleUp)
			assert.Equal(t, []string{"a", "b"}, res.ScaleUp.ExpanderConsidered)
			return res.ScaleUp.Group
		}
		first := pick()
		assert.Equal(t, first, pick())
		chosen[first]++
	}
	assert.Len(t, chosen, 2)
}

func TestDelayDraw(t *testing.T) {
	d := autoscaler.Delay{Min: 2 * time.Minute, Max: 4 * time.Minute}
	r1, r2 := rng(), rng()
	for i := 0; i < 100; i++ {
		x := d.Draw(r1)
		assert.Equal(t, x, d.Draw(r2))
		assert.GreaterOrEqual(t, x, d.Min)
		assert.LessOrEqual(t, x, d.Max)
	}
}

func TestOptionsValidate(t *testing.T) {
	assert.NoError(t, autoscaler.DefaultOptions().Validate())
	o := autoscaler.DefaultOptions()
	o.ScanInterval = 0
	o.Expander = "price"
	o.ScaleDownUtilizationThreshold = 1.5
	assert.EqualError(t, o.Validate(), "--scan-interval: 0s: must be positive\n"+
		"--expander: \"price\" is not modelled; use least-waste, random or most-pods\n"+
		"--scale-down-utilization-threshold: 1.5: must be between 0 and 1")
	g := group("pool", 3, 2, "4", "4Gi", time.Minute)
	assert.EqualError(t, autoscaler.ValidateGroups([]autoscaler.NodeGroup{g, g}),
		"nodeGroups[0].maxSize: 2: must be 1 or more and at least minSize (3)\n"+
			"nodeGroups[1].maxSize: 2: must be 1 or more and at least minSize (3)\n"+
			"nodeGroups[1].name: \"pool\" is used twice; node group names must be unique")
}

// Bad options never hang a Step: a zero scan interval loops at every Step,
// and a day between two Steps is one loop.
func TestStepNeverHangs(t *testing.T) {
	g := group("pool", 1, 5, "4", "16Gi", time.Minute)
	var opts autoscaler.Options
	st, res := autoscaler.Step([]autoscaler.NodeGroup{g}, opts, autoscaler.State{}, autoscaler.Observation{}, t0, rng())
	assert.True(t, res.Loop)
	_, res = autoscaler.Step([]autoscaler.NodeGroup{g}, opts, st, autoscaler.Observation{}, t0, rng())
	assert.True(t, res.Loop)

	opts = autoscaler.DefaultOptions()
	st, _ = autoscaler.Step([]autoscaler.NodeGroup{g}, opts, autoscaler.State{}, autoscaler.Observation{}, t0, rng())
	st, res = autoscaler.Step([]autoscaler.NodeGroup{g}, opts, st, autoscaler.Observation{}, t0.Add(24*time.Hour+3*time.Second), rng())
	assert.True(t, res.Loop)
	assert.Equal(t, t0.Add(24*time.Hour+10*time.Second), st.NextLoop, "loops stay on the interval's grid")
}
