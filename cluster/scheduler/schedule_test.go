package scheduler_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

// Three nodes that each have 1 cpu left; a pod that asks for 2.
func fullPool(t *testing.T) []scheduler.NodeInfo {
	var nodes []scheduler.NodeInfo
	for i := 0; i < 3; i++ {
		n := node(t, fmt.Sprintf("node-%d", i), "4", "16Gi", 110)
		nodes = append(nodes, n.Bind(pod(t, fmt.Sprintf("default/busy-%d", i), "3", "1Gi")))
	}
	return nodes
}

func TestFailedSchedulingMessage(t *testing.T) {
	never := corev1.PreemptNever
	tainted := func(n scheduler.NodeInfo) scheduler.NodeInfo {
		return withNode(t, n, func(n *scheduler.Node) {
			n.Taints = []corev1.Taint{taint("node-role.kubernetes.io/control-plane", "", corev1.TaintEffectNoSchedule)}
		})
	}
	cases := []struct {
		name  string
		nodes func() []scheduler.NodeInfo
		pod   scheduler.Pod
		opts  scheduler.Options
		want  string
	}{{
		// The wording of Kubernetes up to 1.33, without the DynamicResources plugin.
		name:  "three nodes short of cpu, no DRA",
		nodes: func() []scheduler.NodeInfo { return fullPool(t) },
		pod:   pod(t, "default/web-1", "2", "1Gi"),
		opts:  scheduler.Options{DynamicResources: false},
		want:  "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
	}, {
		name:  "three nodes short of cpu, default profile",
		nodes: func() []scheduler.NodeInfo { return fullPool(t) },
		pod:   pod(t, "default/web-1", "2", "1Gi"),
		opts:  scheduler.DefaultOptions(),
		want:  "0/3 nodes are available: 3 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
	}, {
		// As observed on a kind cluster: the control plane tainted, two
		// workers short of cpu.
		name: "taint and cpu",
		nodes: func() []scheduler.NodeInfo {
			n := fullPool(t)
			n[0] = tainted(n[0])
			return n
		},
		pod:  pod(t, "default/web-1", "2", "1Gi"),
		opts: scheduler.DefaultOptions(),
		want: "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
	}, {
		// A request above a node's whole allocatable is unresolvable:
		// preemption is not helpful there, although the reason is the same.
		name: "request larger than any node",
		nodes: func() []scheduler.NodeInfo {
			n := fullPool(t)
			n[0] = tainted(n[0])
			return n
		},
		pod:  pod(t, "default/greedy", "64", ""),
		opts: scheduler.DefaultOptions(),
		want: "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
	}, {
		// Counts sort as strings: "10 ..." before "2 ...".
		name: "lexicographic order of the counts",
		nodes: func() []scheduler.NodeInfo {
			var nodes []scheduler.NodeInfo
			for i := 0; i < 12; i++ {
				n := node(t, fmt.Sprintf("n%d", i), "1", "4Gi", 110)
				if i >= 10 {
					n = tainted(n)
				}
				nodes = append(nodes, n)
			}
			return nodes
		},
		pod:  pod(t, "default/web-1", "2", ""),
		opts: scheduler.Options{},
		want: "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint(s). preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.",
	}, {
		name:  "both resources short on one node count twice",
		nodes: func() []scheduler.NodeInfo { return fullPool(t)[:1] },
		pod:   pod(t, "default/web-1", "2", "20Gi"),
		opts:  scheduler.Options{},
		want:  "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
	}, {
		name: "preemptionPolicy Never",
		nodes: func() []scheduler.NodeInfo {
			return fullPool(t)
		},
		pod:  podSpec(t, "default/batch", corev1.PodSpec{PreemptionPolicy: &never, Containers: []corev1.Container{{Resources: corev1.ResourceRequirements{Requests: rl("2", "")}}}}),
		opts: scheduler.DefaultOptions(),
		want: "0/3 nodes are available: 3 Insufficient cpu. no new claims to deallocate, preemption: not eligible due to preemptionPolicy=Never.",
	}, {
		name:  "no nodes",
		nodes: func() []scheduler.NodeInfo { return nil },
		pod:   pod(t, "default/web-1", "1", ""),
		opts:  scheduler.DefaultOptions(),
		want:  "no nodes available to schedule pods",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := scheduler.Schedule(c.nodes(), c.pod, c.opts)
			require.False(t, d.Scheduled)
			assert.Equal(t, c.want, d.Message)
		})
	}
}

