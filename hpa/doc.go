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
//  2. branch: zero replicas with minReplicas > 0 disables scaling; above
//     max or below min is corrected at once without reading metrics;
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
//     metric) and pkg/apis/autoscaling/validation/validation.go (ValidateSpec).
//   - pkg/controller/podautoscaler/config/v1alpha1/defaults.go (Config flag
//     defaults) and pkg/features/kube_features.go (gate defaults by version).
//
// # Units and arithmetic
//
// Metric values, targets and requests are int64 milli-units (what
// Quantity.MilliValue returns). Utilization is integer-divided and
// truncated to an int32 percentage before the ratio is formed; ratios,
// ceil(ratio*pods) and Percent policies are float64 exactly as upstream,
// so e.g. +10% of 100 replicas is 111 and -34% of 100 is 65. Int64 sums
// that would overflow fall back to exact big-integer arithmetic, and
// External sums saturate, as the newest upstream does.
//
// # Time
//
// Reconcile's now is the only clock. Metric sample timestamps are used
// only by the cpu readiness rule. Window boundaries for a deterministic
// clock: a legacy stabilization entry counts while it is at most the
// window old; behavior stabilization entries and scale events count while
// strictly younger than the window or period. An entry that no longer
// counts in any window (age >= window) is free for reuse. Upstream reads a
// wall clock that has always moved on by a few microseconds, so at exact
// equality it sees the entry as slightly older; the choice here reproduces
// every upstream vector and changes only which slot is reused, never a
// replica count.
//
// # Deviations and limits
//
//   - Selector validation (InvalidSelector, AmbiguousSelector), scale
//     subresource read/update failures and the status write are not modelled:
//     the caller provides the selected pods and the scale counts.
//   - float64 to int32 conversions that overflow (platform dependent in Go)
//     saturate at MaxInt32 everywhere; the newest upstream does so for
//     Object and External metrics. An AverageValue metric at zero
//     status.replicas reports the total as its average instead of upstream's
//     conversion of an infinite float.
//   - Pod-level requests for another resource than the metric's fall back to
//     the container sum, not component-helpers' aggregate (which also weighs
//     plain init containers).
//   - A ContainerResource pod whose metrics lack the container is "missing"
//     (v1.32+, kubernetes PR #127193) for every configured version.
//   - The legacy scale-up factor is a parameter of
//     ConvertDesiredReplicasWithRules; Autoscaler uses the production value 2.
//
// All vectors of testdata/vectors/hpa-normalize.yaml (73) and
// testdata/vectors/hpa-replicas.yaml (111) pass; none is excluded.
package hpa
