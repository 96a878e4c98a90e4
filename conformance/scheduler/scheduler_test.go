package scheduler

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	fwk "k8s.io/kube-scheduler/framework"
	"k8s.io/kubernetes/pkg/scheduler/apis/config"
	"k8s.io/kubernetes/pkg/scheduler/framework"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/feature"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/nodeaffinity"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/noderesources"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/nodeunschedulable"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/tainttoleration"

	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

var (
	cases = flag.Int("cases", 3000, "random cases")
	seed  = flag.Uint64("seed", 1, "generator seed")
)

type gen struct{ r *rand.Rand }

func (g gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g gen) requests() v1.ResourceList {
	l := v1.ResourceList{}
	if g.r.IntN(4) > 0 {
		l[v1.ResourceCPU] = resource.MustParse(g.pick("0", "100m", "250m", "500m", "1", "1500m", "2", "3"))
	}
	if g.r.IntN(4) > 0 {
		l[v1.ResourceMemory] = resource.MustParse(g.pick("0", "64Mi", "200Mi", "512Mi", "1Gi", "3Gi", "6Gi"))
	}
	return l
}

func (g gen) podSpec() v1.PodSpec {
	var s v1.PodSpec
	for i := 0; i <= g.r.IntN(3); i++ {
		s.Containers = append(s.Containers, v1.Container{Name: fmt.Sprintf("c%d", i), Resources: v1.ResourceRequirements{Requests: g.requests()}})
	}
	for i := 0; i < g.r.IntN(3); i++ {
		c := v1.Container{Name: fmt.Sprintf("i%d", i), Resources: v1.ResourceRequirements{Requests: g.requests()}}
		if g.r.IntN(2) == 0 {
			always := v1.ContainerRestartPolicyAlways
			c.RestartPolicy = &always
		}
		s.InitContainers = append(s.InitContainers, c)
	}
	if g.r.IntN(5) == 0 {
		s.Overhead = g.requests()
	}
	return s
}

func (g gen) taint() v1.Taint {
	return v1.Taint{Key: g.pick("k1", "k2"), Value: g.pick("", "v1", "v2"),
		Effect: v1.TaintEffect(g.pick("NoSchedule", "NoExecute", "PreferNoSchedule"))}
}

func (g gen) toleration() v1.Toleration {
	t := v1.Toleration{Key: g.pick("", "k1", "k2"), Operator: v1.TolerationOperator(g.pick("", "Equal", "Exists")),
		Effect: v1.TaintEffect(g.pick("", "NoSchedule", "NoExecute"))}
	if t.Operator != v1.TolerationOpExists {
		t.Value = g.pick("", "v1", "v2")
	}
	if t.Key == "" {
		t.Operator = v1.TolerationOpExists
	}
	return t
}

func (g gen) requirement() v1.NodeSelectorRequirement {
	switch g.r.IntN(6) {
	case 0:
		return v1.NodeSelectorRequirement{Key: "pool", Operator: v1.NodeSelectorOpIn, Values: []string{g.pick("a", "b")}}
	case 1:
		return v1.NodeSelectorRequirement{Key: g.pick("pool", "gpu"), Operator: v1.NodeSelectorOpNotIn, Values: []string{g.pick("a", "yes")}}
	case 2:
		return v1.NodeSelectorRequirement{Key: g.pick("pool", "gpu"), Operator: v1.NodeSelectorOpExists}
	case 3:
		return v1.NodeSelectorRequirement{Key: g.pick("pool", "gpu"), Operator: v1.NodeSelectorOpDoesNotExist}
	case 4:
		return v1.NodeSelectorRequirement{Key: "cores", Operator: v1.NodeSelectorOpGt, Values: []string{g.pick("2", "4", "x")}}
	}
	return v1.NodeSelectorRequirement{Key: "cores", Operator: v1.NodeSelectorOpLt, Values: []string{g.pick("2", "8")}}
}

type testCase struct {
	nodes []*v1.Node
	bound [][]*v1.Pod
	pod   *v1.Pod
}