func TestLexicographicCase(t *testing.T) {
	// The case above mixes two unresolvable kinds; this one keeps ten
	// resolvable shortages so that both histograms sort "10" first.
	var nodes []scheduler.NodeInfo
	for i := 0; i < 12; i++ {
		n := node(t, fmt.Sprintf("n%d", i), "4", "4Gi", 110).Bind(pod(t, fmt.Sprintf("default/b%d", i), "3", ""))
		if i >= 10 {
			n = withNode(t, n, func(n *scheduler.Node) { n.Labels = map[string]string{"pool": "gpu"} })
		}
		nodes = append(nodes, n)
	}
	p := podSpec(t, "default/web", corev1.PodSpec{
		Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "pool", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"gpu"}}}}},
		}}},
		Containers: []corev1.Container{{Resources: corev1.ResourceRequirements{Requests: rl("2", "")}}},
	})
	d := scheduler.Schedule(nodes, p, scheduler.Options{})
	assert.Equal(t, "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/12 nodes are available: 10 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.", d.Message)
}

// The framework stops at the first filter that rejects: a tainted node
// that is also full reports the taint only.
func TestFilterOrder(t *testing.T) {
	n := withNode(t, fullPool(t)[0], func(n *scheduler.Node) {
		n.Unschedulable = true
		n.Taints = []corev1.Taint{taint("dedicated", "ws", corev1.TaintEffectNoSchedule)}
		n.Labels = map[string]string{"pool": "a"}
	})
	big := podSpec(t, "default/p", corev1.PodSpec{NodeSelector: map[string]string{"pool": "b"}, Containers: []corev1.Container{{Resources: corev1.ResourceRequirements{Requests: rl("2", "")}}}})
	s := scheduler.Filter(n, big)
	require.NotNil(t, s)
	assert.Equal(t, scheduler.PluginNodeUnschedulable, s.Plugin)

	big.Spec.Tolerations = []corev1.Toleration{{Key: corev1.TaintNodeUnschedulable, Operator: corev1.TolerationOpExists}}
	s = scheduler.Filter(n, big)
	require.NotNil(t, s)
	assert.Equal(t, scheduler.PluginTaintToleration, s.Plugin)

	big.Spec.Tolerations = append(big.Spec.Tolerations, corev1.Toleration{Key: "dedicated", Value: "ws", Effect: corev1.TaintEffectNoSchedule})
	s = scheduler.Filter(n, big)
	require.NotNil(t, s)
	assert.Equal(t, scheduler.PluginNodeAffinity, s.Plugin)

	big.Spec.NodeSelector = map[string]string{"pool": "a"}
	s = scheduler.Filter(n, big)
	require.NotNil(t, s)
	assert.Equal(t, scheduler.PluginNodeResourcesFit, s.Plugin)
	assert.Equal(t, []string{scheduler.ReasonInsufficientCPU}, s.Reasons)
	assert.Equal(t, scheduler.Unschedulable, s.Code)
}

