package scheduler

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Resources is an amount of the two resources the default profile scores:
// cpu in millicores and memory in bytes, as the scheduler's framework.Resource
// keeps them (pkg/scheduler/framework/types.go: Resource.Add reads cpu with
// MilliValue and memory with Value).
type Resources struct {
	MilliCPU int64
	Memory   int64
}

// Add returns r + o.
func (r Resources) Add(o Resources) Resources {
	return Resources{MilliCPU: r.MilliCPU + o.MilliCPU, Memory: r.Memory + o.Memory}
}

// Sub returns r - o.
func (r Resources) Sub(o Resources) Resources {
	return Resources{MilliCPU: r.MilliCPU - o.MilliCPU, Memory: r.Memory - o.Memory}
}

// Node is what the scheduler reads of a v1.Node: its name, labels (for
// nodeSelector and node affinity), spec.taints, spec.unschedulable (a
// cordoned node) and status.allocatable (cpu, memory, pods).
type Node struct {
	Name          string
	Labels        map[string]string
	Taints        []corev1.Taint
	Unschedulable bool
	Allocatable   corev1.ResourceList
}

// Pod is a pod to place: a name for messages ("namespace/name") and its spec.
// Requests and NonZero are filled by NewPod.
type Pod struct {
	Name string
	Spec corev1.PodSpec

	// Requests is the pod's effective request as NodeResourcesFit filters
	// with it (k8s.io/component-helpers/resource: PodRequests): the sum of
	// the containers, at least every init container (plus the sidecars
	// started before it), plus the sidecars and spec.overhead.
	Requests Resources
	// NonZero is the same sum where a container that does not name cpu
	// or memory counts 100m and 200Mi (pkg/scheduler/util/pod_resources.go:
	// DefaultMilliCPURequest, DefaultMemoryRequest). Only scoring uses it
	// (noderesources/resource_allocation.go: calculatePodResourceRequest).
	NonZero Resources
}

// Default requests the scoring gives a container that names none
// (pkg/scheduler/util/pod_resources.go).
const (
	DefaultMilliCPURequest int64 = 100
	DefaultMemoryRequest   int64 = 200 * 1024 * 1024
)

// NewPod computes the pod's requests. Pod-level resources
// (spec.resources) are refused rather than ignored: the model sums
// containers only.
func NewPod(name string, spec corev1.PodSpec) (Pod, error) {
	if spec.Resources != nil && (len(spec.Resources.Requests) > 0 || len(spec.Resources.Limits) > 0) {
		return Pod{}, fmt.Errorf("pod %s: spec.resources: pod-level resources are not modelled; set requests on the containers", name)
	}
	if err := checkRequests(name, spec); err != nil {
		return Pod{}, err
	}
	p := Pod{Name: name, Spec: spec}
	p.Requests = podRequests(spec, false)
	p.NonZero = podRequests(spec, true)
	return p, nil
}

func checkRequests(name string, spec corev1.PodSpec) error {
	check := func(path string, rl corev1.ResourceList) error {
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			if q, ok := rl[r]; ok && q.Sign() < 0 {
				return fmt.Errorf("pod %s: %s.%s: %s is negative; a request must be zero or more", name, path, r, q.String())
			}
		}
		return nil
	}
	for i, c := range spec.Containers {
		if err := check(fmt.Sprintf("spec.containers[%d].resources.requests", i), c.Resources.Requests); err != nil {
			return err
		}
	}
	for i, c := range spec.InitContainers {
		if err := check(fmt.Sprintf("spec.initContainers[%d].resources.requests", i), c.Resources.Requests); err != nil {
			return err
		}
	}
	return check("spec.overhead", spec.Overhead)
}

