package autoscaler

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

// unschedulablePodTimeBuffer: when every pending pod is younger than this,
// the loop neither scales up nor down, waiting for more pods
// (core/static_autoscaler.go: unschedulablePodTimeBuffer, allPodsAreNew).
const unschedulablePodTimeBuffer = 2 * time.Second

// Node is a registered, Ready node of a group with the pods bound to it.
type Node struct {
	Group string
	Info  scheduler.NodeInfo
	Pods  []scheduler.Pod
}

// PendingPod is a pod the scheduler marked unschedulable, and when it was
// created.
type PendingPod struct {
	Pod     scheduler.Pod
	Created time.Time
}

// Observation is what the autoscaler lists at a loop: the Ready nodes (in
// creation order) and the unschedulable pods.
type Observation struct {
	Nodes   []Node
	Pending []PendingPod
}

// Upcoming is a node asked of the cloud and not yet Ready.
type Upcoming struct {
	Name, Group string
	Requested   time.Time
	Ready       time.Time
}

// Since records since when a node has been unneeded (or, for the
// unremovable list, until when it is not rechecked).
type Since struct {
	Node string
	At   time.Time
}

// State is the autoscaler's memory between loops. The zero State is a
// freshly started autoscaler. Step never modifies the State it is given.
type State struct {
	Started             bool
	NextLoop            time.Time
	LastScaleUp         time.Time
	LastScaleDownDelete time.Time
	Upcoming            []Upcoming
	Unneeded            []Since
	Unremovable         []Since
	// Created counts the nodes created per group, for their names.
	Created map[string]int
}

func (s State) clone() State {
	out := s
	out.Upcoming = slices.Clone(s.Upcoming)
	out.Unneeded = slices.Clone(s.Unneeded)
	out.Unremovable = slices.Clone(s.Unremovable)
	out.Created = make(map[string]int, len(s.Created))
	for k, v := range s.Created {
		out.Created[k] = v
	}
	return out
}

// Event is a Kubernetes event the autoscaler records.
type Event struct {
	Type, Reason, Object, Message string
}

// Option is one node group that could help, as the expander sees it.
type Option struct {
	Group     string
	NodeCount int
	Pods      []string
	// Waste is the least-waste score: wasted cpu fraction plus wasted
	// memory fraction of the new nodes' capacity.
	Waste float64
}

// ScaleUp is a decided increase of one group.
type ScaleUp struct {
	Group              string
	From, To, Max      int
	Pods               []string
	Nodes              []Upcoming
	Options            []Option
	ExpanderConsidered []string
}

// Deletion is a node removed by scale-down; its pods are evicted.
type Deletion struct {
	Node, Group   string
	Empty         bool
	Evicted       []string
	UnneededSince time.Time
}

// Utilization of one node as scale-down computes it.
type Utilization struct {
	Node                string
	CPU, Memory, Value  float64
	Resource            corev1.ResourceName
	BelowThreshold      bool
	UnremovableNoPlace  bool
	UnremovableRecently bool
}

// Result is what one Step did.
type Result struct {
	// Loop is whether an autoscaler loop ran at this instant.
	Loop bool
	// Ready are the upcoming nodes that became Ready: the caller
	// registers them now.
	Ready []Upcoming
	// ScaleUp is the scale-up decided, if any; NoScaleUp says why pending
	// pods did not cause one.
	ScaleUp   *ScaleUp
	NoScaleUp string
	// Deleted are the nodes scale-down removes now.
	Deleted []Deletion
	// ScaleDownSkipped says why no node was deleted this loop when some
	// were unneeded ("" when deletions were allowed).
	ScaleDownSkipped string
	Unneeded         []Since
	Utilization      []Utilization
	Events           []Event
}

