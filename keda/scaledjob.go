package keda

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// ScaledJob is a KEDA ScaledJob (keda.sh/v1alpha1): each poll KEDA
// creates Jobs from jobTargetRef for the work its triggers report.
// Optional fields are pointers or empty strings, as in the API; the
// methods give KEDA's defaults (apis/keda/v1alpha1/scaledjob_types.go).
type ScaledJob struct {
	Name, Namespace string
	Annotations     map[string]string

	PollingInterval            *int32
	SuccessfulJobsHistoryLimit *int32
	FailedJobsHistoryLimit     *int32
	MinReplicaCount            *int32
	MaxReplicaCount            *int32
	// RolloutStrategy is the deprecated spec.rolloutStrategy; Rollout the
	// spec.rollout block.
	RolloutStrategy string
	Rollout         Rollout
	ScalingStrategy ScalingStrategy
	Triggers        []Trigger
	// Job is what the simulation reads of jobTargetRef (a batch/v1
	// JobSpec): parallelism, completions, activeDeadlineSeconds,
	// backoffLimit.
	Job JobSpec
	// JobTemplate is jobTargetRef.template, the Jobs' pod template.
	JobTemplate corev1.PodTemplateSpec
}

// Rollout is spec.rollout.
type Rollout struct {
	Strategy          string
	PropagationPolicy string
}

// ScalingStrategy is spec.scalingStrategy.
type ScalingStrategy struct {
	Strategy                          string
	CustomScalingQueueLengthDeduction *int32
	CustomScalingRunningJobPercentage string
	PendingPodConditions              []string
	MultipleScalersCalculation        string
}

// JobSpec is the part of a Job's spec the Job controller acts on.
type JobSpec struct {
	// Parallelism and Completions default to 1 (batch/v1 defaults).
	Parallelism, Completions *int32
	// ActiveDeadlineSeconds fails the Job that runs longer (nil: never).
	ActiveDeadlineSeconds *int64
	// BackoffLimit is how many pod failures the Job retries (default 6).
	BackoffLimit *int32
}

// ScaledJob defaults (scaledjob_types.go, scale_jobs.go).
const (
	defaultScaledJobMax           = 100
	defaultJobsHistoryLimit       = 100
	ScalingStrategyDefault        = "default"
	ScalingStrategyCustom         = "custom"
	ScalingStrategyAccurate       = "accurate"
	ScalingStrategyEager          = "eager"
	CalculationMax                = "max"
	CalculationMin                = "min"
	CalculationAvg                = "avg"
	CalculationSum                = "sum"
	ScaledJobOwnerLabel           = "scaledjob.keda.sh/name"
	defaultJobBackoffLimit  int32 = 6
)

// PollingIntervalSeconds is pollingInterval with its default of 30.
func (sj *ScaledJob) PollingIntervalSeconds() int32 {
	if sj.PollingInterval != nil {
		return *sj.PollingInterval
	}
	return DefaultPollingInterval
}

// Bounds are the effective minReplicaCount and the job budget the
// strategies see (ScaledJob.MinReplicaCount and MaxReplicaCount): max
// minus min when maxReplicaCount is set, 100 (min not subtracted) when it
// is not, and min clamped to max when it is above.
func (sj *ScaledJob) Bounds() (min, budget int64) {
	if sj.MinReplicaCount != nil {
		min = int64(*sj.MinReplicaCount)
	}
	if sj.MaxReplicaCount == nil {
		return min, defaultScaledJobMax
	}
	max := int64(*sj.MaxReplicaCount)
	if min > max {
		return max, max
	}
	return min, max - min
}

// Parallelism is the job template's parallelism (default 1).
func (j JobSpec) ParallelismOrDefault() int32 {
	if j.Parallelism != nil {
		return *j.Parallelism
	}
	return 1
}

// CompletionsOrDefault is the job template's completions (default 1).
func (j JobSpec) CompletionsOrDefault() int32 {
	if j.Completions != nil {
		return *j.Completions
	}
	return 1
}

// BackoffLimitOrDefault is the job template's backoffLimit (default 6).
func (j JobSpec) BackoffLimitOrDefault() int32 {
	if j.BackoffLimit != nil {
		return *j.BackoffLimit
	}
	return defaultJobBackoffLimit
}

