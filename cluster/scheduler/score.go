package scheduler

import "math"

// MaxNodeScore is the framework's top score per plugin
// (k8s.io/kube-scheduler/framework: MaxNodeScore).
const MaxNodeScore int64 = 100

// LeastAllocatedScore is the NodeResourcesFit score of the default
// profile: the LeastAllocated strategy over cpu and memory, weight 1 each
// (apis/config/v1/default.go: defaultResourceSpec). For each resource
// with a non-zero allocatable, (allocatable - requested) * 100 /
// allocatable in integer arithmetic, 0 when the request exceeds the
// allocatable; then the weighted mean, again truncated
// (noderesources/least_allocated.go: leastResourceScorer,
// leastRequestedScore). Requested is the node's NonZeroRequested plus the
// pod's NonZero request (noderesources/resource_allocation.go:
// calculateResourceAllocatableRequest), so pods without requests still
// spread.
func LeastAllocatedScore(ni NodeInfo, p Pod) int64 { return leastAllocated(&ni, &p) }

func leastAllocated(ni *NodeInfo, p *Pod) int64 {
	var score, weights int64
	add := func(requested, allocatable int64) {
		if allocatable == 0 {
			return
		}
		score += leastRequested(requested, allocatable) * 1
		weights++
	}
	add(ni.NonZeroRequested.MilliCPU+p.NonZero.MilliCPU, ni.Allocatable.MilliCPU)
	add(ni.NonZeroRequested.Memory+p.NonZero.Memory, ni.Allocatable.Memory)
	if weights == 0 {
		return 0
	}
	return score / weights
}

func leastRequested(requested, capacity int64) int64 {
	if capacity == 0 || requested > capacity {
		return 0
	}
	return (capacity - requested) * MaxNodeScore / capacity
}

// BalancedAllocationScore is the NodeResourcesBalancedAllocation score of
// the default profile (weight 1, cpu and memory): the fractions requested /
// allocatable after adding the pod, each capped at 1, and 100 * (1 - their
// standard deviation), which for two resources is |f1 - f2| / 2, truncated
// (noderesources/balanced_allocation.go: balancedResourceScorer). It reads
// the real requests, not the defaulted ones (useRequested), and a pod that
// requests neither resource is not scored at all (PreScore skips
// best-effort pods), which counts as 0.
func BalancedAllocationScore(ni NodeInfo, p Pod) int64 { return balancedAllocation(&ni, &p) }

func balancedAllocation(ni *NodeInfo, p *Pod) int64 {
	if p.Requests.MilliCPU == 0 && p.Requests.Memory == 0 {
		return 0
	}
	var fractions [2]float64
	n := 0
	add := func(requested, allocatable int64) {
		if allocatable == 0 {
			return
		}
		f := float64(requested) / float64(allocatable)
		if f > 1 {
			f = 1
		}
		fractions[n] = f
		n++
	}
	add(ni.Requested.MilliCPU+p.Requests.MilliCPU, ni.Allocatable.MilliCPU)
	add(ni.Requested.Memory+p.Requests.Memory, ni.Allocatable.Memory)
	std := 0.0
	if n == 2 {
		std = math.Abs((fractions[0] - fractions[1]) / 2)
	}
	return int64((1 - std) * float64(MaxNodeScore))
}