// podRequests follows AggregateContainerRequests and PodRequests of
// k8s.io/component-helpers/resource/helpers.go. With nonZero, a container
// whose requests do not name cpu (memory) gets the default for it; a
// request of "0" is named and stays 0 (applyNonMissing).
func podRequests(spec corev1.PodSpec, nonZero bool) Resources {
	read := func(rl corev1.ResourceList) Resources {
		var r Resources
		if q, ok := rl[corev1.ResourceCPU]; ok {
			r.MilliCPU = q.MilliValue()
		} else if nonZero {
			r.MilliCPU = DefaultMilliCPURequest
		}
		if q, ok := rl[corev1.ResourceMemory]; ok {
			r.Memory = q.Value()
		} else if nonZero {
			r.Memory = DefaultMemoryRequest
		}
		return r
	}
	var sum Resources
	for _, c := range spec.Containers {
		sum = sum.Add(read(c.Resources.Requests))
	}
	var sidecars, initMax Resources
	for _, c := range spec.InitContainers {
		r := read(c.Resources.Requests)
		var use Resources
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			sum = sum.Add(r)
			sidecars = sidecars.Add(r)
			use = sidecars
		} else {
			use = r.Add(sidecars)
		}
		initMax = maxOf(initMax, use)
	}
	sum = maxOf(sum, initMax)
	if spec.Overhead != nil {
		// Overhead is added as listed, without defaults.
		if q, ok := spec.Overhead[corev1.ResourceCPU]; ok {
			sum.MilliCPU += q.MilliValue()
		}
		if q, ok := spec.Overhead[corev1.ResourceMemory]; ok {
			sum.Memory += q.Value()
		}
	}
	return sum
}

func maxOf(a, b Resources) Resources {
	return Resources{MilliCPU: max(a.MilliCPU, b.MilliCPU), Memory: max(a.Memory, b.Memory)}
}

// NodeInfo is a node with the pods bound to it, summed as the scheduler
// cache's NodeInfo does (pkg/scheduler/framework/types.go: NodeInfo.AddPod
// updates Requested, NonZeroRequested and the pod list).
type NodeInfo struct {
	Node Node
	// Pods are the names of the pods bound to the node, in binding order.
	Pods []string

	Allocatable      Resources
	AllowedPods      int64
	Requested        Resources
	NonZeroRequested Resources
}

// NewNodeInfo reads the node's allocatable resources. A node without a
// pods capacity admits none, as a NodeInfo whose AllowedPodNumber is 0.
func NewNodeInfo(n Node) (NodeInfo, error) {
	ni := NodeInfo{Node: n}
	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourcePods} {
		q, ok := n.Allocatable[r]
		if !ok {
			continue
		}
		if q.Sign() < 0 {
			return NodeInfo{}, fmt.Errorf("node %s: status.allocatable.%s: %s is negative; allocatable must be zero or more", n.Name, r, q.String())
		}
		switch r {
		case corev1.ResourceCPU:
			ni.Allocatable.MilliCPU = q.MilliValue()
		case corev1.ResourceMemory:
			ni.Allocatable.Memory = q.Value()
		case corev1.ResourcePods:
			ni.AllowedPods = q.Value()
		}
	}
	return ni, nil
}

// Bind returns a copy of ni with p added; ni is unchanged.
func (ni NodeInfo) Bind(p Pod) NodeInfo {
	out := ni
	out.Pods = append(append(make([]string, 0, len(ni.Pods)+1), ni.Pods...), p.Name)
	out.Requested = ni.Requested.Add(p.Requests)
	out.NonZeroRequested = ni.NonZeroRequested.Add(p.NonZero)
	return out
}

// Unbind returns a copy of ni without the pod p (matched by name); ni is
// unchanged. It reports whether the pod was bound there.
func (ni NodeInfo) Unbind(p Pod) (NodeInfo, bool) {
	for i, name := range ni.Pods {
		if name != p.Name {
			continue
		}
		out := ni
		out.Pods = append(append(make([]string, 0, len(ni.Pods)-1), ni.Pods[:i]...), ni.Pods[i+1:]...)
		out.Requested = ni.Requested.Sub(p.Requests)
		out.NonZeroRequested = ni.NonZeroRequested.Sub(p.NonZero)
		return out, true
	}
	return ni, false
}

// Quantities renders r as cpu and memory quantities, for messages.
func (r Resources) Quantities() (cpu, memory resource.Quantity) {
	return *resource.NewMilliQuantity(r.MilliCPU, resource.DecimalSI), *resource.NewQuantity(r.Memory, resource.BinarySI)
}
