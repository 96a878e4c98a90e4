package kedaconformance

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
)

// Created is the ScaledObject's creationTimestamp in both sides' runs of a
// LoopCase; step times count from it.
var Created = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// ScaledObjectOf is the keda package's ScaledObject of a LoopCase, with
// the trigger metadata the upstream side gives its triggers.
func ScaledObjectOf(c *LoopCase) *keda.ScaledObject {
	so := &keda.ScaledObject{
		Name: "so", Namespace: "ns", Annotations: c.Annotations,
		ScaleTargetRef:  keda.ScaleTarget{Name: "app"},
		MinReplicaCount: c.MinReplicaCount, MaxReplicaCount: c.MaxReplicaCount, IdleReplicaCount: c.IdleReplicaCount,
		CooldownPeriod: c.CooldownPeriod, InitialCooldownPeriod: c.InitialCooldownPeriod,
	}
	if f := c.Fallback; f != nil {
		so.Fallback = &keda.Fallback{FailureThreshold: f.FailureThreshold, Replicas: f.Replicas, Behavior: f.Behavior}
	}
	if m := c.Modifiers; m != nil {
		so.Advanced = &keda.Advanced{ScalingModifiers: &keda.ScalingModifiers{
			Formula: m.Formula, Target: m.Target, ActivationTarget: m.ActivationTarget, MetricType: m.MetricType}}
	}
	for i, t := range c.Triggers {
		md := map[string]string{"serverAddress": "http://prometheus.test:9090", "query": fmt.Sprintf("q%d", i), "threshold": t.Threshold}
		if t.ActivationThreshold != "" {
			md["activationThreshold"] = t.ActivationThreshold
		}
		so.Triggers = append(so.Triggers, keda.Trigger{Type: "prometheus", Name: t.Name, Metadata: md,
			MetricType: t.MetricType, UseCachedMetrics: t.UseCachedMetrics})
	}
	return so
}

func condText(c keda.Condition) string {
	if c.Status == "" || (c.Status == "Unknown" && c.Reason == "") {
		return ""
	}
	return c.Status + " " + c.Reason
}

// RunLoop runs a LoopCase through the keda package: Loop.Poll for scale
// loop ticks, Loop.MetricsForHPA for the HPA's requests, the Deployment's
// replicas following what KEDA writes.
func RunLoop(c *LoopCase) LoopResult {
	loop, err := keda.NewLoop(ScaledObjectOf(c), c.Version, Created)
	if err != nil {
		return LoopResult{Error: err.Error()}
	}
	replicas := c.Replicas
	out := LoopResult{HPA: generatedHPA(loop.HPA())}
	for _, st := range c.Steps {
		now := Created.Add(time.Duration(st.At) * time.Millisecond)
		obs := make([]keda.TriggerObservation, len(c.Triggers))
		for i := range obs {
			a := Answer{Status: 500, Body: "no answer"}
			if i < len(st.Answers) {
				a = st.Answers[i]
			}
			obs[i] = loop.Observe(i, keda.DecodeQueryResponse(a.Status, []byte(a.Body)))
		}
		w := keda.Workload{Current: replicas, Ready: replicas}
		var res LoopStepResult
		if st.HPA == "" {
			pr, err := loop.Poll(now, w, obs)
			if err != nil {
				return LoopResult{Error: "poll: " + err.Error()}
			}
			if pr.ScaleTo != nil && *pr.ScaleTo >= 0 {
				replicas = *pr.ScaleTo
			}
		} else {
			vals, err := loop.MetricsForHPA(st.HPA, obs, w)
			if err != nil {
				res.Error = err.Error()
			}
			res.Metrics = vals
		}
		res.Replicas = replicas
		if t := loop.LastActiveTime(); t != nil {
			res.LastActiveTime = t.Unix()
		}
		if h := loop.Health(); len(h) > 0 {
			res.Health = map[string]string{}
			for k, v := range h {
				s := "Happy"
				if v.Failing {
					s = "Failing"
				}
				res.Health[k] = fmt.Sprintf("%d %s", v.NumberOfFailures, s)
			}
		}
		conds := loop.Conditions()
		res.Ready, res.Active, res.Fallback = condText(conds.Ready), condText(conds.Active), condText(conds.Fallback)
		out.Steps = append(out.Steps, res)
	}
	return out
}