func (g gen) testCase() testCase {
	var c testCase
	n := 1 + g.r.IntN(12)
	for i := 0; i < n; i++ {
		node := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("n%d", i), Labels: map[string]string{}}}
		node.Status.Allocatable = v1.ResourceList{
			v1.ResourceCPU:    resource.MustParse(g.pick("1", "2", "3500m", "4", "8")),
			v1.ResourceMemory: resource.MustParse(g.pick("2Gi", "4Gi", "8Gi", "16Gi")),
			v1.ResourcePods:   resource.MustParse(g.pick("1", "3", "110")),
		}
		if g.r.IntN(3) > 0 {
			node.Labels["pool"] = g.pick("a", "b")
		}
		if g.r.IntN(4) == 0 {
			node.Labels["gpu"] = "yes"
		}
		node.Labels["cores"] = g.pick("2", "4", "8")
		for j := 0; j < g.r.IntN(3); j++ {
			node.Spec.Taints = append(node.Spec.Taints, g.taint())
		}
		node.Spec.Unschedulable = g.r.IntN(10) == 0
		var pods []*v1.Pod
		for j := 0; j < g.r.IntN(4); j++ {
			p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: fmt.Sprintf("b%d-%d", i, j), UID: "u"}, Spec: g.podSpec()}
			p.Spec.NodeName = node.Name
			pods = append(pods, p)
		}
		c.nodes = append(c.nodes, node)
		c.bound = append(c.bound, pods)
	}
	p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "incoming", UID: "x"}, Spec: g.podSpec()}
	for j := 0; j < g.r.IntN(3); j++ {
		p.Spec.Tolerations = append(p.Spec.Tolerations, g.toleration())
	}
	if g.r.IntN(3) == 0 {
		p.Spec.NodeSelector = map[string]string{"pool": g.pick("a", "b")}
	}
	if g.r.IntN(3) == 0 {
		var terms []v1.NodeSelectorTerm
		for j := 0; j <= g.r.IntN(2); j++ {
			var t v1.NodeSelectorTerm
			for k := 0; k <= g.r.IntN(2); k++ {
				t.MatchExpressions = append(t.MatchExpressions, g.requirement())
			}
			terms = append(terms, t)
		}
		p.Spec.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{NodeSelectorTerms: terms}}}
	}
	if g.r.IntN(8) == 0 {
		never := v1.PreemptNever
		p.Spec.PreemptionPolicy = &never
	}
	c.pod = p
	return c
}

type upstream struct {
	unsched, taints, affinity, fit fwk.FilterPlugin
	balanced                       fwk.ScorePlugin
}

