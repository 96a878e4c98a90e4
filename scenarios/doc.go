// Package scenarios loads scenario files and the Kubernetes manifests they
// reference.
//
// A scenario is a Kubernetes-style YAML document:
//
//	apiVersion: autoscale-sim.dev/v1alpha1
//	kind: Scenario
//	metadata:
//	  name: websocket
//	spec:
//	  duration: 20m
//	  autoscaler:
//	    manifests: scaledobject.yaml    # or a list; files, directories, globs; relative to this file
//	    kind: ScaledObject              # optional, when the manifests hold several
//	    name: websocket-scaledobject    # optional, likewise
//	    allowEmptyQueries: [1]          # triggers (or HPA metrics) whose query may select nothing
//	  adapter:                          # prometheus-adapter, for a plain HPA's custom and external metrics
//	    config: values.yaml             # its config.yaml, or its Helm chart's values (rules.custom, ...)
//	    relistInterval: 1m              # --metrics-relist-interval (default: the chart's 1m, the binary's 10m)
//	    rules: [{name: m, query: 'sum by (pod) (x)'}]   # or: metric name -> PromQL, as given
//	  versions: {kubernetes: "1.34", keda: "2.20.2"}
//	  controller:                       # kube-controller-manager HPA flags
//	    syncPeriod: 15s
//	    tolerance: 0.1
//	    downscaleStabilization: 5m
//	    cpuInitializationPeriod: 5m
//	    initialReadinessDelay: 30s
//	  prometheus: {scrapeInterval: 15s, lookbackDelta: 5m, job: demo}
//	  # discovery: auto (the Prometheus Operator's monitors in the manifests,
//	  # else prometheus.io/scrape annotations), operator, annotations, both,
//	  # none; annotationLabels: current or legacy (kubernetes_namespace,
//	  # kubernetes_pod_name, the prometheus chart before 15.0.0)
//	  # evaluation: direct (default; simple aggregations bypass the engine's
//	  # per-query setup, same results bit for bit), engine, or crossCheck
//	  workload:
//	    namespace: demo
//	    replicas: 1
//	    podStartup: 10s                 # or {min: 10s, max: 40s} (uniform), {mean: 20s, stddev: 5s} (normal, >= 0)
//	    podTermination: 30s
//	    crashes: [{at: 12m, pod: 0}, {at: 15m, count: 2}]   # pod i (creation order) or the count oldest fail
//	    resources:                      # for cpu/memory triggers and Resource/ContainerResource metrics
//	      container: app
//	      requests: {cpu: 500m, memory: 256Mi}
//	      usage:                        # per pod: base + perUnit x the pod's share of the load
//	        cpu: {base: 50m, perUnit: 10m, load: http_requests_total}   # load: default the first
//	        memory: {base: 100Mi}
//	  load:
//	  - metric: websocket_connection_count
//	    model: connections              # sticky per-pod gauge; capacity: connections per pod
//	    stages: [{duration: 10s, target: 200}, {duration: 10m, target: 200}, {duration: 5s, target: 0}]
//	  - metric: http_requests_total
//	    model: requests                 # req/s split over ready pods; per-pod counter of served requests
//	    capacity: 8                     # req/s per pod; the excess fails and counts as overloaded
//	    noise: {stddev: 2, relative: 0.1}   # Gaussian, from sim.seed
//	    step: {at: 2m, from: 5, to: 40}
//	    spike: {at: 10m, duration: 1m, peak: 30}   # alone (with base), or added to another shape
//	  - metric: queue_depth
//	    model: queue                    # one backlog gauge {namespace, job}; arrivals/s from the shape
//	    serviceRate: 10                 # items/s per ready pod
//	    sine: {period: 1h, min: 5, max: 40, phase: 0s}   # diurnal: the same with period 24h
//	  - metric: orders
//	    model: kafka                    # a topic read by the ready pods as one consumer group
//	    serviceRate: 40                 # messages/s one consumer reads
//	    kafka: {partitions: 6, assignor: range, commitInterval: 5s, sessionTimeout: 45s}
//	    step: {at: 5m, from: 30, to: 400}
//	  - metric: other_metric
//	    interval: 15s
//	    values: "0+20x10 200x40 _ 0"    # promtool's expanding notation
//	  - metric: recorded_rate
//	    model: requests
//	    replay: {file: load.csv}        # .csv (replay.ReadCSV) or .json (query_range answer); match: picks a series
//	  series:                           # raw series, written as given (open loop)
//	  - {series: 'queue_length{queue="orders"}', interval: 15s, values: "0+10x20"}
//	  - replay: {prometheusURL: http://prometheus:9090, query: 'sum(rate(x[1m]))',
//	             start: "2026-01-01T00:00:00Z", end: "2026-01-01T01:00:00Z", step: 30s}
//	  jobs:                             # for a ScaledJob: what each Job's pods do
//	    queue: queue_depth              # a load of model queue (default: the only one)
//	    messagesPerPod: 1
//	    duration: {mean: 3m, stddev: 30s}   # work per message
//	  faults:                           # timeline events of source "sim" at start and end
//	  - {kind: metricsDown, from: 5m, to: 8m}   # also emptyResult, nanResult, scrapeGap
//	  - {kind: emptyResult, from: 9m, to: 10m, metric: 1}   # spec.triggers[1] (or spec.metrics[1]) only
//	  - {kind: metricsServerDown, from: 5m, to: 6m}         # Resource metrics fail
//	  - {kind: controllerRestart, at: 12m}
//	  sim: {tick: 1s, traceInterval: 15s, seed: 1, start: "2026-01-01T00:00:00Z"}
//
// Exactly one shape per load: values with interval, stages (with start),
// step, spike, sine, diurnal or replay; a spike without base may be added
// to another. A replay without prometheusURL reads the Prometheus given by
// Options.PrometheusURL (LoadWith, ParseWith; the CLI's --prometheus-url).
// Recorded times are shifted so that the first point is t = 0.
//
// Manifest files are read exactly as `kubectl apply -f` takes them:
// multi-document, kind: List, helm template output. ScaledObjects and
// ScaledJobs (keda.sh/v1alpha1) and HorizontalPodAutoscalers (autoscaling/v2) are
// decoded strictly, and so are the objects around them that decide the
// simulation, with the Kubernetes API types: the scale target's
// Deployment or StatefulSet, Services, ServiceMonitors and PodMonitors,
// ConfigMaps with a prometheus-adapter configuration, KedaControllers,
// TriggerAuthentications (see resolve.go and the README). Other kinds are
// ignored. A value the scenario sets wins over the manifests; each value's
// source is recorded in Spec.Settings.
//
// Decoding is strict like `kubectl --validate=strict`: unknown and
// duplicate fields are errors, values must have the API's type (a trigger's
// metadata values are strings, so a bare 40 must be quoted), and KEDA's
// admission rules apply. Loading never stops at the first problem: an *Error
// lists every problem as "file:line: field.path: what is wrong and what is
// allowed".
package scenarios