// CompareLoop lists the differences of one LoopCase. A condition is
// compared once upstream has set it (the harness has no reconciler to
// initialize them), and an HPA error by presence (upstream wraps scaler
// errors the model words per trigger).
func CompareLoop(m, u LoopResult) []Divergence {
	var out []Divergence
	add := func(q int, field, mv, uv string) {
		out = append(out, Divergence{Query: q, Field: field, Model: mv, Upstream: uv})
	}
	if (m.Error == "") != (u.Error == "") {
		add(-1, "loop.admission", m.Error, u.Error)
		return out
	}
	if m.Error != "" {
		return out
	}
	for i := 0; i < len(m.Steps) && i < len(u.Steps); i++ {
		ms, us := m.Steps[i], u.Steps[i]
		if ms.Replicas != us.Replicas {
			add(i, "loop.replicas", itoa(int64(ms.Replicas)), itoa(int64(us.Replicas)))
		}
		if ms.LastActiveTime != us.LastActiveTime {
			add(i, "loop.lastActiveTime", itoa(ms.LastActiveTime), itoa(us.LastActiveTime))
		}
		if a, b := healthText(ms.Health), healthText(us.Health); a != b {
			add(i, "loop.health", a, b)
		}
		for _, c := range []struct{ name, m, u string }{{"ready", ms.Ready, us.Ready}, {"active", ms.Active, us.Active}, {"fallback", ms.Fallback, us.Fallback}} {
			if c.u != "" && c.m != c.u {
				add(i, "loop.condition."+c.name, c.m, c.u)
			}
		}
		if (ms.Error == "") != (us.Error == "") {
			add(i, "loop.hpa.error", ms.Error, us.Error)
		} else if fmt.Sprint(ms.Metrics) != fmt.Sprint(us.Metrics) {
			add(i, "loop.hpa.metrics", fmt.Sprint(ms.Metrics), fmt.Sprint(us.Metrics))
		}
	}
	if m.HPA != nil && u.HPA != nil {
		a, b := fmt.Sprintf("%+v", *m.HPA), fmt.Sprintf("%+v", *u.HPA)
		if a != b {
			add(-1, "loop.hpa.spec", a, b)
		}
	}
	if len(m.Steps) != len(u.Steps) {
		add(-1, "loop.steps", itoa(int64(len(m.Steps))), itoa(int64(len(u.Steps))))
	}
	return out
}

func healthText(h map[string]string) string {
	var ks []string
	for k := range h {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var b strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&b, "%s=%s;", k, h[k])
	}
	return b.String()
}

// generatedHPA summarizes the keda package's generated HPA.
func generatedHPA(s hpa.Spec) *GeneratedHPA {
	g := &GeneratedHPA{Name: s.Name, Min: 1, Max: s.MaxReplicas}
	if s.MinReplicas != nil {
		g.Min = *s.MinReplicas
	}
	for _, m := range s.Metrics {
		var milli int64
		switch {
		case m.Target.AverageValueMilli != nil:
			milli = *m.Target.AverageValueMilli
		case m.Target.ValueMilli != nil:
			milli = *m.Target.ValueMilli
		case m.Target.AverageUtilization != nil:
			milli = int64(*m.Target.AverageUtilization)
		}
		g.Metrics = append(g.Metrics, fmt.Sprintf("%s %s %s %d", m.Type, m.Name, m.Target.Type, milli))
	}
	if b := s.Behavior; b != nil {
		if b.ScaleUp != nil && b.ScaleUp.SelectPolicy != nil {
			g.ScaleUp = string(*b.ScaleUp.SelectPolicy)
		}
		if b.ScaleDown != nil && b.ScaleDown.SelectPolicy != nil {
			g.ScaleDown = string(*b.ScaleDown.SelectPolicy)
		}
	}
	return g
}
