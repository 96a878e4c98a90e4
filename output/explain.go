package output

import (
	"fmt"
	"math"

	"github.com/autoscale-sim/autoscale-sim/check"
)

// Explanation is what `explain -o json` writes: the decisions in force at
// one instant (check.Explanation).
type Explanation struct {
	TypeMeta
	Scenario   string  `json:"scenario"`
	At         float64 `json:"at"`
	Autoscaler string  `json:"autoscaler"`
	Workload   string  `json:"workload"`
	// Replicas is spec.replicas at the instant.
	Replicas    int32        `json:"replicas"`
	Trace       *TraceRow    `json:"trace"`
	Settings    []Setting    `json:"settings"`
	Assumptions []Assumption `json:"assumptions"`
	// Phases describes the offsets of the run's schedules.
	Phases []string `json:"phases,omitempty"`
	// KEDA is null for a plain HPA.
	KEDA *KEDADecision `json:"keda"`
	// Jobs is a ScaledJob's last poll (omitted otherwise; a ScaledJob
	// has no HPA, so hpa says synced false).
	Jobs *JobsDecision `json:"jobs,omitempty"`
	HPA  HPADecision   `json:"hpa"`
}

// JobsDecision is a ScaledJob's last poll: each trigger's queue, the
// Jobs counted, and the strategy's decision.
type JobsDecision struct {
	PollingInterval float64          `json:"pollingInterval"`
	Polled          bool             `json:"polled"`
	LastPoll        float64          `json:"lastPoll,omitempty"`
	Triggers        []JobTriggerRead `json:"triggers"`
	ScaleTo         int64            `json:"scaleTo"`
	MaxScale        int64            `json:"maxScale"`
	Running         int64            `json:"running"`
	Pending         int64            `json:"pending"`
	Created         int64            `json:"created"`
	Strategy        string           `json:"strategy,omitempty"`
	Reason          string           `json:"reason,omitempty"`
	QueueNow        float64          `json:"queueNow"`
	Conditions      []Condition      `json:"conditions"`
}

// JobTriggerRead is one trigger of a ScaledJob's poll.
type JobTriggerRead struct {
	Name        string  `json:"name"`
	QueueLength float64 `json:"queueLength"`
	Target      float64 `json:"target"`
	Active      bool    `json:"active"`
}

// TraceRow is the last trace row at or before the instant.
type TraceRow struct {
	T        float64 `json:"t"`
	Pods     int32   `json:"pods"`
	Ready    int32   `json:"ready"`
	Load     float64 `json:"load"`
	Replicas int32   `json:"replicas"`
}

// KEDADecision is the ScaledObject's state at its last poll.
type KEDADecision struct {
	PollingInterval float64  `json:"pollingInterval"`
	Polled          bool     `json:"polled"`
	Active          bool     `json:"active"`
	ActiveTriggers  []string `json:"activeTriggers"`
	Reason          string   `json:"reason,omitempty"`
	// Conditions are the ScaledObject's status conditions.
	Conditions []Condition `json:"conditions"`
	// LastActiveTime is null while no trigger was ever active.
	LastActiveTime *float64 `json:"lastActiveTime"`
	Cooldown       string   `json:"cooldown"`
}

// HPADecision is the HPA's last reconcile at or before the instant; only
// syncPeriod and synced are set before the first.
type HPADecision struct {
	SyncPeriod          float64          `json:"syncPeriod"`
	Synced              bool             `json:"synced"`
	LastSync            float64          `json:"lastSync,omitempty"`
	Path                string           `json:"path,omitempty"`
	ToleranceLow        float64          `json:"toleranceLow,omitempty"`
	ToleranceHigh       float64          `json:"toleranceHigh,omitempty"`
	Metrics             []MetricDecision `json:"metrics"`
	MetricsDesired      int32            `json:"metricsDesired"`
	MetricName          string           `json:"metricName,omitempty"`
	Stabilized          int32            `json:"stabilized"`
	StabilizationReason string           `json:"stabilizationReason,omitempty"`
	Window              []Recommendation `json:"stabilizationWindow"`
	Policies            []PolicyDecision `json:"policies"`
	LimitReason         string           `json:"limitReason,omitempty"`
	LimitMessage        string           `json:"limitMessage,omitempty"`
	CurrentReplicas     int32            `json:"currentReplicas"`
	DesiredReplicas     int32            `json:"desiredReplicas"`
	Rescale             bool             `json:"rescale"`
	Conditions          []Condition      `json:"conditions"`
}

// MetricDecision is one metric of the reconcile.
type MetricDecision struct {
	Description string   `json:"description"`
	Query       string   `json:"query,omitempty"`
	Value       *float64 `json:"value"`
	Target      float64  `json:"target"`
	TargetType  string   `json:"targetType,omitempty"`
	Error       string   `json:"error,omitempty"`
	// Current is the status value in kubectl's form.
	Current         string  `json:"current"`
	PerPod          bool    `json:"perPod"`
	UsageRatio      float64 `json:"usageRatio"`
	WithinTolerance bool    `json:"withinTolerance"`
	Proposal        int32   `json:"proposal"`
}

// Recommendation is an entry of the stabilization window.
type Recommendation struct {
	Replicas int32   `json:"replicas"`
	At       float64 `json:"at"`
}