// Step advances the autoscaler to now: nodes whose provisioning is over
// become Ready, and when a loop is due (every ScanInterval from the first
// Step) it runs one RunOnce (core/static_autoscaler.go): scale-up for the
// unschedulable pods, then the unneeded-node bookkeeping and scale-down.
// rng is used for provisioning delays and the expander's random choices
// only; a caller seeds it.
func Step(groups []NodeGroup, opts Options, st State, obs Observation, now time.Time, rng *rand.Rand) (State, Result) {
	st = st.clone()
	var res Result
	keep := st.Upcoming[:0]
	for _, u := range st.Upcoming {
		if !u.Ready.After(now) {
			res.Ready = append(res.Ready, u)
		} else {
			keep = append(keep, u)
		}
	}
	st.Upcoming = keep
	if st.Started && now.Before(st.NextLoop) {
		return st, res
	}
	if !st.Started {
		st.Started, st.NextLoop = true, now
	}
	// The next loop is the first multiple of the interval after now; an
	// interval that is not positive (refused by Validate) runs a loop at
	// every Step rather than never returning.
	if opts.ScanInterval > 0 {
		k := now.Sub(st.NextLoop)/opts.ScanInterval + 1
		st.NextLoop = st.NextLoop.Add(k * opts.ScanInterval)
	} else {
		st.NextLoop = now
	}
	res.Loop = true
	// Nodes that became Ready at this very instant are not in obs yet; the
	// loop counts them as upcoming still.
	upcoming := append(slices.Clone(st.Upcoming), res.Ready...)
	// A scale-up in this loop sets LastScaleUp to now, so that
	// --scale-down-delay-after-add holds deletions back; with a zero delay
	// a deletion may follow in the same loop, as in RunOnce.
	disableScaleDown := runScaleUp(groups, opts, &st, obs, upcoming, now, rng, &res)
	if opts.ScaleDownEnabled {
		runScaleDown(groups, opts, &st, obs, upcoming, now, disableScaleDown, &res)
	}
	res.Unneeded = slices.Clone(st.Unneeded)
	return st, res
}

func groupIndex(groups []NodeGroup) map[string]int {
	m := make(map[string]int, len(groups))
	for i, g := range groups {
		m[g.Name] = i
	}
	return m
}

// templateInfo is a fresh node of g.
func templateInfo(g NodeGroup, name string) scheduler.NodeInfo {
	n := g.Template
	n.Name = name
	ni, _ := scheduler.NewNodeInfo(n) // validated by ValidateGroups
	return ni
}