func TestTolerations(t *testing.T) {
	cases := []struct {
		name  string
		taint corev1.Taint
		tol   []corev1.Toleration
		fits  bool
	}{
		{"no toleration", taint("k", "v", corev1.TaintEffectNoSchedule), nil, false},
		{"equal", taint("k", "v", corev1.TaintEffectNoSchedule), []corev1.Toleration{{Key: "k", Operator: corev1.TolerationOpEqual, Value: "v", Effect: corev1.TaintEffectNoSchedule}}, true},
		{"empty operator is Equal", taint("k", "v", corev1.TaintEffectNoSchedule), []corev1.Toleration{{Key: "k", Value: "v"}}, true},
		{"equal, other value", taint("k", "v", corev1.TaintEffectNoSchedule), []corev1.Toleration{{Key: "k", Value: "w"}}, false},
		{"exists on the key", taint("k", "v", corev1.TaintEffectNoExecute), []corev1.Toleration{{Key: "k", Operator: corev1.TolerationOpExists}}, true},
		{"exists without key tolerates everything", taint("k", "v", corev1.TaintEffectNoExecute), []corev1.Toleration{{Operator: corev1.TolerationOpExists}}, true},
		{"other effect", taint("k", "v", corev1.TaintEffectNoExecute), []corev1.Toleration{{Key: "k", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}, false},
		{"NoExecute filters too", taint("k", "", corev1.TaintEffectNoExecute), nil, false},
		{"PreferNoSchedule only scores", taint("k", "", corev1.TaintEffectPreferNoSchedule), nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := withNode(t, node(t, "n", "4", "4Gi", 10), func(n *scheduler.Node) { n.Taints = []corev1.Taint{c.taint} })
			p := podSpec(t, "default/p", corev1.PodSpec{Tolerations: c.tol})
			s := scheduler.Filter(n, p)
			if c.fits {
				assert.Nil(t, s)
				return
			}
			require.NotNil(t, s)
			assert.Equal(t, []string{scheduler.ReasonUntoleratedTaint}, s.Reasons)
			assert.Equal(t, scheduler.UnschedulableAndUnresolvable, s.Code)
		})
	}
}

func TestNodeAffinity(t *testing.T) {
	req := func(key string, op corev1.NodeSelectorOperator, values ...string) corev1.NodeSelectorRequirement {
		return corev1.NodeSelectorRequirement{Key: key, Operator: op, Values: values}
	}
	terms := func(ts ...corev1.NodeSelectorTerm) *corev1.Affinity {
		return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: ts}}}
	}
	labels := map[string]string{"zone": "a", "cores": "8"}
	cases := []struct {
		name     string
		selector map[string]string
		affinity *corev1.Affinity
		fits     bool
	}{
		{"selector matches", map[string]string{"zone": "a"}, nil, true},
		{"selector other value", map[string]string{"zone": "b"}, nil, false},
		{"selector missing label", map[string]string{"disk": "ssd"}, nil, false},
		{"In", nil, terms(corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{req("zone", corev1.NodeSelectorOpIn, "a", "b")}}), true},
		{"NotIn on a missing label holds", nil, terms(corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{req("gpu", corev1.NodeSelectorOpNotIn, "yes")}}), true},
		{"DoesNotExist", nil, terms(corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{req("zone", corev1.NodeSelectorOpDoesNotExist)}}), false},
		{"Gt", nil, terms(corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{req("cores", corev1.NodeSelectorOpGt, "4")}}), true},
		{"Lt", nil, terms(corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{req("cores", corev1.NodeSelectorOpLt, "4")}}), false},
		{"Gt on a non-integer", nil, terms(corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{req("zone", corev1.NodeSelectorOpGt, "4")}}), false},
		{"terms are ORed", nil, terms(
			corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{req("zone", corev1.NodeSelectorOpIn, "b")}},
			corev1.NodeSelectorTerm{MatchFields: []corev1.NodeSelectorRequirement{req("metadata.name", corev1.NodeSelectorOpIn, "n")}}), true},
		{"an empty term matches nothing", nil, terms(corev1.NodeSelectorTerm{}), false},
		{"selector and affinity both apply", map[string]string{"zone": "b"}, terms(corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{req("zone", corev1.NodeSelectorOpExists)}}), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := withNode(t, node(t, "n", "4", "4Gi", 10), func(n *scheduler.Node) { n.Labels = labels })
			s := scheduler.Filter(n, podSpec(t, "default/p", corev1.PodSpec{NodeSelector: c.selector, Affinity: c.affinity}))
			if c.fits {
				assert.Nil(t, s)
				return
			}
			require.NotNil(t, s)
			assert.Equal(t, []string{scheduler.ReasonNodeAffinity}, s.Reasons)
		})
	}
}

