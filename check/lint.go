package check

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Severity says how serious a finding is.
type Severity string

// Severities of findings.
const (
	// Warning is a setting that does nothing or works against another.
	Warning Severity = "warning"
	// Error is a question the simulation cannot answer, such as a query
	// that selects no series: the input must change.
	Error Severity = "error"
	// Info says what lint could not check, such as a trigger type the
	// simulator does not run.
	Info Severity = "info"
)

// Finding is one design warning about a policy.
type Finding struct {
	// Rule names the check, e.g. "cooldown-without-zero".
	Rule string
	// Severity is Warning unless the rule says otherwise.
	Severity Severity
	// Object is the autoscaler, e.g. "ScaledObject/websocket-scaledobject".
	Object string
	// Path is the field the warning is about, e.g. "spec.cooldownPeriod".
	Path    string
	Message string
	// File and Line locate Path in the autoscaler's manifest (or its
	// nearest ancestor, for a defaulted field); empty for a scenario built
	// in code.
	File string
	Line int
}

// String writes the finding without its location.
func (f Finding) String() string {
	s := f.Object + ": "
	if f.Path != "" {
		s += f.Path + ": "
	}
	return s + f.Message + " [" + f.Rule + "]"
}

// Lint reviews the design of a loaded scenario's autoscaler: settings that
// have no effect, thresholds that contradict each other, metric types
// that do not match the query, and (by simulating the scenario) a
// maxReplicaCount the load never reaches. For a ScaledObject it includes
// KEDA's own admission warnings (rule "keda-admission"). Findings come in
// a fixed order.
func Lint(ctx context.Context, sc *scenarios.Scenario) ([]Finding, error) {
	var out []Finding
	spec := sc.Spec.Defaulted()
	sync := spec.Controller.SyncPeriod
	var object string
	var behavior *hpa.Behavior
	maxPath := "spec.maxReplicas"
	switch {
	case spec.KEDA != nil:
		so := spec.KEDA.Object
		object = "ScaledObject/" + so.Name
		maxPath = "spec.maxReplicaCount"
		add := func(rule, path, format string, args ...any) {
			out = append(out, Finding{Rule: rule, Object: object, Path: path, Message: fmt.Sprintf(format, args...)})
		}
		warnings, err := so.Warnings(spec.KEDA.Version)
		if err != nil {
			return nil, err
		}
		webhookCooldown, webhookPolling := false, false
		for _, w := range warnings {
			webhookCooldown = webhookCooldown || strings.HasPrefix(w, "CooldownPeriod")
			webhookPolling = webhookPolling || strings.HasPrefix(w, "PollingInterval")
		}
		idle := so.IdleReplicaCount != nil
		if so.CooldownPeriod != nil && so.MinReplicas() > 0 && !idle && !webhookCooldown {
			add("cooldown-without-zero", "spec.cooldownPeriod",
				"cooldownPeriod %ds has no effect: it only delays the scale to zero (or to idleReplicaCount) and minReplicaCount is %d; the pace of scale-down is set by advanced.horizontalPodAutoscalerConfig.behavior.scaleDown",
				so.CooldownPeriodSeconds(), so.MinReplicas())
		}
		cached := false
		for _, t := range so.Triggers {
			cached = cached || t.UseCachedMetrics
		}
		// With useCachedMetrics the HPA reads what the last poll stored, so
		// the polling interval does pace it.
		// One finding per problem: when KEDA's own admission warning says
		// the same, the explanation joins that finding (below).
		pollingWhy := ""
		if so.PollingInterval != nil && so.MinReplicas() > 0 && !cached {
			also := ""
			if so.Fallback != nil {
				also = " and how often failures count toward fallback.failureThreshold (the HPA's metric requests count them too)"
			}
			pollingWhy = fmt.Sprintf("pollingInterval %ds does not pace the HPA, which syncs every %s (kube-controller-manager --horizontal-pod-autoscaler-sync-period) whatever it is; with minReplicaCount %d it only governs activation%s",
				so.PollingIntervalSeconds(), Duration(sync), so.MinReplicas(), also)
			if !webhookPolling {
				add("polling-does-not-pace-hpa", "spec.pollingInterval", "%s", pollingWhy)
			}
		}
		for i := range so.Triggers {
			out = append(out, triggerFindings(object, i, so)...)
		}
		if c := so.Advanced; c != nil && c.HorizontalPodAutoscalerConfig != nil {
			behavior = c.HorizontalPodAutoscalerConfig.Behavior
		}
		for _, w := range warnings {
			path := ""
			switch {
			case strings.HasPrefix(w, "CooldownPeriod"):
				path = "spec.cooldownPeriod"
			case strings.HasPrefix(w, "PollingInterval"):
				path = "spec.pollingInterval"
				if pollingWhy != "" {
					w += " (" + pollingWhy + ")"
				}
			}
			add("keda-admission", path, "KEDA %s admission warning: %s", versionName(spec.KEDA.Version), w)
		}
	case spec.HPA != nil:
		object = "HorizontalPodAutoscaler/" + spec.HPA.Spec.Name
		behavior = spec.HPA.Spec.Behavior
		rules := map[string]string{}
		for _, r := range spec.HPA.Rules {
			rules[r.Name] = r.Query
		}
		for i, m := range spec.HPA.Spec.Metrics {
			if m.Type != hpa.ExternalMetricSourceType && m.Type != hpa.ObjectMetricSourceType {
				continue
			}
			if msg := valueTypeMismatch(rules[m.Name], string(m.Target.Type)); msg != "" {
				out = append(out, Finding{Rule: "metric-type", Object: object, Path: fmt.Sprintf("spec.metrics[%d].%s.target.type", i, strings.ToLower(string(m.Type))), Message: msg})
			}
		}
	}
	bpath := "spec.behavior"
	if spec.KEDA != nil {
		bpath = "spec.advanced.horizontalPodAutoscalerConfig.behavior"
	}
	if behavior != nil {
		for _, dir := range []struct {
			name  string
			rules *hpa.ScalingRules
		}{{"scaleUp", behavior.ScaleUp}, {"scaleDown", behavior.ScaleDown}} {
			if dir.rules == nil || dir.rules.StabilizationWindowSeconds == nil {
				continue
			}
			w := time.Duration(*dir.rules.StabilizationWindowSeconds) * time.Second
			if w > 0 && w < sync {
				out = append(out, Finding{Rule: "window-below-sync", Object: object, Path: bpath + "." + dir.name + ".stabilizationWindowSeconds",
					Message: fmt.Sprintf("stabilizationWindowSeconds %d is shorter than the HPA sync period %s: the window never holds an earlier recommendation, so it has no effect", *dir.rules.StabilizationWindowSeconds, Duration(sync))})
			}
		}
	}
	out = append(out, simulatedFindings(ctx, sc, object, maxPath)...)
	for i := range out {
		if out[i].File == "" {
			out[i].File, out[i].Line = sc.Locate(out[i].Path)
		}
		if out[i].Severity == "" {
			out[i].Severity = Warning
		}
	}
	return dedupe(out), nil
}

