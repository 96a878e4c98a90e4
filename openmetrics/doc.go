// Package openmetrics writes a simulation as Prometheus data, in the
// OpenMetrics text format that `promtool tsdb create-blocks-from
// openmetrics` turns into TSDB blocks, so that a real Prometheus (and the
// dashboards built on it) shows a simulated run next to production.
//
// [Simulate] runs a Spec and gathers three groups of series:
//
//   - the workload's own metrics, exactly as the simulated Prometheus
//     stored them (every scrape, every raw series);
//   - what kube-state-metrics exports for the HorizontalPodAutoscaler
//     (kube_horizontalpodautoscaler_status_desired_replicas,
//     _status_current_replicas, _spec_min_replicas, _spec_max_replicas,
//     labelled namespace and horizontalpodautoscaler, and each metric's
//     _spec_target_metric and _status_target_metric, labelled
//     metric_name and metric_target_type as well) and for the
//     Deployment (kube_deployment_spec_replicas,
//     kube_deployment_status_replicas, kube_deployment_status_replicas_ready,
//     labelled namespace and deployment), after kube-state-metrics
//     docs/metrics/workload/horizontalpodautoscaler-metrics.md and
//     deployment-metrics.md;
//   - what KEDA's operator exports for a ScaledObject
//     (keda_scaler_metrics_value, which keeps the last value read when a
//     read fails, keda_scaler_detail_errors_total, which counts the failed
//     reads, keda_scaler_active and keda_scaled_object_paused, labelled
//     as in KEDA's
//     pkg/metricscollector/prommetrics.go getLabels: namespace, metric,
//     scaledObject, scaler, triggerIndex, type).
//
// The kube-state-metrics and KEDA series are sampled at every HPA sync
// and KEDA poll (the greatest common divisor of the two periods), as if
// both exporters were scraped that often, so each sample holds the status
// the last sync or poll left. A HorizontalPodAutoscaler is named as the
// manifests name it; KEDA's is keda-hpa-<scaledobject> unless
// advanced.horizontalPodAutoscalerConfig.name says otherwise (KEDA
// controllers/keda/hpa.go getHPAName).
//
// Limits of the format: OpenMetrics text has no staleness marker, so a
// series that ends in the simulation (a deleted pod's) lingers for the
// lookback delta in the backfilled Prometheus, where the simulated one
// drops it at once; keda_scaler_metrics_value carries the values KEDA
// read whatever the series did. Families of the workload's metrics are
// typed unknown: the store does not know a counter from a gauge. A
// ScaledJob has no HPA and no Deployment; its run exports the workload's
// series and its triggers' keda_scaler_metrics_value and
// keda_scaler_detail_errors_total, with type "scaledjob".
//
// [Export.Write] writes families sorted by name, series sorted by labels,
// samples in time order, and ends with "# EOF", as promtool requires.
package openmetrics