// ValidateScaledJob checks a ScaledJob as KEDA does for the version: the
// webhook's trigger checks (scaledjob_webhook.go verifyTriggers), the CRD
// minimums and enums (v2.20.0+; "default" in the strategy enum from
// v2.20.2), the reconciler's refusal of a trigger metricType, and each
// trigger's scaler metadata.
func (sj *ScaledJob) ValidateScaledJob(version string) ([]FieldError, error) {
	v, f, err := lookupVersion(version)
	if err != nil {
		return nil, err
	}
	var errs []FieldError
	add := func(path, format string, args ...any) {
		errs = append(errs, FieldError{path, fmt.Sprintf(format, args...)})
	}
	if sj.Name == "" {
		add("metadata.name", "is required")
	}
	if f.crdEnums {
		min := func(path string, p *int32, lo int32) {
			if p != nil && *p < lo {
				add(path, "must be greater than or equal to %d, got %d", lo, *p)
			}
		}
		min("spec.pollingInterval", sj.PollingInterval, 1)
		min("spec.successfulJobsHistoryLimit", sj.SuccessfulJobsHistoryLimit, 0)
		min("spec.failedJobsHistoryLimit", sj.FailedJobsHistoryLimit, 0)
		min("spec.minReplicaCount", sj.MinReplicaCount, 0)
		min("spec.maxReplicaCount", sj.MaxReplicaCount, 1)
		enum := func(path, v string, allowed ...string) {
			if v == "" {
				return
			}
			for _, a := range allowed {
				if v == a {
					return
				}
			}
			add(path, "Unsupported value: %q: supported values: %s", v, quoteAll(allowed))
		}
		strategies := []string{ScalingStrategyCustom, ScalingStrategyAccurate, ScalingStrategyEager}
		if f.defaultStrategyEnum {
			strategies = append([]string{ScalingStrategyDefault}, strategies...)
		}
		enum("spec.scalingStrategy.strategy", sj.ScalingStrategy.Strategy, strategies...)
		enum("spec.scalingStrategy.multipleScalersCalculation", sj.ScalingStrategy.MultipleScalersCalculation, CalculationMin, CalculationAvg, CalculationSum, CalculationMax)
		enum("spec.rollout.strategy", sj.Rollout.Strategy, "gradual", "immediate")
		enum("spec.rollout.propagationPolicy", sj.Rollout.PropagationPolicy, "foreground", "background")
		enum("spec.rolloutStrategy", sj.RolloutStrategy, "gradual", "immediate")
	}
	if len(sj.Triggers) == 0 {
		add("spec.triggers", "must have at least one trigger (no triggers defined in the ScaledObject/ScaledJob)")
	}
	names := map[string]int{}
	for i, t := range sj.Triggers {
		p := fmt.Sprintf("spec.triggers[%d]", i)
		if t.UseCachedMetrics && (isResourceTrigger(t) || t.Type == "cron") {
			add(p+".useCachedMetrics", "is not supported for %q triggers", t.Type)
		}
		if t.Name != "" {
			if j, dup := names[t.Name]; dup {
				add(p+".name", "%q is already the name of spec.triggers[%d]; trigger names must be unique", t.Name, j)
			} else {
				names[t.Name] = i
			}
		}
		if t.MetricType != "" {
			// scaledjob_controller.go reconcileScaledJob.
			add(p+".metricType", "cannot be set in a ScaledJob trigger: KEDA's reconcile fails (\"Cannot set metricType in ScaledJob triggers\"); ScaledJob triggers are always AverageValue")
		}
		t.MetricType = ""
		errs = append(errs, validateTrigger(p, t, f)...)
	}
	ss := sj.ScalingStrategy
	if ss.Strategy == ScalingStrategyCustom && ss.CustomScalingQueueLengthDeduction == nil && !f.customNilDeduction {
		if _, err := strconv.ParseFloat(ss.CustomScalingRunningJobPercentage, 64); err == nil {
			add("spec.scalingStrategy.customScalingQueueLengthDeduction", "must be set with the custom strategy in KEDA %s: without it the operator dereferences nil at the first poll and crashes (fixed in v2.20.2, #7798)", v)
		}
	}
	return errs, nil
}

