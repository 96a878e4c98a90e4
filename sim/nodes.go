package sim

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster"
	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

// Nodes and scheduling, wired as cluster/doc.go describes: at a full
// tick the cluster-autoscaler steps first (nodes become Ready, loops on
// its scan interval add or remove nodes), the workload's controllers and
// ReplicaSet act, then the scheduler places the Pending pods one at a
// time in creation order.

// streamNodes draws the provisioning delays and the expander's choices.
const streamNodes = streamProbe + 1

// maxPoolNodes bounds a pool's nodes (a loop of the autoscaler over 5,000
// nodes takes seconds).
const maxPoolNodes = 1000

func maxNodesOf(p cluster.Pool) int {
	if p.Autoscaling == nil {
		return p.Nodes
	}
	return p.Autoscaling.MaxNodes
}

// never is the readiness and running instant of a pod not yet bound.
const never = time.Duration(math.MaxInt64)

// simNode is a registered, Ready node and the pods bound to it.
type simNode struct {
	info scheduler.NodeInfo
	// span is the node's index in ClusterResult.Nodes and .Ready.
	span int
	// pods are the bound pods as the autoscaler reads them, rebuilt
	// only after a pod came or went (podsOK false).
	pods   []scheduler.Pod
	podsOK bool
}

// clusterState is the node pool of a run, or of the workloads of a
// Namespace, which share it.
type clusterState struct {
	pool       cluster.Pool
	group      autoscaler.NodeGroup
	autoscaled bool
	opts       autoscaler.Options
	st         autoscaler.State
	rng        *rand.Rand
	nodes      []*simNode
	// start is the runs' common epoch.
	start time.Time
	// members are the simulators whose pods run on the pool, in the
	// namespace's order; one for a single workload.
	members []*Simulator
	// bound maps a bound pod's name to the pod as the scheduler reads
	// it (the workloads' templates differ).
	bound map[string]scheduler.Pod
	// emit records an event of the pool's own (the cluster-autoscaler's
	// on a node, or on no pod of a member): on the workload's timeline
	// for a single workload, on the namespace's otherwise.
	emit func(now time.Duration, source, typ, reason, msg string)
	// dirty says the nodes or the pods changed since the last
	// scheduling pass: a pod was created or left a node, a node joined.
	dirty bool
	// res holds the nodes' spans; the pods' Pending spans and scale-out
	// are each workload's (podSet.clres), the same ClusterResult for a
	// single workload.
	res *ClusterResult
	// lastScaleUp is the message of the last NoScaleUp reason recorded.
	lastNoScaleUp string
	last          autoscaler.Result
}

// ClusterResult is what a run on a node pool recorded: the spans from
// which the node figures are computed (cluster.Seconds, cluster.Peak).
type ClusterResult struct {
	// Pool is the pool's name.
	Pool string
	// Nodes are the nodes' lives from the cloud request (the instance is
	// billed while it boots; zero for the initial nodes) to their
	// deletion; Ready from their Ready instant.
	Nodes, Ready []cluster.Span
	// Pending are the pods' waits for a node: from creation to binding,
	// or to deletion for a pod deleted while Pending. Pods placed at
	// once have no span.
	Pending []cluster.Span
	// ScaleOut is the first scale-up after the load rises: when the
	// autoscaler asked (At) for To replicas, and when as many pods were
	// Ready (Ready; Reached false if never before the end).
	ScaleOut *ScaleOut
}

// ScaleOut is the first scale-up after the load rises and when it was
// served (see ClusterResult.ScaleOut).
type ScaleOut struct {
	At, Ready time.Duration
	To        int32
	Reached   bool
}

func (c *ClusterResult) clone() *ClusterResult {
	if c == nil {
		return nil
	}
	out := *c
	out.Nodes = append([]cluster.Span(nil), c.Nodes...)
	out.Ready = append([]cluster.Span(nil), c.Ready...)
	out.Pending = append([]cluster.Span(nil), c.Pending...)
	if c.ScaleOut != nil {
		so := *c.ScaleOut
		out.ScaleOut = &so
	}
	return &out
}

