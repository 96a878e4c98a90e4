// Package scheduler is a pure model of the kube-scheduler's default
// profile for the decisions that capacity depends on: which node a pod
// goes to, and, when none admits it, the FailedScheduling message the
// scheduler writes.
//
// # Model
//
// Schedule(nodes, pod, options) runs one scheduling cycle:
//
//  1. filter every node with the modelled plugins in the profile's order,
//     stopping at the first rejection per node, as RunFilterPlugins does:
//     NodeUnschedulable (cordoned nodes), TaintToleration (NoSchedule and
//     NoExecute taints against the pod's tolerations, matched by
//     k8s.io/api's Toleration.ToleratesTaint), NodeAffinity
//     (spec.nodeSelector and requiredDuringSchedulingIgnoredDuringExecution),
//     NodeResourcesFit (pods count, cpu, memory requests against
//     allocatable minus what is already requested);
//  2. score the feasible nodes with NodeResourcesFit's LeastAllocated
//     strategy (cpu and memory, weight 1, with 100m / 200Mi for a
//     container that names no request, in the scoring only), plus, as in
//     the default profile, NodeResourcesBalancedAllocation (weight 1, real
//     requests, best-effort pods not scored; Options.BalancedAllocation);
//  3. choose the highest score; among equal scores the first node in the
//     order given (upstream's order among equals is not reproducible, see
//     Schedule);
//  4. when no node fits, render the FitError with the post-filter plugins'
//     part: "0/3 nodes are available: 3 Insufficient cpu. no new claims to
//     deallocate, preemption: 0/3 nodes are available: 3 No preemption
//     victims found for incoming pod." (Kubernetes 1.35 default profile;
//     without the DynamicResources plugin, as before 1.34, the "no new
//     claims to deallocate, " part is absent).
//
// A Pod's requests are computed once by NewPod from its corev1.PodSpec
// (containers, init containers, sidecars, overhead), and a NodeInfo keeps
// the sums of the pods bound to it, so a cycle is O(nodes) integer
// arithmetic.
//
// # Upstream files mirrored (kubernetes/kubernetes v1.35.4)
//
//   - pkg/scheduler/schedule_one.go: schedulePod, numFeasibleNodesToFind,
//     prioritizeNodes, nodeScoreHeap;
//   - plugins/noderesources/balanced_allocation.go: PreScore (best-effort
//     pods skipped), Score, balancedResourceScorer;
//   - pkg/scheduler/framework/types.go: FitError.Error, NodeInfo.AddPod,
//     getNonMissingContainerRequests; framework/runtime/framework.go:
//     RunFilterPlugins, RunPostFilterPlugins;
//   - plugins/noderesources: fit.go (Filter, fitsRequest,
//     computePodResourceRequest), least_allocated.go
//     (leastResourceScorer, leastRequestedScore), resource_allocation.go
//     (score, calculateResourceAllocatableRequest,
//     calculatePodResourceRequest);
//   - plugins/tainttoleration/taint_toleration.go: Filter;
//     plugins/nodeaffinity/node_affinity.go: Filter, ErrReasonPod;
//     plugins/nodeunschedulable/node_unschedulable.go: Filter;
//   - plugins/defaultpreemption/default_preemption.go: PostFilter,
//     SelectVictimsOnNode, PodEligibleToPreemptOthers;
//     framework/preemption/preemption.go: Preempt, findCandidates;
//     plugins/dynamicresources/dynamicresources.go: PostFilter;
//   - apis/config/v1/default_plugins.go: getDefaultPlugins,
//     applyDynamicResources; pkg/scheduler/util/pod_resources.go:
//     DefaultMilliCPURequest, DefaultMemoryRequest;
//   - k8s.io/component-helpers/resource/helpers.go: PodRequests,
//     AggregateContainerRequests, applyNonMissing.
//
// # Not modelled
//
// Pod priorities and actual preemption (every pod has the same priority,
// so preemption never finds victims), the other score plugins of the
// default profile (TaintToleration's PreferNoSchedule weight 3,
// NodeAffinity's preferred terms weight 2, PodTopologySpread's default
// constraints weight 2 — the one that spreads a Deployment's replicas over
// nodes —, InterPodAffinity weight 2, ImageLocality weight 1), inter-pod affinity,
// topology spread, host ports, volumes, extended resources and DRA claims,
// pod-level resources (refused by NewPod), NodeAffinity's PreFilter
// shortcut for terms that only name nodes by metadata.name (upstream then
// reports the other nodes as "node(s) didn't satisfy plugin(s)
// [NodeAffinity]"; here each is filtered and reported with the affinity
// reason), and the sampling of percentageOfNodesToScore above 100 nodes.
package scheduler
