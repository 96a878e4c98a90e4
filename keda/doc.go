// Package keda models KEDA's ScaledObject and ScaledJob (keda.sh/v1alpha1)
// as pure, deterministic functions: validation, the generated HPA, the
// Prometheus, cpu/memory, Kafka and cron scalers, fallback,
// scalingModifiers, status conditions, the scale loop and the ScaledJob
// strategies, for every KEDA release from 2.14 on. Time is always a
// parameter.
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
// status.health (failure counts per External metric, which both loops
// update because both apply fallback), and the metric records cache.
//
// status.health and the conditions live in three copies, as upstream: the
// API server's; the scale loop's object, re-read at every tick; and the
// scalers cache's, which is the scale loop's object when a tick built the
// cache, or a copy read once when the reconciler (at creation) or an HPA
// request (after an error dropped the cache) built it. Every health update
// patches the API server with what it changed in its own copy (a JSON
// merge patch: the changed fields of the entry, and the whole conditions
// list when the Fallback condition changed), and the answer refreshes that
// copy. So the HPA's requests, served from the cache's copy, can overwrite
// the scale loop's failure counts and its Active and Ready conditions, and
// an entry can count failures while it says Happy, as in a cluster
// (pkg/fallback/fallback.go UpdateHealthStatus, IncrementFailure,
// updateStatus; pkg/scaling/scale_handler.go performGetScalersCache,
// ClearScalersCache, GetScaledObjectMetrics).
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
// # ScaledJob
//
// JobLoop polls a ScaledJob (scaledjob.go): each trigger gives a queue
// length and a target per Job (JobMetricOf), the triggers combine by
// multipleScalersCalculation (CombineJobMetrics), running and pending
// Jobs are counted as KEDA counts them (CountJobs, pendingPodConditions),
// and the scaling strategy (default, custom, accurate, eager) turns them
// into the Jobs to create, within maxReplicaCount (DecideJobs). Mirrors
// pkg/scaling/executor/scale_jobs.go, pkg/scaling/scaledjob/metrics.go
// and apis/keda/v1alpha1/scaledjob_types.go.
//
// # Kafka and cron
//
// KafkaTrigger (kafka.go) follows pkg/scalers/kafka_scaler.go: lag per
// partition from the committed offsets, the invalid-offset rules
// (offsetResetPolicy, scaleToZeroOnInvalidOffset), lagThreshold and
// activationLagThreshold, allowIdleConsumers, limitToPartitionsWithLag,
// excludePersistentLag and ensureEvenDistributionOfPartitions, and the
// cap of the total lag at partitions times lagThreshold. CronTrigger
// (cron.go) follows pkg/scalers/cron_scaler.go with robfig/cron's parser.
//
// # Versions
//
// Loop and JobLoop take a KEDA version (SupportedVersions: every release
// from 2.14.0 to 2.21.0, and DevVersion; ResolveVersion reads "2.18" as
// its newest patch, 2.18.3). OpenShift's Custom Metrics Autoscaler ships
// KEDA under the same numbers. DefaultVersion is v2.20.2. Each behaviour that changed is a feature
// of version.go named after the upstream pull request and derived from
// the release that introduced it, so a scenario for 2.14.1 runs the 2.14
// fallback, conditions, cron and ScaledJob semantics. The differences
// modelled include:
//
//   - Metric requests of the HPA always re-query the trigger source, except
//     for triggers with useCachedMetrics, which are served from the record
//     of the last poll (Loop.HPARequeries). In v2.19.0-v2.20.2 any trigger
//     error deletes all records, so the next requests re-query until the
//     next poll; from v2.21.0 (#8073) records survive errors.
//   - v2.21.0 (kedacore/keda#8031; DevVersion previewed it): when
//     pollingInterval is not relevant (minReplicaCount > 0, no
//     idleReplicaCount, no useCachedMetrics) and no scalingModifiers are
//     used, the scale loop stops querying the sources and reuses the HPA's
//     last observations while the HPA's ScalingActive is true
//     (Loop.PollRequeries). pollingInterval then only paces status updates.
//   - v2.20.0 converts metric values and thresholds to milli-units by
//     rounding ("%.3f") and maps NaN/Inf to 0; earlier releases truncate
//     (int64(v*1000)) and let a NaN Prometheus value through (it is then
//     never active). v2.20.2 also maps negative values to 0.
//   - v2.20.0 added fallback.behavior scalingModifiers, the 63-character
//     name checks, the replica-bound checks at admission and the
//     pollingInterval/cooldownPeriod relevance warnings (whose wording and
//     condition changed again in v2.21.0: the pollingInterval warning is
//     raised exactly when the scale loop uses the HPA's observations).
//   - v2.19.0 applies fallback in the scale loop too; v2.18.0 lets Value
//     targets fall back and adds paused-scale-in/out; v2.17.0 adds
//     fallback.behavior and checks fallback at admission, and drops the
//     executor's direct write of fallback.replicas; v2.16.0 sets
//     Fallback=False when there is none.
//   - Conditions (Ready, Active, Fallback, Paused, HPAActive from v2.20.2)
//     are set as the reconciler and scale loop set them per release.
//   - ScaledJob: eager from v2.15.0, per-pod pendingPodConditions from
//     v2.18.0, pending Jobs in accurate from v2.19.0, the CRD enums from
//     v2.20.0, custom without a deduction from v2.20.2.
//
// # Quantities
//
// What the HPA reads is what crosses the external metrics API: a metric
// value beyond the int64 milli range wraps in the HPA's MilliValue, and a
// target is refused by the API server only when its quantity is not
// positive. Formula inputs, fallback targets and composite values convert
// with Quantity.AsApproximateFloat64, as upstream.
//
// # Conformance
//
// conformance/keda runs KEDA's own code and this package side by side on
// random cases:
//
//   - The Prometheus scaler against a local test server, on random trigger
//     metadata and answers (vector, scalar, string and matrix results, null
//     and short values, HTTP errors, bad headers, huge values): construction,
//     the generated target, each value the HPA reads, activity and errors.
//   - ScaledObjects (replica bounds, cooldowns, fallback of every behavior,
//     scalingModifiers, the activation and pause-direction annotations, one
//     or two Prometheus triggers, useCachedMetrics) through the CRD schema,
//     the admission webhook (ValidateCreate) and the reconciler's
//     newHPAForScaledObject, then KEDA's scale handler over a fake API
//     server: scale loop
//     ticks (checkScalers, getScaledObjectState, the executor's
//     RequestScale) and the HPA's metric requests (GetScaledObjectMetrics,
//     which the metrics server forwards to the operator), compared after
//     every step: replicas, lastActiveTime, status.health, the Ready,
//     Active and Fallback conditions, the metrics or error of each request.
//
// Reproducers are under testdata/conformance. Not compared: the HPAActive
// condition and events (the harness has no HPA controller; both follow the
// executor's checkHPAHealth and the scale loop's messages); of the HPA the
// reconciler generates (newHPAForScaledObject), its name, replica bounds,
// metrics and targets and the selectPolicy of each direction are compared,
// and the API server's checks of it are those of its targets (type, a
// positive quantity); the CRD's one CEL rule (minReplicaCount <=
// maxReplicaCount) is left to the webhook's same check.
//
// # Not modelled
//
//   - Other scaler types (admitted by name, refused when a simulation
//     needs their values) and push scalers: the simulation serves only the
//     data of the modelled scalers.
//   - Cluster-dependent webhook checks (container resource requests): the
//     simulation owns its workload.
//   - restoreToOriginalReplicaCount: it acts only on deletion, after a run.
//   - A Prometheus answer whose value is a JSON number, not a string: the
//     scaler's type assertion panics; the model reports an error instead.
//   - A matrix from the simulator's own engine carries no series, so it
//     reads as an empty result (the HTTP path, DecodeQueryResponse, counts
//     the series as the scaler does).
//   - Races of the operator: the triggers of a tick or of an HPA request
//     are queried in parallel goroutines, whose health updates land in the
//     order they finish, and ClearScalersCache deletes the metric records in
//     a goroutine. The model takes trigger order, and deletes the records
//     at once (in a cluster the goroutine runs long before the tick stores
//     its records); the conformance build runs upstream the same way.
package keda
