// Package cluster holds the capacity side of a simulation: a node pool
// spec (Pool, DecodePool), the figures over node and pod lifetimes
// (Seconds, Peak), and this note on how the engine wires the two pure
// cores below it:
//
//   - cluster/scheduler: where a pod goes, or the FailedScheduling message
//     when nothing fits (kube-scheduler's default profile, Kubernetes
//     1.35);
//   - cluster/autoscaler: when nodes are added and removed
//     (cluster-autoscaler's scale-up, provisioning delay and scale-down).
//
// Both are functions of their inputs and the time; neither reads a clock
// or global state, and the only randomness is a *rand.Rand the caller
// seeds.
//
// # Wiring, one engine step at time now
//
//  1. Autoscaler. Call autoscaler.Step(groups, options, state, observation,
//     now, rng) with the Ready nodes (in creation order, each with its
//     bound pods) and the unschedulable pods with their creation times.
//     Register Result.Ready nodes (Ready at Upcoming.Ready; they join the
//     node list at the end, so ties in scoring go to older nodes). For each
//     Result.Deleted node, remove it and turn its Evicted pods into
//     replacement pods of their workloads: the ReplicaSet recreates them
//     and they start Pending again. The FAQ's scale-up is driven by
//     exactly these pods: "Unschedulable pods are recognized by their
//     PodCondition" (FAQ.md, "How does scale-up work?").
//  2. Workloads. Each HPA/KEDA sync that changes a Deployment's replicas
//     creates or deletes pods. A new pod has phase Pending and no node.
//     Deleting prefers pods that are not scheduled, then not running, then
//     not ready (pkg/controller/replicaset/replica_set.go: getPodsToDelete,
//     sorted by pkg/controller/controller_utils.go:
//     ActivePodsWithRanks.Less) — model this so a scale-in removes Pending
//     pods before Running ones.
//  3. Scheduler. Pop Pending pods in the active queue's order, highest
//     priority first then oldest (plugins/queuesort/priority_sort.go:
//     Less; with equal priorities, creation order), and call
//     scheduler.Schedule(nodes, pod, options) for each, binding the pod
//     (NodeInfo.Bind) before the next, as the scheduler handles one pod
//     per cycle (pkg/scheduler/schedule_one.go: ScheduleOne).
//     A pod that fits gets the "Scheduled" event ("Successfully assigned
//     <pod> to <node>", Decision.Message) and starts its containers: it
//     stays phase Pending until then (the engine's existing start-up
//     delay applies from the binding, not from the creation). A pod that
//     does not fit keeps PodScheduled=False with reason Unschedulable and
//     gets a Warning FailedScheduling event with Decision.Message. Retry
//     unschedulable pods when a node is added or a pod leaves a node, and
//     at least every 5 minutes (pkg/scheduler/backend/queue/
//     scheduling_queue.go: DefaultPodMaxInUnschedulablePodsDuration);
//     retries are backed off 1 s, doubling to 10 s
//     (DefaultPodInitialBackoffDuration, DefaultPodMaxBackoffDuration).
//     Retrying every engine step gives the same placements except for
//     sub-second timing and the count of repeated events.
//  4. Controllers. Pending pods — not yet scheduled, or scheduled and
//     starting — count as the HPA counts them: they are in the
//     Deployment's status.replicas (so currentReplicas includes them and
//     the HPA does not ask for them twice), they are "unready" in
//     replica_calculator.go groupPods (phase Pending; hpa.GroupPods) and
//     thus out of the average of Resource and Pods metrics (zeroed on a
//     scale-up), and they are not counted by getReadyPodsCount
//     (hpa.ReadyPodsCount), which divides External and Object metrics —
//     KEDA's — so an External AverageValue target reads the metric over
//     the Running and Ready pods only.
//
// # Figures
//
//   - Time Pending per pod: a Span from creation to binding (Seconds over
//     the spans; a pod deleted while Pending ends its span there).
//   - Node-seconds, the cost: a Span per node from Upcoming.Requested (the
//     cloud bills the instance while it boots) to its deletion, and
//     separately from Ready; Seconds sums them, Peak gives the peak node
//     count and when.
//   - Per workload, the time to reach the desired replicas with the node
//     wait (all Running and Ready) and without it (the instant the HPA
//     asked): their difference is the capacity wait.
//
// # explain at an instant
//
// For a Pending pod: the last FailedScheduling message, and
// scheduler.Explain(nodes, pod, decision), one line per node (the plugin
// that rejected it and the numbers: "pool-2: Insufficient cpu: requests 2,
// 1 free of 4 (NodeResourcesFit)"); then the autoscaler's side: the
// TriggeredScaleUp event and the Upcoming node with its Ready time, or
// Result.NoScaleUp ("no node group can help: pool: max node group size
// reached"), or that the pod is younger than the 2 s buffer.
//
// # What the engine must not do
//
// Count nodes that are provisioning as schedulable (the scheduler sees
// only registered Ready nodes; the autoscaler counts the provisioning ones
// itself), treat Pending pods as ready, or restart the autoscaler's state
// between steps (the unneeded-since times and the cooldowns live in
// autoscaler.State).
package cluster
