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
//     they did.
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
// and HPAs without KEDA are refused with the reason.
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