func newUpstream(t *testing.T) upstream {
	ctx := context.Background()
	fts := feature.Features{EnableSidecarContainers: true}
	fit, err := noderesources.NewFit(ctx, &config.NodeResourcesFitArgs{ScoringStrategy: &config.ScoringStrategy{
		Type: config.LeastAllocated, Resources: []config.ResourceSpec{{Name: "cpu", Weight: 1}, {Name: "memory", Weight: 1}},
	}}, nil, fts)
	must(t, err)
	un, err := nodeunschedulable.New(ctx, nil, nil, fts)
	must(t, err)
	tt, err := tainttoleration.New(ctx, nil, nil, fts)
	must(t, err)
	na, err := nodeaffinity.New(ctx, &config.NodeAffinityArgs{}, nil, fts)
	must(t, err)
	ba, err := noderesources.NewBalancedAllocation(ctx, &config.NodeResourcesBalancedAllocationArgs{
		Resources: []config.ResourceSpec{{Name: "cpu", Weight: 1}, {Name: "memory", Weight: 1}},
	}, nil, fts)
	must(t, err)
	return upstream{unsched: un.(fwk.FilterPlugin), taints: tt.(fwk.FilterPlugin), affinity: na.(fwk.FilterPlugin), fit: fit.(fwk.FilterPlugin),
		balanced: ba.(fwk.ScorePlugin)}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// verdict is one node's outcome, in the model's terms.
type verdict struct {
	plugin   string
	code     string
	reasons  string
	score    int64
	balanced int64
}

func TestAgainstUpstreamPlugins(t *testing.T) {
	up := newUpstream(t)
	g := gen{rand.New(rand.NewPCG(*seed, 13))}
	ctx := context.Background()
	byPlugin := map[string]int{}
	messages, scored := 0, 0
	defer func() {
		t.Logf("%d cases: %d scores, rejections by plugin %v, %d FailedScheduling messages", *cases, scored, byPlugin, messages)
	}()
	for n := 0; n < *cases; n++ {
		c := g.testCase()
		// Upstream.
		infos := make([]fwk.NodeInfo, len(c.nodes))
		for i, node := range c.nodes {
			ni := framework.NewNodeInfo(c.bound[i]...)
			ni.SetNode(node)
			infos[i] = ni
		}
		state := framework.NewCycleState()
		skipAffinity := false
		if _, s := up.affinity.(fwk.PreFilterPlugin).PreFilter(ctx, state, c.pod, infos); s.Code() == fwk.Skip {
			skipAffinity = true
		} else if !s.IsSuccess() {
			t.Fatalf("case %d: NodeAffinity PreFilter: %v", n, s)
		}
		if _, s := up.fit.(fwk.PreFilterPlugin).PreFilter(ctx, state, c.pod, infos); !s.IsSuccess() {
			t.Fatalf("case %d: Fit PreFilter: %v", n, s)
		}
		statuses := framework.NewDefaultNodeToStatus()
		var feasible []fwk.NodeInfo
		want := make([]verdict, len(infos))
		for i, ni := range infos {
			var s *fwk.Status
			plugin := ""
			for _, f := range []struct {
				name string
				pl   fwk.FilterPlugin
			}{{scheduler.PluginNodeUnschedulable, up.unsched}, {scheduler.PluginTaintToleration, up.taints}, {scheduler.PluginNodeAffinity, up.affinity}, {scheduler.PluginNodeResourcesFit, up.fit}} {
				if f.pl == up.affinity && skipAffinity {
					continue
				}
				if s = f.pl.Filter(ctx, state, c.pod, ni); !s.IsSuccess() {
					plugin = f.name
					break
				}
			}
			if !s.IsSuccess() {
				statuses.Set(ni.Node().Name, s)
				want[i] = verdict{plugin: plugin, code: s.Code().String(), reasons: strings.Join(s.Reasons(), "|")}
				continue
			}
			feasible = append(feasible, ni)
		}
		if len(feasible) > 0 {
			if s := up.fit.(fwk.PreScorePlugin).PreScore(ctx, state, c.pod, feasible); !s.IsSuccess() {
				t.Fatalf("case %d: PreScore: %v", n, s)
			}
			// A Skip from BalancedAllocation's PreScore (a best-effort pod)
			// leaves the plugin out of scoring: it adds 0.
			baSkip := false
			if s := up.balanced.(fwk.PreScorePlugin).PreScore(ctx, state, c.pod, feasible); s.Code() == fwk.Skip {
				baSkip = true
			} else if !s.IsSuccess() {
				t.Fatalf("case %d: BalancedAllocation PreScore: %v", n, s)
			}
			for i, ni := range infos {
				if want[i].plugin != "" {
					continue
				}
				score, s := up.fit.(fwk.ScorePlugin).Score(ctx, state, c.pod, ni)
				must(t, s.AsError())
				want[i] = verdict{score: score}
				if !baSkip {
					b, s := up.balanced.Score(ctx, state, c.pod, ni)
					must(t, s.AsError())
					want[i].balanced = b
				}
			}
		}

		// The model.
		nodes := make([]scheduler.NodeInfo, len(c.nodes))
		for i, node := range c.nodes {
			ni, err := scheduler.NewNodeInfo(scheduler.Node{Name: node.Name, Labels: node.Labels, Taints: node.Spec.Taints,
				Unschedulable: node.Spec.Unschedulable, Allocatable: node.Status.Allocatable})
			must(t, err)
			for _, bp := range c.bound[i] {
				p, err := scheduler.NewPod(bp.Namespace+"/"+bp.Name, bp.Spec)
				must(t, err)
				ni = ni.Bind(p)
			}
			nodes[i] = ni
		}
		pod, err := scheduler.NewPod("default/incoming", c.pod.Spec)
		must(t, err)
		d := scheduler.Schedule(nodes, pod, scheduler.Options{BalancedAllocation: true})
		got := make([]verdict, len(nodes))
		codes := map[scheduler.Code]string{scheduler.Unschedulable: fwk.Unschedulable.String(), scheduler.UnschedulableAndUnresolvable: fwk.UnschedulableAndUnresolvable.String()}
		for _, r := range d.Rejected {
			got[r.Index] = verdict{plugin: r.Status.Plugin, code: codes[r.Status.Code], reasons: strings.Join(r.Status.Reasons, "|")}
		}
		for _, f := range d.Feasible {
			got[f.Index] = verdict{score: f.LeastAllocated, balanced: f.BalancedAllocation}
			if f.Score != f.LeastAllocated+f.BalancedAllocation {
				t.Fatalf("case %d: total %d is not the sum of %+v", n, f.Score, f)
			}
		}
		for i := range want {
			if want[i].plugin != "" {
				byPlugin[want[i].plugin]++
			} else {
				scored++
			}
			if want[i] != got[i] {
				t.Fatalf("case %d (seed %d), node %s: upstream %+v, model %+v\nnode %+v\nbound %v\npod %+v", n, *seed, c.nodes[i].Name, want[i], got[i], c.nodes[i], c.bound[i], c.pod.Spec)
			}
		}
		if len(feasible) > 0 {
			continue
		}
		// The FitError: upstream's text over upstream's statuses, then the
		// preemption FitError as Preempt builds it (no pod has a lower
		// priority, so every Unschedulable node has no victims).
		fe := &framework.FitError{Pod: c.pod, NumAllNodes: len(infos), Diagnosis: framework.Diagnosis{NodeToStatus: statuses}}
		pre := framework.NewDefaultNodeToStatus()
		pre.SetAbsentNodesStatus(fwk.NewStatus(fwk.UnschedulableAndUnresolvable, scheduler.MessageNotHelpful))
		for i, ni := range infos {
			if want[i].code == fwk.Unschedulable.String() {
				pre.Set(ni.Node().Name, fwk.NewStatus(fwk.UnschedulableAndUnresolvable, scheduler.MessageNoVictims))
			}
		}
		preMsg := (&framework.FitError{Pod: c.pod, NumAllNodes: len(infos), Diagnosis: framework.Diagnosis{NodeToStatus: pre}}).Error()
		if c.pod.Spec.PreemptionPolicy != nil {
			preMsg = scheduler.MessagePreemptionNever
		}
		fe.Diagnosis.PostFilterMsg = "preemption: " + preMsg
		messages++
		if w := fe.Error(); w != d.Message {
			t.Fatalf("case %d (seed %d): FailedScheduling\nupstream %q\nmodel    %q", n, *seed, w, d.Message)
		}
	}
}
