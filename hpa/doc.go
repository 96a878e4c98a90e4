// Package hpa is a pure, deterministic model of the kube-controller-manager
// HorizontalPodAutoscaler controller (autoscaling/v2).
//
// # Model
//
// An Autoscaler is one HPA plus the memory the controller keeps for it:
// the recent raw recommendations and, on the behavior path, the applied
// scale-up and scale-down events. Reconcile runs one reconcileAutoscaler:
//
//  1. record the current scale.spec.replicas as a recommendation when the
//     HPA has no history (new HPA, or after Restart);
//  2. branch: zero replicas disables scaling (with minReplicas > 0 before
//     1.36; from 1.36 unless the controller scaled to zero itself, see
//     Releases); above max or below min is corrected at once without
//     reading metrics;
//  3. otherwise every spec metric proposes a count (ReplicaCalculator), the
//     largest valid proposal wins, and a partial failure may scale up but
//     never down;
//  4. normalize: without spec.behavior the legacy path (5 minute
//     downscale stabilization, cap max(2*current, 4) per reconcile); with a
//     behavior the API defaults are applied (DefaultBehavior), then the
//     two-window stabilization and the per-policy rate limits that read
//     the stored scale events;
//  5. rescale when the result differs from the current count, store a scale
//     event (behavior path only) and report conditions and events with the
//     upstream reasons and messages.
//
// The Decision returned carries every intermediate value (per-metric
// proposals and ratios, stabilized value, window contents, policy bounds,
// conditions, events) so that a timeline can explain each step.
//
// # Upstream files mirrored (kubernetes/kubernetes)
//
//   - pkg/controller/podautoscaler/horizontal.go: reconcileAutoscaler,
//     computeReplicasForMetrics, computeReplicasForMetric,
//     computeStatusFor*Metric, recordInitialRecommendation,
//     normalizeDesiredReplicas, stabilizeRecommendation,
//     convertDesiredReplicasWithRules, calculateScaleUpLimit,
//     normalizeDesiredReplicasWithBehaviors,
//     stabilizeRecommendationWithBehaviors,
//     convertDesiredReplicasWithBehaviorRate,
//     calculateScaleUpLimitWithScalingRules,
//     calculateScaleDownLimitWithBehaviors, getReplicasChangePerPeriod,
//     storeScaleEvent, markScaleEventsOutdated, getLongestPolicyPeriod,
//     tolerancesForHpa, maybeInitScaleDownStabilizationWindow,
//     setConditionInList.
//   - pkg/controller/podautoscaler/replica_calculator.go: GetResourceReplicas,
//     GetRawResourceReplicas, GetMetricReplicas, calcPlainMetricReplicas,
//     GetObjectMetricReplicas, GetObjectPerPodMetricReplicas,
//     GetExternalMetricReplicas, GetExternalPerPodMetricReplicas,
//     getUsageRatioReplicaCount, getReadyPodsCount, groupPods,
//     calculateRequests, Tolerances.isWithin.
//   - pkg/controller/podautoscaler/metrics/utilization.go and client.go:
//     GetResourceUtilizationRatio, GetMetricUsageRatio, getPodMetrics,
//     getContainerMetrics, GetExternalMetric.
//   - pkg/apis/autoscaling/v2/defaults.go (behavior defaults, default cpu
//     metric), pkg/apis/autoscaling/validation/validation.go (ValidateSpec)
//     and pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go
//     (dropDisabledFields).
//   - k8s.io/component-helpers/resource: PodRequests, IsPodLevelRequestsSet.
//   - pkg/controller/podautoscaler/config/v1alpha1/defaults.go (Config flag
//     defaults) and pkg/features/kube_features.go (gate defaults by version).
//
// # Releases
//
// Config.KubernetesMinor selects the release, 1.23 to 1.37
// (ConfigForKubernetesVersion sets the gates each release enables by
// default; DefaultConfig is 1.35). What differs:
//
//   - 1.33: the inclusive per-direction tolerance band (before:
//     |1-ratio| <= tolerance); 1.35: HPAConfigurableTolerance on, GA and
//     locked in 1.37. With the gate off the API drops behavior tolerances
//     before validating them.
//   - 1.35: the MaxInt32 cap of Object and External Value replica counts,
//     the MaxInt64 cap of External Value sums, and a named container that
//     a pod lacks fails the metric (before: a request of 0).
//   - 1.36: scale to zero with the HPAScaleToZero gate (on by default from
//     1.37): the ScaledToZero condition, kept on every rescale, and scaling
//     from zero only when the controller itself scaled to zero; the
//     maxReplicas validation wording.
//   - 1.37: the wording of a failed Object metric read.
//
// # Units and arithmetic
//
// Metric values, targets and requests are int64 milli-units (what
// Quantity.MilliValue returns). Utilization is integer-divided and
// truncated to an int32 percentage before the ratio is formed; ratios,
// ceil(ratio*pods) and Percent policies are float64 exactly as upstream,
// so e.g. +10% of 100 replicas is 111 and -34% of 100 is 65. Sums are
// int64 arithmetic and wrap as upstream's do; float-to-integer
// conversions that do not fit give the most negative integer, as the
// amd64 binary computes them (convert.go), unless upstream caps them.
//
// # Time
//
// Reconcile's now is the only clock, one instant per sync, as upstream
// would see it if its clock stood still during a sync. Metric sample
// timestamps are used only by the cpu readiness rule. A legacy
// stabilization entry counts while it is at most the window old; behavior
// stabilization entries and scale events count while strictly younger
// than the window or period. An entry is reused only once strictly older
// than every window (for events: the longest period of its own
// direction), so an event exactly one scale-up period old keeps its slot
// and still counts in a longer scale-down period.
//
// # Conformance
//
// conformance/hpa runs the production controller of each release and this
// package side by side on random multi-step cases and compares every
// sync: the replicas written, conditions, events, the returned error, the
// status (desired replicas, last scale time, current metrics) and the
// live recommendations and scale events. Every divergence it found is a
// minimized reproducer under testdata/conformance, replayed by
// TestConformanceReproducers.
//
// # Deliberately not modelled
//
//   - Selector validation (InvalidSelector, AmbiguousSelector), failed reads
//     and writes of the scale subresource, failed status writes and the
//     HPAGeneration observedGeneration: the simulator owns the target and
//     its API, which never fail that way, and the caller provides the
//     selected pods.
//   - Metric selectors arrive in their string form, so an operator the
//     string cannot carry (unknown operators, Exists with values) is refused
//     when the manifest is read; the API would accept it and the controller
//     would fail the metric at every sync. Invalid keys and values, and In
//     without values, are modelled.
//   - The order in which an error names pods: upstream lists pods from a
//     map; the model names the first in input order (the conformance
//     harness lists them in that order too).
//   - Pod overhead and in-place resize status resources of PodRequests: the
//     simulated pods have neither.
//   - Validation of fields the scenarios reader refuses before the HPA is
//     built (empty metric or target types, describedObject apiVersion
//     syntax, container and resource name syntax).
//   - The legacy scale-up factor is a parameter of
//     ConvertDesiredReplicasWithRules; Autoscaler uses the production value 2.
//
// All vectors of testdata/vectors/hpa-normalize.yaml (73) and
// testdata/vectors/hpa-replicas.yaml (111) pass; none is excluded.
package hpa