// podSpec is the workload's pod as the scheduler reads it: the container
// and the sidecars with their requests (memory is kept in milli-units,
// as Resources.RequestsMilli).
func podSpec(w Workload) corev1.PodSpec {
	req := func(m map[string]int64) corev1.ResourceList {
		rl := corev1.ResourceList{}
		if v, ok := m["cpu"]; ok {
			rl[corev1.ResourceCPU] = *resource.NewMilliQuantity(v, resource.DecimalSI)
		}
		if v, ok := m["memory"]; ok {
			rl[corev1.ResourceMemory] = *resource.NewMilliQuantity(v, resource.BinarySI)
		}
		return rl
	}
	name := w.Resources.Container
	if name == "" {
		name = "app"
	}
	// What the template says of its placement, with the containers the
	// simulation models.
	spec := *w.Placement.DeepCopy()
	spec.Containers = []corev1.Container{{Name: name, Resources: corev1.ResourceRequirements{Requests: req(w.Resources.RequestsMilli)}}}
	for _, c := range w.Resources.Sidecars {
		spec.Containers = append(spec.Containers, corev1.Container{Name: c.Name, Resources: corev1.ResourceRequirements{Requests: req(c.RequestsMilli)}})
	}
	return spec
}

func newCluster(spec Spec) (*clusterState, error) {
	return newPool(*spec.NodePool, spec.Seed, spec.Start)
}

