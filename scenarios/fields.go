package scenarios

import (
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// The grammar of a scenario file, one section per mapping. The loader
// walks every mapping with its section (node.walk): the keys it accepts are
// the section's fields, the keys a mapping must have are its required
// ones. The JSON Schema of the Scenario kind (JSONSchema,
// schema/scenario.schema.json) is generated from the same sections, so the
// two cannot disagree on which fields exist.

// valueType is what a field holds, as the schema describes it.
type valueType int

const (
	tString valueType = iota
	tDuration
	tInteger
	tNumber
	tBoolean
	// tQuantity is a Kubernetes resource.Quantity: 500m, 256Mi, 1.5k.
	tQuantity
	// tTime is an RFC 3339 instant.
	tTime
	// tObject is a mapping described by field.section.
	tObject
	// tList is a list of field.items (a section) or of field.elem.
	tList
	// tStringOrList is one string or a list of strings.
	tStringOrList
	// tDurationOrObject is a duration or a mapping of field.section.
	tDurationOrObject
	// tDurationPair is a list of two durations, [from, to].
	tDurationPair
	// tStringOrObject is one of field.enum or a mapping of field.section.
	tStringOrObject
	// tStringMap is a mapping of strings, as metadata.annotations.
	tStringMap
)

// field is one key of a section.
type field struct {
	name string
	typ  valueType
	doc  string
	// enum lists the allowed values of a string field, if limited.
	enum []string
	// section describes a tObject, tDurationOrObject or a tList of
	// mappings.
	section *section
	// elem is the type of a tList's items when they are not mappings.
	elem valueType
	// min is the smallest value of a number, when limited.
	min *float64
}

// section is a mapping of a scenario file.
type section struct {
	// name is the definition's name in the schema, e.g. "workload".
	name string
	doc  string
	// required are the keys the mapping must have.
	required []string
	fields   []field
}

// names lists the section's keys in order.
func (s *section) names() []string {
	out := make([]string, len(s.fields))
	for i, f := range s.fields {
		out[i] = f.name
	}
	return out
}

// field returns the field named name (nil if there is none).
func (s *section) field(name string) *field {
	for i := range s.fields {
		if s.fields[i].name == name {
			return &s.fields[i]
		}
	}
	return nil
}

// walk is node.fields over the keys of a section.
func (n node) walk(s *section, visit func(key string, v node)) {
	n.fields(s.names(), visit)
}

func nonNeg() *float64 { z := 0.0; return &z }

func enumOf[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

var rootSection = &section{
	name:     "scenario",
	doc:      "A scenario: the load, the workload, the monitoring stack and the autoscaler manifests of one simulation.",
	required: []string{"apiVersion", "kind", "spec"},
	fields: []field{
		{name: "apiVersion", typ: tString, enum: []string{APIVersion}, doc: "The version of the scenario format."},
		{name: "kind", typ: tString, enum: []string{Kind}},
		{name: "metadata", typ: tObject, section: metadataSection},
		{name: "spec", typ: tObject, section: specSection},
	},
}

var metadataSection = &section{
	name: "metadata",
	fields: []field{
		{name: "name", typ: tString, doc: "The scenario's name, printed in every output."},
		{name: "description", typ: tString},
	},
}

var specSection = &section{
	name:     "spec",
	required: []string{"duration"},
	fields: []field{
		{name: "duration", typ: tDuration, doc: "Simulated time, e.g. 20m or 1d."},
		{name: "autoscaler", typ: tObject, section: autoscalerSection},
		{name: "adapter", typ: tObject, section: adapterSection},
		{name: "versions", typ: tObject, section: versionsSection},
		{name: "controller", typ: tObject, section: controllerSection},
		{name: "prometheus", typ: tObject, section: prometheusSection},
		{name: "workload", typ: tObject, section: workloadSection},
		{name: "load", typ: tList, section: loadSection, doc: "The loads the workload serves; the first one is the trace's load column."},
		{name: "jobs", typ: tObject, section: jobsSection, doc: "What the Jobs of a ScaledJob do."},
		{name: "sim", typ: tObject, section: simSection},
		{name: "expect", typ: tList, section: expectSection, doc: "Claims about the run, checked by autoscale-sim test."},
		{name: "series", typ: tList, section: seriesSection, doc: "Raw series, written as given (open loop)."},
		{name: "faults", typ: tList, section: faultSection},
		{name: "phases", typ: tStringOrObject, enum: []string{"aligned", "random"}, section: phasesSection, doc: "Offsets of the scrape, poll, sync and probe schedules: aligned (all from t = 0, the best case, the default), random (drawn from the seed) or explicit."},
		{name: "annotate", typ: tList, section: annotateSection, doc: "Annotation changes of the ScaledObject during the run, as kubectl annotate makes them."},
		{name: "runs", typ: tInteger, min: nonNeg(), doc: "Seeded variants to run (seed, seed+1, ...); figures become median, p95 and max."},
		{name: "nodePool", typ: tObject, section: nodePoolSection, doc: "The nodes the pods run on: pods wait Pending until the scheduler places them by their requests, and the cluster-autoscaler adds and removes nodes. Absent: capacity is unbounded."},
		{name: "workloads", typ: tList, section: workloadItemSection, doc: "Several workloads simulated together, in one Prometheus, one HPA controller, one KEDA operator and on one node pool; each gives its own autoscaler, workload, load and claims, and spec's autoscaler, workload, adapter and phases are their defaults."},
	},
}

// workloadItemSection is one workload of spec.workloads: the keys of spec
// that belong to one workload (namespaceShared lists those that do not).
var workloadItemSection = &section{
	name:     "workloadItem",
	required: []string{"load"},
	fields: []field{
		{name: "name", typ: tString, doc: "The workload's name in outputs and in arrivalsFrom (default: the scaled workload's name)."},
		{name: "autoscaler", typ: tObject, section: autoscalerSection, doc: "Merged over spec.autoscaler: e.g. the same manifests, another name."},
		{name: "adapter", typ: tObject, section: adapterSection},
		{name: "workload", typ: tObject, section: workloadSection, doc: "Merged over spec.workload."},
		{name: "load", typ: tList, section: loadSection},
		{name: "jobs", typ: tObject, section: jobsSection},
		{name: "expect", typ: tList, section: expectSection, doc: "Claims about this workload's run."},
		{name: "series", typ: tList, section: seriesSection},
		{name: "faults", typ: tList, section: faultSection, doc: "Added to spec.faults, which every workload has."},
		{name: "phases", typ: tStringOrObject, enum: []string{"aligned", "random"}, section: phasesSection},
		{name: "annotate", typ: tList, section: annotateSection},
	},
}

// nodePoolSection describes what cluster.DecodePool reads; the loader
// hands the mapping to it, so the two lists must agree
// (TestNodePoolSectionMatchesDecoder).
var nodePoolSection = &section{
	name:     "nodePool",
	doc:      "A pool of identical nodes, fixed or autoscaled.",
	required: []string{"name", "allocatable"},
	fields: []field{
		{name: "name", typ: tString, doc: "The node name prefix, a DNS label: nodes are <name>-1, <name>-2, ..."},
		{name: "nodes", typ: tInteger, min: nonNeg(), doc: "Nodes at the start."},
		{name: "allocatable", typ: tObject, section: nodeResourcesSection, doc: "status.allocatable of every node."},
		{name: "capacity", typ: tObject, section: nodeCapacitySection, doc: "status.capacity, for the least-waste expander (default: allocatable)."},
		{name: "labels", typ: tStringMap, doc: "Node labels, matched by nodeSelector and node affinity."},
		{name: "taints", typ: tList, section: taintSection, doc: "spec.taints, which the pods must tolerate."},
		{name: "scheduler", typ: tObject, section: nodeSchedulerSection},
		{name: "autoscaler", typ: tObject, section: clusterAutoscalerSection, doc: "The pool's cluster-autoscaler; absent, the pool is fixed."},
	},
}

var nodeResourcesSection = &section{
	name:     "nodeResources",
	required: []string{"cpu", "memory", "pods"},
	fields: []field{
		{name: "cpu", typ: tQuantity},
		{name: "memory", typ: tQuantity},
		{name: "pods", typ: tInteger, doc: "maxPods (the kubelet's default is 110)."},
	},
}

var nodeCapacitySection = &section{
	name: "nodeCapacity",
	fields: []field{
		{name: "cpu", typ: tQuantity},
		{name: "memory", typ: tQuantity},
	},
}

var taintSection = &section{
	name:     "taint",
	required: []string{"key", "effect"},
	fields: []field{
		{name: "key", typ: tString},
		{name: "value", typ: tString},
		{name: "effect", typ: tString, enum: []string{"NoSchedule", "PreferNoSchedule", "NoExecute"}},
	},
}

var nodeSchedulerSection = &section{
	name: "nodeScheduler",
	doc:  "kube-scheduler's default profile (Kubernetes 1.35).",
	fields: []field{
		{name: "dynamicResources", typ: tBoolean, doc: "The DynamicResources plugin is in the profile (from Kubernetes 1.34; it leads the FailedScheduling message's preemption part)."},
		{name: "balancedAllocation", typ: tBoolean, doc: "NodeResourcesBalancedAllocation scores with NodeResourcesFit, as the default profile does."},
	},
}

var clusterAutoscalerSection = &section{
	name:     "clusterAutoscaler",
	doc:      "cluster-autoscaler's node group bounds and flags, in camelCase, defaulted as upstream (FAQ.md: What are the parameters to CA?).",
	required: []string{"maxNodes"},
	fields: []field{
		{name: "minNodes", typ: tInteger, min: nonNeg()},
		{name: "maxNodes", typ: tInteger},
		{name: "provisioning", typ: tDurationOrObject, section: provisioningSection, doc: "From the cloud request to a Ready node: a duration or {min, max} (uniform, seeded); default 3m to 4m."},
		{name: "scanInterval", typ: tDuration, doc: "--scan-interval (10s)."},
		{name: "scaleDownUtilizationThreshold", typ: tNumber, min: nonNeg(), doc: "--scale-down-utilization-threshold (0.5)."},
		{name: "scaleDownUnneededTime", typ: tDuration, doc: "--scale-down-unneeded-time (10m)."},
		{name: "scaleDownDelayAfterAdd", typ: tDuration, doc: "--scale-down-delay-after-add (10m)."},
		{name: "scaleDownDelayAfterDelete", typ: tDuration, doc: "--scale-down-delay-after-delete (0s)."},
		{name: "maxNodesTotal", typ: tInteger, min: nonNeg(), doc: "--max-nodes-total (0, no limit)."},
		{name: "expander", typ: tString, enum: []string{"least-waste", "random", "most-pods"}, doc: "--expander (least-waste)."},
		{name: "newPodScaleUpDelay", typ: tDuration, doc: "--new-pod-scale-up-delay (0s)."},
		{name: "scaleDownEnabled", typ: tBoolean, doc: "--scale-down-enabled (true)."},
		{name: "maxNodesPerScaleUp", typ: tInteger, doc: "--max-nodes-per-scaleup (1000)."},
		{name: "maxScaleDownParallelism", typ: tInteger, doc: "--max-scale-down-parallelism (10)."},
		{name: "maxDrainParallelism", typ: tInteger, doc: "--max-drain-parallelism (1)."},
		{name: "unremovableNodeRecheckTimeout", typ: tDuration, doc: "--unremovable-node-recheck-timeout (5m)."},
	},
}

var provisioningSection = &section{
	name:     "provisioning",
	required: []string{"min", "max"},
	fields: []field{
		{name: "min", typ: tDuration},
		{name: "max", typ: tDuration},
	},
}

var phasesSection = &section{
	name: "phases",
	doc:  "The offsets of the run's periodic schedules.",
	fields: []field{
		{name: "mode", typ: tString, enum: []string{"aligned", "random"}, doc: "random draws the offsets not given from the seed."},
		{name: "scrape", typ: tDuration, doc: "The first scrape (Prometheus' target offset), under the scrape interval."},
		{name: "poll", typ: tDuration, doc: "KEDA's first poll (when the ScaledObject was created), under pollingInterval."},
		{name: "sync", typ: tDuration, doc: "The HPA's first sync (kube-controller-manager's phase), under the sync period."},
		{name: "probePeriod", typ: tDuration, doc: "The readiness probe's periodSeconds: a pod is Ready at its first probe after its startup delay."},
		{name: "metricsResolution", typ: tDuration, doc: "metrics-server's --metric-resolution: Resource metrics are read as of its last scrape."},
		{name: "metricsOffset", typ: tDuration, doc: "metrics-server's first scrape, under metricsResolution."},
	},
}

var autoscalerSection = &section{
	name: "autoscaler",
	fields: []field{
		{name: "manifests", typ: tStringOrList, doc: "What you kubectl apply: files, directories, globs, relative to the scenario file."},
		{name: "kind", typ: tString, enum: []string{"ScaledObject", "ScaledJob", "HorizontalPodAutoscaler"}, doc: "The autoscaler's kind, when the manifests hold several."},
		{name: "name", typ: tString, doc: "The autoscaler's name, when the manifests hold several."},
		{name: "allowEmptyQueries", typ: tList, elem: tInteger, doc: "Triggers (or HPA metrics), by index, whose query may select nothing."},
	},
}

var adapterSection = &section{
	name: "adapter",
	doc:  "prometheus-adapter, for a plain HPA's custom and external metrics.",
	fields: []field{
		{name: "rules", typ: tList, section: adapterRuleSection, doc: "Metric name to PromQL, as given."},
		{name: "config", typ: tString, doc: "The adapter's config.yaml, or its Helm chart's values."},
		{name: "relistInterval", typ: tDuration, doc: "--metrics-relist-interval (default: the chart's 1m, the binary's 10m)."},
		{name: "maxAge", typ: tDuration},
	},
}

var adapterRuleSection = &section{
	name:     "adapterRule",
	required: []string{"name", "query"},
	fields: []field{
		{name: "name", typ: tString},
		{name: "query", typ: tString, doc: "PromQL."},
	},
}

var versionsSection = &section{
	name: "versions",
	fields: []field{
		{name: "kubernetes", typ: tString, doc: "The kube-controller-manager release, e.g. \"1.34\"."},
		{name: "keda", typ: tString, doc: "The KEDA release, e.g. \"2.20.2\"."},
	},
}

var controllerSection = &section{
	name: "controller",
	doc:  "kube-controller-manager's HPA flags.",
	fields: []field{
		{name: "syncPeriod", typ: tDuration},
		{name: "tolerance", typ: tNumber, min: nonNeg()},
		{name: "downscaleStabilization", typ: tDuration},
		{name: "cpuInitializationPeriod", typ: tDuration},
		{name: "initialReadinessDelay", typ: tDuration},
	},
}

var prometheusSection = &section{
	name: "prometheus",
	fields: []field{
		{name: "scrapeInterval", typ: tDuration, doc: "The scrape interval of the workload's series (default: the monitors' own)."},
		{name: "lookbackDelta", typ: tDuration},
		{name: "job", typ: tString},
		{name: "evaluation", typ: tString, enum: []string{"direct", "engine", "crossCheck"}},
		{name: "discovery", typ: tString, enum: []string{"auto", "operator", "annotations", "both", "none"}},
		{name: "annotationLabels", typ: tString, enum: []string{"current", "legacy"}},
	},
}

var workloadSection = &section{
	name: "workload",
	fields: []field{
		{name: "namespace", typ: tString},
		{name: "replicas", typ: tInteger, min: nonNeg(), doc: "spec.replicas at t = 0."},
		{name: "podStartup", typ: tDurationOrObject, section: distributionSection, doc: "Creation to Ready: a duration, {min, max} (uniform) or {mean, stddev} (normal)."},
		{name: "podTermination", typ: tDuration},
		{name: "resources", typ: tObject, section: resourcesSection},
		{name: "crashes", typ: tList, section: crashSection},
	},
}

var jobsSection = &section{
	name: "jobs",
	doc:  "Each Job's pods, once running, take messages from a queue load and work on each, then succeed; a pod that finds the queue empty succeeds at once.",
	fields: []field{
		{name: "queue", typ: tString, doc: "The metric of the queue load the Jobs drain (default: the only load of model queue)."},
		{name: "messagesPerPod", typ: tInteger, min: nonNeg(), doc: "Messages one pod takes (default 1)."},
		{name: "duration", typ: tDurationOrObject, section: distributionSection, doc: "Work per message: a duration, {min, max} or {mean, stddev}."},
	},
}

var distributionSection = &section{
	name: "distribution",
	fields: []field{
		{name: "min", typ: tDuration},
		{name: "max", typ: tDuration},
		{name: "mean", typ: tDuration},
		{name: "stddev", typ: tDuration},
	},
}

var resourcesSection = &section{
	name: "resources",
	fields: []field{
		{name: "container", typ: tString},
		{name: "requests", typ: tObject, section: requestsSection},
		{name: "usage", typ: tObject, section: usageSection},
	},
}

var requestsSection = &section{
	name: "requests",
	fields: []field{
		{name: "cpu", typ: tQuantity},
		{name: "memory", typ: tQuantity},
	},
}

var usageSection = &section{
	name: "usage",
	fields: []field{
		{name: "cpu", typ: tObject, section: resourceUsageSection},
		{name: "memory", typ: tObject, section: resourceUsageSection},
	},
}

var resourceUsageSection = &section{
	name: "resourceUsage",
	doc:  "Per pod: base + perUnit x the pod's share of the load.",
	fields: []field{
		{name: "base", typ: tQuantity},
		{name: "perUnit", typ: tQuantity},
		{name: "load", typ: tString, doc: "The metric of the load (default: the first)."},
	},
}

var crashSection = &section{
	name:     "crash",
	required: []string{"at"},
	fields: []field{
		{name: "at", typ: tDuration},
		{name: "pod", typ: tInteger, min: nonNeg(), doc: "Pod i in creation order."},
		{name: "count", typ: tInteger, doc: "The count oldest pods."},
	},
}

var loadSection = &section{
	name:     "load",
	required: []string{"metric"},
	fields: []field{
		{name: "metric", typ: tString},
		{name: "model", typ: tString, enum: enumOf(sim.LoadModels), doc: "connections (sticky per-pod gauge), requests (a counter per pod), queue (one backlog gauge), kafka (a topic read by the pods as one consumer group)."},
		{name: "capacity", typ: tNumber, doc: "Per pod; the excess counts as overloaded."},
		{name: "serviceRate", typ: tNumber, doc: "Items per second per ready pod (model queue), or messages per second per consumer (model kafka)."},
		{name: "kafka", typ: tObject, section: kafkaSection, doc: "The topic and consumer group of model kafka."},
		{name: "noise", typ: tObject, section: noiseSection},
		{name: "values", typ: tString, doc: "promtool's expanding notation, with interval."},
		{name: "interval", typ: tDuration},
		{name: "stages", typ: tList, section: stageSection, doc: "k6-style ramps."},
		{name: "start", typ: tNumber, doc: "The load before the first stage."},
		{name: "step", typ: tObject, section: stepSection},
		{name: "spike", typ: tObject, section: spikeSection},
		{name: "sine", typ: tObject, section: sineSection},
		{name: "diurnal", typ: tObject, section: diurnalSection},
		{name: "replay", typ: tObject, section: replaySection},
		{name: "arrivalsFrom", typ: tObject, section: arrivalsFromSection, doc: "With spec.workloads: the load arrives as another workload serves its requests (instead of a shape)."},
	},
}

var arrivalsFromSection = &section{
	name:     "arrivalsFrom",
	doc:      "The requests another workload's load serves, per second, arrive here: a frontend's served requests become a backend's requests or a queue's messages.",
	required: []string{"workload"},
	fields: []field{
		{name: "workload", typ: tString, doc: "The workload's name in spec.workloads."},
		{name: "load", typ: tInteger, min: nonNeg(), doc: "Its load, by index (default 0); a requests or queue load."},
		{name: "factor", typ: tNumber, min: nonNeg(), doc: "Arrivals per served request, positive (default 1)."},
	},
}

var kafkaSection = &section{
	name:     "kafka",
	doc:      "A topic read by the workload's ready pods as one consumer group; kafka-exporter's series and KEDA's kafka scaler read its committed offsets.",
	required: []string{"partitions"},
	fields: []field{
		{name: "partitions", typ: tInteger, min: nonNeg(), doc: "The topic's partitions: consumers beyond them idle."},
		{name: "topic", typ: tString, doc: "Default: the load's metric."},
		{name: "consumerGroup", typ: tString, doc: "Default: the workload's name."},
		{name: "assignor", typ: tString, enum: []string{sim.RangeAssignor, sim.CooperativeStickyAssignor}, doc: "range (the clients' default) or cooperative-sticky."},
		{name: "rebalancePause", typ: tDuration, doc: "How long reassigned partitions are not read (default 3s)."},
		{name: "commitInterval", typ: tDuration, doc: "auto.commit.interval.ms (default 5s): the lag moves in its steps."},
		{name: "sessionTimeout", typ: tDuration, doc: "session.timeout.ms (default 45s): a crashed consumer's partitions stay unread this long."},
		{name: "initialLag", typ: tInteger, min: nonNeg(), doc: "Messages behind on every partition at t = 0."},
	},
}

var noiseSection = &section{
	name: "noise",
	doc:  "Gaussian, from sim.seed.",
	fields: []field{
		{name: "stddev", typ: tNumber, min: nonNeg()},
		{name: "relative", typ: tNumber, min: nonNeg()},
	},
}

var stageSection = &section{
	name:     "stage",
	required: []string{"duration"},
	fields: []field{
		{name: "duration", typ: tDuration},
		{name: "target", typ: tNumber},
	},
}

var stepSection = &section{
	name:     "step",
	required: []string{"at", "to"},
	fields: []field{
		{name: "at", typ: tDuration},
		{name: "from", typ: tNumber},
		{name: "to", typ: tNumber},
	},
}

var spikeSection = &section{
	name:     "spike",
	required: []string{"at", "duration", "peak"},
	fields: []field{
		{name: "at", typ: tDuration},
		{name: "duration", typ: tDuration},
		{name: "base", typ: tNumber, doc: "The load outside the spike, when the spike is the only shape."},
		{name: "peak", typ: tNumber},
	},
}

var sineFields = []field{
	{name: "period", typ: tDuration},
	{name: "phase", typ: tDuration},
	{name: "min", typ: tNumber},
	{name: "max", typ: tNumber},
}

var sineSection = &section{name: "sine", required: []string{"period", "min", "max"}, fields: sineFields}

var diurnalSection = &section{name: "diurnal", doc: "A sine with a period of 24h unless given.", required: []string{"min", "max"}, fields: sineFields}

var replaySection = &section{
	name: "replay",
	doc:  "A recording: file (.csv or a .json query_range answer), or query with start, end and step on a live Prometheus.",
	fields: []field{
		{name: "file", typ: tString},
		{name: "match", typ: tString, doc: "Picks one recorded series by its selector."},
		{name: "prometheusURL", typ: tString},
		{name: "query", typ: tString},
		{name: "start", typ: tTime},
		{name: "end", typ: tTime},
		{name: "step", typ: tDuration},
	},
}

var seriesSection = &section{
	name: "rawSeries",
	fields: []field{
		{name: "series", typ: tString, doc: "A series selector, e.g. queue_length{queue=\"orders\"}."},
		{name: "interval", typ: tDuration},
		{name: "values", typ: tString, doc: "promtool's expanding notation."},
		{name: "replay", typ: tObject, section: replaySection},
	},
}

var faultSection = &section{
	name:     "fault",
	required: []string{"kind"},
	fields: []field{
		{name: "kind", typ: tString, enum: enumOf(sim.FaultKinds)},
		{name: "from", typ: tDuration},
		{name: "to", typ: tDuration},
		{name: "at", typ: tDuration, doc: "The instant of a controllerRestart."},
		{name: "metric", typ: tInteger, min: nonNeg(), doc: "Limits a query fault to spec.triggers[metric] (or spec.metrics[metric])."},
	},
}

var annotateSection = &section{
	name:     "annotation",
	doc:      "kubectl annotate at an instant: set some annotations, remove others.",
	required: []string{"at"},
	fields: []field{
		{name: "at", typ: tDuration},
		{name: "set", typ: tStringMap, doc: "Annotations to add or overwrite, e.g. autoscaling.keda.sh/paused: \"true\"."},
		{name: "remove", typ: tList, elem: tString, doc: "Annotations to remove (kubectl annotate KEY-)."},
	},
}

var expectSection = &section{
	name:     "expectation",
	required: []string{"name"},
	fields: []field{
		{name: "name", typ: tString},
		{name: "at", typ: tDuration},
		{name: "replicas", typ: tInteger, min: nonNeg()},
		{name: "during", typ: tDurationPair},
		{name: "min", typ: tInteger, min: nonNeg()},
		{name: "max", typ: tInteger, min: nonNeg()},
		{name: "noChange", typ: tBoolean},
		{name: "reaches", typ: tInteger, min: nonNeg()},
		{name: "by", typ: tDuration},
		{name: "zeroBy", typ: tDuration},
		{name: "maxScaleEventsPerHour", typ: tInteger, min: nonNeg()},
		{name: "maxReplicaSeconds", typ: tNumber},
		{name: "maxAboveTarget", typ: tDuration},
		{name: "maxOverloaded", typ: tDuration},
		{name: "maxMeanMessageWait", typ: tDuration, doc: "ScaledJob: the mean time a message waits for a Job's pod."},
		{name: "maxPodPending", typ: tDuration, doc: "Node pool: the longest time one pod waits Pending for a node."},
		{name: "quantile", typ: tNumber, doc: "With several runs: the share of runs in which the claim must hold (default 1: all)."},
	},
}

var simSection = &section{
	name: "sim",
	fields: []field{
		{name: "tick", typ: tDuration},
		{name: "traceInterval", typ: tDuration},
		{name: "seed", typ: tInteger},
		{name: "start", typ: tTime},
	},
}
