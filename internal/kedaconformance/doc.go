// Package kedaconformance holds the model side of the differential runs
// against KEDA (conformance/keda): the case format both sides read, the
// random cases, the runs through the keda package, the comparisons, the
// minimizers and the JSON reproducers that the keda tests replay without
// the upstream code (keda/testdata/conformance).
//
// Two kinds of case:
//
//   - Case: one Prometheus trigger and its server's answers, through KEDA's
//     Prometheus scaler (construction, the generated target, the value the
//     HPA reads, activity, errors) and through keda.NewLoop, Observe and
//     MetricsForHPA (Generate, RunModel, Compare).
//   - LoopCase (Case.Loop): a ScaledObject with Prometheus triggers,
//     fallback, scalingModifiers and annotations, and a run of scale loop
//     ticks and HPA metric requests. Upstream, it meets the CRD schema, the
//     admission webhook and the reconciler's newHPAForScaledObject (the
//     generated HPA is compared too), then KEDA's
//     scale handler over a fake API server (checkScalers,
//     getScaledObjectState, the executor's RequestScale, fallback,
//     scalingModifiers, GetScaledObjectMetrics); here keda.Loop.Poll and
//     MetricsForHPA. Compared after every step: replicas, lastActiveTime,
//     status.health, the Ready, Active and Fallback conditions, and the
//     metrics or error of each request (GenerateLoop, RunLoop,
//     CompareLoop).
//
// KEDA pins its own Kubernetes libraries, which cannot share a build with
// this module's, so the two sides run as separate programs and exchange
// cases and results as JSON lines; conformance/keda keeps its own copy of
// the format, which must stay in step with this one.
package kedaconformance
