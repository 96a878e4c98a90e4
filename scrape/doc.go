// Package scrape decides which labels the series of a simulated pod carry,
// the way a cluster's monitoring stack would attach them, so that the
// user's real queries select them (or fail to, for the same reasons they
// would in the cluster).
//
// A Job is one Prometheus scrape job over the workload's pods. Its targets
// are built in three steps that follow Prometheus itself:
//
//  1. service discovery labels (__meta_kubernetes_*), as the kubernetes
//     SD builds them for the pod role (prometheus discovery/kubernetes/
//     pod.go buildPod) and the endpoints role (endpoints.go
//     buildEndpoints: ready and not-ready addresses, one target per
//     endpoint port);
//  2. the job's relabel configs, run by Prometheus' own relabel engine
//     (model/relabel), and the finishing steps of scrape/target.go
//     PopulateLabels (default job and instance, __meta_* dropped);
//  3. for each scraped series, the merge of target labels with the labels
//     the application exposes, honoring honor_labels and the exported_
//     prefix as scrape/scrape.go mutateSampleLabels does, then the metric
//     relabel configs.
//
// The relabel configs of a job are those the Prometheus Operator generates
// for a ServiceMonitor or PodMonitor (see FromServiceMonitor and
// FromPodMonitor) followed by the user's relabelings, or those of the
// prometheus-community chart's kubernetes-pods job for prometheus.io/*
// pod annotations (see KubernetesPods).
package scrape
