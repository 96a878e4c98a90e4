package autoscaler

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

// Expander names accepted by --expander (FAQ.md, "What are Expanders?").
const (
	ExpanderLeastWaste = "least-waste"
	ExpanderRandom     = "random"
	ExpanderMostPods   = "most-pods"
)

// Options are the cluster-autoscaler flags the model reads, named and
// defaulted as in cluster-autoscaler/FAQ.md ("What are the parameters to
// CA?") and config/flags/flags.go. Start from DefaultOptions: zero is a
// meaningful value for several flags (a delay of 0s), so the zero Options
// is not the defaults; Validate names every unusable value.
type Options struct {
	// ScanInterval, --scan-interval (10s): how often the cluster is
	// reevaluated for scale up or down.
	ScanInterval time.Duration
	// MaxNodesTotal, --max-nodes-total (0, no limit): nodes in all node
	// groups together.
	MaxNodesTotal int
	// MaxNodesPerScaleUp, --max-nodes-per-scaleup (1000).
	MaxNodesPerScaleUp int
	// Expander, --expander (least-waste); also random and most-pods.
	Expander string
	// NewPodScaleUpDelay, --new-pod-scale-up-delay (0s): younger pending
	// pods are not considered for scale-up.
	NewPodScaleUpDelay time.Duration
	// ScaleDownEnabled, --scale-down-enabled (true).
	ScaleDownEnabled bool
	// ScaleDownUtilizationThreshold, --scale-down-utilization-threshold
	// (0.5): a node whose max(cpu, memory) requested / allocatable is
	// below it may be unneeded.
	ScaleDownUtilizationThreshold float64
	// ScaleDownUnneededTime, --scale-down-unneeded-time (10m).
	ScaleDownUnneededTime time.Duration
	// ScaleDownDelayAfterAdd, --scale-down-delay-after-add (10m).
	ScaleDownDelayAfterAdd time.Duration
	// ScaleDownDelayAfterDelete, --scale-down-delay-after-delete (0s).
	ScaleDownDelayAfterDelete time.Duration
	// UnremovableNodeRecheckTimeout, --unremovable-node-recheck-timeout
	// (5m): a node whose pods could not be moved is not reconsidered
	// before it.
	UnremovableNodeRecheckTimeout time.Duration
	// MaxScaleDownParallelism, --max-scale-down-parallelism (10): nodes
	// deleted at once, empty or not.
	MaxScaleDownParallelism int
	// MaxDrainParallelism, --max-drain-parallelism (1): non-empty nodes
	// drained and deleted at once.
	MaxDrainParallelism int
}

// DefaultOptions returns the flags' defaults.
func DefaultOptions() Options {
	return Options{
		ScanInterval:                  10 * time.Second,
		MaxNodesPerScaleUp:            1000,
		Expander:                      ExpanderLeastWaste,
		ScaleDownEnabled:              true,
		ScaleDownUtilizationThreshold: 0.5,
		ScaleDownUnneededTime:         10 * time.Minute,
		ScaleDownDelayAfterAdd:        10 * time.Minute,
		UnremovableNodeRecheckTimeout: 5 * time.Minute,
		MaxScaleDownParallelism:       10,
		MaxDrainParallelism:           1,
	}
}

