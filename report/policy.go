package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// policyRow is one line of the policy summary: what a reviewer checks
// first, in the words of the manifests, each with its effective value
// (defaults applied) and what it means here.
type policyRow struct {
	Name, Value string
}

func secs(n int32) string { return check.Duration(time.Duration(n) * time.Second) }

// policyOf summarises the autoscaler of a run: bounds, triggers or
// metrics with their targets and activation, behavior, polling,
// cooldown, fallback, the controller's settings and the versions
// modelled. It returns nil when the run was not made from a Spec.
func policyOf(run *check.Run) []policyRow {
	if run == nil || (run.Spec.KEDA == nil && run.Spec.HPA == nil && run.Spec.ScaledJob == nil) {
		return nil
	}
	spec := run.Spec.Defaulted()
	if spec.ScaledJob != nil && spec.ScaledJob.Object != nil {
		return scaledJobPolicy(run, spec)
	}
	var rows []policyRow
	add := func(name, format string, args ...any) {
		rows = append(rows, policyRow{name, fmt.Sprintf(format, args...)})
	}
	var hpaSpec hpa.Spec
	kedaVersion := ""
	if spec.KEDA != nil && spec.KEDA.Object != nil {
		so := spec.KEDA.Object
		loop, err := keda.NewLoop(so, spec.KEDA.Version, spec.Start)
		if err != nil {
			add("ScaledObject", "%s: %v", so.Name, err)
			return rows
		}
		kedaVersion = loop.Version()
		hpaSpec = loop.HPA()
		add("Autoscaler", "ScaledObject %s on %s (KEDA generates HPA %s)", so.Name, orDash(run.Result.Workload), hpaSpec.Name)
		bounds := fmt.Sprintf("minReplicaCount %d, maxReplicaCount %d", so.MinReplicas(), so.MaxReplicas())
		if so.IdleReplicaCount != nil {
			bounds += fmt.Sprintf(", idleReplicaCount %d", *so.IdleReplicaCount)
		}
		if so.MinReplicas() == 0 || so.IdleReplicaCount != nil {
			bounds += fmt.Sprintf("; the HPA keeps %d to %d and KEDA alone goes below", so.HPAMinReplicas(), so.MaxReplicas())
		}
		add("Replicas", "%s", bounds)
		for i, t := range so.Triggers {
			add(fmt.Sprintf("Trigger %d", i), "%s", triggerSummary(loop, i, t))
		}
		if so.UsingModifiers() {
			m := so.Advanced.ScalingModifiers
			add("scalingModifiers", "formula %s, target %s, activationTarget %s, metricType %s", m.Formula, orDash(m.Target), orDash(m.ActivationTarget), orDash(m.MetricType))
		}
		poll := fmt.Sprintf("pollingInterval %s: KEDA checks activity every %s; the HPA reads the metrics at each of its own syncs",
			secs(so.PollingIntervalSeconds()), secs(so.PollingIntervalSeconds()))
		for _, t := range so.Triggers {
			if t.UseCachedMetrics {
				poll += " (a trigger with useCachedMetrics gives it the value of the last poll)"
				break
			}
		}
		add("Polling", "%s", poll)
		to, which := so.InactiveReplicas()
		cool := fmt.Sprintf("cooldownPeriod %s", secs(so.CooldownPeriodSeconds()))
		if so.MinReplicas() > 0 && so.IdleReplicaCount == nil {
			cool += fmt.Sprintf(": no effect, minReplicaCount is %d so KEDA never scales in by itself", so.MinReplicas())
		} else {
			cool += fmt.Sprintf(": once inactive this long after the last active poll, KEDA scales to %s %d", which, to)
		}
		if so.InitialCooldownPeriod != nil {
			cool += fmt.Sprintf("; initialCooldownPeriod %s", secs(so.InitialCooldownPeriodSeconds()))
		}
		add("Cooldown", "%s", cool)
		if so.Fallback != nil {
			add("Fallback", "after %d failures, %d replicas (behavior %s)", so.Fallback.FailureThreshold, so.Fallback.Replicas, so.FallbackBehavior())
		} else {
			add("Fallback", "none: failing triggers leave the replicas as they are")
		}
	} else if spec.HPA != nil {
		hpaSpec = spec.HPA.Spec
		minR := int32(1)
		if hpaSpec.MinReplicas != nil {
			minR = *hpaSpec.MinReplicas
		}
		add("Autoscaler", "HorizontalPodAutoscaler %s on %s", hpaSpec.Name, orDash(run.Result.Workload))
		add("Replicas", "minReplicas %d, maxReplicas %d", minR, hpaSpec.MaxReplicas)
		rules := map[string]string{}
		for _, r := range spec.HPA.Rules {
			rules[r.Name] = r.Query
		}
		for i, m := range hpaSpec.Metrics {
			s := fmt.Sprintf("%s %s, target %s", m.Type, m.Name, targetText(m.Target))
			if q, ok := rules[m.Name]; ok {
				s += ", served by the adapter rule " + q
			}
			add(fmt.Sprintf("Metric %d", i), "%s", s)
		}
	}
	c := spec.Controller
	b := hpa.DefaultBehavior(hpaSpec.Behavior, c.DownscaleStabilization)
	if b == nil {
		add("Scale up", "no behavior: each sync may scale up to max(2 × current, 4) replicas, without stabilization")
		add("Scale down", "no behavior: stabilization %s (--horizontal-pod-autoscaler-downscale-stabilization)", check.Duration(c.DownscaleStabilization))
	} else {
		add("Scale up", "%s", rulesText(b.ScaleUp))
		add("Scale down", "%s", rulesText(b.ScaleDown))
	}
	tol := c.TolerancesFor(hpaSpec.Behavior)
	switch {
	case tol.Legacy:
		add("Tolerance", "%s: keep replicas while |1 − usage ratio| ≤ %s", pct(tol.ScaleUp), shortNumber(tol.ScaleUp))
	default:
		add("Tolerance", "keep replicas while the usage ratio is within [%s, %s] (scale down %s, scale up %s)",
			shortNumber(1-tol.ScaleDown), shortNumber(1+tol.ScaleUp), pct(tol.ScaleDown), pct(tol.ScaleUp))
	}
	add("HPA controller", "sync every %s, cpu initialization %s, initial readiness delay %s",
		check.Duration(c.SyncPeriod), check.Duration(c.CPUInitializationPeriod), check.Duration(c.InitialReadinessDelay))
	versions := "Kubernetes "
	if run.Scenario != nil && run.Scenario.KubernetesVersion != "" {
		versions += run.Scenario.KubernetesVersion
	} else {
		versions += "1.35 (the default: the newest release modelled)"
	}
	if kedaVersion != "" {
		versions += ", KEDA " + kedaVersion
		if spec.KEDA.Version == "" {
			versions += " (the default)"
		}
	}
	add("Versions modelled", "%s", versions)
	return append(rows, pipelineRow(spec))
}

