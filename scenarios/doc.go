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
//	    manifests: scaledobject.yaml    # or a list; paths relative to this file
//	    kind: ScaledObject              # optional, when the manifests hold several
//	    name: websocket-scaledobject    # optional, likewise
//	  versions: {kubernetes: "1.34", keda: "2.18"}
//	  controller:                       # kube-controller-manager HPA flags
//	    syncPeriod: 15s
//	    tolerance: 0.1
//	    downscaleStabilization: 5m
//	    cpuInitializationPeriod: 5m
//	    initialReadinessDelay: 30s
//	  prometheus: {scrapeInterval: 15s, lookbackDelta: 5m, job: demo}
//	  workload: {namespace: demo, replicas: 1, podStartup: 10s, podTermination: 30s}
//	  load:
//	  - metric: websocket_connection_count
//	    model: connections
//	    stages: [{duration: 10s, target: 200}, {duration: 10m, target: 200}, {duration: 5s, target: 0}]
//	  - metric: other_metric
//	    interval: 15s
//	    values: "0+20x10 200x40 _ 0"    # promtool's expanding notation
//	  sim: {tick: 1s, traceInterval: 15s, seed: 1, start: "2026-01-01T00:00:00Z"}
//
// Manifest files are read exactly as `kubectl apply -f` takes them:
// multi-document, ScaledObject (keda.sh/v1alpha1) and HorizontalPodAutoscaler
// (autoscaling/v2) decoded strictly, other kinds ignored.
//
// Decoding is strict like `kubectl --validate=strict`: unknown and
// duplicate fields are errors, values must have the API's type (a trigger's
// metadata values are strings, so a bare 40 must be quoted), and KEDA's
// admission rules apply. Loading never stops at the first problem: an *Error
// lists every problem as "file:line: field.path: what is wrong and what is
// allowed".
package scenarios
