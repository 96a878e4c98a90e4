package keda

import (
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/autoscale-sim/autoscale-sim/hpa"
)

// Workload is what KEDA reads from the scale target and its HPA.
type Workload struct {
	// Current is the target's spec.replicas (resolver.GetCurrentReplicas).
	Current int32
	// Ready counts running and ready pods; fallback for a Value metric
	// divides by it (pkg/fallback/fallback.go getReadyReplicasCount).
	Ready int32
	// HPAScalingActive is the HPA's ScalingActive condition. It only
	// matters for DevVersion, where the scale loop reuses the HPA's metric
	// observations only while the HPA is actively querying.
	HPAScalingActive bool
	// HPAScaling is the HPA's ScalingActive condition in full (nil when the
	// HPA has none yet), which sets KEDA's HPAActive condition (v2.20.2+)
	// or its Ready condition (v2.20.0, v2.20.1).
	HPAScaling *Condition
}

// TriggerObservation is the outcome of querying one trigger's source: the
// scaler's metric value and activity, or its error.
type TriggerObservation struct {
	// Name identifies the trigger in messages (its name or metric name).
	Name   string
	Value  float64
	Active bool
	Err    error
}

// Condition is one ScaledObject status condition.
type Condition struct {
	Status  string // "True", "False" or "Unknown"
	Reason  string
	Message string
}

// Conditions are the status conditions KEDA's scale loop sets
// (apis/keda/v1alpha1/condition_types.go). A zero Condition means unset.
type Conditions struct {
	Ready    Condition
	Active   Condition
	Fallback Condition
	Paused   Condition
	// HPAActive exists from v2.20.2 on (zero until first set).
	HPAActive Condition
}

// merge overwrites the conditions that u sets.
func (c *Conditions) merge(u Conditions) {
	for _, p := range []struct{ dst, src *Condition }{
		{&c.Ready, &u.Ready}, {&c.Active, &u.Active}, {&c.Fallback, &u.Fallback}, {&c.Paused, &u.Paused}, {&c.HPAActive, &u.HPAActive},
	} {
		if *p.src != (Condition{}) {
			*p.dst = *p.src
		}
	}
}

// List returns the set conditions by type, in KEDA's order.
func (c Conditions) List() []NamedCondition {
	var out []NamedCondition
	for _, n := range []struct {
		t string
		c Condition
	}{{"Ready", c.Ready}, {"Active", c.Active}, {"Fallback", c.Fallback}, {"Paused", c.Paused}, {"HPAActive", c.HPAActive}} {
		if n.c != (Condition{}) {
			out = append(out, NamedCondition{Type: n.t, Condition: n.c})
		}
	}
	return out
}

// NamedCondition is a condition with its type.
type NamedCondition struct {
	Type string
	Condition
}

// PollResult is the outcome of one scale loop tick.
type PollResult struct {
	// Active is the ScaledObject's activity (any trigger active, or the
	// scalingModifiers composite above activationTarget).
	Active bool
	// Error reports that at least one trigger failed this tick.
	Error bool
	// ScaleTo is the replica count KEDA writes to the target; nil means
	// KEDA leaves replicas to the HPA.
	ScaleTo *int32
	// Reason explains the decision in one sentence.
	Reason string
	// ActiveTriggers names the metrics that made the ScaledObject active.
	ActiveTriggers []string
	// FallbackActive reports that at least one trigger served fallback
	// metrics this tick.
	FallbackActive bool
	// Paused reports that the ScaledObject is paused: KEDA has deleted the
	// HPA, so the engine must not run it.
	Paused     bool
	Conditions Conditions
	// LastActiveTime is status.lastActiveTime after the tick.
	LastActiveTime *time.Time
	// StateError is an error that ended the tick before any decision
	// (scale_handler.go checkScalers: "error getting state of
	// scaledObject"): no scaling, no status update.
	StateError error
}

// HealthStatus is one entry of status.health, kept per External metric
// name; both the scale loop and the HPA's metric requests update it.
// The two fields travel separately in status patches, so an entry can
// count failures and say Happy (see statusCopy).
type HealthStatus struct {
	NumberOfFailures int32
	Failing          bool
}

// statusCopy is a view of the ScaledObject's status that a part of the
// operator holds and updates: status.health and the conditions. The API
// server's status is one; the scale loop's object, re-read from the API
// at every tick (scale_handler.go checkScalers), is another; and the
// scalers cache keeps a third when a metric request of the HPA built the
// cache (getScalersCacheForScaledObject reads the ScaledObject once), which
// the HPA's requests then update without ever re-reading it. Each fallback
// health update patches the API server with the difference it made to its
// own copy (pkg/fallback/fallback.go updateStatus, a JSON merge patch):
// the health fields it changed, and the whole conditions list whenever the
// Fallback condition changed; the answer then refreshes the copy. So a
// request served from a stale copy overwrites the scale loop's counts and
// conditions, as in a cluster.
type statusCopy struct {
	health map[string]HealthStatus
	conds  Conditions
}

func (c *statusCopy) clone() *statusCopy {
	return &statusCopy{health: maps.Clone(c.health), conds: c.conds}
}

// cacheCopy says which copy the scalers cache holds.
type cacheCopy int

const (
	// cacheNone: no scalers cache; built at the next tick or request
	// (it is dropped after any scaler error, scale_handler.go
	// ClearScalersCache).
	cacheNone cacheCopy = iota
	// cacheShared: built by the scale loop, the cache holds the scale
	// loop's own object.
	cacheShared
	// cacheOwn: built by a metric request, the cache holds a copy read
	// from the API server then.
	cacheOwn
)

// record is a metricscache.MetricsRecord: the metric values after fallback
// processing, the activity, whether fallback produced them, and the error.
type record struct {
	values         []int64
	active         bool
	fallbackActive bool
	err            error
}

