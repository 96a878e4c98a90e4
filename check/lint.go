package check

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// Finding is one design warning about a policy.
type Finding struct {
	// Rule names the check, e.g. "cooldown-without-zero".
	Rule string
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
		webhookCooldown := false
		for _, w := range warnings {
			webhookCooldown = webhookCooldown || strings.HasPrefix(w, "CooldownPeriod")
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
		if so.PollingInterval != nil && so.MinReplicas() > 0 && !cached {
			also := ""
			if so.Fallback != nil {
				also = " and how often failures count toward fallback.failureThreshold (the HPA's metric requests count them too)"
			}
			add("polling-does-not-pace-hpa", "spec.pollingInterval",
				"pollingInterval %ds does not pace the HPA, which syncs every %s (kube-controller-manager --horizontal-pod-autoscaler-sync-period) whatever it is; with minReplicaCount %d it only governs activation%s",
				so.PollingIntervalSeconds(), Duration(sync), so.MinReplicas(), also)
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
	// The simulated run tells whether maxReplicas is within reach.
	run, err := RunScenario(ctx, sc)
	if err != nil {
		return nil, err
	}
	f := run.Figures()
	if f.MaxReplicas < run.Result.MaxReplicas {
		at, _ := run.Result.FirstReach(f.MaxReplicas)
		out = append(out, Finding{Rule: "max-unreachable", Object: object, Path: maxPath,
			Message: fmt.Sprintf("%s %d is never reached under this scenario's load and policy: the peak is %d replicas (first at %s)", lastSeg(maxPath), run.Result.MaxReplicas, f.MaxReplicas, Duration(at))})
	}
	for i := range out {
		out[i].File, out[i].Line = sc.Locate(out[i].Path)
	}
	return out, nil
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