func runScaleUp(groups []NodeGroup, opts Options, st *State, obs Observation, upcoming []Upcoming, now time.Time, rng *rand.Rand, res *Result) (disableScaleDown bool) {
	// Pods younger than --new-pod-scale-up-delay wait
	// (static_autoscaler.go: filterOutYoungPods).
	var pending []PendingPod
	for _, p := range obs.Pending {
		if p.Created.Add(opts.NewPodScaleUpDelay).After(now) {
			continue
		}
		pending = append(pending, p)
	}
	// Pods that fit existing room or an upcoming node are left to the
	// scheduler (the upcoming nodes are injected in the snapshot,
	// static_autoscaler.go: addUpcomingNodesToClusterSnapshot; the pod
	// list processor filters out schedulable pods). First fit in node
	// order, upcoming nodes last.
	gi := groupIndex(groups)
	snapshot := make([]scheduler.NodeInfo, 0, len(obs.Nodes)+len(upcoming))
	for _, n := range obs.Nodes {
		snapshot = append(snapshot, n.Info)
	}
	for _, u := range upcoming {
		if i, ok := gi[u.Group]; ok {
			snapshot = append(snapshot, templateInfo(groups[i], u.Name))
		}
	}
	var toHelp []PendingPod
	for _, p := range pending {
		if i := firstFit(snapshot, p.Pod); i >= 0 {
			snapshot[i] = snapshot[i].Bind(p.Pod)
			continue
		}
		toHelp = append(toHelp, p)
	}
	if len(toHelp) == 0 {
		return false
	}
	// static_autoscaler.go: shouldScaleUp.
	if opts.MaxNodesTotal > 0 && len(obs.Nodes) >= opts.MaxNodesTotal {
		res.NoScaleUp = fmt.Sprintf("max total nodes in cluster reached: %d", opts.MaxNodesTotal)
		res.Events = append(res.Events, Event{Type: corev1.EventTypeWarning, Reason: "MaxNodesTotalReached", Object: "configmap/cluster-autoscaler-status",
			Message: fmt.Sprintf("Max total nodes in cluster reached: %v", opts.MaxNodesTotal)})
		return false
	}
	oldest := toHelp[0].Created
	for _, p := range toHelp {
		if p.Created.Before(oldest) {
			oldest = p.Created
		}
	}
	if oldest.Add(unschedulablePodTimeBuffer).After(now) {
		res.NoScaleUp = "unschedulable pods are very new, waiting one iteration for more"
		return true
	}

	size := map[string]int{}
	for _, n := range obs.Nodes {
		size[n.Group]++
	}
	for _, u := range upcoming {
		size[u.Group]++
	}
	total := len(obs.Nodes) + len(upcoming)
	var options []Option
	var why []string
	for _, g := range groups {
		limit := g.MaxSize - size[g.Name]
		if limit <= 0 {
			why = append(why, g.Name+": max node group size reached")
			continue
		}
		// The estimation limiter's thresholds (estimator/
		// threshold_based_limiter.go with static_threshold.go,
		// sng_capacity_threshold.go, cluster_capacity_threshold.go): the
		// group's room, the cluster's room under --max-nodes-total, and
		// --max-nodes-per-scaleup.
		if opts.MaxNodesTotal > 0 {
			limit = min(limit, opts.MaxNodesTotal-total)
		}
		if opts.MaxNodesPerScaleUp > 0 {
			limit = min(limit, opts.MaxNodesPerScaleUp)
		}
		if limit <= 0 {
			why = append(why, g.Name+": max-nodes-total reached")
			continue
		}
		o, ok := estimate(g, toHelp, limit)
		if !ok {
			why = append(why, g.Name+": no pending pod would fit a new node")
			continue
		}
		options = append(options, o)
	}
	if len(options) == 0 {
		res.NoScaleUp = "no node group can help: " + strings.Join(why, "; ")
		return false
	}
	best, considered := expand(opts.Expander, options, rng)
	g := groups[gi[best.Group]]
	su := &ScaleUp{Group: g.Name, From: size[g.Name], To: size[g.Name] + best.NodeCount, Max: g.MaxSize,
		Pods: best.Pods, Options: options, ExpanderConsidered: considered}
	taken := map[string]bool{}
	for _, n := range obs.Nodes {
		taken[n.Info.Node.Name] = true
	}
	for _, u := range upcoming {
		taken[u.Name] = true
	}
	for i := 0; i < best.NodeCount; i++ {
		// The next free "<group>-<n>": the counter continues from the
		// nodes created before, skipping names in use.
		st.Created[g.Name]++
		for taken[fmt.Sprintf("%s-%d", g.Name, st.Created[g.Name])] {
			st.Created[g.Name]++
		}
		u := Upcoming{Name: fmt.Sprintf("%s-%d", g.Name, st.Created[g.Name]), Group: g.Name, Requested: now}
		u.Ready = now.Add(g.Provision.Draw(rng))
		su.Nodes = append(su.Nodes, u)
		st.Upcoming = append(st.Upcoming, u)
	}
	// processors/status/eventing_scale_up_processor.go and
	// processors/nodegroupset: ScaleUpInfo.String.
	msg := fmt.Sprintf("pod triggered scale-up: [{%s %d->%d (max: %d)}]", g.Name, su.From, su.To, su.Max)
	for _, p := range best.Pods {
		res.Events = append(res.Events, Event{Type: corev1.EventTypeNormal, Reason: "TriggeredScaleUp", Object: p, Message: msg})
	}
	res.ScaleUp = su
	st.LastScaleUp = now
	return false
}

func firstFit(nodes []scheduler.NodeInfo, p scheduler.Pod) int {
	for i := range nodes {
		if scheduler.Fits(&nodes[i], &p) {
			return i
		}
	}
	return -1
}

// containerRequests sums the containers' cpu and memory requests, as the
// expander and the pod orderer read pods (expander/waste/waste.go:
// resourcesForPods; estimator/decreasing_pod_orderer.go).
func containerRequests(p scheduler.Pod) (cpuMilli, mem int64) {
	for _, c := range p.Spec.Containers {
		if q, ok := c.Resources.Requests[corev1.ResourceCPU]; ok {
			cpuMilli += q.MilliValue()
		}
		if q, ok := c.Resources.Requests[corev1.ResourceMemory]; ok {
			mem += q.Value()
		}
	}
	return cpuMilli, mem
}

type scoredPod struct {
	p     scheduler.Pod
	score float64
}