// Loop is the per-ScaledObject state of the KEDA operator and metrics
// server: status.lastActiveTime, status.health, the metric records cache,
// the creation time and the compiled formula. It is not safe for
// concurrent use; the simulation drives it from one goroutine.
type Loop struct {
	// hpaTriggers memoizes HPATriggers.
	hpaTriggers map[string][]int
	so          ScaledObject
	version     string
	f           features
	created     time.Time
	prom        []*PrometheusTrigger // nil for the other triggers
	kafka       []*KafkaTrigger      // nil for the other triggers
	kafkaState  []*kafkaState
	cron        []*CronTrigger     // nil for the other triggers
	metricNames []string           // "" for cpu/memory triggers
	targets     []hpa.MetricTarget // External target per trigger
	formula     *vm.Program
	hpaSpec     hpa.Spec

	lastActive *time.Time
	// health is status.health as the API server stores it.
	health  map[string]HealthStatus
	records map[string]record
	// loopObj is the scale loop's copy of the status, cacheObj the copy
	// of a cache built by a metric request; cache says which one the
	// scalers cache holds.
	loopObj  *statusCopy
	cacheObj *statusCopy
	cache    cacheCopy
	// conds is status.conditions as the reconciler and the scale loop
	// leave them.
	conds Conditions
}

// NewLoop validates the ScaledObject for the KEDA version ("" means
// DefaultVersion) and returns its scale loop, created at the given time
// (metadata.creationTimestamp, the start of initialCooldownPeriod).
func NewLoop(so *ScaledObject, version string, created time.Time) (*Loop, error) {
	if so == nil {
		return nil, errors.New("nil ScaledObject")
	}
	v, f, err := lookupVersion(version)
	if err != nil {
		return nil, err
	}
	errs, _ := so.ValidateVersion(v)
	if len(errs) > 0 {
		return nil, &ValidationError{Name: so.Name, Errors: errs}
	}
	// metadata.creationTimestamp has whole seconds, like lastActiveTime.
	l := &Loop{so: *so, version: v, f: f, created: created.Truncate(time.Second), health: map[string]HealthStatus{}, records: map[string]record{}}
	l.so.Annotations = maps.Clone(so.Annotations)
	l.so.Triggers = append([]Trigger(nil), so.Triggers...)
	forVersion(&l.so, f)
	l.hpaSpec = buildHPA(&l.so, f)
	for i, t := range l.so.Triggers {
		l.kafka = append(l.kafka, nil)
		l.kafkaState = append(l.kafkaState, &kafkaState{})
		l.cron = append(l.cron, nil)
		if t.Type == "cron" {
			c, _ := ParseCronTrigger(t.Metadata, !f.cronDesiredPositive)
			c.inactiveOne = !f.cronInactiveZero
			l.cron[i] = c
			l.prom = append(l.prom, nil)
			l.metricNames = append(l.metricNames, cronMetricName(i, c, f.cronCommaName))
			l.targets = append(l.targets, externalTarget(triggerMetricType(t), 1000))
			continue
		}
		if isResourceTrigger(t) {
			l.prom = append(l.prom, nil)
			l.metricNames = append(l.metricNames, "")
			l.targets = append(l.targets, hpa.MetricTarget{})
			continue
		}
		if isKafkaTrigger(t) {
			k, _ := ParseKafkaTrigger(t.Metadata)
			k.earliestIgnoresScaleToZero = !f.kafkaEarliestScaleToZero
			l.kafka[i] = k
			l.prom = append(l.prom, nil)
			l.metricNames = append(l.metricNames, kafkaMetricName(i, k))
			l.targets = append(l.targets, externalTarget(triggerMetricType(t), k.LagThreshold*1000))
			continue
		}
		p, _ := ParsePrometheusTrigger(t.Metadata)
		p.NaNPassesThrough = !f.nanIsNull
		l.prom = append(l.prom, p)
		l.metricNames = append(l.metricNames, externalMetricName(i, t))
		l.targets = append(l.targets, externalTarget(triggerMetricType(t), metricToMilli(f, p.Threshold)))
	}
	if l.so.UsingModifiers() {
		// Compiled once, as the scalers cache does (scale_handler.go
		// performGetScalersCache).
		l.formula, _ = compileFormula(&l.so)
	}
	l.reconcile()
	return l, nil
}

// reconcile sets the conditions the reconciler writes when the
// ScaledObject is created (scaledobject_controller.go Reconcile,
// reconcileScaledObject, handlePause; condition_types.go
// GetInitializedConditions): all Unknown at first (Paused False from
// v2.18.0), then Ready True, Fallback False without a usable fallback
// (v2.16.0+), Paused True for the pause annotations.
func (l *Loop) reconcile() {
	unknown := Condition{Status: "Unknown"}
	l.conds = Conditions{Ready: unknown, Active: unknown, Fallback: unknown, Paused: unknown}
	if l.f.pausedInitFalse {
		l.conds.Paused = Condition{Status: "False"}
	}
	if !l.so.Paused() {
		// The reconciler builds the scalers cache on its own copy of the
		// ScaledObject while it creates the HPA (controllers/keda/hpa.go
		// getScaledObjectMetricSpecs), before it writes Ready: the cache's
		// copy holds the initialized conditions and no health until an
		// error drops the cache.
		l.cache, l.cacheObj = cacheOwn, &statusCopy{health: map[string]HealthStatus{}, conds: l.conds}
	}
	l.conds.Ready = Condition{"True", "ScaledObjectReady", "ScaledObject is defined correctly and is ready for scaling"}
	if !l.fallbackConfigured() && l.f.noFallbackCondition {
		l.conds.Fallback = Condition{"False", "NoFallbackFound", "No fallbacks are active on this scaled object"}
	}
	switch {
	case l.so.Paused():
		l.conds.Paused = Condition{"True", "ScaledObjectPaused", "ScaledObject is paused"}
		l.conds.Ready.Message = "ScaledObject is paused"
	case l.so.PausedScaleIn() || l.so.PausedScaleOut():
		l.conds.Paused = Condition{"True", "ScaledObjectPaused", "ScaledObject is paused"}
	}
}

