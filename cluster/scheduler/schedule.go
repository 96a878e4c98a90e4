package scheduler

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Options are the parts of the scheduler's configuration that change a
// decision or its wording.
type Options struct {
	// DynamicResources is whether the DynamicResources plugin is in the
	// profile. It is from Kubernetes 1.34, where the
	// DynamicResourceAllocation gate is on by default
	// (pkg/features/kube_features.go) and applyDynamicResources puts the
	// plugin before DefaultPreemption (apis/config/v1/default_plugins.go).
	// Its PostFilter answers "no new claims to deallocate" for a pod
	// without claims (plugins/dynamicresources/dynamicresources.go:
	// PostFilter), which then leads the FailedScheduling message's
	// post-filter part.
	DynamicResources bool
	// BalancedAllocation adds the NodeResourcesBalancedAllocation score
	// (weight 1) to NodeResourcesFit's, as the default profile does
	// (apis/config/v1/default_plugins.go). Off, nodes are ranked by
	// LeastAllocated alone.
	BalancedAllocation bool
}

// DefaultOptions is the default profile of Kubernetes 1.35 (and later).
func DefaultOptions() Options { return Options{DynamicResources: true, BalancedAllocation: true} }

// Messages of the default profile's post-filter plugins.
const (
	MessageNoClaims            = "no new claims to deallocate"
	MessageNoVictims           = "No preemption victims found for incoming pod"
	MessageNotHelpful          = "Preemption is not helpful for scheduling"
	MessagePreemptionNever     = "not eligible due to preemptionPolicy=Never."
	MessageNoNodesAvailable    = "no nodes available to schedule pods"
	EventReasonFailed          = "FailedScheduling"
	EventReasonScheduled       = "Scheduled"
	ConditionReasonUnscheduled = "Unschedulable"
)

// NodeScore is one feasible node's score: the plugins' scores times their
// weights (1 and 1), summed as prioritizeNodes does.
type NodeScore struct {
	Index              int
	Name               string
	Score              int64
	LeastAllocated     int64
	BalancedAllocation int64
}

// Rejection is one infeasible node and why.
type Rejection struct {
	Index  int
	Name   string
	Status Status
}

// Decision is the outcome of one scheduling cycle for one pod.
type Decision struct {
	// Scheduled is whether a node was chosen; Node and Index name it.
	Scheduled bool
	Node      string
	Index     int

	// Feasible are the nodes that passed every filter with their score,
	// in node order; Rejected the others, in node order.
	Feasible []NodeScore
	Rejected []Rejection

	// Message is the event's message: for a pod left Pending the
	// FailedScheduling text (FitError.Error), otherwise the Scheduled
	// event's "Successfully assigned <pod> to <node>".
	Message string
}

// Schedule runs one scheduling cycle of pod p against nodes: filter every
// node, score the feasible ones, pick the highest. It is a pure function;
// nodes is not modified (bind the pod with NodeInfo.Bind).
//
// Every node is filtered. Upstream stops after numFeasibleNodesToFind
// feasible nodes (schedule_one.go), which is all of them below 100 nodes
// and at least 100 above, so the choice can differ from upstream only in
// a pool of more than 100 nodes.
//
// Ties: upstream pops the best score from a heap whose order among equal
// scores follows the order in which parallel filtering found the nodes
// (schedule_one.go: nodeScoreHeap, Randomizer is set only with
// extenders), which is not reproducible. Here the first node in nodes
// with the highest score wins: callers keep nodes in creation order, so
// among equals the oldest node is chosen.
//
// With a single feasible node upstream skips scoring (schedulePod); the
// choice is the same.
func Schedule(nodes []NodeInfo, p Pod, opts Options) Decision {
	d := Decision{Index: -1}
	if len(nodes) == 0 {
		d.Message = MessageNoNodesAvailable
		return d
	}
	best := int64(-1)
	d.Feasible = make([]NodeScore, 0, len(nodes))
	for i := range nodes {
		if s := filter(&nodes[i], &p); s != nil {
			d.Rejected = append(d.Rejected, Rejection{Index: i, Name: nodes[i].Node.Name, Status: *s})
			continue
		}
		ns := NodeScore{Index: i, Name: nodes[i].Node.Name, LeastAllocated: leastAllocated(&nodes[i], &p)}
		if opts.BalancedAllocation {
			ns.BalancedAllocation = balancedAllocation(&nodes[i], &p)
		}
		ns.Score = ns.LeastAllocated + ns.BalancedAllocation
		score := ns.Score
		d.Feasible = append(d.Feasible, ns)
		if score > best {
			best, d.Index = score, i
		}
	}
	if d.Index >= 0 {
		d.Scheduled = true
		d.Node = nodes[d.Index].Node.Name
		d.Message = fmt.Sprintf("Successfully assigned %s to %s", p.Name, d.Node)
		return d
	}
	d.Message = FailedSchedulingMessage(len(nodes), d.Rejected, p, opts)
	return d
}