// PolicyDecision is what one behavior policy allowed.
type PolicyDecision struct {
	Type                string `json:"type"`
	Value               int32  `json:"value"`
	PeriodSeconds       int32  `json:"periodSeconds"`
	Allows              int32  `json:"allows"`
	PeriodStartReplicas int32  `json:"periodStartReplicas"`
}

// Condition is an HPA status condition.
type Condition struct {
	Type    string `json:"type"`
	Status  string `json:"status"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// ExplanationOf converts check.Explanation.
func ExplanationOf(x *check.Explanation, file string) Explanation {
	out := Explanation{TypeMeta: Meta(KindExplanation), Scenario: file, At: Seconds(x.At), Autoscaler: x.Autoscaler,
		Workload: x.Workload, Replicas: x.Replicas, Settings: []Setting{}, Assumptions: []Assumption{}}
	if t := x.Trace; t != nil {
		out.Trace = &TraceRow{T: Seconds(t.T), Pods: t.Replicas, Ready: t.ReadyReplicas, Load: t.Load, Replicas: t.DesiredReplicas}
	}
	for _, s := range x.Settings {
		out.Settings = append(out.Settings, Setting(s))
	}
	for _, a := range x.Assumptions {
		out.Assumptions = append(out.Assumptions, Assumption(a))
	}
	out.Phases = x.Phases
	if k := x.KEDA; k != nil {
		kd := &KEDADecision{PollingInterval: Seconds(k.PollingInterval), Polled: k.Polled, Active: k.Active,
			ActiveTriggers: append([]string{}, k.ActiveTriggers...), Reason: k.Reason, Cooldown: k.Cooldown, Conditions: []Condition{}}
		for _, c := range k.Conditions {
			kd.Conditions = append(kd.Conditions, Condition{Type: c.Type, Status: c.Status, Reason: c.Reason, Message: c.Message})
		}
		if k.LastActiveTime != nil {
			s := Seconds(*k.LastActiveTime)
			kd.LastActiveTime = &s
		}
		out.KEDA = kd
	}
	if j := x.Jobs; j != nil {
		r := j.Poll
		jd := &JobsDecision{PollingInterval: Seconds(j.PollingInterval), Polled: j.Polled, Triggers: []JobTriggerRead{},
			ScaleTo: r.Scale.ScaleTo, MaxScale: r.Scale.MaxScale, Running: r.Running, Pending: r.Pending,
			Created: r.Decision.Create, Strategy: r.Decision.Strategy, Reason: r.Decision.Reason, QueueNow: math.Floor(j.Queue), Conditions: []Condition{}}
		if j.Polled {
			jd.LastPoll = Seconds(j.LastPoll)
		}
		for _, m := range r.Metrics {
			jd.Triggers = append(jd.Triggers, JobTriggerRead{Name: m.Name, QueueLength: m.QueueLength, Target: m.Target, Active: m.Active})
		}
		for _, c := range j.Conditions {
			jd.Conditions = append(jd.Conditions, Condition{Type: c.Type, Status: c.Status, Reason: c.Reason, Message: c.Message})
		}
		out.Jobs = jd
	}
	h := HPADecision{SyncPeriod: Seconds(x.HPA.SyncPeriod), Synced: x.HPA.Synced, Metrics: []MetricDecision{},
		Window: []Recommendation{}, Policies: []PolicyDecision{}, Conditions: []Condition{}}
	if d := x.HPA.Decision; d != nil {
		h.LastSync, h.Path = Seconds(x.HPA.LastSync), d.Path
		h.ToleranceLow, h.ToleranceHigh = 1-d.Tolerances.ScaleDown, 1+d.Tolerances.ScaleUp
		for i, m := range d.Metrics {
			me := x.HPA.Metrics[i]
			md := MetricDecision{Description: m.Description, Query: me.Query, Value: me.Value, Target: me.Target, TargetType: me.TargetType,
				Current: m.CurrentValue, PerPod: m.Details.AverageValueMilli != nil, UsageRatio: m.UsageRatio,
				WithinTolerance: me.WithinTolerance, Proposal: m.Proposal}
			if m.Err != nil {
				md.Error = m.Err.Error()
			}
			h.Metrics = append(h.Metrics, md)
		}
		h.MetricsDesired, h.MetricName, h.Stabilized, h.StabilizationReason = d.MetricsDesired, d.MetricName, d.Stabilized, d.StabilizationReason
		for _, r := range x.Window() {
			h.Window = append(h.Window, Recommendation{Replicas: r.Replicas, At: Seconds(r.At)})
		}
		for _, pp := range d.PolicyProposals {
			h.Policies = append(h.Policies, PolicyDecision{Type: fmt.Sprint(pp.Policy.Type), Value: int32(pp.Policy.Value),
				PeriodSeconds: int32(pp.Policy.PeriodSeconds), Allows: pp.Proposed, PeriodStartReplicas: pp.PeriodStartReplicas})
		}
		h.LimitReason, h.LimitMessage = d.LimitReason, d.LimitMessage
		h.CurrentReplicas, h.DesiredReplicas, h.Rescale = d.CurrentReplicas, d.DesiredReplicas, d.Rescale
		for _, c := range d.Conditions {
			h.Conditions = append(h.Conditions, Condition{Type: fmt.Sprint(c.Type), Status: fmt.Sprint(c.Status), Reason: c.Reason, Message: c.Message})
		}
	}
	out.HPA = h
	return out
}