// Conditions is status.conditions after the last poll.
func (l *Loop) Conditions() Conditions { return l.conds }

// SetAnnotations changes the ScaledObject's annotations, as `kubectl
// annotate` does: the pause annotations take effect at the reconcile that
// follows, and removing them (or setting them false) while Paused is True
// sets Paused False ScaledObjectUnpaused.
func (l *Loop) SetAnnotations(annotations map[string]string) {
	wasPaused := l.conds.Paused.Status == "True"
	wasStopped := l.so.Paused()
	// The reconcile that follows reads the ScaledObject as stored now.
	reconciling := l.apiCopy()
	l.so.Annotations = maps.Clone(annotations)
	forVersion(&l.so, l.f)
	l.hpaSpec = buildHPA(&l.so, l.f)
	paused := l.so.Paused() || l.so.PausedScaleIn() || l.so.PausedScaleOut()
	switch {
	case l.so.Paused():
		// The scale loop stops and its scalers cache goes
		// (scaledobject_controller.go stopScaleLoop, scale_handler.go
		// DeleteScalableObject).
		l.cache, l.cacheObj, l.loopObj = cacheNone, nil, nil
	case wasStopped:
		// The HPA is created again, on a scalers cache built from the
		// reconciler's copy (controllers/keda/hpa.go
		// getScaledObjectMetricSpecs).
		l.cache, l.cacheObj = cacheOwn, reconciling
	}
	switch {
	case paused:
		l.reconcilePause()
	case wasPaused:
		l.conds.Paused = Condition{"False", "ScaledObjectUnpaused", "pause annotation removed for ScaledObject"}
		l.conds.Ready = Condition{"True", "ScaledObjectReady", "ScaledObject is defined correctly and is ready for scaling"}
	}
}

// Name is the ScaledObject's name.
func (l *Loop) Name() string { return l.so.Name }

// Annotations returns a copy of the ScaledObject's annotations.
func (l *Loop) Annotations() map[string]string { return maps.Clone(l.so.Annotations) }

// Paused reports whether KEDA has stopped the scale loop and deleted the
// HPA (paused-replicas present, or paused true); the one-direction pauses
// keep both.
func (l *Loop) Paused() bool { return l.so.Paused() }

func (l *Loop) reconcilePause() {
	l.conds.Paused = Condition{"True", "ScaledObjectPaused", "ScaledObject is paused"}
	if l.so.Paused() {
		l.conds.Ready.Message = "ScaledObject is paused"
	}
}

// Version is the resolved KEDA version.
func (l *Loop) Version() string { return l.version }

// HPA is the generated HPA spec (GenerateHPAVersion).
func (l *Loop) HPA() hpa.Spec { return l.hpaSpec }

// PollingInterval is the scale loop period.
func (l *Loop) PollingInterval() time.Duration {
	return time.Duration(l.so.PollingIntervalSeconds()) * time.Second
}

// PrometheusTrigger returns the parsed trigger i, nil for cpu/memory.
func (l *Loop) PrometheusTrigger(i int) *PrometheusTrigger {
	if i < 0 || i >= len(l.prom) {
		return nil
	}
	return l.prom[i]
}

