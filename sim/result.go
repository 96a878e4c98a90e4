package sim

import (
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
)

// Result is everything a run produced: a replica trace sampled at a fixed
// interval and the timeline of scale events. It is plain data so that the
// report package, tests and users can read it without the engine.
type Result struct {
	// Name is the scenario name.
	Name string
	// Start is the virtual instant of t = 0 (a fixed epoch, never the wall clock).
	Start time.Time
	// Duration is the simulated time covered.
	Duration time.Duration
	// Seed is the seed of every random choice of the run (printed in outputs).
	Seed int64
	// Autoscaler says who owns the workload: "keda" or "hpa".
	Autoscaler string
	// Workload is the scale target, e.g. "Deployment/demo-ws-server".
	Workload string
	// InitialReplicas is the workload's spec.replicas at t = 0, before any
	// decision.
	InitialReplicas int32
	// MinReplicas and MaxReplicas are the effective bounds of the autoscaler.
	MinReplicas, MaxReplicas int32
	// Metrics describes the metric columns of every Sample, in order.
	Metrics []MetricInfo
	// Samples is the trace, one row per trace interval, in time order.
	Samples []Sample
	// Events is the timeline of replica changes and notable autoscaler
	// events, in time order.
	Events []Event
	// OverloadedSeconds is how long some load exceeded what the ready pods
	// handle: Load.Capacity per pod, or a queue's total service rate. Load
	// with no ready pod at all counts, whatever the capacity.
	OverloadedSeconds float64
	// LoadRise is the first instant the first load's shape (noise aside)
	// exceeds its value at t = 0; LoadRises is false if it never does.
	LoadRise  time.Duration
	LoadRises bool
	// Settings and Assumptions are Spec.Settings and Spec.Assumptions:
	// where the run's values came from, and the defaults it relies on.
	Settings    []Setting
	Assumptions []Assumption

	// The fields below describe the run for plots and reports; they add
	// nothing the trace and the timeline do not already decide.

	// Load describes the Load column of the samples.
	Load LoadInfo
	// Faults are Spec.Faults: the injected failures and their windows.
	Faults []Fault
	// Tolerances are the HPA's tolerances of the usage ratio
	// (hpa.Config.TolerancesFor the HPA's behavior): a metric within
	// [Target*(1-ScaleDown), Target*(1+ScaleUp)] keeps the replicas.
	Tolerances hpa.Tolerances
	// KEDA lists the ScaledObject's state over time: one entry at each
	// poll whose state differs from the previous poll's, the first poll
	// included; each holds until the next entry or the end. Nil for a
	// plain HPA.
	KEDA []KEDAState
	// MessageWaitSeconds is, for a ScaledJob run, the seconds the queue's
	// messages waited for a Job, summed over the messages (the integral
	// of the waiting messages); MessagesTaken counts the messages Jobs
	// took.
	MessageWaitSeconds float64
	MessagesTaken      int
	// Conditions are the ScaledObject's status conditions as they changed
	// from poll to poll (Ready, Active, Fallback, Paused, HPAActive).
	Conditions []ConditionChange
	// Phases are the run's schedule offsets (see Spec.Phases).
	Phases PhaseOffsets
}

// LoadInfo describes the first load of the Spec, the one Sample.Load
// reports; the zero value means the Spec has no load.
type LoadInfo struct {
	// Metric and Model are Load.Metric and Load.Model.
	Metric string
	Model  LoadModel
	// PerPod is what one ready pod serves, in the load's unit: Capacity
	// (Connections, Requests) or ServiceRate (Queue); 0 when unlimited.
	PerPod float64
	// Backlog says what Sample.Backlog holds: "" (nothing), BacklogQueue
	// or BacklogKafkaLag.
	Backlog string
}

// What Sample.Backlog holds.
const (
	// BacklogQueue: the items waiting in the Queue load's backlog.
	BacklogQueue = "queue"
	// BacklogKafkaLag: the consumer group's lag on the topic, summed over
	// the partitions (log end offset less committed offset), as
	// kafka-exporter reports it; KEDA's scaler may see it capped.
	BacklogKafkaLag = "kafka lag"
)