func TestFitPodsCount(t *testing.T) {
	n := node(t, "n", "4", "4Gi", 1).Bind(pod(t, "default/a", "", ""))
	// A pod that requests nothing is still counted against the pods capacity.
	s := scheduler.Filter(n, pod(t, "default/b", "", ""))
	require.NotNil(t, s)
	assert.Equal(t, []string{scheduler.ReasonTooManyPods}, s.Reasons)
	assert.Equal(t, scheduler.Unschedulable, s.Code)
	// A node without a pods capacity admits none.
	n2, err := scheduler.NewNodeInfo(scheduler.Node{Name: "n2", Allocatable: rl("4", "4Gi")})
	require.NoError(t, err)
	assert.NotNil(t, scheduler.Filter(n2, pod(t, "default/b", "", "")))
}

// Default requests apply to scoring only: a best-effort pod fits a node
// whose cpu is fully requested.
func TestDefaultRequestsScoreOnly(t *testing.T) {
	full := node(t, "full", "2", "4Gi", 110).Bind(pod(t, "default/a", "2", ""))
	assert.Nil(t, scheduler.Filter(full, pod(t, "default/be", "", "")))

	// Two empty-request pods on node a; node b empty. With real requests
	// both nodes would tie at 100 and the first would win; with the
	// defaults node a scores lower.
	a := node(t, "a", "1", "1Gi", 110).Bind(pod(t, "default/x", "", "")).Bind(pod(t, "default/y", "", ""))
	b := node(t, "b", "1", "1Gi", 110)
	d := scheduler.Schedule([]scheduler.NodeInfo{a, b}, pod(t, "default/z", "", ""), scheduler.DefaultOptions())
	require.True(t, d.Scheduled)
	assert.Equal(t, "b", d.Node)
	// a: cpu (1000-300)*100/1000 = 70, memory (1024-600)*100/1024 = 41 (41.4); (70+41)/2 = 55.
	// b: cpu 90, memory (1024-200)*100/1024 = 80 (80.4); (90+80)/2 = 85.
	// A best-effort pod is not scored by BalancedAllocation (0).
	assert.Equal(t, []scheduler.NodeScore{{Index: 0, Name: "a", Score: 55, LeastAllocated: 55}, {Index: 1, Name: "b", Score: 85, LeastAllocated: 85}}, d.Feasible)
	assert.Equal(t, "Successfully assigned default/z to b", d.Message)
}

func TestExplicitZeroRequestIsNotDefaulted(t *testing.T) {
	p := pod(t, "default/p", "0", "0")
	assert.Equal(t, scheduler.Resources{}, p.NonZero)
	q := pod(t, "default/q", "", "64Mi")
	assert.Equal(t, scheduler.Resources{MilliCPU: 100, Memory: 64 << 20}, q.NonZero)
	assert.Equal(t, scheduler.Resources{Memory: 64 << 20}, q.Requests)
}

func TestLeastAllocatedTruncation(t *testing.T) {
	n := node(t, "n", "4", "8Gi", 110).Bind(pod(t, "default/a", "1", "2Gi"))
	p := pod(t, "default/b", "500m", "1Gi")
	// cpu (4000-1500)*100/4000 = 62 (62.5), memory (8-3)*100/8 = 62 (62.5): 62.
	assert.Equal(t, int64(62), scheduler.LeastAllocatedScore(n, p))
	p = pod(t, "default/c", "100m", "1Gi")
	// cpu (4000-1100)*100/4000 = 72 (72.5), memory 62: (72+62)/2 = 67.
	assert.Equal(t, int64(67), scheduler.LeastAllocatedScore(n, p))
	// Over the allocatable scores 0 for that resource.
	assert.Equal(t, int64(31), scheduler.LeastAllocatedScore(n, pod(t, "default/d", "4", "1Gi")))
}

func TestTieGoesToTheFirstNode(t *testing.T) {
	nodes := []scheduler.NodeInfo{node(t, "b", "2", "2Gi", 10), node(t, "a", "2", "2Gi", 10), node(t, "c", "2", "2Gi", 10)}
	d := scheduler.Schedule(nodes, pod(t, "default/p", "1", ""), scheduler.DefaultOptions())
	assert.Equal(t, "b", d.Node)
	assert.Equal(t, 0, d.Index)
}

