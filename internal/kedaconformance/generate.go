package kedaconformance

import (
	"fmt"
	"math/rand"
)

// Generate draws a random case for a KEDA version from seed: trigger
// metadata that is often unusual (number syntax, booleans, header lists)
// and answers of every shape a Prometheus server may give.
func Generate(seed int64, version string) Case {
	r := rand.New(rand.NewSource(seed))
	pick := func(xs ...string) string { return xs[r.Intn(len(xs))] }
	p := func(x float64) bool { return r.Float64() < x }
	c := Case{Seed: seed, Version: version, Metadata: map[string]string{"query": "sum(rate(http_requests_total[1m]))"}}
	md := c.Metadata
	md["threshold"] = pick("10", "10", "10", "10", "50", "0.5", "2.5", "1e3", "100", "0.0005", "0.0015", "7.0005", " 7 ", "123456789012345678", "1e20", "abc", "", "-1", "0", "1_000", "0x10")
	if p(0.5) {
		md["activationThreshold"] = pick("0", "1", "5.5", "-1", "1e2", "x", "")
	}
	if p(0.4) {
		md["ignoreNullValues"] = pick("true", "false", "False", "0", "1", "no", "")
	}
	if p(0.25) {
		md["customHeaders"] = pick("X-Scope-OrgID=tenant", "X-A=b,X-B=c", "bad name=v", "X-A=b\x7f", "a=b=c", "X-A=", "=v", "X-A=b,,X-B=c")
	}
	if p(0.15) {
		md["queryParameters"] = pick("dedup=false", "a=b,c=d", "broken")
	}
	if p(0.1) {
		md["namespace"] = "team-a"
	}
	if p(0.1) {
		md["unsafeSsl"] = pick("true", "false", "maybe")
	}
	if p(0.1) {
		md["timeout"] = pick("5s", "1500", "-1", "soon")
	}
	if p(0.3) {
		c.MetricType = pick("AverageValue", "Value", "Value", "Utilization")
	}
	n := 1 + r.Intn(4)
	for i := 0; i < n; i++ {
		c.Answers = append(c.Answers, answer(r, pick, p))
	}
	return c
}

func answer(r *rand.Rand, pick func(...string) string, p func(float64) bool) Answer {
	value := func() string {
		return pick("1", "0", "2.5", "12", "NaN", "+Inf", "-Inf", "-3", "-0.0004", "1e300", "9223372036854775.807", "9223372036854776", "123.4565", "0.0005", "0.0015", "1e-9", "abc", "42")
	}
	series := func(v string) string {
		return fmt.Sprintf(`{"metric":{"job":"web"},"value":[1767603600.5,"%s"]}`, v)
	}
	vector := func(result string) Answer {
		return Answer{Status: 200, Body: `{"status":"success","data":{"resultType":"vector","result":[` + result + `]}}`}
	}
	switch k := r.Intn(100); {
	case k < 50:
		return vector(series(value()))
	case k < 54:
		return vector(`{"metric":{},"value":[1767603600.5,null]}`)
	case k < 57:
		return vector(`{"metric":{},"value":[1767603600.5]}`)
	case k < 60:
		return vector(`{"metric":{},"value":[]}`)
	case k < 65:
		return vector(series(value()) + "," + series(value()))
	case k < 72:
		return vector("")
	case k < 76:
		return Answer{Status: 200, Body: `{"status":"success","data":{"resultType":"scalar","result":[1767603600.5,"5"]}}`}
	case k < 80:
		return Answer{Status: 200, Body: `{"status":"success","data":{"resultType":"string","result":[1767603600.5,"five"]}}`}
	case k < 90:
		var ss []string
		for j := r.Intn(3); j > 0; j-- {
			ss = append(ss, `{"metric":{"job":"web"},"values":[[1767603540,"1"],[1767603600,"2"]]}`)
		}
		body := `{"status":"success","data":{"resultType":"matrix","result":[`
		for j, s := range ss {
			if j > 0 {
				body += ","
			}
			body += s
		}
		return Answer{Status: 200, Body: body + `]}}`}
	case k < 95:
		return Answer{Status: []int{500, 503, 404, 400}[r.Intn(4)], Body: `{"status":"error","errorType":"bad_data","error":"parse error"}`}
	default:
		if p(0.5) {
			return Answer{Status: 200, Body: "<html>proxy</html>"}
		}
		// A 204 carries no body.
		return Answer{Status: 204, Body: ""}
	}
}