// simulatedFindings are the rules that need a run: a maximum the load
// never reaches, a query that selects nothing, a trigger the simulator
// cannot run, and the scale-to-zero trap of a metric only the workload's
// own pods expose.
func simulatedFindings(ctx context.Context, sc *scenarios.Scenario, object, maxPath string) []Finding {
	if sc.Default {
		return nil
	}
	var out []Finding
	run, err := RunScenario(ctx, sc)
	var located *scenarios.Error
	switch {
	case err == nil:
	case errors.As(err, &located):
		for _, p := range located.Problems {
			f := Finding{Rule: "empty-query", Severity: Error, Object: object, Path: p.Path, Message: p.Message, File: p.File, Line: p.Line}
			var ue *sim.UnsupportedError
			if errors.As(err, &ue) {
				f.Rule, f.Severity = "not-simulated", Info
				f.Message += "; the rules that need a run were not applied"
			}
			out = append(out, f)
		}
		return out
	default:
		return []Finding{{Rule: "not-simulated", Severity: Info, Object: object, Message: "the scenario could not be simulated, so the rules that need a run were not applied: " + err.Error()}}
	}
	f := run.Figures()
	// The peak the autoscaler chose, not the replicas the run started
	// with: a workload that starts at its maximum has not reached it.
	peak, peakAt, chose := int32(0), time.Duration(0), false
	for _, e := range run.Result.Events {
		if e.From != e.To && (e.To > peak || !chose) {
			peak, peakAt, chose = e.To, e.T, true
		}
	}
	if !chose {
		peak = f.MinReplicas
	}
	if peak < run.Result.MaxReplicas {
		when := "; it never scales"
		if chose {
			when = fmt.Sprintf(" (first at %s)", Duration(peakAt))
		}
		out = append(out, Finding{Rule: "max-unreachable", Object: object, Path: maxPath,
			Message: fmt.Sprintf("%s %d is never reached under this scenario's load and policy: the peak is %d replicas%s", lastSeg(maxPath), run.Result.MaxReplicas, peak, when)})
	}
	out = append(out, selfMetricFindings(sc, run, object)...)
	return out
}