func TestPodRequests(t *testing.T) {
	always := corev1.ContainerRestartPolicyAlways
	c := func(cpu, mem string) corev1.Container {
		return corev1.Container{Resources: corev1.ResourceRequirements{Requests: rl(cpu, mem)}}
	}
	sidecar := c("200m", "")
	sidecar.RestartPolicy = &always
	cases := []struct {
		name    string
		spec    corev1.PodSpec
		req     scheduler.Resources
		nonZero scheduler.Resources
	}{
		{"containers add", corev1.PodSpec{Containers: []corev1.Container{c("100m", "1Gi"), c("300m", "")}},
			scheduler.Resources{MilliCPU: 400, Memory: 1 << 30}, scheduler.Resources{MilliCPU: 400, Memory: 1<<30 + 200<<20}},
		{"an init container larger than the sum wins", corev1.PodSpec{InitContainers: []corev1.Container{c("2", "")}, Containers: []corev1.Container{c("500m", "")}},
			scheduler.Resources{MilliCPU: 2000}, scheduler.Resources{MilliCPU: 2000, Memory: 200 << 20}},
		{"a sidecar adds and precedes later init containers", corev1.PodSpec{InitContainers: []corev1.Container{sidecar, c("1", "")}, Containers: []corev1.Container{c("500m", "")}},
			scheduler.Resources{MilliCPU: 1200}, scheduler.Resources{MilliCPU: 1200, Memory: 400 << 20}},
		{"overhead", corev1.PodSpec{Overhead: rl("250m", "64Mi"), Containers: []corev1.Container{c("250m", "")}},
			scheduler.Resources{MilliCPU: 500, Memory: 64 << 20}, scheduler.Resources{MilliCPU: 500, Memory: 264 << 20}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := podSpec(t, "default/p", tc.spec)
			assert.Equal(t, tc.req, p.Requests)
			assert.Equal(t, tc.nonZero, p.NonZero)
		})
	}
}

func TestBadInput(t *testing.T) {
	_, err := scheduler.NewPod("default/p", corev1.PodSpec{Containers: []corev1.Container{{Resources: corev1.ResourceRequirements{Requests: rl("-1", "")}}}})
	assert.EqualError(t, err, "pod default/p: spec.containers[0].resources.requests.cpu: -1 is negative; a request must be zero or more")
	_, err = scheduler.NewPod("default/p", corev1.PodSpec{Resources: &corev1.ResourceRequirements{Requests: rl("1", "")}})
	assert.ErrorContains(t, err, "spec.resources: pod-level resources are not modelled")
	_, err = scheduler.NewNodeInfo(scheduler.Node{Name: "n", Allocatable: rl("", "-1Gi")})
	assert.EqualError(t, err, "node n: status.allocatable.memory: -1Gi is negative; allocatable must be zero or more")
}

func TestPlaceAllSpreadsAndIsPure(t *testing.T) {
	nodes := []scheduler.NodeInfo{node(t, "a", "2", "8Gi", 110), node(t, "b", "2", "8Gi", 110)}
	var pods []scheduler.Pod
	for i := 0; i < 5; i++ {
		pods = append(pods, pod(t, fmt.Sprintf("default/p%d", i), "1", "1Gi"))
	}
	got := scheduler.PlaceAll(nodes, pods, scheduler.DefaultOptions())
	var where []string
	for _, d := range got.Decisions {
		where = append(where, d.Node)
	}
	// Least allocated alternates; the fifth finds both full.
	assert.Equal(t, []string{"a", "b", "a", "b", ""}, where)
	assert.Equal(t, "0/2 nodes are available: 2 Insufficient cpu. no new claims to deallocate, preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.", got.Decisions[4].Message)
	assert.Empty(t, nodes[0].Pods, "the input is not modified")
	assert.Equal(t, []string{"default/p0", "default/p2"}, got.Nodes[0].Pods)

	u, ok := got.Nodes[0].Unbind(pods[0])
	require.True(t, ok)
	assert.Equal(t, scheduler.Resources{MilliCPU: 1000, Memory: 1 << 30}, u.Requested)
	assert.Len(t, got.Nodes[0].Pods, 2)
}

