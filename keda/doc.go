// Package keda models KEDA's ScaledObject (keda.sh/v1alpha1) as pure,
// deterministic functions: validation, the generated HPA, the Prometheus
// and cpu/memory scalers, fallback, scalingModifiers and the scale loop.
// Time is always a parameter.
//
// # Model
//
// KEDA splits the work between two loops, and so does this package:
//
//   - The scale loop runs every pollingInterval (Loop.Poll). It observes
//     every trigger, decides whether the ScaledObject is active (any trigger
//     active, or the scalingModifiers composite above activationTarget;
//     only-cpu/memory ScaledObjects are always active) and moves replicas
//     only across the 0/idle boundary: from 0 (or idle) to
//     max(minReplicaCount, 1) when active, and to idleReplicaCount or
//     minReplicaCount once inactive and lastActiveTime+cooldownPeriod (or,
//     if never active, creation+initialCooldownPeriod) is strictly in the
//     past. Both times keep whole seconds, as the API server stores them;
//     the simulator runs KEDA's clock a millisecond behind its own, as a
//     real operator's timers run late, so a poll that falls on the
//     deadline scales. It also lifts replicas below minReplicaCount when inactive and
//     no idleReplicaCount is set. Otherwise PollResult.ScaleTo is nil: the
//     HPA owns replicas.
//   - The HPA syncs on its own clock and asks KEDA's metrics server for each
//     External metric (Loop.MetricsForHPA). The generated HPA
//     (GenerateHPA) has minReplicas max(minReplicaCount, 1), so while KEDA
//     holds the target at 0 the HPA sees 0 replicas with minReplicas > 0
//     and does nothing (scaling disabled); the engine must keep running it
//     unchanged.
//
// State (Loop) is what the operator persists: status.lastActiveTime,
// status.health (failure counts per External metric, shared by both loops
// because both apply fallback), and the metric records cache.
//
// Paused ScaledObjects (autoscaling.keda.sh/paused or paused-replicas)
// stop the scale loop and delete the HPA; with paused-replicas KEDA sets
// that replica count. paused-scale-in / paused-scale-out keep both loops
// running but disable the HPA's scale-down / scale-up policy and KEDA's
// own step to / from 0.
//
// Fallback counts failures per metric: a success resets the count, each
// failure increments it, and past failureThreshold the metric is replaced
// by fallbackReplicas (per behavior) times the target, so the HPA computes
// that replica count; a Value target is divided by ready replicas.
// While failures are at or below the threshold the error reaches the HPA.
//
// # Upstream files mirrored (kedacore/keda)
//
//   - apis/keda/v1alpha1/scaledobject_types.go, scaletriggers_types.go,
//     scaledobject_webhook.go: spec, defaults, CRD markers, webhook checks.
//   - controllers/keda/hpa.go: the generated HPA.
//   - pkg/scaling/scale_handler.go: GetScaledObjectMetrics,
//     getScaledObjectState, getScalerState, metric records cache.
//   - pkg/scaling/executor/scale_scaledobjects.go: RequestScale.
//   - controllers/keda/scaledobject_controller.go: pause handling.
//   - pkg/fallback/fallback.go: GetMetricsWithFallback, doFallback.
//   - pkg/scaling/modifiers/formula.go: scalingModifiers.
//   - pkg/scalers/prometheus_scaler.go, cpu_memory_scaler.go, scaler.go,
//     scalersconfig/typed_config.go: trigger parsing and metric values.
//
// # Versions
//
// Loop takes a KEDA version (SupportedVersions; default DefaultVersion,
// v2.20.2, the newest release). The differences modelled:
//
//   - Metric requests of the HPA always re-query the trigger source, except
//     for triggers with useCachedMetrics, which are served from the record
//     of the last poll (Loop.HPARequeries). In v2.19.0-v2.20.2 any trigger
//     error deletes all records, so the next requests re-query until the
//     next poll; in DevVersion (#8073) records survive errors.
//   - DevVersion (unreleased main with kedacore/keda#8031): when
//     pollingInterval is not relevant (minReplicaCount > 0, no
//     idleReplicaCount, no useCachedMetrics) and no scalingModifiers are
//     used, the scale loop stops querying the sources and reuses the HPA's
//     last observations while the HPA's ScalingActive is true
//     (Loop.PollRequeries). pollingInterval then only paces status updates.
//   - v2.20.0 converts metric values and thresholds to milli-units by
//     rounding ("%.3f") and maps NaN/Inf to 0; v2.19.0 truncates
//     (int64(v*1000)) and lets a NaN Prometheus value through (it is then
//     never active). v2.20.2 also maps negative values to 0.
//   - v2.20.0 added fallback.behavior scalingModifiers, the 63-character
//     name checks and the pollingInterval/cooldownPeriod relevance warnings
//     (whose wording and condition changed again in DevVersion).
//
// Not modelled: other scaler types, ScaledJobs, push scalers, the
// cluster-dependent webhook checks (other ScaledObjects or HPAs on the same
// target, container resource requests), restoreToOriginalReplicaCount
// (acts only on deletion), and the HPAActive condition.
package keda
