package scheduler

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