func pipelineRow(spec sim.Spec) policyRow {
	return policyRow{"Metrics pipeline", fmt.Sprintf("Prometheus scrapes every %s (lookback %s); the trace has a row every %s",
		check.Duration(spec.Prometheus.ScrapeInterval), check.Duration(spec.Prometheus.LookbackDelta), check.Duration(spec.TraceInterval))}
}

// scaledJobPolicy summarises a ScaledJob: no HPA, so no behavior or
// tolerance; KEDA creates Jobs at each poll by its scaling strategy
// (pkg/scaling/executor/scale_jobs.go).
func scaledJobPolicy(run *check.Run, spec sim.Spec) []policyRow {
	sj := spec.ScaledJob.Object
	var rows []policyRow
	add := func(name, format string, args ...any) {
		rows = append(rows, policyRow{name, fmt.Sprintf(format, args...)})
	}
	version, err := keda.ResolveVersion(spec.ScaledJob.Version)
	if err != nil {
		add("ScaledJob", "%s: %v", sj.Name, err)
		return rows
	}
	add("Autoscaler", "ScaledJob %s: KEDA creates Jobs at its polls, no HPA", sj.Name)
	lo, budget := sj.Bounds()
	add("Jobs", "minReplicaCount %d, maxReplicaCount %d (at most %d Jobs beyond the minimum)", lo, lo+budget, budget)
	strategy := sj.ScalingStrategy.Strategy
	if strategy == "" {
		strategy = keda.ScalingStrategyDefault + " (the default)"
	}
	if sj.ScalingStrategy.Strategy == keda.ScalingStrategyCustom {
		ded := "0"
		if d := sj.ScalingStrategy.CustomScalingQueueLengthDeduction; d != nil {
			ded = fmt.Sprint(*d)
		}
		strategy += fmt.Sprintf(", customScalingQueueLengthDeduction %s, customScalingRunningJobPercentage %s", ded, orDash(sj.ScalingStrategy.CustomScalingRunningJobPercentage))
	}
	add("Scaling strategy", "%s", strategy)
	calc := sj.ScalingStrategy.MultipleScalersCalculation
	if calc == "" {
		calc = keda.CalculationMax + " (the default)"
	}
	if len(sj.Triggers) > 1 {
		add("Several triggers", "multipleScalersCalculation %s", calc)
	}
	for i, t := range sj.Triggers {
		add(fmt.Sprintf("Trigger %d", i), "%s, %s", t.Type, metadataText(t.Metadata))
	}
	if len(sj.ScalingStrategy.PendingPodConditions) > 0 {
		add("Pending Jobs", "a Job counts as pending until its pod has the conditions %s", strings.Join(sj.ScalingStrategy.PendingPodConditions, ", "))
	}
	add("Polling", "pollingInterval %s: KEDA reads the queue and creates Jobs every %s", secs(sj.PollingIntervalSeconds()), secs(sj.PollingIntervalSeconds()))
	job := fmt.Sprintf("parallelism %d, completions %d", sj.Job.ParallelismOrDefault(), sj.Job.CompletionsOrDefault())
	if sj.Job.ActiveDeadlineSeconds != nil {
		job += fmt.Sprintf(", activeDeadlineSeconds %d", *sj.Job.ActiveDeadlineSeconds)
	}
	add("Job template", "%s", job)
	versions := "KEDA " + version
	if spec.ScaledJob.Version == "" {
		versions += " (the default)"
	}
	add("Versions modelled", "%s", versions)
	return append(rows, pipelineRow(spec))
}