// ExternalMetricNames lists the External metric names of the triggers in
// order (status.externalMetricNames).
func (l *Loop) ExternalMetricNames() []string {
	var out []string
	for _, n := range l.metricNames {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// LastActiveTime is status.lastActiveTime; nil until the first activity.
func (l *Loop) LastActiveTime() *time.Time {
	if l.lastActive == nil {
		return nil
	}
	t := *l.lastActive
	return &t
}

// Health returns a copy of status.health.
func (l *Loop) Health() map[string]HealthStatus { return maps.Clone(l.health) }

// Observe evaluates trigger i's query result into an observation, with the
// version's NaN rule. cpu/memory triggers are always active.
func (l *Loop) Observe(i int, r QueryResult) TriggerObservation {
	if i < 0 || i >= len(l.prom) {
		return TriggerObservation{Err: fmt.Errorf("no trigger at index %d", i)}
	}
	if l.kafka[i] != nil || l.cron[i] != nil {
		return TriggerObservation{Name: l.metricNames[i], Err: fmt.Errorf("trigger %d is a %s trigger: observe it with ObserveKafka or ObserveCron", i, l.so.Triggers[i].Type)}
	}
	if l.prom[i] == nil {
		return TriggerObservation{Name: l.so.Triggers[i].Type, Active: true}
	}
	v, a, err := l.prom[i].Evaluate(r)
	return TriggerObservation{Name: l.metricNames[i], Value: v, Active: a, Err: err}
}

// KafkaTrigger returns the parsed trigger i, nil unless it is a kafka or
// apache-kafka trigger.
func (l *Loop) KafkaTrigger(i int) *KafkaTrigger {
	if i < 0 || i >= len(l.kafka) {
		return nil
	}
	return l.kafka[i]
}

// ObserveKafka turns what the broker reports of the trigger's topic into
// an observation (kafka_scaler.go GetMetricsAndActivity): the metric is
// the (capped) total lag, and the trigger is active when the lag,
// persistent lag included, is above activationLagThreshold. Every call
// updates the scaler's memory of committed offsets, as the scale loop and
// the HPA's requests share one scaler.
func (l *Loop) ObserveKafka(i int, parts []KafkaPartition) TriggerObservation {
	k := l.KafkaTrigger(i)
	if k == nil {
		return TriggerObservation{Err: fmt.Errorf("trigger %d is not a kafka trigger", i)}
	}
	metric, activity := k.Lag(parts, l.kafkaState[i])
	return TriggerObservation{Name: l.metricNames[i], Value: float64(metric), Active: activity > k.ActivationLagThreshold}
}

// CronTrigger returns the parsed trigger i, nil unless it is a cron
// trigger.
func (l *Loop) CronTrigger(i int) *CronTrigger {
	if i < 0 || i >= len(l.cron) {
		return nil
	}
	return l.cron[i]
}

// ObserveCron evaluates a cron trigger at now (the simulated wall clock).
func (l *Loop) ObserveCron(i int, now time.Time) TriggerObservation {
	c := l.CronTrigger(i)
	if c == nil {
		return TriggerObservation{Err: fmt.Errorf("trigger %d is not a cron trigger", i)}
	}
	v, active, err := c.Observe(now)
	return TriggerObservation{Name: l.metricNames[i], Value: v, Active: active, Err: err}
}

// HPARequeries reports whether the HPA's request for trigger i's metric
// makes KEDA query the source (true) or serve the record the scale loop
// stored at its last poll (false). Only triggers with useCachedMetrics are
// served from the record, and only while one exists: before the first
// poll, and in v2.20.x after any trigger error cleared the records
// (scale_handler.go GetScaledObjectMetrics, ClearScalersCache), the source
// is queried. cpu/memory triggers never reach KEDA (false).
func (l *Loop) HPARequeries(triggerIndex int) bool {
	if triggerIndex < 0 || triggerIndex >= len(l.metricNames) || l.metricNames[triggerIndex] == "" {
		return false
	}
	if l.so.Triggers[triggerIndex].UseCachedMetrics {
		_, ok := l.records[l.metricNames[triggerIndex]]
		return !ok
	}
	return true
}

// PollRequeries reports whether the scale loop tick queries trigger i's
// source. Up to v2.20.2 it always does. In DevVersion (kedacore/keda#8031),
// when pollingInterval is not relevant and no scalingModifiers are used,
// the tick reuses the HPA's last observation of the metric while the HPA
// is actively querying and an observation exists (scale_handler.go
// hpaObservedRecord).
func (l *Loop) PollRequeries(triggerIndex int, hpaScalingActive bool) bool {
	if triggerIndex < 0 || triggerIndex >= len(l.metricNames) || l.metricNames[triggerIndex] == "" {
		return false
	}
	if l.pollFromHPA(hpaScalingActive) {
		_, ok := l.records[l.metricNames[triggerIndex]]
		return !ok
	}
	return true
}

func (l *Loop) pollFromHPA(hpaScalingActive bool) bool {
	return l.f.pollFromHPA && l.stateFromHPAAllowed() && hpaScalingActive
}

// stateFromHPAAllowed is scale_handler.go stateFromHPAObservationsAllowed.
func (l *Loop) stateFromHPAAllowed() bool { return l.so.UsesHPAObservations() }

// HPATriggers lists the triggers KEDA consults to answer the HPA's request
// for metricName: all External triggers for the composite metric of
// scalingModifiers, else the one trigger (scale_handler.go
// getTrueMetricArray).
func (l *Loop) HPATriggers(metricName string) []int {
	// The answer depends only on the ScaledObject's triggers: computed
	// once per name (the HPA asks at every sync). Callers must not
	// modify it.
	if out, ok := l.hpaTriggers[metricName]; ok {
		return out
	}
	out := l.hpaTriggersOf(metricName)
	if l.hpaTriggers == nil {
		l.hpaTriggers = map[string][]int{}
	}
	l.hpaTriggers[metricName] = out
	return out
}

func (l *Loop) hpaTriggersOf(metricName string) []int {
	var out []int
	all := l.so.UsingModifiers() && l.so.Advanced.ScalingModifiers.Target != ""
	for i, n := range l.metricNames {
		if n != "" && (all || strings.EqualFold(n, metricName)) {
			out = append(out, i)
		}
	}
	return out
}

// fallbackConfigured is isFallbackEnabled && HasValidFallback
// (pkg/fallback/fallback.go). With scalingModifiers the target must parse
// as an integer above 0, so a fractional target silently disables fallback.
func (l *Loop) fallbackConfigured() bool {
	fb := l.so.Fallback
	if fb == nil {
		return false
	}
	if l.so.UsingModifiers() {
		v, err := strconv.ParseInt(l.so.Advanced.ScalingModifiers.Target, 10, 64)
		if err != nil || v <= 0 {
			return false
		}
	}
	return fb.FailureThreshold >= 0 && fb.Replicas >= 0
}

// withFallback is fallback.go GetMetricsWithFallback on the status copy
// obj: a success resets the metric's failure count, a failure increments
// it, and once the count exceeds failureThreshold the metric is replaced
// by the fallback value. Each update is patched into the API server's
// status (patchHealth).
func (l *Loop) withFallback(obj *statusCopy, i int, values []int64, rawErr error, w Workload) ([]int64, bool, error) {
	name := l.metricNames[i]
	if rawErr == nil {
		if l.fallbackConfigured() {
			l.updateHealth(obj, name, HealthStatus{})
		}
		return values, false, nil
	}
	if !l.fallbackConfigured() || (!l.f.fallbackValue && l.targets[i].Type == hpa.ValueMetricType && !l.so.UsingModifiers()) {
		// Before v2.18.0 only AverageValue metrics fall back
		// (fallback.go isFallbackEnabled).
		return nil, false, rawErr
	}
	h := obj.health[name]
	h.NumberOfFailures++
	h.Failing = true
	l.updateHealth(obj, name, h)
	fb := l.so.Fallback
	if h.NumberOfFailures <= fb.FailureThreshold {
		return nil, false, rawErr
	}
	if l.so.FallbackBehavior() == FallbackBehaviorScalingModifiers {
		// A -1 placeholder the formula sees as nil.
		return []int64{-1000}, false, nil
	}
	v, err := l.fallbackValue(i, w)
	if err != nil {
		return nil, false, err
	}
	return []int64{v}, true, nil
}

// updateHealth is fallback.go UpdateHealthStatus / IncrementFailure and
// updateStatus: the entry and the Fallback condition change in obj, and
// what changed is patched into the API server's status, if anything did.
func (l *Loop) updateHealth(obj *statusCopy, name string, h HealthStatus) {
	before, had := obj.health[name]
	beforeCond := obj.conds.Fallback
	obj.health[name] = h
	obj.conds.Fallback = fallbackConditionOf(obj.health, l.so.Fallback.FailureThreshold)
	if had && before == h && beforeCond == obj.conds.Fallback {
		return
	}
	api := l.health[name]
	if !had || before.NumberOfFailures != h.NumberOfFailures {
		api.NumberOfFailures = h.NumberOfFailures
	}
	if !had || before.Failing != h.Failing {
		api.Failing = h.Failing
	}
	l.health[name] = api
	if beforeCond != obj.conds.Fallback {
		// A merge patch replaces a list whole: the copy's conditions.
		l.conds = obj.conds
	}
	// The patch answers with the stored object, which the client decodes
	// into the copy: from now on it is the API server's status.
	*obj = *l.apiCopy()
}

// apiCopy is a fresh read of the ScaledObject's status.
func (l *Loop) apiCopy() *statusCopy {
	return &statusCopy{health: maps.Clone(l.health), conds: l.conds}
}

// requestCopy is the status copy a metric request of the HPA works on: the
// scalers cache's (scale_handler.go GetScaledObjectMetrics uses
// scalersCache.ScaledObject), built from the API server when there is no
// cache.
func (l *Loop) requestCopy() *statusCopy {
	switch l.cache {
	case cacheShared:
		if l.loopObj != nil {
			return l.loopObj
		}
	case cacheOwn:
		return l.cacheObj
	}
	l.cache, l.cacheObj = cacheOwn, l.apiCopy()
	return l.cacheObj
}

// fallbackValue is fallback.go doFallback: the replica count of the
// behavior times the target, divided by ready replicas for a Value
// target, so that the HPA computes exactly that replica count.
func (l *Loop) fallbackValue(i int, w Workload) (int64, error) {
	fb := l.so.Fallback
	replicas := float64(fb.Replicas)
	switch l.so.FallbackBehavior() {
	case FallbackBehaviorCurrentReplicas:
		replicas = float64(w.Current)
	case FallbackBehaviorCurrentReplicasIfHigher:
		if w.Current > fb.Replicas {
			replicas = float64(w.Current)
		}
	case FallbackBehaviorCurrentReplicasIfLower:
		if w.Current < fb.Replicas {
			replicas = float64(w.Current)
		}
	}
	valueTarget := l.targets[i].Type == hpa.ValueMetricType
	var norm float64
	if l.so.UsingModifiers() {
		sm := l.so.Advanced.ScalingModifiers
		valueTarget = sm.MetricType == string(hpa.ValueMetricType)
		norm, _ = strconv.ParseFloat(sm.Target, 64)
	} else if valueTarget {
		norm = milliToFloat(*l.targets[i].ValueMilli)
	} else {
		norm = milliToFloat(*l.targets[i].AverageValueMilli)
	}
	if valueTarget {
		if w.Ready == 0 {
			return 0, errors.New("error performing fallback: readyReplicas is zero, cannot do fallback for a Value metric")
		}
		replicas /= float64(w.Ready)
	}
	// Same operation order as upstream: int64(norm*1000*replicas).
	return truncMilli(norm * 1000 * replicas), nil
}

// composite applies scalingModifiers (pkg/scaling/modifiers/formula.go
// HandleScalingModifiers): with any fallback active the composite metric is
// the first fallback value (upstream takes whichever goroutine answered
// first; all fallback values of a composite are equal), otherwise the
// formula over the trigger values. An error means no metric is produced.
func (l *Loop) composite(obj *statusCopy, vals map[int][]int64, fallbackVals []int64) (int64, error) {
	if len(fallbackVals) > 0 {
		return fallbackVals[0], nil
	}
	data := map[string]any{}
	for i, v := range vals {
		for _, m := range v {
			data[l.so.Triggers[i].Name] = l.formulaInput(obj, i, m)
		}
	}
	out, err := runFormula(&l.so, l.formula, data)
	if err != nil {
		return 0, err
	}
	return milliTrunc(out), nil
}

// formulaInput is formula.go scalingModifierTriggerValue: under fallback
// behavior scalingModifiers a metric past its failure threshold (in the
// status copy the formula runs on) is nil.
func (l *Loop) formulaInput(obj *statusCopy, i int, m int64) any {
	v := milliToFloat(m)
	if l.so.FallbackBehavior() != FallbackBehaviorScalingModifiers || l.so.Fallback == nil {
		return v
	}
	h, ok := obj.health[l.metricNames[i]]
	if !ok || h.NumberOfFailures <= l.so.Fallback.FailureThreshold {
		return v
	}
	return nil
}

// fallbackCondition is the Fallback condition of the API server's health.
func (l *Loop) fallbackCondition() Condition {
	if !l.fallbackConfigured() {
		return Condition{}
	}
	return fallbackConditionOf(l.health, l.so.Fallback.FailureThreshold)
}

// fallbackConditionOf is fallback.go updateStatus /
// fallbackExceededThreshold.
func fallbackConditionOf(health map[string]HealthStatus, threshold int32) Condition {
	for _, h := range health {
		if h.Failing && h.NumberOfFailures > threshold {
			return Condition{"True", "FallbackExists", "At least one trigger is falling back on this scaled object"}
		}
	}
	return Condition{"False", "NoFallbackFound", "No fallbacks are active on this scaled object"}
}

// Poll runs one scale loop tick at now: the trigger observations (one per
// spec.triggers entry, in order; entries of cpu/memory triggers and of
// triggers PollRequeries says are not queried are ignored) go through
// fallback and scalingModifiers into the ScaledObject's activity, and
// RequestScale decides whether KEDA writes replicas
// (scale_handler.go checkScalers/getScaledObjectState,
// executor/scale_scaledobjects.go RequestScale).
func (l *Loop) Poll(now time.Time, w Workload, obs []TriggerObservation) (PollResult, error) {
	if len(obs) != len(l.so.Triggers) {
		return PollResult{}, fmt.Errorf("got %d trigger observations for %d triggers", len(obs), len(l.so.Triggers))
	}
	res := PollResult{}
	res.Conditions.Ready = Condition{"True", "ScaledObjectReady", "ScaledObject is defined correctly and is ready for scaling"}
	if l.so.Paused() {
		return l.paused(w, res), nil
	}

	// The tick re-reads the ScaledObject; a missing scalers cache is built
	// on it and shares it (scale_handler.go getScaledObjectState,
	// GetScalersCache).
	l.loopObj = l.apiCopy()
	if l.cache == cacheNone {
		l.cache = cacheShared
	}
	fromHPA := l.pollFromHPA(w.HPAScalingActive)
	active, isError := false, false
	var activeTriggers []string
	vals := map[int][]int64{}
	var fallbackVals []int64
	newRecords := map[string]record{}
	resourceOnly := true
	var firstErr error
	for i, t := range l.so.Triggers {
		if isResourceTrigger(t) {
			continue
		}
		resourceOnly = false
		name := l.metricNames[i]
		rec, ok := record{}, false
		if fromHPA {
			rec, ok = l.records[name]
		}
		if !ok {
			o := obs[i]
			var raw []int64
			if o.Err == nil {
				raw = []int64{metricToMilli(l.f, o.Value)}
			}
			v, fb, err := raw, false, o.Err
			if l.f.pollFallback {
				v, fb, err = l.withFallback(l.loopObj, i, raw, o.Err, w)
			}
			rec = record{values: v, active: o.Active, fallbackActive: fb, err: err}
		}
		if rec.fallbackActive {
			res.FallbackActive = true
			fallbackVals = append(fallbackVals, rec.values...)
		}
		if rec.values != nil {
			vals[i] = rec.values
		}
		if t.UseCachedMetrics {
			newRecords[name] = rec
		}
		if rec.err != nil {
			isError = true
			if firstErr == nil {
				firstErr = fmt.Errorf("%s: %w", triggerDisplayName(t), rec.err)
			}
			continue
		}
		if rec.fallbackActive || rec.active {
			active = true
			activeTriggers = append(activeTriggers, name)
		}
	}
	if isError && !l.f.keepRecordsOnError {
		clear(l.records)
	}
	if isError {
		l.cache = cacheNone
	}

	if l.so.UsingModifiers() {
		active, activeTriggers = false, nil
		if !isError {
			at := 0.0
			if s := l.so.Advanced.ScalingModifiers.ActivationTarget; s != "" {
				var err error
				if at, err = strconv.ParseFloat(s, 64); err != nil {
					// Admitted (the webhook never reads activationTarget),
					// then every poll fails before deciding anything
					// (scale_handler.go getScaledObjectState): no scaling,
					// no status, no lastActiveTime, while the HPA goes on.
					return PollResult{StateError: fmt.Errorf("error getting state of scaledObject: scalingModifiers.ActivationTarget parsing error %w", err),
						Reason: "the poll stops before any decision: activationTarget does not parse", Conditions: l.conds, LastActiveTime: l.LastActiveTime()}, nil
				}
			}
			if c, err := l.composite(l.loopObj, vals, fallbackVals); err == nil {
				if milliToFloat(c) > at {
					active = true
					activeTriggers = []string{CompositeMetricName}
				}
			} else if firstErr == nil {
				firstErr = err
			}
		}
	}
	// The tick's records are stored once its state is known: a tick that
	// stops at an unparsable activationTarget stores none (scale_handler.go
	// checkScalers returns before StoreRecords).
	if len(newRecords) > 0 {
		l.records = newRecords
	}
	if resourceOnly && !isError {
		active = true
	}
	res.Active, res.Error, res.ActiveTriggers = active, isError, activeTriggers
	l.requestScale(now, w.Current, active, isError, firstErr, &res)
	if l.fallbackConfigured() && !l.f.pollFallback {
		// Before v2.19.0 only the HPA's requests update health, and the
		// scale loop reports it.
		res.Conditions.Fallback = l.fallbackCondition()
	}
	l.hpaHealth(now, w, &res)
	if l.so.PausedScaleIn() || l.so.PausedScaleOut() {
		res.Conditions.Paused = Condition{"True", "ScaledObjectPaused", "ScaledObject is paused"}
	}
	l.conds.merge(res.Conditions)
	res.Conditions = l.conds
	res.LastActiveTime = l.LastActiveTime()
	return res, nil
}

// hpaHealth reports the HPA's ScalingActive condition: as HPAActive from
// v2.20.2 (scale_scaledobjects.go checkHPAHealth), as Ready in v2.20.0 and
// v2.20.1 once the HPA is a minute old; not before v2.20.0.
func (l *Loop) hpaHealth(now time.Time, w Workload, res *PollResult) {
	h := w.HPAScaling
	if h == nil {
		return
	}
	switch {
	case l.f.hpaActiveCondition:
		switch {
		case h.Status == "True":
			res.Conditions.HPAActive = Condition{"True", "HPAActive", "HPA is actively scaling"}
		case h.Reason == "ScalingDisabled":
			res.Conditions.HPAActive = Condition{"True", "ScalingDisabled", h.Message}
		default:
			reason := h.Reason
			if reason == "" {
				reason = "HPAMetricsUnavailable"
			}
			res.Conditions.HPAActive = Condition{"False", reason, "HPA is not actively scaling: " + h.Message}
		}
	case l.f.roundedMilli: // v2.20.0 and v2.20.1
		if h.Status != "True" && h.Reason != "ScalingDisabled" && now.Sub(l.created) >= time.Minute && res.Conditions.Ready.Status == "True" {
			res.Conditions.Ready = Condition{"False", "HPAMetricsUnavailable", "ScaledObject is configured correctly but HPA is not healthy: " + h.Reason}
		}
	}
}

func (l *Loop) paused(w Workload, res PollResult) PollResult {
	res.Paused = true
	l.reconcilePause()
	res.Conditions = l.conds
	n, _ := l.so.PausedReplicas()
	switch {
	case n != nil && *n < 0 && *n != w.Current:
		// scaledobject_controller.go scaleTargetToPausedCount writes the
		// count to the scale subresource, and the API server refuses a
		// negative one (ValidateScale): the reconcile fails, replicas stay.
		apiErr := fmt.Sprintf("Scale.autoscaling %q is invalid: spec.replicas: Invalid value: %d: must be greater than or equal to 0", l.so.ScaleTargetRef.Name, *n)
		res.Conditions.Ready = Condition{"False", "ScaledObjectCheckFailed",
			"failed to scale target to paused replica count: failed to scale target to paused replica count: " + apiErr}
		res.Reason = fmt.Sprintf("paused by %s: HPA deleted; writing %d replicas failed (%s), replicas stay at %d", PausedReplicasAnnotation, *n, apiErr, w.Current)
	case n != nil && *n != w.Current:
		res.ScaleTo = n
		res.Reason = fmt.Sprintf("paused by %s: HPA deleted, scaling from %d to %d", PausedReplicasAnnotation, w.Current, *n)
	case n != nil:
		res.Reason = fmt.Sprintf("paused by %s at %d replicas: HPA deleted", PausedReplicasAnnotation, *n)
	default:
		res.Reason = fmt.Sprintf("paused by %s: HPA deleted, replicas stay at %d", PausedAnnotation, w.Current)
	}
	res.LastActiveTime = l.LastActiveTime()
	return res
}

// requestScale is executor/scale_scaledobjects.go RequestScale.
func (l *Loop) requestScale(now time.Time, current int32, active, isError bool, cause error, res *PollResult) {
	so := &l.so
	min := so.MinReplicas()
	force := so.ForceActivation()
	causeText := ""
	if cause != nil {
		causeText = " (" + cause.Error() + ")"
	}
	if active || force {
		res.Conditions.Active = Condition{"True", "ScalerActive", "Scaling is performed because triggers are active"}
		by := "triggered by " + strings.Join(res.ActiveTriggers, ";")
		// Whenever the annotation is set, active triggers or not
		// (scale_scaledobjects.go RequestScale, scaleFromZeroOrIdle).
		if force {
			res.Conditions.Active.Message = "Scaling is performed because activation is being forced by annotation"
			by = "caused by the " + ForceActivationAnnotation + " annotation"
		}
		switch {
		case (so.IdleReplicaCount != nil && current < min) || current == 0:
			if so.PausedScaleOut() {
				res.Reason = fmt.Sprintf("ScaledObject is active but %s is set: not scaling from %d", PausedScaleOutAnnotation, current)
				return
			}
			to := so.HPAMinReplicas()
			res.ScaleTo = &to
			l.setActive(now)
			res.Reason = fmt.Sprintf("ScaledObject is active: scaling from %d to %d, %s", current, to, by)
		case isError:
			res.Conditions.Ready = Condition{"Unknown", "PartialTriggerError", "Some triggers defined in ScaledObject are not working correctly"}
			res.Reason = fmt.Sprintf("ScaledObject is active but some triggers failed%s: lastActiveTime not updated, the HPA owns replicas", causeText)
		default:
			l.setActive(now)
			res.Reason = fmt.Sprintf("ScaledObject is active (%s): the HPA owns replicas at %d", strings.TrimPrefix(by, "triggered by "), current)
		}
		return
	}
	res.Conditions.Active = Condition{"False", "ScalerNotActive", "Scaling is not performed because triggers are not active"}
	switch {
	case isError && so.Fallback != nil && so.Fallback.Replicas != 0 && l.f.directFallbackWrite && l.fallbackConfigured():
		// Up to v2.16 the executor wrote fallback.replicas at once, at the
		// first failing poll, whatever failureThreshold
		// (scale_scaledobjects.go doFallbackScaling).
		to := so.Fallback.Replicas
		if to != current {
			res.ScaleTo = &to
		}
		res.Reason = fmt.Sprintf("triggers failed%s: KEDA %s writes fallback.replicas %d at once", causeText, l.version, to)
	case isError && so.Fallback != nil && so.Fallback.Replicas != 0:
		// Scaling to zero here would put the HPA in maintenance mode and
		// keep it from applying the fallback.
		res.Reason = fmt.Sprintf("triggers failed%s and fallback is configured: replicas left to the HPA", causeText)
	case isError && so.Fallback == nil:
		res.Conditions.Ready = Condition{"False", "TriggerError", "Triggers defined in ScaledObject are not working correctly"}
		res.Reason = fmt.Sprintf("triggers failed%s and no fallback is configured: replicas unchanged", causeText)
	case (so.IdleReplicaCount != nil && current > *so.IdleReplicaCount) || (current > 0 && min == 0):
		l.scaleToZeroOrIdle(now, current, res)
	case so.IdleReplicaCount == nil && current < min:
		to := min
		res.ScaleTo = &to
		res.Reason = fmt.Sprintf("ScaledObject is not active and %d replicas are below minReplicaCount: scaling to %d", current, to)
	default:
		res.Reason = fmt.Sprintf("ScaledObject is not active: nothing to do at %d replicas", current)
	}
}

// setActive records status.lastActiveTime. It is a metav1.Time, which the
// API server keeps with whole seconds, and the scale loop re-reads the
// ScaledObject from the API cache before every check
// (pkg/scaling/scale_handler.go checkScalers: client.Get), so the
// cooldown is counted from the truncated time.
func (l *Loop) setActive(now time.Time) {
	t := now.Truncate(time.Second)
	l.lastActive = &t
}

// scaleToZeroOrIdle is scale_scaledobjects.go scaleToZeroOrIdle: the
// target goes to idleReplicaCount (or minReplicaCount) once
// lastActiveTime+cooldownPeriod is strictly before now, or, if the
// ScaledObject was never active, once creation+initialCooldownPeriod is.
func (l *Loop) scaleToZeroOrIdle(now time.Time, current int32, res *PollResult) {
	so := &l.so
	if so.PausedScaleIn() {
		res.Reason = fmt.Sprintf("ScaledObject is not active but %s is set: not scaling in from %d", PausedScaleInAnnotation, current)
		return
	}
	to, which := so.InactiveReplicas()
	period := time.Duration(so.CooldownPeriodSeconds()) * time.Second
	since, what, setting := l.created, "creation (never active)", "initialCooldownPeriod"
	if l.lastActive != nil {
		since, what, setting = *l.lastActive, "last active", "cooldownPeriod"
	} else {
		period = time.Duration(so.InitialCooldownPeriodSeconds()) * time.Second
	}
	if since.Add(period).Before(now) {
		res.ScaleTo = &to
		res.Reason = fmt.Sprintf("%s %s elapsed since %s at %s: scaling from %d to %s %d",
			setting, period, what, fmtTime(since), current, which, to)
		return
	}
	res.Conditions.Active = Condition{"False", "ScalerCooldown", "Scaler cooling down because triggers are not active"}
	res.Reason = fmt.Sprintf("ScaledObject is not active; waiting for %s %s since %s at %s (scales to %s %d after %s)",
		setting, period, what, fmtTime(since), which, to, fmtTime(since.Add(period)))
}

func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// MetricsForHPA is what the KEDA metrics server answers when the HPA asks
// for the External metric metricName (scale_handler.go
// GetScaledObjectMetrics): for each trigger of HPATriggers(metricName) the
// cached record (useCachedMetrics) or the fresh observation (fresh is
// indexed like spec.triggers; other entries are ignored), fallback
// processing (which counts failures in the same status.health as the scale
// loop), then scalingModifiers. Values are milli-units as the HPA reads
// them. An error is what the HPA sees as a failed metric fetch.
func (l *Loop) MetricsForHPA(metricName string, fresh []TriggerObservation, w Workload) ([]int64, error) {
	if l.so.Paused() {
		return nil, errors.New("the HPA does not exist while the ScaledObject is paused")
	}
	if len(fresh) != len(l.so.Triggers) {
		return nil, fmt.Errorf("got %d trigger observations for %d triggers", len(fresh), len(l.so.Triggers))
	}
	idx := l.HPATriggers(metricName)
	store := l.f.pollFromHPA && l.stateFromHPAAllowed()
	obj := l.requestCopy()
	var matching, fallbackVals []int64
	vals := map[int][]int64{}
	fallbackActive, scalerErr := false, false
	var firstErr error
	for _, i := range idx {
		name := l.metricNames[i]
		var raw []int64
		var rawErr error
		active, compositeNamed := false, false
		if rec, ok := l.records[name]; ok && l.so.Triggers[i].UseCachedMetrics {
			// The record holds metrics after fallback; they go through
			// fallback again, so a cached success resets the failure count.
			raw, rawErr, active = rec.values, rec.err, rec.active
			// Under scalingModifiers a fallback value is named after the
			// composite metric (fallback.go doFallback), so replayed from
			// the record it reaches the formula under no trigger's name
			// (formula.go calculateScalingModifiersFormula pairs metric
			// names with triggers): the trigger's variable is missing.
			compositeNamed = rec.fallbackActive && l.so.UsingModifiers()
		} else {
			o := fresh[i]
			rawErr, active = o.Err, o.Active
			if o.Err == nil {
				raw = []int64{metricToMilli(l.f, o.Value)}
			}
		}
		v, fb, err := l.withFallback(obj, i, raw, rawErr, w)
		if store {
			l.records[name] = record{values: v, active: active, fallbackActive: fb, err: err}
		}
		if fb {
			fallbackActive = true
			fallbackVals = append(fallbackVals, v...)
		}
		if err != nil {
			scalerErr = true
			if firstErr == nil {
				firstErr = err
			}
		}
		if v != nil && !compositeNamed {
			vals[i] = v
		}
		matching = append(matching, v...)
	}
	if scalerErr && !l.f.keepRecordsOnError {
		clear(l.records)
	}
	if scalerErr {
		l.cache = cacheNone
	}
	if !fallbackActive && scalerErr {
		return nil, fmt.Errorf("metric:%s encountered error: %w", metricName, firstErr)
	}
	if len(matching) == 0 {
		return nil, fmt.Errorf("no matching metrics found for %s", metricName)
	}
	if l.so.UsingModifiers() {
		c, err := l.composite(obj, vals, fallbackVals)
		if err != nil {
			// formula.go HandleScalingModifiers logs the error and answers
			// with no metrics, and no error: the HPA sees an empty list.
			return nil, nil
		}
		return []int64{c}, nil
	}
	return matching, nil
}

// forVersion removes what a KEDA release does not know from the
// ScaledObject, as its CRD prunes unknown fields and its code ignores
// unknown annotations: fallback.behavior before v2.17.0, the
// paused-scale-in, paused-scale-out and force-activation annotations
// before v2.18.0.
func forVersion(so *ScaledObject, f features) {
	if !f.fallbackBehavior && so.Fallback != nil {
		fb := *so.Fallback
		fb.Behavior = ""
		so.Fallback = &fb
	}
	if !f.scaleInOutAnnotations {
		so.Annotations = maps.Clone(so.Annotations)
		for _, a := range []string{PausedScaleInAnnotation, PausedScaleOutAnnotation, ForceActivationAnnotation} {
			delete(so.Annotations, a)
		}
	}
}