func quoteAll(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// JobMetric is one trigger's contribution to a poll (scale_handler.go
// getScaledJobMetrics): its queue length, its target average value and
// the maxValue the queue asks for, and its activity.
type JobMetric struct {
	Name        string
	QueueLength float64
	Target      float64
	MaxValue    float64
	Active      bool
}

// JobMetricOf is a trigger's metric: maxValue = min(queueLength/target,
// budget) when the target is not 0 (no rounding yet).
func JobMetricOf(name string, queueLength, target float64, active bool, budget int64) JobMetric {
	m := JobMetric{Name: name, QueueLength: queueLength, Target: target, Active: active}
	if target != 0 {
		m.MaxValue = math.Min(queueLength/target, float64(budget))
	}
	return m
}

// JobScale is the combined result of the triggers (pkg/scaling/scaledjob
// metrics.go IsScaledJobActive): whether the ScaledJob is active, and
// scaleTo and maxScale, the rounded-up queue length and maxValue.
type JobScale struct {
	Active            bool
	ScaleTo, MaxScale int64
	// Triggers are the active triggers that took part.
	Triggers []string
}

// CombineJobMetrics combines the active triggers as
// multipleScalersCalculation says (max, the default: the largest queue;
// min: the smallest, a pick of 0 replaced by the next; avg and sum), caps
// maxValue at the budget, and rounds both up. A minReplicaCount above 0
// makes the ScaledJob active whatever the triggers say.
func CombineJobMetrics(metrics []JobMetric, calculation string, min, budget int64) JobScale {
	var out JobScale
	var queue, maxValue float64
	var active []JobMetric
	for _, m := range metrics {
		if m.Active {
			active = append(active, m)
		}
	}
	switch calculation {
	case CalculationMin:
		picked := false
		for _, m := range active {
			if !picked || queue == 0 || m.QueueLength < queue {
				queue, maxValue, picked = m.QueueLength, m.MaxValue, true
				out.Triggers = []string{m.Name}
			}
		}
		out.Active = picked
	case CalculationAvg, CalculationSum:
		for _, m := range active {
			queue += m.QueueLength
			maxValue += m.MaxValue
			out.Triggers = append(out.Triggers, m.Name)
		}
		if calculation == CalculationAvg && len(active) > 0 {
			queue /= float64(len(active))
			maxValue /= float64(len(active))
		}
		out.Active = len(active) > 0
	default:
		for _, m := range active {
			if m.QueueLength > queue {
				queue, maxValue = m.QueueLength, m.MaxValue
				out.Triggers = []string{m.Name}
				out.Active = true
			}
		}
	}
	if min > 0 {
		out.Active = true
	}
	maxValue = math.Min(maxValue, float64(budget))
	out.ScaleTo = int64(math.Ceil(queue))
	out.MaxScale = int64(math.Ceil(maxValue))
	return out
}

// JobDecision is one poll's decision: how many Jobs to create and why.
type JobDecision struct {
	// Create is the number of Jobs created this poll.
	Create int64
	// EffectiveMaxScale is the strategy's result (before the min with
	// scaleTo), and Strategy the strategy that ran.
	EffectiveMaxScale int64
	Strategy          string
	// Reason explains the arithmetic in one sentence.
	Reason string
}

// DecideJobs is executor/scale_jobs.go RequestJobScale's decision:
// running Jobs below minReplicaCount are topped up whatever the queue;
// otherwise the strategy gives the effective max scale from maxScale, the
// running Jobs beyond min, the pending ones and the budget, and
// min(scaleTo, effective) Jobs are created when the ScaledJob is active.
func (sj *ScaledJob) DecideJobs(version string, s JobScale, running, pending int64) (JobDecision, error) {
	_, f, err := lookupVersion(version)
	if err != nil {
		return JobDecision{}, err
	}
	min, budget := sj.Bounds()
	var d JobDecision
	scaleTo := s.ScaleTo
	if running < min {
		d.EffectiveMaxScale = min - running
		scaleTo = d.EffectiveMaxScale
		d.Strategy = "minReplicaCount"
		d.Reason = fmt.Sprintf("%d running jobs are below minReplicaCount %d: %d more, whatever the queue", running, min, d.EffectiveMaxScale)
	} else {
		d.Strategy, d.EffectiveMaxScale, scaleTo, d.Reason = sj.strategy(f, s.MaxScale, running-min, pending, budget, scaleTo)
	}
	d.EffectiveMaxScale = max(d.EffectiveMaxScale, 0)
	if !s.Active {
		d.Reason = "not active: no jobs created"
		return d, nil
	}
	if d.EffectiveMaxScale <= 0 {
		d.Reason += "; no need to create jobs: all requested jobs already exist"
		return d, nil
	}
	d.Create = min64(scaleTo, d.EffectiveMaxScale)
	d.Reason += fmt.Sprintf("; creating min(scaleTo %d, %d) = %d jobs", scaleTo, d.EffectiveMaxScale, d.Create)
	return d, nil
}

func min64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}