func pct(f float64) string { return shortNumber(f*100) + "%" }

func triggerSummary(loop *keda.Loop, i int, t keda.Trigger) string {
	name := t.Type
	if t.Name != "" {
		name += " (name " + t.Name + ")"
	}
	mt := t.MetricType
	if mt == "" {
		mt = string(hpa.AverageValueMetricType)
	}
	p := loop.PrometheusTrigger(i)
	if p == nil {
		return fmt.Sprintf("%s, metricType %s, %s", name, mt, metadataText(t.Metadata))
	}
	unit := "the query result"
	if mt == string(hpa.AverageValueMetricType) {
		unit = "the query result divided by the pods"
	}
	act := "activationThreshold 0 (the default): active whenever the query result is above 0"
	if p.ActivationThreshold != 0 {
		act = fmt.Sprintf("activationThreshold %s: active while the query result is above it", shortNumber(p.ActivationThreshold))
	}
	return fmt.Sprintf("%s: %s; threshold %s (%s target: %s against it); %s", name, p.Query,
		shortNumber(p.Threshold), mt, unit, act)
}

func metadataText(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ", ")
}

func targetText(t hpa.MetricTarget) string {
	milli := func(v int64) string { return shortNumber(float64(v) / 1000) }
	switch {
	case t.AverageUtilization != nil:
		return fmt.Sprintf("averageUtilization %d%%", *t.AverageUtilization)
	case t.AverageValueMilli != nil:
		return "averageValue " + milli(*t.AverageValueMilli)
	case t.ValueMilli != nil:
		return "value " + milli(*t.ValueMilli)
	}
	return string(t.Type)
}