// Validate reports every bad option, named by its flag.
func (o Options) Validate() error {
	var errs []error
	bad := func(flag, format string, args ...any) {
		errs = append(errs, fmt.Errorf("--%s: %s", flag, fmt.Sprintf(format, args...)))
	}
	if o.ScanInterval <= 0 {
		bad("scan-interval", "%s: must be positive", o.ScanInterval)
	}
	if o.MaxNodesTotal < 0 {
		bad("max-nodes-total", "%d: must be 0 (no limit) or more", o.MaxNodesTotal)
	}
	if o.MaxNodesPerScaleUp < 1 {
		bad("max-nodes-per-scaleup", "%d: must be 1 or more", o.MaxNodesPerScaleUp)
	}
	switch o.Expander {
	case ExpanderLeastWaste, ExpanderRandom, ExpanderMostPods:
	default:
		bad("expander", "%q is not modelled; use least-waste, random or most-pods", o.Expander)
	}
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{
		{"new-pod-scale-up-delay", o.NewPodScaleUpDelay},
		{"scale-down-unneeded-time", o.ScaleDownUnneededTime},
		{"scale-down-delay-after-add", o.ScaleDownDelayAfterAdd},
		{"scale-down-delay-after-delete", o.ScaleDownDelayAfterDelete},
		{"unremovable-node-recheck-timeout", o.UnremovableNodeRecheckTimeout},
	} {
		if d.v < 0 {
			bad(d.flag, "%s: must be zero or more", d.v)
		}
	}
	if o.ScaleDownUtilizationThreshold < 0 || o.ScaleDownUtilizationThreshold > 1 {
		bad("scale-down-utilization-threshold", "%g: must be between 0 and 1", o.ScaleDownUtilizationThreshold)
	}
	if o.MaxScaleDownParallelism < 1 {
		bad("max-scale-down-parallelism", "%d: must be 1 or more", o.MaxScaleDownParallelism)
	}
	if o.MaxDrainParallelism < 1 {
		bad("max-drain-parallelism", "%d: must be 1 or more", o.MaxDrainParallelism)
	}
	return errors.Join(errs...)
}

// Delay is a node provisioning time: uniform between Min and Max (both
// included) in whole milliseconds, or exactly Min when they are equal. Upstream has no such
// parameter: the time from a scale-up to a Ready node is the cloud's; the
// FAQ ("How fast is HPA when combined with CA?") reports 3 to 4 minutes on
// GCE.
type Delay struct {
	Min, Max time.Duration
}

// Draw returns one provisioning time. A fixed delay draws nothing from r.
func (d Delay) Draw(r *rand.Rand) time.Duration {
	if d.Max <= d.Min {
		return d.Min
	}
	steps := int64((d.Max - d.Min) / time.Millisecond)
	return d.Min + time.Duration(r.Int64N(steps+1))*time.Millisecond
}

// NodeGroup is one autoscaled group of identical nodes.
type NodeGroup struct {
	Name             string
	MinSize, MaxSize int
	// Template is a new node of the group: labels, taints and
	// allocatable. New nodes are named "<group>-<n>".
	Template scheduler.Node
	// Capacity is the node's status.capacity, which the least-waste
	// expander reads (expander/waste/waste.go: resourcesForNode); empty
	// means the allocatable.
	Capacity corev1.ResourceList
	// Provision is the time from the scale-up to the node being Ready.
	Provision Delay
}

func (g NodeGroup) validate(path string) []error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s.%s: %s", path, field, fmt.Sprintf(format, args...)))
	}
	if g.Name == "" {
		bad("name", "must be set")
	}
	if g.MinSize < 0 {
		bad("minSize", "%d: must be 0 or more", g.MinSize)
	}
	if g.MaxSize < g.MinSize || g.MaxSize < 1 {
		bad("maxSize", "%d: must be 1 or more and at least minSize (%d)", g.MaxSize, g.MinSize)
	}
	if g.Provision.Min < 0 || g.Provision.Max < g.Provision.Min {
		bad("provisioning", "%s..%s: need 0 <= min <= max", g.Provision.Min, g.Provision.Max)
	}
	if _, err := scheduler.NewNodeInfo(g.Template); err != nil {
		bad("template", "%v", err)
	}
	return errs
}

// ValidateGroups checks the groups and that their names are unique.
func ValidateGroups(groups []NodeGroup) error {
	var errs []error
	seen := map[string]bool{}
	for i, g := range groups {
		path := fmt.Sprintf("nodeGroups[%d]", i)
		errs = append(errs, g.validate(path)...)
		if seen[g.Name] {
			errs = append(errs, fmt.Errorf("%s.name: %q is used twice; node group names must be unique", path, g.Name))
		}
		seen[g.Name] = true
	}
	return errors.Join(errs...)
}