// strategy is scale_jobs.go NewScalingStrategy and GetEffectiveMaxScale:
// S = maxScale, r = running beyond min, p = pending, M = the budget.
func (sj *ScaledJob) strategy(f features, S, r, p, M, scaleTo int64) (name string, e, to int64, reason string) {
	ss := sj.ScalingStrategy
	switch ss.Strategy {
	case ScalingStrategyCustom:
		pct, err := strconv.ParseFloat(ss.CustomScalingRunningJobPercentage, 64)
		if err != nil {
			break // an unparsable percentage silently means default
		}
		var d int64
		if ss.CustomScalingQueueLengthDeduction != nil {
			d = int64(*ss.CustomScalingQueueLengthDeduction)
		}
		e = min64(S-d-int64(float64(r)*pct), M)
		return ScalingStrategyCustom, e, scaleTo, fmt.Sprintf("custom: min(maxScale %d - deduction %d - trunc(%d running x %g), budget %d) = %d", S, d, r, pct, M, e)
	case ScalingStrategyAccurate:
		over := S+r > M
		test := "maxScale + running"
		if f.accuratePending {
			over = S+r-p > M
			test = "maxScale + running - pending"
		}
		if over {
			e = M - r
			return ScalingStrategyAccurate, e, scaleTo, fmt.Sprintf("accurate: %s > budget %d: budget - %d running = %d", test, M, r, e)
		}
		e = S - p
		return ScalingStrategyAccurate, e, scaleTo, fmt.Sprintf("accurate: maxScale %d - %d pending = %d", S, p, e)
	case ScalingStrategyEager:
		if f.eagerStrategy {
			e = min64(M-r-p, S)
			return ScalingStrategyEager, e, M, fmt.Sprintf("eager: min(budget %d - %d running - %d pending, maxScale %d) = %d", M, r, p, S, e)
		}
	}
	e = S - r
	return ScalingStrategyDefault, e, scaleTo, fmt.Sprintf("default: maxScale %d - %d running = %d", S, r, e)
}

// JobPhase is what KEDA counts of one Job (scale_jobs.go isJobFinished,
// getPendingJobCount).
type JobPhase struct {
	// Finished is a Complete or Failed Job.
	Finished bool
	// Pods are the phases of the Job's pods ("Pending", "Running",
	// "Succeeded", "Failed") and, for pendingPodConditions, the
	// conditions each has True.
	Pods []JobPod
}

// JobPod is one pod of a Job.
type JobPod struct {
	Phase      string
	Conditions []string
}