// FailedSchedulingMessage renders the scheduler's FitError for a pod that
// no node admits (pkg/scheduler/framework/types.go: FitError.Error):
// "0/N nodes are available: " then every filter reason counted over the
// nodes as "<count> <reason>", the strings sorted as strings (so "10 ..."
// sorts before "2 ..."), joined by ", " and closed by "."; then the
// post-filter message after one space, unpunctuated.
//
// The post-filter message joins the plugins' reasons with ", "
// (framework/runtime/framework.go: RunPostFilterPlugins, Status.Message):
// DynamicResources' "no new claims to deallocate" when enabled, then
// DefaultPreemption's "preemption: " followed by its own FitError over all
// nodes (preemption/preemption.go: Preempt;
// defaultpreemption/default_preemption.go: PostFilter). Preemption
// dry-runs only the nodes rejected as Unschedulable; the model gives every
// pod the same priority, so each such node answers "No preemption victims
// found for incoming pod" (SelectVictimsOnNode finds no lower-priority
// pod), and every other node counts as "Preemption is not helpful for
// scheduling". A pod with preemptionPolicy Never is not eligible
// (PodEligibleToPreemptOthers).
func FailedSchedulingMessage(numNodes int, rejected []Rejection, p Pod, opts Options) string {
	counts := map[string]int{}
	potential := 0
	for _, r := range rejected {
		for _, reason := range r.Status.Reasons {
			counts[reason]++
		}
		if r.Status.Code == Unschedulable {
			potential++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "0/%d nodes are available:", numNodes)
	if h := histogram(counts); h != "" {
		b.WriteString(" " + h + ".")
	}
	var post []string
	if opts.DynamicResources {
		post = append(post, MessageNoClaims)
	}
	post = append(post, "preemption: "+preemptionMessage(numNodes, potential, p))
	b.WriteString(" " + strings.Join(post, ", "))
	return b.String()
}

func preemptionMessage(numNodes, potential int, p Pod) string {
	if p.Spec.PreemptionPolicy != nil && *p.Spec.PreemptionPolicy == corev1.PreemptNever {
		return MessagePreemptionNever
	}
	counts := map[string]int{}
	if potential > 0 {
		counts[MessageNoVictims] = potential
	}
	if numNodes-potential > 0 {
		counts[MessageNotHelpful] = numNodes - potential
	}
	return fmt.Sprintf("0/%d nodes are available: %s.", numNodes, histogram(counts))
}

func histogram(counts map[string]int) string {
	parts := make([]string, 0, len(counts))
	for reason, n := range counts {
		parts = append(parts, fmt.Sprintf("%d %s", n, reason))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// Placement is the result of placing pods one after another.
type Placement struct {
	Nodes     []NodeInfo
	Decisions []Decision
}

// PlaceAll schedules pods in order, each cycle seeing the bindings of the
// previous ones, as the scheduling queue pops pods one at a time. nodes
// is not modified.
func PlaceAll(nodes []NodeInfo, pods []Pod, opts Options) Placement {
	out := Placement{Nodes: append([]NodeInfo(nil), nodes...), Decisions: make([]Decision, len(pods))}
	for i, p := range pods {
		d := Schedule(out.Nodes, p, opts)
		if d.Scheduled {
			out.Nodes[d.Index] = out.Nodes[d.Index].Bind(p)
		}
		out.Decisions[i] = d
	}
	return out
}
