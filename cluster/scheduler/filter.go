package scheduler

import (
	"strconv"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
)

// Code says whether removing pods could make a rejected node fit, as the
// framework's status codes do: preemption only looks at nodes rejected
// with Unschedulable (pkg/scheduler/framework/preemption/preemption.go:
// findCandidates keeps NodesForStatusCode(Unschedulable)).
type Code int

const (
	// Unschedulable: the node is too full now; evicting pods could help.
	Unschedulable Code = iota + 1
	// UnschedulableAndUnresolvable: no eviction makes the node fit (a
	// taint, a selector, or a request above the node's allocatable).
	UnschedulableAndUnresolvable
)

// Plugin names of the filters modelled, as pkg/scheduler/framework/plugins/names.
const (
	PluginNodeUnschedulable = "NodeUnschedulable"
	PluginTaintToleration   = "TaintToleration"
	PluginNodeAffinity      = "NodeAffinity"
	PluginNodeResourcesFit  = "NodeResourcesFit"
)

// Filter reasons in the scheduler's wording (Kubernetes 1.35):
// nodeunschedulable/node_unschedulable.go ErrReasonUnschedulable,
// tainttoleration/taint_toleration.go Filter, nodeaffinity/node_affinity.go
// ErrReasonPod, noderesources/fit.go fitsRequest.
const (
	ReasonUnschedulable      = "node(s) were unschedulable"
	ReasonUntoleratedTaint   = "node(s) had untolerated taint(s)"
	ReasonNodeAffinity       = "node(s) didn't match Pod's node affinity/selector"
	ReasonTooManyPods        = "Too many pods"
	ReasonInsufficientCPU    = "Insufficient cpu"
	ReasonInsufficientMemory = "Insufficient memory"
)

// Status is one filter plugin's rejection of a node.
type Status struct {
	Plugin  string
	Code    Code
	Reasons []string
}

// Filter runs the modelled filter plugins on one node in the default
// profile's order (apis/config/v1/default_plugins.go: NodeUnschedulable,
// TaintToleration, NodeAffinity, NodeResourcesFit) and, as the framework's
// RunFilterPlugins, stops at the first that rejects. It returns nil when
// the pod fits.
func Filter(ni NodeInfo, p Pod) *Status { return filter(&ni, &p) }

func filter(ni *NodeInfo, p *Pod) *Status {
	if s := filterUnschedulable(&ni.Node, p); s != nil {
		return s
	}
	if s := filterTaints(&ni.Node, p); s != nil {
		return s
	}
	if s := filterAffinity(&ni.Node, p); s != nil {
		return s
	}
	return filterFit(ni, p)
}

// A cordoned node admits only pods that tolerate its
// node.kubernetes.io/unschedulable:NoSchedule taint
// (nodeunschedulable/node_unschedulable.go: Filter).
func filterUnschedulable(n *Node, p *Pod) *Status {
	if !n.Unschedulable {
		return nil
	}
	t := corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}
	if tolerated(p.Spec.Tolerations, &t) {
		return nil
	}
	return &Status{Plugin: PluginNodeUnschedulable, Code: UnschedulableAndUnresolvable, Reasons: []string{ReasonUnschedulable}}
}

// Only NoSchedule and NoExecute taints filter (plugins/helper:
// DoNotScheduleTaintsFilterFunc); PreferNoSchedule only scores.
func filterTaints(n *Node, p *Pod) *Status {
	for i := range n.Taints {
		t := &n.Taints[i]
		if t.Effect != corev1.TaintEffectNoSchedule && t.Effect != corev1.TaintEffectNoExecute {
			continue
		}
		if !tolerated(p.Spec.Tolerations, t) {
			return &Status{Plugin: PluginTaintToleration, Code: UnschedulableAndUnresolvable, Reasons: []string{ReasonUntoleratedTaint}}
		}
	}
	return nil
}

// tolerated uses the API type's own matching (k8s.io/api/core/v1
// toleration.go: ToleratesTaint): an empty effect matches every effect,
// an empty key with Exists matches every key, Equal (or no operator)
// compares values. The Lt/Gt operators are behind a gate that is off.
func tolerated(ts []corev1.Toleration, t *corev1.Taint) bool {
	for i := range ts {
		if ts[i].ToleratesTaint(logr.Discard(), t, false) {
			return true
		}
	}
	return false
}

func filterAffinity(n *Node, p *Pod) *Status {
	if matchesNodeSelector(n, &p.Spec) {
		return nil
	}
	return &Status{Plugin: PluginNodeAffinity, Code: UnschedulableAndUnresolvable, Reasons: []string{ReasonNodeAffinity}}
}