func TestExplain(t *testing.T) {
	nodes := fullPool(t)
	nodes[0] = withNode(t, nodes[0], func(n *scheduler.Node) {
		n.Taints = []corev1.Taint{taint("dedicated", "ws", corev1.TaintEffectNoSchedule)}
	})
	nodes = append(nodes, node(t, "node-3", "4", "16Gi", 110))
	p := pod(t, "default/web", "2", "1Gi")
	d := scheduler.Schedule(nodes, p, scheduler.DefaultOptions())
	assert.Equal(t, []string{
		"node-0: node(s) had untolerated taint(s): dedicated=ws:NoSchedule (TaintToleration)",
		"node-1: Insufficient cpu: requests 2, 1 free of 4 (NodeResourcesFit)",
		"node-2: Insufficient cpu: requests 2, 1 free of 4 (NodeResourcesFit)",
		// LeastAllocated: cpu (4-2)*100/4 = 50, memory (16-1)*100/16 = 93
		// (93.75): 71. BalancedAllocation: fractions 2/4 and 1/16, std
		// (0.5-0.0625)/2 = 0.21875: 78.
		"node-3: fits, score 149 (LeastAllocated 71, BalancedAllocation 78), chosen",
	}, scheduler.Explain(nodes, p, d))
}

// Fits agrees with Filter on every node of the tests' pools.
func TestFitsAgreesWithFilter(t *testing.T) {
	nodes := fullPool(t)
	nodes = append(nodes,
		withNode(t, node(t, "t", "8", "8Gi", 10), func(n *scheduler.Node) { n.Taints = []corev1.Taint{taint("a", "b", corev1.TaintEffectNoExecute)} }),
		withNode(t, node(t, "u", "8", "8Gi", 10), func(n *scheduler.Node) { n.Unschedulable = true }),
		withNode(t, node(t, "l", "8", "8Gi", 10), func(n *scheduler.Node) { n.Labels = map[string]string{"pool": "x"} }),
		node(t, "full", "8", "8Gi", 0),
	)
	pods := []scheduler.Pod{
		pod(t, "default/a", "1", ""), pod(t, "default/b", "500m", "20Gi"), pod(t, "default/c", "", ""),
		podSpec(t, "default/d", corev1.PodSpec{NodeSelector: map[string]string{"pool": "x"}}),
		podSpec(t, "default/e", corev1.PodSpec{Tolerations: []corev1.Toleration{{Operator: corev1.TolerationOpExists}}}),
	}
	for _, n := range nodes {
		for _, p := range pods {
			assert.Equal(t, scheduler.Filter(n, p) == nil, scheduler.Fits(&n, &p), "%s on %s", p.Name, n.Node.Name)
		}
	}
}

// BalancedAllocation breaks what LeastAllocated leaves tied: b is listed
// first and wins alone on LeastAllocated; with the default profile a wins.
func TestBalancedAllocation(t *testing.T) {
	a := node(t, "a", "4", "4Gi", 10).Bind(pod(t, "default/m", "0", "2Gi"))
	b := node(t, "b", "4", "4Gi", 10).Bind(pod(t, "default/c", "2", "0"))
	p := pod(t, "default/p", "1", "0")
	// LeastAllocated: a cpu 75, memory 50, (75+50)/2 = 62; b cpu 25, memory 100: 62.
	// BalancedAllocation: a fractions 0.25 and 0.5, std 0.125: 87; b 0.75 and 0: 62.
	assert.Equal(t, int64(62), scheduler.LeastAllocatedScore(a, p))
	assert.Equal(t, int64(62), scheduler.LeastAllocatedScore(b, p))
	assert.Equal(t, int64(87), scheduler.BalancedAllocationScore(a, p))
	assert.Equal(t, int64(62), scheduler.BalancedAllocationScore(b, p))
	nodes := []scheduler.NodeInfo{b, a}
	assert.Equal(t, "b", scheduler.Schedule(nodes, p, scheduler.Options{}).Node)
	assert.Equal(t, "a", scheduler.Schedule(nodes, p, scheduler.DefaultOptions()).Node)
	// Fractions are capped at 1, and a best-effort pod scores 0.
	assert.Equal(t, int64(50), scheduler.BalancedAllocationScore(b, pod(t, "default/big", "8", "0")))
	assert.Equal(t, int64(0), scheduler.BalancedAllocationScore(a, pod(t, "default/be", "", "")))
}
