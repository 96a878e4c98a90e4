package cluster

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

// Pool is a scenario's node pool: identical nodes, optionally autoscaled.
// Its YAML form is decoded by DecodePool:
//
//	nodePool:
//	  name: pool
//	  nodes: 3
//	  allocatable: {cpu: "4", memory: 16Gi, pods: 110}
//	  capacity: {cpu: "4", memory: 16Gi}        # optional, for least-waste
//	  labels: {pool: general}
//	  taints:
//	  - {key: dedicated, value: websocket, effect: NoSchedule}
//	  scheduler:
//	    dynamicResources: true                   # false before Kubernetes 1.34
//	    balancedAllocation: true                 # the default profile's second score
//	  autoscaler:                                # absent: the pool is fixed
//	    minNodes: 3
//	    maxNodes: 6
//	    provisioning: {min: 90s, max: 150s}      # or one duration
//	    scanInterval: 10s                        # the cluster-autoscaler flags,
//	    scaleDownUtilizationThreshold: 0.5       # in camelCase, defaulted as
//	    scaleDownUnneededTime: 10m               # upstream
//	    scaleDownDelayAfterAdd: 10m
//	    scaleDownDelayAfterDelete: 0s
//	    maxNodesTotal: 0
//	    expander: least-waste
//	    newPodScaleUpDelay: 0s
//	    scaleDownEnabled: true
//	    maxNodesPerScaleUp: 1000
//	    maxScaleDownParallelism: 10
//	    maxDrainParallelism: 1
//	    unremovableNodeRecheckTimeout: 5m
type Pool struct {
	Name        string
	Nodes       int
	CPU         resource.Quantity
	Memory      resource.Quantity
	Pods        int64
	Capacity    corev1.ResourceList
	Labels      map[string]string
	Taints      []corev1.Taint
	Scheduler   scheduler.Options
	Autoscaling *Autoscaling
}

// Autoscaling is the pool's cluster-autoscaler: the group's bounds, the
// provisioning delay and the flags.
type Autoscaling struct {
	MinNodes, MaxNodes int
	Provisioning       autoscaler.Delay
	Options            autoscaler.Options
}

// Template is a new node of the pool, unnamed.
func (p Pool) Template() scheduler.Node {
	labels := make(map[string]string, len(p.Labels))
	for k, v := range p.Labels {
		labels[k] = v
	}
	return scheduler.Node{
		Labels: labels,
		Taints: append([]corev1.Taint(nil), p.Taints...),
		Allocatable: corev1.ResourceList{
			corev1.ResourceCPU:    p.CPU.DeepCopy(),
			corev1.ResourceMemory: p.Memory.DeepCopy(),
			corev1.ResourcePods:   *resource.NewQuantity(p.Pods, resource.DecimalSI),
		},
	}
}

// InitialNodes are the pool's nodes at the start, named "<name>-1" to
// "<name>-<nodes>", the names the autoscaler continues from.
func (p Pool) InitialNodes() []scheduler.Node {
	out := make([]scheduler.Node, p.Nodes)
	for i := range out {
		out[i] = p.Template()
		out[i].Name = fmt.Sprintf("%s-%d", p.Name, i+1)
	}
	return out
}

// Group is the pool as a cluster-autoscaler node group; ok is false for a
// fixed pool.
func (p Pool) Group() (g autoscaler.NodeGroup, ok bool) {
	if p.Autoscaling == nil {
		return autoscaler.NodeGroup{}, false
	}
	return autoscaler.NodeGroup{
		Name:      p.Name,
		MinSize:   p.Autoscaling.MinNodes,
		MaxSize:   p.Autoscaling.MaxNodes,
		Template:  p.Template(),
		Capacity:  p.Capacity,
		Provision: p.Autoscaling.Provisioning,
	}, true
}

// InitialState is the autoscaler state at the start: the initial nodes
// counted, so that new nodes are named after them.
func (p Pool) InitialState() autoscaler.State {
	return autoscaler.State{Created: map[string]int{p.Name: p.Nodes}}
}

// Validate checks a Pool built in Go (DecodePool checks as it decodes);
// paths are relative to the pool.
func (p Pool) Validate() error {
	ps := &problems{}
	p.validate(ps, node{path: "", ps: ps})
	return ps.err()
}

func (p Pool) validate(ps *problems, at node) {
	field := func(name string) node { return at.child(name, nil) }
	if p.Name == "" {
		field("name").fail("must be set: the node name prefix, a DNS label")
	} else if !isDNSLabel(p.Name) {
		field("name").fail("%q is not a DNS label (lower case letters, digits and '-', at most 40 characters)", p.Name)
	}
	if p.Nodes < 0 {
		field("nodes").fail("%d: must be 0 or more", p.Nodes)
	}
	if p.CPU.Sign() <= 0 {
		field("allocatable.cpu").fail("must be set and positive, e.g. \"4\" or \"3500m\"")
	}
	if p.Memory.Sign() <= 0 {
		field("allocatable.memory").fail("must be set and positive, e.g. 16Gi")
	}
	if p.Pods <= 0 {
		field("allocatable.pods").fail("must be set and positive, e.g. 110 (the kubelet's default maxPods)")
	}
	for i, t := range p.Taints {
		tn := at.child("taints", nil).index(i, nil)
		if t.Key == "" {
			tn.child("key", nil).fail("must be set")
		}
		switch t.Effect {
		case corev1.TaintEffectNoSchedule, corev1.TaintEffectNoExecute, corev1.TaintEffectPreferNoSchedule:
		default:
			tn.child("effect", nil).fail("%q: must be NoSchedule, PreferNoSchedule or NoExecute", t.Effect)
		}
	}
	a := p.Autoscaling
	if a == nil {
		return
	}
	an := field("autoscaler")
	if a.MinNodes < 0 {
		an.child("minNodes", nil).fail("%d: must be 0 or more", a.MinNodes)
	}
	if a.MaxNodes < 1 || a.MaxNodes < a.MinNodes {
		an.child("maxNodes", nil).fail("%d: must be 1 or more and at least minNodes (%d)", a.MaxNodes, a.MinNodes)
	}
	if p.Nodes < a.MinNodes || p.Nodes > a.MaxNodes {
		field("nodes").fail("%d: must be between autoscaler.minNodes (%d) and autoscaler.maxNodes (%d)", p.Nodes, a.MinNodes, a.MaxNodes)
	}
	if a.Provisioning.Min < 0 || a.Provisioning.Max < a.Provisioning.Min {
		an.child("provisioning", nil).fail("%s..%s: need 0 <= min <= max", a.Provisioning.Min, a.Provisioning.Max)
	}
	if err := a.Options.Validate(); err != nil {
		an.fail("%v", err)
	}
}

func isDNSLabel(s string) bool {
	if len(s) == 0 || len(s) > 40 {
		return false
	}
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' && i > 0 && i < len(s)-1
		if !ok {
			return false
		}
	}
	return true
}

// defaultProvisioning is the FAQ's report for GCE ("How fast is HPA when
// combined with CA?": 3 to 4 minutes from the request to schedulable pods).
var defaultProvisioning = autoscaler.Delay{Min: 3 * time.Minute, Max: 4 * time.Minute}
