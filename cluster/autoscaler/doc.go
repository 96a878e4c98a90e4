// Package autoscaler is a pure model of the Kubernetes cluster-autoscaler
// (kubernetes/autoscaler, cluster-autoscaler) for node groups of identical
// nodes: a state machine Step(groups, options, state, observation, now,
// rng) that returns the next state and what the autoscaler did.
//
// # Model
//
// Every ScanInterval (--scan-interval, 10s) from the first Step a loop runs,
// following StaticAutoscaler.RunOnce (core/static_autoscaler.go):
//
//  1. Scale-up. Pending pods younger than --new-pod-scale-up-delay are
//     ignored (filterOutYoungPods); pods that fit the room left on Ready
//     nodes or on a node still provisioning are left to the scheduler
//     (upcoming nodes are injected in the snapshot:
//     addUpcomingNodesToClusterSnapshot). If pods remain: with
//     --max-nodes-total reached by the Ready nodes the loop records
//     MaxNodesTotalReached (shouldScaleUp); if every pod is younger than
//     2 s the loop waits, and skips scale-down (allPodsAreNew,
//     unschedulablePodTimeBuffer). Otherwise each group below its max
//     estimates the nodes it needs with the binpacking estimator
//     (estimator/binpacking_estimator.go, decreasing_pod_orderer.go),
//     capped by the group's max and --max-nodes-total; the expander picks
//     one (expander/waste/waste.go: wasted cpu + wasted memory fraction of
//     the new nodes' capacity; most-pods; random); ties are broken by the
//     seeded rng as upstream's final random choice
//     (expander/factory/chain.go). The group grows at once; each new node
//     is Ready after a delay drawn from the group's Provision. The pods
//     helped get a TriggeredScaleUp event worded as
//     processors/status/eventing_scale_up_processor.go with
//     ScaleUpInfo.String (processors/nodegroupset).
//  2. Scale-down (--scale-down-enabled). Every loop, in cooldown too, the
//     planner (core/scaledown/planner/planner.go: UpdateClusterState,
//     categorizeNodes) finds the unneeded nodes: utilization, the larger of
//     cpu and memory requested over allocatable
//     (simulator/utilization/info.go: Calculate; memory on a tie), below
//     --scale-down-utilization-threshold (0.5,
//     core/scaledown/eligibility/eligibility.go:
//     isNodeBelowUtilizationThreshold), and every pod placeable on the
//     other nodes; placements persist for the next candidates and a
//     removable node stops being a destination (simulator/cluster.go:
//     RemovalSimulator); a node whose pods cannot move is not rechecked for
//     --unremovable-node-recheck-timeout (5m). Each unneeded node keeps the
//     time it was first found unneeded (core/scaledown/unneeded/nodes.go:
//     Update). Deletions happen when not in cooldown
//     (isScaleDownInCooldown: --scale-down-delay-after-add 10m from the
//     last scale-up, so none in the loop that scaled up unless the delay
//     is 0, --scale-down-delay-after-delete 0s),
//     for nodes unneeded longer than --scale-down-unneeded-time (10m,
//     strictly: RemovableAt) whose group stays above its min size
//     (verifyMinSize, target size including nodes still provisioning),
//     empty nodes first up to --max-scale-down-parallelism (10), then at
//     most --max-drain-parallelism (1) node to drain
//     (core/scaledown/budgets/budgets.go).
//
// Flag names and defaults: cluster-autoscaler/FAQ.md ("What are the
// parameters to CA?", "How does scale-up work?", "How does scale-down
// work?", "What are Expanders?") and config/flags/flags.go.
//
// # Determinism
//
// Step is a pure function: no clock, no global state; it copies the state it
// is given. Randomness comes only from the rng argument: provisioning
// delays (drawn once per new node, in name order) and the expander's ties
// (drawn only when more than one option remains). Where upstream iterates
// a map (the unneeded nodes in RemovableAt), the model uses the candidate
// order: nodes unneeded before first, then the others in node order.
// Within a simulation pods are placed first fit in node order (upstream's
// SchedulePodOnAnyNodeMatching starts from a rotating index).
//
// # Not modelled
//
// Node provisioning failures and --max-node-provision-time (15m), unready
// nodes and --scale-down-unready-time, PodDisruptionBudgets, pods that
// block a drain (kube-system, local storage, no controller), DaemonSets on
// new nodes, GPUs and DRA, --balance-similar-node-groups, the priority,
// price and least-nodes expanders, per-group options, drain duration and
// graceful termination (a deleted node is gone at once and its pods are
// evicted), scale-down-candidates-pool-ratio and the unneeded-nodes limit,
// and the loop trigger that may start a loop before the scan interval.
package autoscaler