// estimate is the binpacking estimator (estimator/binpacking_estimator.go:
// Estimate): pods that fit an empty template node, largest first
// (decreasing_pod_orderer.go: cpu/allocatable + memory/allocatable, ties
// in pending order), each placed on the first new node that admits it,
// else on a new node while the limit allows.
func estimate(g NodeGroup, pending []PendingPod, limit int) (Option, bool) {
	tmpl := templateInfo(g, g.Name+"-template")
	var pods []scoredPod
	for _, p := range pending {
		if !scheduler.Fits(&tmpl, &p.Pod) {
			continue
		}
		c, m := containerRequests(p.Pod)
		var s float64
		if tmpl.Allocatable.MilliCPU > 0 {
			s += float64(c) / float64(tmpl.Allocatable.MilliCPU)
		}
		if tmpl.Allocatable.Memory > 0 {
			s += float64(m) / float64(tmpl.Allocatable.Memory)
		}
		pods = append(pods, scoredPod{p.Pod, s})
	}
	if len(pods) == 0 {
		return Option{}, false
	}
	sort.SliceStable(pods, func(i, j int) bool { return pods[i].score > pods[j].score })
	var nodes []scheduler.NodeInfo
	o := Option{Group: g.Name}
	for _, sp := range pods {
		if i := firstFit(nodes, sp.p); i >= 0 {
			nodes[i] = nodes[i].Bind(sp.p)
			o.Pods = append(o.Pods, sp.p.Name)
			continue
		}
		if len(nodes) >= limit {
			break
		}
		n := templateInfo(g, fmt.Sprintf("%s-estimate-%d", g.Name, len(nodes)))
		if !scheduler.Fits(&n, &sp.p) {
			break
		}
		nodes = append(nodes, n.Bind(sp.p))
		o.Pods = append(o.Pods, sp.p.Name)
	}
	o.NodeCount = len(nodes)
	o.Waste = waste(g, pods, o)
	return o, o.NodeCount > 0
}

// waste is expander/waste/waste.go BestOptions' score: unused fraction of
// the new nodes' cpu capacity plus that of their memory.
func waste(g NodeGroup, pods []scoredPod, o Option) float64 {
	capacity := g.Capacity
	if len(capacity) == 0 {
		capacity = g.Template.Allocatable
	}
	in := map[string]bool{}
	for _, name := range o.Pods {
		in[name] = true
	}
	var cpu, mem int64
	for _, sp := range pods {
		if in[sp.p.Name] {
			c, m := containerRequests(sp.p)
			cpu, mem = cpu+c, mem+m
		}
	}
	q := capacity[corev1.ResourceCPU]
	availCPU := q.MilliValue() * int64(o.NodeCount)
	q = capacity[corev1.ResourceMemory]
	availMem := q.Value() * int64(o.NodeCount)
	var w float64
	if availCPU > 0 {
		w += float64(availCPU-cpu) / float64(availCPU)
	}
	if availMem > 0 {
		w += float64(availMem-mem) / float64(availMem)
	}
	return w
}

// expand chooses an option. least-waste keeps the options of the lowest
// score and most-pods those helping the most pods; the remaining ties,
// and the random expander, are broken by rng as upstream's final random
// choice (expander/factory/chain.go, expander/random/random.go). rng is
// drawn only when more than one option remains.
func expand(name string, options []Option, rng *rand.Rand) (Option, []string) {
	cands := options
	switch name {
	case ExpanderLeastWaste:
		cands = nil
		for _, o := range options {
			switch {
			case len(cands) == 0 || o.Waste < cands[0].Waste:
				cands = []Option{o}
			case o.Waste == cands[0].Waste:
				cands = append(cands, o)
			}
		}
	case ExpanderMostPods:
		cands = nil
		for _, o := range options {
			switch {
			case len(cands) == 0 || len(o.Pods) > len(cands[0].Pods):
				cands = []Option{o}
			case len(o.Pods) == len(cands[0].Pods):
				cands = append(cands, o)
			}
		}
	}
	var names []string
	for _, o := range cands {
		names = append(names, o.Group)
	}
	if len(cands) == 1 {
		return cands[0], names
	}
	return cands[rng.IntN(len(cands))], names
}