// CountJobs counts the unfinished (running) Jobs and, among them, the
// pending ones: without pendingPodConditions, a Job none of whose pods is
// Running or Succeeded; with them, a Job none of whose pods has them all
// True (v2.18.0+; before, the matches were counted across all pods and had
// to equal the number of conditions exactly).
func (sj *ScaledJob) CountJobs(version string, jobs []JobPhase) (running, pending int64) {
	_, f, _ := lookupVersion(version)
	conds := sj.ScalingStrategy.PendingPodConditions
	for _, j := range jobs {
		if j.Finished {
			continue
		}
		running++
		if len(conds) == 0 {
			started := false
			for _, p := range j.Pods {
				started = started || p.Phase == "Running" || p.Phase == "Succeeded"
			}
			if !started {
				pending++
			}
			continue
		}
		if f.pendingPerPod {
			full := false
			for _, p := range j.Pods {
				full = full || hasAll(p.Conditions, conds)
			}
			if !full {
				pending++
			}
			continue
		}
		n := 0
		for _, p := range j.Pods {
			for _, c := range conds {
				for _, pc := range p.Conditions {
					if pc == c {
						n++
					}
				}
			}
		}
		if n != len(conds) {
			pending++
		}
	}
	return running, pending
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

// ScaledJobMetricNames are the External metric names of the ScaledJob's
// triggers, as for a ScaledObject.
func (sj *ScaledJob) metricName(i int, f features) string {
	t := sj.Triggers[i]
	switch {
	case isKafkaTrigger(t):
		k, _ := ParseKafkaTrigger(t.Metadata)
		return kafkaMetricName(i, k)
	case t.Type == "cron":
		c, _ := ParseCronTrigger(t.Metadata, !f.cronDesiredPositive)
		return cronMetricName(i, c, f.cronCommaName)
	}
	return externalMetricName(i, t)
}

// JobLoop is a ScaledJob's scale loop state.
type JobLoop struct {
	sj      ScaledJob
	version string
	f       features
	prom    []*PrometheusTrigger
	kafka   []*KafkaTrigger
	kstate  []*kafkaState
	cron    []*CronTrigger
	names   []string
	targets []float64
	conds   Conditions
	active  *time.Time
}

// NewJobLoop validates the ScaledJob for the version and returns its loop.
func NewJobLoop(sj *ScaledJob, version string) (*JobLoop, error) {
	v, f, err := lookupVersion(version)
	if err != nil {
		return nil, err
	}
	errs, _ := sj.ValidateScaledJob(v)
	if len(errs) > 0 {
		return nil, &ValidationError{Name: sj.Name, Errors: errs}
	}
	l := &JobLoop{sj: *sj, version: v, f: f}
	for i, t := range sj.Triggers {
		l.prom = append(l.prom, nil)
		l.kafka = append(l.kafka, nil)
		l.kstate = append(l.kstate, &kafkaState{})
		l.cron = append(l.cron, nil)
		l.names = append(l.names, sj.metricName(i, f))
		switch {
		case isKafkaTrigger(t):
			k, _ := ParseKafkaTrigger(t.Metadata)
			k.earliestIgnoresScaleToZero = !f.kafkaEarliestScaleToZero
			l.kafka[i] = k
			l.targets = append(l.targets, float64(k.LagThreshold))
		case t.Type == "cron":
			c, _ := ParseCronTrigger(t.Metadata, !f.cronDesiredPositive)
			c.inactiveOne = !f.cronInactiveZero
			l.cron[i] = c
			l.targets = append(l.targets, 1)
		default:
			p, _ := ParsePrometheusTrigger(t.Metadata)
			p.NaNPassesThrough = !f.nanIsNull
			l.prom[i] = p
			// The target is the quantity of the threshold, read back
			// as a float (getTargetAverageValue, AsApproximateFloat64).
			l.targets = append(l.targets, milliToFloat(metricToMilli(f, p.Threshold)))
		}
	}
	unknown := Condition{Status: "Unknown"}
	l.conds = Conditions{Ready: Condition{"True", "ScaledJobReady", "ScaledJob is defined correctly and is ready to scaling"}, Active: unknown, Fallback: unknown, Paused: unknown}
	if f.pausedInitFalse {
		l.conds.Paused = Condition{Status: "False"}
	}
	if sj.paused() {
		l.conds.Paused = Condition{"True", "ScaledJobPaused", "ScaledJob is paused"}
		l.conds.Ready.Message = "ScaledJob is paused, skipping reconcile loop"
	}
	return l, nil
}

func (sj *ScaledJob) paused() bool {
	v, ok := sj.Annotations[PausedAnnotation]
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(v)
	return err != nil || b
}

// Paused reports the paused annotation: no polls at all.
func (l *JobLoop) Paused() bool { return l.sj.paused() }

// Version is the resolved KEDA version.
func (l *JobLoop) Version() string { return l.version }

// PollingInterval is the scale loop period.
func (l *JobLoop) PollingInterval() time.Duration {
	return time.Duration(l.sj.PollingIntervalSeconds()) * time.Second
}

// PrometheusTrigger, KafkaTrigger and CronTrigger return trigger i when
// it is of that type.
func (l *JobLoop) PrometheusTrigger(i int) *PrometheusTrigger { return l.prom[i] }

// KafkaTrigger is trigger i when it is a kafka trigger.
func (l *JobLoop) KafkaTrigger(i int) *KafkaTrigger { return l.kafka[i] }

// CronTrigger is trigger i when it is a cron trigger.
func (l *JobLoop) CronTrigger(i int) *CronTrigger { return l.cron[i] }

// MetricName is trigger i's External metric name.
func (l *JobLoop) MetricName(i int) string { return l.names[i] }

// Target is trigger i's target average value.
func (l *JobLoop) Target(i int) float64 { return l.targets[i] }

// Conditions is status.conditions after the last poll.
func (l *JobLoop) Conditions() Conditions { return l.conds }

// ObserveKafka evaluates a kafka trigger (the scaler's memory is the
// loop's: a ScaledJob has no HPA sharing it).
func (l *JobLoop) ObserveKafka(i int, parts []KafkaPartition) TriggerObservation {
	k := l.kafka[i]
	m, a := k.Lag(parts, l.kstate[i])
	return TriggerObservation{Name: l.names[i], Value: float64(m), Active: a > k.ActivationLagThreshold}
}

// JobPollResult is one poll of a ScaledJob.
type JobPollResult struct {
	Scale      JobScale
	Decision   JobDecision
	Running    int64
	Pending    int64
	Metrics    []JobMetric
	Error      bool
	Conditions Conditions
}

// Poll runs one scale loop tick: the trigger observations become job
// metrics (a failing trigger contributes nothing), the metrics combine,
// and the strategy decides how many Jobs to create
// (scale_handler.go getScaledJobMetrics, executor RequestJobScale).
func (l *JobLoop) Poll(now time.Time, obs []TriggerObservation, jobs []JobPhase) (JobPollResult, error) {
	if len(obs) != len(l.sj.Triggers) {
		return JobPollResult{}, fmt.Errorf("got %d trigger observations for %d triggers", len(obs), len(l.sj.Triggers))
	}
	min, budget := l.sj.Bounds()
	var res JobPollResult
	for i, o := range obs {
		if isResourceTrigger(l.sj.Triggers[i]) {
			continue
		}
		if o.Err != nil {
			res.Error = true
			continue
		}
		// The value goes through the quantity and back
		// (AsApproximateFloat64), so it carries the version's rounding.
		q := milliToFloat(metricToMilli(l.f, o.Value))
		res.Metrics = append(res.Metrics, JobMetricOf(l.names[i], q, l.targets[i], o.Active, budget))
	}
	res.Scale = CombineJobMetrics(res.Metrics, l.sj.ScalingStrategy.MultipleScalersCalculation, min, budget)
	res.Running, res.Pending = l.sj.CountJobs(l.version, jobs)
	d, err := l.sj.DecideJobs(l.version, res.Scale, res.Running, res.Pending)
	if err != nil {
		return JobPollResult{}, err
	}
	res.Decision = d
	// From v2.20.0 the poll writes Ready at every poll, replacing the
	// reconcile's "ready to scaling"; up to v2.19 only when it was not
	// True.
	ready := Condition{"True", "ScaledJobReady", "ScaledJob is defined correctly and is ready for scaling"}
	if !l.f.crdEnums && l.conds.Ready.Status == "True" {
		ready = l.conds.Ready
	}
	switch {
	case res.Error && res.Scale.Active:
		ready = Condition{"Unknown", "PartialTriggerError", "Some triggers defined in ScaledJob are not working correctly"}
	case res.Error && l.f.pollFallback:
		ready = Condition{"False", "TriggerError", "Triggers defined in ScaledJob are not working correctly"}
	case res.Error:
		ready = Condition{"Unknown", "PartialTriggerError", "Some triggers defined in ScaledJob are not working correctly"}
	}
	l.conds.Ready = ready
	if res.Scale.Active {
		l.conds.Active = Condition{"True", "ScalerActive", "Scaling is performed because triggers are active"}
		t := now.Truncate(time.Second)
		l.active = &t
	} else {
		l.conds.Active = Condition{"False", "ScalerNotActive", "Scaling is not performed because triggers are not active"}
	}
	res.Conditions = l.conds
	return res, nil
}