// KEDA activities, as the ScaledObject's Active condition reports them.
const (
	// KEDAActive: some trigger (or the scalingModifiers composite) is
	// above its activation threshold, or activation is forced.
	KEDAActive = "active"
	// KEDAInactive: no trigger is active and KEDA has nothing to do.
	KEDAInactive = "inactive"
	// KEDACooldown: no trigger is active and KEDA waits for
	// cooldownPeriod (or initialCooldownPeriod) to pass before scaling in
	// to idleReplicaCount or minReplicaCount (reason ScalerCooldown).
	KEDACooldown = "cooldown"
	// KEDAPaused: the ScaledObject is paused by annotation.
	KEDAPaused = "paused"
)

// ConditionChange is a status condition of the ScaledObject as it changed
// at T (Ready, Active, Fallback, Paused, HPAActive).
type ConditionChange struct {
	T                             time.Duration
	Type, Status, Reason, Message string
}

// KEDAState is the ScaledObject's state from T on, as the poll at T left
// it.
type KEDAState struct {
	T time.Duration
	// Activity is one of KEDAActive, KEDAInactive, KEDACooldown and
	// KEDAPaused.
	Activity string
	// Fallback reports that some trigger served fallback metrics.
	Fallback bool
}

// MetricInfo describes one metric column of the trace.
type MetricInfo struct {
	// Name is the column name, e.g. "s0-prometheus" (the External metric
	// name KEDA gives the trigger) or "pods/myapp_websockets_connections_avg".
	Name string
	// Query is the PromQL query behind the metric, if any.
	Query string
	// Target is the threshold or target value the autoscaler compares the
	// metric with, in the metric's unit.
	Target float64
	// TargetType is "AverageValue", "Value" or "Utilization".
	TargetType string
	// SourceType is how the HPA reads the metric: "External" (KEDA's
	// triggers), "Pods", "Object", "Resource" or "ContainerResource".
	// With an AverageValue target, the HPA divides an External or Object
	// value by the replicas; the other columns already hold a per-pod
	// value (see Sample.Metrics).
	SourceType string
	// ActivationTarget is KEDA's activation threshold (0 when unset).
	ActivationTarget float64
	// OnlyWorkloadPods is set when the query reads nothing without the
	// workload's own pods (no sample, or none above ActivationTarget,
	// over every series but those carrying their pod label).
	OnlyWorkloadPods bool
}

// Sample is one row of the trace.
type Sample struct {
	// T is the offset from Result.Start.
	T time.Duration
	// DesiredReplicas is the workload's spec.replicas (what KEDA or the HPA
	// last set).
	DesiredReplicas int32
	// Replicas is the number of pods that exist and are not terminating.
	Replicas int32
	// ReadyReplicas is the number of ready pods.
	ReadyReplicas int32
	// Load is the offered load at T in the workload's unit (for example the
	// number of connections clients want to hold).
	Load float64
	// Jobs are a ScaledJob run's Jobs and queue (nil otherwise).
	Jobs *JobCounts
	// Backlog is what the first load has waiting (see LoadInfo.Backlog):
	// the true backlog, whatever the autoscaler's metric makes of it.
	Backlog float64
	// Metrics are the values of Result.Metrics as the autoscaler last read
	// them (NaN before the first read or while the read fails): the query
	// result of External and Object metrics, the per-pod average of Pods
	// metrics, and the average utilization (percent of request) or usage
	// of Resource metrics.
	Metrics []float64
}

// Event is one entry of the timeline, in the vocabulary of
// `kubectl describe hpa` and of KEDA's operator log.
type Event struct {
	// T is the offset from Result.Start.
	T time.Duration
	// Source is who decided: "KEDA" or "HPA" (or "sim" for injected faults).
	Source string
	// Type is "Normal" or "Warning".
	Type string
	// Reason is a one-word reason, e.g. "SuccessfulRescale", "KEDAScaleTargetActivated".
	Reason string
	// From and To are the replica counts before and after; equal when the
	// event did not change the scale.
	From, To int32
	// Message is the human-readable explanation.
	Message string
}
