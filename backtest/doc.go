// Package backtest answers "would the simulation have predicted what my
// cluster did?": it replays the metric input a cluster's autoscaler saw
// over a window, simulates the manifests from the replica count the
// cluster had at the start, and compares the simulated HPA decisions with
// the recorded ones.
//
// # What is recorded
//
// The recorded series follow the exporters' names and labels exactly
// (see package openmetrics, which writes the same series for a simulated
// run):
//
//   - the HPA's status, from kube-state-metrics:
//     kube_horizontalpodautoscaler_status_desired_replicas and
//     kube_horizontalpodautoscaler_status_current_replicas with labels
//     namespace and horizontalpodautoscaler (KEDA's HPA is
//     keda-hpa-<scaledobject> unless
//     advanced.horizontalPodAutoscalerConfig.name is set);
//   - the Deployment's spec.replicas, kube_deployment_spec_replicas with
//     labels namespace and deployment, used when the HPA's status is not
//     recorded and for the starting replica count;
//   - each trigger's metric input: the answers of the trigger's own query
//     (InputQuery), or KEDA's keda_scaler_metrics_value with labels
//     namespace, scaledObject and triggerIndex (InputKEDA). Offline, a
//     recording may instead hold the raw series the trigger's query reads,
//     which the simulated Prometheus then evaluates;
//   - each trigger's failed reads, KEDA's keda_scaler_detail_errors_total
//     (same labels): a rise between two samples makes the trigger's reads
//     fail in the replay over that interval (a metricsDown fault on the
//     trigger), so that fallback and the HPA's failed metrics happen as
//     they did;
//   - for a plain autoscaling/v2 HPA (no KEDA), each Pods, Object or
//     External metric's input: the answers of the query of the adapter
//     rule that serves it (spec.adapter.rules; InputQuery), the raw
//     series the prometheus-adapter configuration's rules read (live, the
//     samples of each rule's seriesQuery; the replay's adapter then
//     renders and runs metricsQuery as the cluster's did), or the HPA's
//     own status, kube-state-metrics'
//     kube_horizontalpodautoscaler_status_target_metric with labels
//     namespace, horizontalpodautoscaler, metric_name and
//     metric_target_type (InputStatus; kube-state-metrics
//     internal/store/hpa.go createHPAStatusTargetMetric): a Pods metric's
//     "average", an External metric's "value" when its target is a Value.
//     An External AverageValue target's status is the value divided by
//     the replicas and rounded up, and an Object metric's status carries
//     its described object: both are replayed from their query only.
//     Resource metrics are refused: metrics-server's per-pod usage is no
//     Prometheus series, and the HPA's status holds only its average.
//
// Names and namespaces come from the manifests, so a recording of a
// whole cluster can be given as it is: series of other objects are left
// out. A series' object namespace is its exported_namespace label when it
// has one (what Prometheus keeps when a scrape without honor_labels
// overwrites namespace with the exporter's own), else its namespace.
//
// # How the run is made
//
// [Prepare] turns the scenario's Spec into the replay: the virtual clock
// starts at the window's start; the loads, raw series and faults of the
// scenario are dropped (the recording holds what happened); each
// Prometheus trigger's query is replaced by a selector of its recorded
// values (series autoscale_sim_recorded_input{trigger="<index>"}, with
// the recorded labels, so that a query that answered several series
// still does); the workload starts from the recorded replica count, with
// every pod ready and the HPA's stabilization window empty. Cron triggers
// need no input. Triggers that read pods or brokers (cpu, memory, kafka)
// are refused with the reason.
//
// A plain HPA's metric is served in the replay by an adapter rule of the
// same name whose query reads the recorded input (rules come before the
// adapter's configuration): an External metric the recorded series as
// they are (the HPA sums them), an Object metric their sum. A Pods
// metric's recording holds the cluster's pods, whose names the simulated
// pods do not have, so the replay assumes every pod reports the same
// value: each Ready simulated pod reports the recorded average (of the
// answers, or the status' average), so the HPA's average is the recorded
// one. The simulated pods expose a series of their own for it
// (PodMarker, a zero load); a pod reports once it is Ready and scraped,
// and until then counts as missing, as the HPA counts a pod without a
// value (a pod that reported in the cluster before it was Ready is not
// seen). Raw series of a Pods metric served by an adapter configuration
// are queried for the simulated pods' names, which a cluster's pods do
// not have: only InputStatus replays such a metric from a cluster. A
// status value in units is turned back into milli-units by the
// HPA's own conversion, which may lose one milli-unit; a failed read of
// a plain HPA's metric is not replayed (the status keeps no failure).
//
// # The figures
//
// [Run] steps the simulator from HPA sync to HPA sync and compares the
// status.desiredReplicas the simulated sync leaves with the recorded
// value in force at the same instant: the last recorded sample at or
// before the sync, unless a scrape is missing after it (the sample is at
// least the recording's sample spacing old, the median interval between
// its samples, and the next one comes more than 1.5 spacings after it);
// a sync without a sample in force counts as a disagreement. Figures:
//
//   - agreement: the fraction of syncs whose desired replicas agree;
//   - replica-seconds of both traces (each sync's value held for a sync
//     period) and their difference;
//   - the mean absolute error in replicas over the syncs with a recorded
//     value;
//   - the lag: the shift of the recorded trace, in sync periods within
//     MaxLag either way, that agrees best (the smallest shift among
//     equals); a positive lag means the cluster acted after the
//     simulation;
//   - every disagreement, with the simulated decision's explanation.
package backtest