// matchesNodeSelector is the pod's required node affinity as
// component-helpers/scheduling/corev1/nodeaffinity GetRequiredNodeAffinity
// builds it: every spec.nodeSelector label, and, when
// requiredDuringSchedulingIgnoredDuringExecution is set, at least one of
// its terms (a term with no requirement matches no node).
func matchesNodeSelector(n *Node, spec *corev1.PodSpec) bool {
	for k, v := range spec.NodeSelector {
		if got, ok := n.Labels[k]; !ok || got != v {
			return false
		}
	}
	a := spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return true
	}
	for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		if matchesTerm(n, term) {
			return true
		}
	}
	return false
}

func matchesTerm(n *Node, term corev1.NodeSelectorTerm) bool {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		return false
	}
	for _, r := range term.MatchExpressions {
		v, ok := n.Labels[r.Key]
		if !matchesRequirement(r, v, ok) {
			return false
		}
	}
	for _, r := range term.MatchFields {
		// metadata.name is the only field a node selector may name.
		if r.Key != "metadata.name" || !matchesRequirement(r, n.Name, true) {
			return false
		}
	}
	return true
}

// matchesRequirement follows apimachinery labels.Requirement.Matches for
// the node selector operators (NotIn and DoesNotExist hold for a missing
// label; Gt and Lt compare one integer and fail on a non-integer).
func matchesRequirement(r corev1.NodeSelectorRequirement, v string, present bool) bool {
	switch r.Operator {
	case corev1.NodeSelectorOpIn:
		return present && contains(r.Values, v)
	case corev1.NodeSelectorOpNotIn:
		return !present || !contains(r.Values, v)
	case corev1.NodeSelectorOpExists:
		return present
	case corev1.NodeSelectorOpDoesNotExist:
		return !present
	case corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt:
		if !present || len(r.Values) != 1 {
			return false
		}
		got, err1 := strconv.ParseInt(v, 10, 64)
		want, err2 := strconv.ParseInt(r.Values[0], 10, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		if r.Operator == corev1.NodeSelectorOpGt {
			return got > want
		}
		return got < want
	}
	return false
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// filterFit is noderesources/fit.go fitsRequest for pods, cpu and memory:
// every shortage is a reason; the pods count is checked even for a pod
// that requests nothing; a request larger than the whole allocatable is
// unresolvable.
func filterFit(ni *NodeInfo, p *Pod) *Status {
	var s *Status
	add := func(reason string, unresolvable bool) {
		if s == nil {
			s = &Status{Plugin: PluginNodeResourcesFit, Code: Unschedulable}
		}
		s.Reasons = append(s.Reasons, reason)
		if unresolvable {
			s.Code = UnschedulableAndUnresolvable
		}
	}
	if int64(len(ni.Pods))+1 > ni.AllowedPods {
		add(ReasonTooManyPods, false)
	}
	r := p.Requests
	if r.MilliCPU > 0 && r.MilliCPU > ni.Allocatable.MilliCPU-ni.Requested.MilliCPU {
		add(ReasonInsufficientCPU, r.MilliCPU > ni.Allocatable.MilliCPU)
	}
	if r.Memory > 0 && r.Memory > ni.Allocatable.Memory-ni.Requested.Memory {
		add(ReasonInsufficientMemory, r.Memory > ni.Allocatable.Memory)
	}
	return s
}

// Fits reports whether the pod passes every modelled filter on the node:
// Filter(ni, p) == nil, without building the rejection. Simulations that
// only need the answer (the autoscaler's) use it.
func Fits(ni *NodeInfo, p *Pod) bool {
	n := &ni.Node
	if n.Unschedulable {
		t := corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}
		if !tolerated(p.Spec.Tolerations, &t) {
			return false
		}
	}
	for i := range n.Taints {
		t := &n.Taints[i]
		if (t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute) && !tolerated(p.Spec.Tolerations, t) {
			return false
		}
	}
	if !matchesNodeSelector(n, &p.Spec) {
		return false
	}
	if int64(len(ni.Pods))+1 > ni.AllowedPods {
		return false
	}
	r := p.Requests
	if r.MilliCPU > 0 && r.MilliCPU > ni.Allocatable.MilliCPU-ni.Requested.MilliCPU {
		return false
	}
	return !(r.Memory > 0 && r.Memory > ni.Allocatable.Memory-ni.Requested.Memory)
}