// dedupe drops a finding that repeats another's rule, path and message.
func dedupe(in []Finding) []Finding {
	seen := map[string]bool{}
	out := in[:0]
	for _, f := range in {
		k := f.Rule + "\x00" + f.Path + "\x00" + f.Message
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

func triggerFindings(object string, i int, so *keda.ScaledObject) []Finding {
	t := so.Triggers[i]
	if t.Type != "prometheus" {
		return nil
	}
	var out []Finding
	base := fmt.Sprintf("spec.triggers[%d]", i)
	th, errT := parseNumber(t.Metadata["threshold"])
	act, errA := parseNumber(t.Metadata["activationThreshold"])
	if errT == nil && errA == nil && t.Metadata["activationThreshold"] != "" && act > th {
		msg := fmt.Sprintf("activationThreshold %g is above threshold %g: between the two the HPA wants more replicas but KEDA keeps the ScaledObject inactive", act, th)
		if so.MinReplicas() == 0 {
			msg += ", so the workload stays at 0"
		} else {
			msg += fmt.Sprintf(" (which matters only at 0 replicas; minReplicaCount is %d)", so.MinReplicas())
		}
		out = append(out, Finding{Rule: "activation-above-threshold", Object: object, Path: base + ".metadata.activationThreshold", Message: msg})
	}
	for _, k := range sortedKeys(t.Metadata) {
		if !prometheusMetadata[k] {
			msg := fmt.Sprintf("metadata.%s is not a setting of KEDA's prometheus scaler, which ignores it (pkg/scalers/prometheus_scaler.go prometheusMetadata; an operator run with KEDA_CHECK_UNEXPECTED_SCALERS_PARAMS=enabled reports it)", k)
			if k == "metricName" {
				msg += fmt.Sprintf("; the HPA's metric is named s%d-prometheus whatever it says", i)
			}
			out = append(out, Finding{Rule: "ignored-metadata", Object: object, Path: base + ".metadata." + k, Message: msg})
		}
	}
	mt := t.MetricType
	if mt == "" {
		mt = "AverageValue"
	}
	if msg := valueTypeMismatch(t.Metadata["query"], mt); msg != "" {
		out = append(out, Finding{Rule: "metric-type", Object: object, Path: base + ".metricType", Message: msg})
	}
	return out
}

// valueTypeMismatch spots the two classic confusions between a query's
// aggregation and the HPA target type.
func valueTypeMismatch(query, targetType string) string {
	q := strings.ToLower(strings.Join(strings.Fields(query), ""))
	total := strings.HasPrefix(q, "sum(") || strings.HasPrefix(q, "count(")
	average := strings.HasPrefix(q, "avg(")
	switch {
	case total && targetType == "Value":
		return "metricType Value with a sum()/count() query: the HPA compares the whole total with the threshold, as if one pod carried it, and multiplies the current replicas by total/threshold; a total calls for AverageValue (KEDA's default), which divides it by the replica count"
	case average && targetType == "AverageValue":
		return "metricType AverageValue with an avg() query: the HPA divides the query result by the replica count again, so it sees the average per pod divided by the pods and scales out too little; with an average use metricType Value, or sum() with AverageValue"
	}
	return ""
}

func parseNumber(s string) (float64, error) { return strconv.ParseFloat(strings.TrimSpace(s), 64) }

func versionName(v string) string {
	if v == "" {
		return "(newest)"
	}
	return "v" + strings.TrimPrefix(v, "v")
}

func lastSeg(path string) string { return path[strings.LastIndex(path, ".")+1:] }

// selfMetricFindings spot the scale-to-zero trap: a ScaledObject that may
// go to zero replicas with a trigger whose metric only the workload's own
// pods expose. At zero there is no pod to scrape, the query reads nothing
// (0 with the prometheus scaler's default ignoreNullValues), the trigger
// is never active, and nothing wakes the workload. OpenShift's Custom
// Metrics Autoscaler documentation warns against it
// (modules/nodes-cma-autoscaling-custom-trigger-prom.adoc), and KEDA's own
// prometheus example does it.
func selfMetricFindings(sc *scenarios.Scenario, run *Run, object string) []Finding {
	k := sc.Spec.KEDA
	if k == nil {
		return nil
	}
	if r, _ := k.Object.InactiveReplicas(); r != 0 {
		return nil
	}
	var out []Finding
	for i, t := range k.Object.Triggers {
		if t.Type != "prometheus" {
			continue
		}
		for _, m := range run.Result.Metrics {
			if m.Query != t.Metadata["query"] || !m.OnlyWorkloadPods {
				continue
			}
			out = append(out, Finding{Rule: "zero-without-waker", Object: object, Path: fmt.Sprintf("spec.triggers[%d].metadata.query", i),
				Message: fmt.Sprintf("the ScaledObject can scale to 0 (minReplicaCount %d) but every series this query selects is scraped from %s's own pods: at 0 replicas there is nothing to scrape, the query reads nothing (0 with ignoreNullValues), and nothing can activate the workload again; keep minReplicaCount at 1 or more, or trigger on a metric from outside the workload (a queue, an ingress, a load balancer)",
					k.Object.MinReplicas(), sc.Spec.Workload.Name)})
			break
		}
	}
	return out
}

// prometheusMetadata are the metadata keys KEDA's prometheus scaler reads
// (pkg/scalers/prometheus_scaler.go prometheusMetadata and its
// authentication parameters).
var prometheusMetadata = map[string]bool{
	"serverAddress": true, "query": true, "threshold": true, "activationThreshold": true,
	"queryParameters": true, "customHeaders": true, "namespace": true, "ignoreNullValues": true,
	"unsafeSsl": true, "timeout": true, "awsRegion": true, "identityOwner": true, "authModes": true,
	"bearerToken": true, "username": true, "password": true, "ca": true, "cert": true, "key": true,
	"keyPassword": true, "customAuthHeader": true, "customAuthValue": true,
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