// newPool is the pool's state before its members join.
func newPool(p cluster.Pool, seed int64, start time.Time) (*clusterState, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("nodePool: %w", err)
	}
	// Each autoscaler loop visits every node, and scale-down simulates
	// moving the pods of each candidate to the others: the pool's size
	// bounds the run's cost.
	if p.Nodes > maxPoolNodes || p.Autoscaling != nil && p.Autoscaling.MaxNodes > maxPoolNodes {
		return nil, fmt.Errorf("nodePool: at most %d nodes are modelled (nodes %d, maxNodes %d)", maxPoolNodes, p.Nodes, maxNodesOf(p))
	}
	c := &clusterState{pool: p, st: p.InitialState(), rng: newRand(seed, streamNodes), start: start,
		bound: map[string]scheduler.Pod{}, res: &ClusterResult{Pool: p.Name}}
	c.group, c.autoscaled = p.Group()
	if c.autoscaled {
		c.opts = p.Autoscaling.Options
	}
	for _, n := range p.InitialNodes() {
		if err := c.addNode(n, 0, 0); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// join makes s's pods run on the pool; res is where its pods' Pending
// spans go.
func (c *clusterState) join(s *Simulator, res *ClusterResult) error {
	if s.spec.ScaledJob != nil {
		return fmt.Errorf("nodePool: a ScaledJob's pods on a node pool are not modelled; remove nodePool or use a ScaledObject")
	}
	tmpl, err := scheduler.NewPod(s.spec.Workload.Namespace+"/"+s.spec.Workload.Name, podSpec(s.spec.Workload))
	if err != nil {
		return fmt.Errorf("nodePool: %w", err)
	}
	c.members = append(c.members, s)
	s.cl, s.pods.cl, s.pods.tmpl, s.pods.clres = c, c, tmpl, res
	s.result.Cluster = res
	return nil
}

// addNode registers a Ready node, requested at requested and Ready at ready.
func (c *clusterState) addNode(n scheduler.Node, requested, ready time.Duration) error {
	ni, err := scheduler.NewNodeInfo(n)
	if err != nil {
		return fmt.Errorf("nodePool: %w", err)
	}
	c.nodes = append(c.nodes, &simNode{info: ni, span: len(c.res.Nodes)})
	c.res.Nodes = append(c.res.Nodes, cluster.Span{Name: n.Name, Start: durationTime(requested)})
	c.res.Ready = append(c.res.Ready, cluster.Span{Name: n.Name, Start: durationTime(ready)})
	c.dirty = true
	return nil
}

// durationTime turns a run offset into the time.Time the cluster figures
// read (the zero instant is the run's start).
func durationTime(d time.Duration) time.Time { return time.Time{}.Add(d) }

// schedPod is pod p as the scheduler reads it.
func (ps *podSet) schedPod(p *pod) scheduler.Pod {
	sp := ps.tmpl
	sp.Name = p.name
	return sp
}

// unbind removes a pod that leaves its node (or ends its Pending span).
func (ps *podSet) unbind(p *pod, now time.Duration) {
	if n := p.node; n != nil {
		c := ps.cl
		n.info, _ = n.info.Unbind(ps.schedPod(p))
		n.podsOK = false
		p.node = nil
		delete(c.bound, p.name)
		c.dirty = true
	}
	ps.endPending(p, now)
}

func (ps *podSet) endPending(p *pod, now time.Duration) {
	if p.pendingSpan > 0 {
		ps.clres.Pending[p.pendingSpan-1].End = durationTime(now)
		p.pendingSpan = 0
	}
}

// step runs the cluster-autoscaler at now: upcoming nodes whose
// provisioning is over join the pool, and a loop, when due, scales the
// pool up for the unschedulable pods or removes unneeded nodes.
func (c *clusterState) step(now time.Duration) {
	if !c.autoscaled {
		return
	}
	at := c.start.Add(now)
	due := !c.st.Started || !at.Before(c.st.NextLoop)
	for _, u := range c.st.Upcoming {
		if !u.Ready.After(at) {
			due = true
		}
	}
	if !due {
		return
	}
	obs := autoscaler.Observation{Nodes: make([]autoscaler.Node, 0, len(c.nodes))}
	for _, n := range c.nodes {
		if !n.podsOK {
			n.pods = n.pods[:0]
			for _, name := range n.info.Pods {
				n.pods = append(n.pods, c.bound[name])
			}
			n.podsOK = true
		}
		obs.Nodes = append(obs.Nodes, autoscaler.Node{Group: c.group.Name, Info: n.info, Pods: n.pods})
	}
	for _, m := range c.members {
		for _, p := range m.pods.pods {
			if p.unschedulable && !p.deleting {
				obs.Pending = append(obs.Pending, autoscaler.PendingPod{Pod: m.pods.schedPod(p), Created: c.start.Add(p.created)})
			}
		}
	}
	// The pods of several workloads wait in the order they were created
	// (the namespace's order among pods created at the same instant).
	slices.SortStableFunc(obs.Pending, func(a, b autoscaler.PendingPod) int { return a.Created.Compare(b.Created) })
	st, res := autoscaler.Step([]autoscaler.NodeGroup{c.group}, c.opts, c.st, obs, at, c.rng)
	c.st = st
	if res.Loop {
		c.last = res
	}
	for _, u := range res.Ready {
		n := c.pool.Template()
		n.Name = u.Name
		// The template's allocatable was validated with the pool.
		_ = c.addNode(n, u.Requested.Sub(c.start), now)
		c.emit(now, "cluster-autoscaler", "Normal", "NodeReady",
			fmt.Sprintf("node %s is Ready, %s after the scale-up asked for it", u.Name, check(u.Ready.Sub(u.Requested))))
	}
	for _, d := range res.Deleted {
		c.deleteNode(now, d)
	}
	for _, e := range res.Events {
		obj := e.Object
		if !strings.Contains(obj, "/") {
			obj = "pod/" + obj
		}
		if m := c.ownerOf(strings.TrimPrefix(obj, "pod/")); m != nil && len(c.members) > 1 {
			// An event on a pod is on its workload's timeline.
			m.event(now, "cluster-autoscaler", e.Type, e.Reason, m.desired, m.desired, obj+": "+e.Message)
			continue
		}
		c.emit(now, "cluster-autoscaler", e.Type, e.Reason, obj+": "+e.Message)
	}
	if res.Loop && res.NoScaleUp != c.lastNoScaleUp {
		c.lastNoScaleUp = res.NoScaleUp
		if res.NoScaleUp != "" {
			c.emit(now, "cluster-autoscaler", "Normal", "NotTriggerScaleUp", res.NoScaleUp)
		}
	}
}

// ownerOf is the member whose pod is named name (nil if none).
func (c *clusterState) ownerOf(name string) *Simulator {
	for _, m := range c.members {
		for _, p := range m.pods.pods {
			if p.name == name {
				return m
			}
		}
	}
	return nil
}

// check formats a duration for an event message.
func check(d time.Duration) string { return d.Round(time.Millisecond).String() }

// deleteNode removes a node scale-down deleted: its pods are evicted
// (the ReplicaSet replaces them and they start Pending again).
func (c *clusterState) deleteNode(now time.Duration, d autoscaler.Deletion) {
	// The events on the node, as the actuator records them
	// (core/scaledown/actuation/actuator.go: ScaleDownEmpty for an empty
	// node, ScaleDown for a drained one).
	since := check(now - d.UnneededSince.Sub(c.start))
	if d.Empty {
		c.emit(now, "cluster-autoscaler", "Normal", "ScaleDownEmpty",
			fmt.Sprintf("node/%s: Scale-down: removing empty node %q (unneeded for %s)", d.Node, d.Node, since))
	} else {
		c.emit(now, "cluster-autoscaler", "Normal", "ScaleDown",
			fmt.Sprintf("node/%s: Scale-down: removing node %s, pods to reschedule: %s (unneeded for %s)", d.Node, d.Node, strings.Join(d.Evicted, ","), since))
	}
	for i, n := range c.nodes {
		if n.info.Node.Name != d.Node {
			continue
		}
		for _, m := range c.members {
			for _, p := range m.pods.pods {
				if p.node == n && !p.deleting {
					p.deleting, p.ready = true, false
					p.goneAt = now + m.spec.Workload.PodTermination
				}
			}
			for _, p := range m.pods.pods {
				if p.node == n {
					p.node = nil
					delete(c.bound, p.name)
				}
			}
		}
		c.res.Nodes[n.span].End = durationTime(now)
		c.res.Ready[n.span].End = durationTime(now)
		c.nodes = append(c.nodes[:i:i], c.nodes[i+1:]...)
		c.dirty = true
		return
	}
}

// schedulePending runs the scheduler over the Pending pods in creation
// order, the active queue's order for pods of equal priority
// (pkg/scheduler/framework/plugins/queuesort/priority_sort.go: Less),
// binding each before the next as one scheduling cycle handles one pod
// (pkg/scheduler/schedule_one.go: ScheduleOne). It runs only when
// something changed since the last pass: the scheduler retries
// unschedulable pods when a node is added or a pod leaves a node
// (pkg/scheduler/backend/queue/scheduling_queue.go: MoveAllToActiveOrBackoffQueue
// on cluster events), and a pass with nothing changed places nothing.
func (c *clusterState) schedule(now time.Duration) {
	if !c.dirty {
		return
	}
	c.dirty = false
	type waiting struct {
		m *Simulator
		p *pod
	}
	var queue []waiting
	for _, m := range c.members {
		for _, p := range m.pods.pods {
			if p.node == nil && !p.deleting {
				queue = append(queue, waiting{m, p})
			}
		}
	}
	if len(queue) == 0 {
		return
	}
	// One queue for the pool: the workloads' pods in creation order, the
	// namespace's order among pods created at the same instant.
	slices.SortStableFunc(queue, func(a, b waiting) int { return cmp.Compare(a.p.created, b.p.created) })
	infos := make([]scheduler.NodeInfo, len(c.nodes))
	for i, n := range c.nodes {
		infos[i] = n.info
	}
	for _, w := range queue {
		s, p := w.m, w.p
		sp := s.pods.schedPod(p)
		d := scheduler.Schedule(infos, sp, c.pool.Scheduler)
		if !d.Scheduled {
			if p.pendingSpan == 0 {
				res := s.pods.clres
				res.Pending = append(res.Pending, cluster.Span{Name: p.name, Start: durationTime(p.created)})
				p.pendingSpan = len(res.Pending)
			}
			p.unschedulable = true
			if d.Message != p.schedMsg {
				p.schedMsg = d.Message
				s.event(now, "default-scheduler", "Warning", scheduler.EventReasonFailed, s.desired, s.desired,
					"pod/"+p.name+": "+d.Message)
			}
			continue
		}
		infos[d.Index] = infos[d.Index].Bind(sp)
		n := c.nodes[d.Index]
		n.info = infos[d.Index]
		n.podsOK = false
		c.bound[p.name] = sp
		if p.unschedulable {
			s.event(now, "default-scheduler", "Normal", scheduler.EventReasonScheduled, s.desired, s.desired,
				fmt.Sprintf("pod/%s: %s after %s Pending", p.name, d.Message, check(now-p.created)))
		}
		s.pods.endPending(p, now)
		s.pods.bind(p, n, now)
	}
}

// bind places pod p on node n at now: its containers start, and its
// start-up delay runs from now.
func (ps *podSet) bind(p *pod, n *simNode, now time.Duration) {
	p.node = n
	p.unschedulable = false
	p.boundAt = now
	p.runningAt = now + max(p.startup-ps.readinessDelay, 0)
	p.readyAt = ps.readyAt(now, p.startup)
	if p.readyAt == now {
		p.ready = true
	}
}

// clusterDue adds the cluster's instants to dueAfter: the
// autoscaler's next loop and the upcoming nodes' Ready instants.
func (s *Simulator) clusterDue(at func(time.Duration)) {
	c := s.cl
	if c == nil || !c.autoscaled {
		return
	}
	if c.st.Started {
		at(c.st.NextLoop.Sub(c.start))
	}
	for _, u := range c.st.Upcoming {
		at(u.Ready.Sub(c.start))
	}
}

// trackScaleOut records, after the scheduler's pass, the first scale-up
// after the load rises and the instant its pods are all Ready. Readiness
// changes only at full ticks, so the instant is exact.
func (s *Simulator) trackScaleOut(now time.Duration, before int32) {
	res := s.pods.clres
	so := res.ScaleOut
	if so == nil {
		if s.result.LoadRises && s.desired > before {
			res.ScaleOut = &ScaleOut{At: now, To: s.desired}
		}
		return
	}
	if so.Reached {
		return
	}
	if _, ready := s.pods.counts(); ready >= so.To {
		so.Ready, so.Reached = now, true
	}
}

// NodeFigures are the figures of a run on a node pool.
type NodeFigures struct {
	// PendingSeconds sums the time pods waited for a node (pod-seconds);
	// PodsWaited counts them and LongestWait is the longest wait.
	PendingSeconds float64
	PodsWaited     int
	LongestWait    time.Duration
	// NodeSeconds is the cost: node lives from the cloud request to
	// their deletion; ReadyNodeSeconds counts from their Ready instant.
	NodeSeconds, ReadyNodeSeconds float64
	// PeakNodes is the most Ready nodes at once, first reached at
	// PeakNodesAt; NodesAdded and NodesRemoved count the autoscaler's.
	PeakNodes                int
	PeakNodesAt              time.Duration
	NodesAdded, NodesRemoved int
	// ScaleOut is the first scale-up after the load rises (nil if none);
	// ScaleOutNodeWait is the longest time one of the pods it created
	// waited for a node, the part of ScaleOut.Ready - ScaleOut.At that
	// capacity added.
	ScaleOut         *ScaleOut
	ScaleOutNodeWait time.Duration
}

// nodeFigures computes the NodeFigures of a result on a node pool.
func nodeFigures(r *Result) *NodeFigures {
	c := r.Cluster
	if c == nil {
		return nil
	}
	end := time.Time{}.Add(r.Duration)
	f := &NodeFigures{
		PendingSeconds:   cluster.Seconds(c.Pending, end),
		PodsWaited:       len(c.Pending),
		NodeSeconds:      cluster.Seconds(c.Nodes, end),
		ReadyNodeSeconds: cluster.Seconds(c.Ready, end),
	}
	for _, sp := range c.Pending {
		f.LongestWait = max(f.LongestWait, spanLength(sp, end))
	}
	peak, at := cluster.Peak(c.Ready, end)
	f.PeakNodes, f.PeakNodesAt = peak, at.Sub(time.Time{})
	for _, sp := range c.Nodes {
		if !sp.Start.IsZero() {
			f.NodesAdded++
		}
		if !sp.End.IsZero() {
			f.NodesRemoved++
		}
	}
	if so := c.ScaleOut; so != nil {
		cp := *so
		f.ScaleOut = &cp
		for _, sp := range c.Pending {
			if sp.Start.Sub(time.Time{}) == so.At {
				f.ScaleOutNodeWait = max(f.ScaleOutNodeWait, spanLength(sp, end))
			}
		}
	}
	return f
}

func spanLength(sp cluster.Span, end time.Time) time.Duration {
	return time.Duration(cluster.Seconds([]cluster.Span{sp}, end) * float64(time.Second))
}

// ClusterStatus is the node pool at the current instant, for explain.
type ClusterStatus struct {
	Pool string
	// Nodes are the Ready nodes in creation order.
	Nodes []NodeStatus
	// Pending are the pods that wait for a node, oldest first.
	Pending []PendingPodStatus
	// Autoscaled says the pool has a cluster-autoscaler; the fields
	// below are its state.
	Autoscaled bool
	MinNodes   int
	MaxNodes   int
	Upcoming   []UpcomingNode
	// LastLoop is when its last loop ran (Looped false before the
	// first), NextLoop when the next one runs.
	Looped             bool
	LastLoop, NextLoop time.Duration
	// NoScaleUp says why its last loop did not scale up for the Pending
	// pods; ScaleDownSkipped why it deleted no unneeded node; Unneeded
	// lists the nodes it counts as unneeded, and since when.
	NoScaleUp        string
	ScaleDownSkipped string
	Unneeded         []UnneededNode
}

// NodeStatus is one Ready node: its pods and its requested share.
type NodeStatus struct {
	Name                string
	Pods                int
	RequestedMilliCPU   int64
	AllocatableMilliCPU int64
	RequestedMemory     int64
	AllocatableMemory   int64
	AllowedPods         int64
}

// PendingPodStatus is a pod that waits for a node: since when, the
// scheduler's last FailedScheduling message and, per node, why it does
// not fit (scheduler.Explain).
type PendingPodStatus struct {
	Name    string
	Since   time.Duration
	Message string
	Nodes   []string
}

// UpcomingNode is a node asked of the cloud and not yet Ready.
type UpcomingNode struct {
	Name             string
	Requested, Ready time.Duration
}

// UnneededNode is a node scale-down counts as unneeded.
type UnneededNode struct {
	Name  string
	Since time.Duration
}

// Cluster is the node pool's state at Now (nil without a node pool).
func (s *Simulator) Cluster() *ClusterStatus {
	c := s.cl
	if c == nil {
		return nil
	}
	off := func(t time.Time) time.Duration { return t.Sub(s.spec.Start) }
	out := &ClusterStatus{Pool: c.pool.Name, Autoscaled: c.autoscaled}
	infos := make([]scheduler.NodeInfo, len(c.nodes))
	for i, n := range c.nodes {
		infos[i] = n.info
		out.Nodes = append(out.Nodes, NodeStatus{Name: n.info.Node.Name, Pods: len(n.info.Pods),
			RequestedMilliCPU: n.info.Requested.MilliCPU, AllocatableMilliCPU: n.info.Allocatable.MilliCPU,
			RequestedMemory: n.info.Requested.Memory, AllocatableMemory: n.info.Allocatable.Memory, AllowedPods: n.info.AllowedPods})
	}
	// Every workload's Pending pods: they wait in one queue.
	for _, m := range c.members {
		for _, p := range m.pods.pods {
			if !p.unbound(&m.pods) {
				continue
			}
			sp := m.pods.schedPod(p)
			// Schedule is pure: asking again says why, without binding.
			d := scheduler.Schedule(infos, sp, c.pool.Scheduler)
			out.Pending = append(out.Pending, PendingPodStatus{Name: p.name, Since: p.created, Message: p.schedMsg,
				Nodes: scheduler.Explain(infos, sp, d)})
		}
	}
	slices.SortStableFunc(out.Pending, func(a, b PendingPodStatus) int { return cmp.Compare(a.Since, b.Since) })
	if !c.autoscaled {
		return out
	}
	out.MinNodes, out.MaxNodes = c.group.MinSize, c.group.MaxSize
	for _, u := range c.st.Upcoming {
		out.Upcoming = append(out.Upcoming, UpcomingNode{Name: u.Name, Requested: off(u.Requested), Ready: off(u.Ready)})
	}
	if c.st.Started {
		out.Looped, out.NextLoop = true, off(c.st.NextLoop)
		out.LastLoop = out.NextLoop - c.opts.ScanInterval
	}
	out.NoScaleUp, out.ScaleDownSkipped = c.last.NoScaleUp, c.last.ScaleDownSkipped
	for _, u := range c.st.Unneeded {
		out.Unneeded = append(out.Unneeded, UnneededNode{Name: u.Node, Since: off(u.At)})
	}
	return out
}