// GenerateLoop draws a random scale loop case for a KEDA version from
// seed: replica bounds, cooldowns, fallback of every behavior,
// scalingModifiers, the activation annotations, one or two Prometheus
// triggers, and a run of scale loop ticks and HPA requests whose answers
// often fail.
func GenerateLoop(seed int64, version string) Case {
	r := rand.New(rand.NewSource(seed))
	pick := func(xs ...string) string { return xs[r.Intn(len(xs))] }
	p := func(x float64) bool { return r.Float64() < x }
	i32 := func(v int32) *int32 { return &v }
	c := &LoopCase{Seed: seed, Version: version, Replicas: int32(r.Intn(5))}
	if p(0.7) {
		c.MinReplicaCount = i32(int32(r.Intn(3)))
	}
	if p(0.5) {
		c.MaxReplicaCount = i32(int32(5 + r.Intn(6)))
	}
	if p(0.2) && c.MinReplicaCount != nil && *c.MinReplicaCount > 0 {
		c.IdleReplicaCount = i32(0)
	}
	if p(0.6) {
		c.CooldownPeriod = i32([]int32{0, 5, 30, 60}[r.Intn(4)])
	}
	if p(0.4) {
		c.InitialCooldownPeriod = i32([]int32{0, 10, 45}[r.Intn(3)])
	}
	nt := 1 + r.Intn(2)
	modifiers := p(0.3)
	for i := 0; i < nt; i++ {
		t := LoopTrigger{Threshold: pick("10", "10", "5", "2.5", "0.5"), MetricType: pick("", "", "AverageValue", "Value")}
		if modifiers || p(0.2) {
			t.Name = string(rune('a' + i))
		}
		if p(0.5) {
			t.ActivationThreshold = pick("0", "1", "20", "4.5")
		}
		t.UseCachedMetrics = p(0.2)
		c.Triggers = append(c.Triggers, t)
	}
	if modifiers {
		formula := pick("a * 2", "a + 1", "a / 3", "a ?? 7", "a > 10 ? a : 0", "float(a) + 0.0015")
		if nt == 2 {
			formula = pick("a + b", "max(a, b)", "a ?? b", "b / 2 + a", "(a + b) / 3", "a - b")
		}
		c.Modifiers = &LoopModifiers{Formula: formula, Target: pick("10", "5", "2.5", "1"), MetricType: pick("", "AverageValue", "Value")}
		if p(0.5) {
			c.Modifiers.ActivationTarget = pick("0", "1", "8", "0.5")
		}
	}
	if p(0.5) {
		c.Fallback = &LoopFallback{FailureThreshold: int32(r.Intn(4)), Replicas: int32(r.Intn(7))}
		behaviors := []string{"", "static", "currentReplicas", "currentReplicasIfHigher", "currentReplicasIfLower"}
		if modifiers {
			behaviors = append(behaviors, "scalingModifiers", "scalingModifiers")
		}
		c.Fallback.Behavior = behaviors[r.Intn(len(behaviors))]
	}
	if p(0.25) {
		c.Annotations = map[string]string{}
		c.Annotations[pick("autoscaling.keda.sh/force-activation", "autoscaling.keda.sh/paused-scale-in", "autoscaling.keda.sh/paused-scale-out")] = pick("true", "true", "false")
	}
	if p(0.2) {
		invalid(r, c)
	}
	var names []string
	for i := range c.Triggers {
		names = append(names, fmt.Sprintf("s%d-prometheus", i))
	}
	if modifiers {
		names = append(names, "composite-metric", "composite-metric")
	}
	at := int64(0)
	for n := 3 + r.Intn(10); n > 0; n-- {
		at += []int64{1000, 5000, 15000, 30000, 61000, 120000}[r.Intn(6)] + int64(r.Intn(3))*400
		st := LoopStep{At: at}
		if p(0.35) {
			st.HPA = names[r.Intn(len(names))]
		}
		fails := p(0.3)
		for range c.Triggers {
			switch {
			case fails && p(0.7):
				st.Answers = append(st.Answers, Answer{Status: 500, Body: `{"status":"error","errorType":"execution","error":"timeout"}`})
			case p(0.05):
				st.Answers = append(st.Answers, Answer{Status: 200, Body: `{"status":"success","data":{"resultType":"vector","result":[]}}`})
			default:
				v := pick("0", "0", "1", "5", "12", "25", "100", "0.5", "2.5", "7.25")
				st.Answers = append(st.Answers, Answer{Status: 200, Body: fmt.Sprintf(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1767603600,"%s"]}]}}`, v)})
			}
		}
		c.Steps = append(c.Steps, st)
	}
	return Case{Seed: seed, Version: version, Loop: c}
}

// invalid makes a scale loop case something the CRD schema or the
// admission webhook may refuse.
func invalid(r *rand.Rand, c *LoopCase) {
	i32 := func(v int32) *int32 { return &v }
	switch r.Intn(12) {
	case 0:
		c.MinReplicaCount, c.MaxReplicaCount = i32(3), i32(2)
	case 1:
		c.MinReplicaCount, c.IdleReplicaCount = i32(1), i32(1)
	case 2:
		c.MinReplicaCount = i32(-1)
	case 3:
		c.CooldownPeriod = i32(-5)
	case 4:
		c.Fallback = &LoopFallback{FailureThreshold: -1, Replicas: 2}
	case 5:
		c.Fallback = &LoopFallback{FailureThreshold: 2, Replicas: -3}
	case 6:
		c.Fallback = &LoopFallback{FailureThreshold: 2, Replicas: 3, Behavior: "sometimes"}
	case 7:
		if c.Modifiers != nil {
			c.Modifiers.Formula = []string{"a +", "c * 2", "", "a ? 1"}[r.Intn(4)]
		} else {
			c.MaxReplicaCount = i32(0)
		}
	case 8:
		if c.Modifiers != nil {
			c.Modifiers.Target = []string{"", "0", "-5", "x", "0.0001"}[r.Intn(5)]
		} else {
			c.InitialCooldownPeriod = i32(-1)
		}
	case 9:
		if c.Modifiers != nil {
			c.Modifiers.MetricType = []string{"Utilization", "average"}[r.Intn(2)]
		} else {
			c.Triggers[0].MetricType = "Utilization"
		}
	case 10:
		if len(c.Triggers) == 2 {
			c.Triggers[1].Name = c.Triggers[0].Name
			if c.Triggers[0].Name == "" {
				c.Triggers[0].Name, c.Triggers[1].Name = "a", "a"
			}
		} else {
			c.Triggers[0].MetricType = "Values"
		}
	default:
		if c.Modifiers != nil {
			c.Modifiers.ActivationTarget = "soon"
		} else {
			c.IdleReplicaCount = i32(-1)
		}
	}
}