func rulesText(r *hpa.ScalingRules) string {
	if r == nil {
		return "-"
	}
	var parts []string
	if r.StabilizationWindowSeconds != nil {
		parts = append(parts, "stabilizationWindowSeconds "+fmt.Sprint(*r.StabilizationWindowSeconds))
	}
	sel := hpa.MaxChangePolicySelect
	if r.SelectPolicy != nil {
		sel = *r.SelectPolicy
	}
	if sel == hpa.DisabledPolicySelect {
		return strings.Join(append(parts, "selectPolicy Disabled: never in this direction"), ", ")
	}
	var pols []string
	for _, p := range r.Policies {
		unit := " pods"
		if p.Type == hpa.PercentScalingPolicy {
			unit = "%"
		}
		pols = append(pols, fmt.Sprintf("%d%s per %s", p.Value, unit, secs(p.PeriodSeconds)))
	}
	if len(pols) > 0 {
		parts = append(parts, fmt.Sprintf("policies %s (selectPolicy %s)", strings.Join(pols, ", "), sel))
	}
	if r.Tolerance != nil {
		parts = append(parts, "tolerance "+shortNumber(*r.Tolerance))
	}
	return strings.Join(parts, ", ")
}

// firstReaction words the time from the load's rise to the first step
// up ("scale-up", "Jobs").
func firstReaction(r *sim.Result, f check.Figures, what string) string {
	switch {
	case !r.LoadRises:
		return "none: the load never rises"
	case f.ScaledUpAfterRise:
		return fmt.Sprintf("%s (load rises at %s, first %s at %s)", check.Duration(f.TimeToFirstScaleUp), check.Duration(r.LoadRise), what, check.Duration(r.LoadRise+f.TimeToFirstScaleUp))
	}
	return "none: no " + what + " after the load rose"
}

// figureRows are the figures of a run as table rows.
func figureRows(r *sim.Result) [][2]string {
	f := check.FiguresOf(r)
	first := firstReaction(r, f, "scale-up")
	if j := f.Jobs; j != nil {
		// A ScaledJob: Jobs and the messages they take, not replicas
		// against a target (no HPA) or flaps (each completion is a step
		// down).
		firstJob := firstReaction(r, f, "Jobs")
		return [][2]string{
			{"Mean message wait", check.Duration(j.MeanMessageWait) + " from arrival until a Job's pod takes the message"},
			{"Messages", fmt.Sprintf("%d taken by Jobs, %d still waiting at the end", j.MessagesTaken, j.MessagesWaiting)},
			{"Jobs", fmt.Sprintf("%d created, %d succeeded, %d failed", j.JobsCreated, j.JobsSucceeded, j.JobsFailed)},
			{"Peak unfinished Jobs", fmt.Sprint(j.PeakRunning)},
			{"Time to first Jobs", firstJob},
			{"Cost", wholeNumber(f.ReplicaSeconds) + " Job-seconds (unfinished Jobs over time)"},
			{"Messages waiting", check.Duration(time.Duration(f.OverloadedSeconds*float64(time.Second))) + " with at least one message no Job has taken"},
		}
	}
	above := check.Duration(f.AboveTarget) + " with a metric per ready pod above its target"
	if f.AboveTarget > 0 {
		above += ", first at " + check.Duration(f.FirstAboveTarget)
	}
	return [][2]string{
		{"Cost", wholeNumber(f.ReplicaSeconds) + " replica-seconds"},
		{"Time to first scale-up", first},
		{"Peak replicas", fmt.Sprint(f.MaxReplicas)},
		{"Lowest replicas", fmt.Sprint(f.MinReplicas)},
		{"Final replicas", fmt.Sprint(f.FinalReplicas)},
		{"Scale events", fmt.Sprintf("%d (%d up, %d down)", f.ScaleEvents, f.ScaleUps, f.ScaleDowns)},
		{"Direction changes (flaps)", fmt.Sprint(f.DirectionChanges)},
		{"Above target", above},
		{"Overloaded", check.Duration(time.Duration(f.OverloadedSeconds*float64(time.Second))) + " with the load above what the ready pods serve"},
		{"Peak load per ready pod", shortNumber(f.PeakLoadPerPod)},
	}
}
