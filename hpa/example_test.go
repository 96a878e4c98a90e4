package hpa_test

import (
	"fmt"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
)

// A KEDA-style External metric with an AverageValue target: 200
// connections against 40 per replica proposes 5 replicas; without a
// behavior the legacy cap allows at most max(2*1, 4) = 4 in one step.
func Example_reconcile() {
	target := int64(40_000) // 40 in milli-units
	minR := int32(1)
	a, err := hpa.NewAutoscaler(hpa.Spec{
		Name:        "keda-hpa-api",
		MinReplicas: &minR,
		MaxReplicas: 10,
		Metrics: []hpa.MetricSpec{{
			Type:     hpa.ExternalMetricSourceType,
			Name:     "s0-prometheus",
			Selector: "scaledobject.keda.sh/name=api",
			Target:   hpa.MetricTarget{Type: hpa.AverageValueMetricType, AverageValueMilli: &target},
		}},
	}, hpa.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	d := a.Reconcile(now, hpa.Input{
		SpecReplicas:   1,
		StatusReplicas: 1,
		Metrics:        []hpa.MetricInput{{ValuesMilli: []int64{200_000}}},
	})
	fmt.Println("proposal:", d.Metrics[0].Proposal, "current value:", d.Metrics[0].CurrentValue)
	fmt.Println("desired:", d.DesiredReplicas, "limited by:", d.LimitReason)
	for _, e := range d.Events {
		fmt.Println(e.Type, e.Reason, e.Message)
	}
	// Output:
	// proposal: 5 current value: 200
	// desired: 4 limited by: ScaleUpLimit
	// Normal SuccessfulRescale New size: 4; reason: external metric s0-prometheus(&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: api,},MatchExpressions:[]LabelSelectorRequirement{},}) above target
}

// Percent policies are float64 computations: 10% of 100 rounds up to 111.
func ExampleScaleUpLimit() {
	rules := hpa.ScalingRules{Policies: []hpa.ScalingPolicy{{Type: hpa.PercentScalingPolicy, Value: 10, PeriodSeconds: 60}}}
	limit, proposals := hpa.ScaleUpLimit(time.Time{}, 100, nil, nil, rules)
	fmt.Println(limit, proposals[0].PeriodStartReplicas)
	// Output: 111 100
}

// The behavior stabilization keeps the highest recommendation of the
// scale-down window.
func ExampleStabilizeWithBehavior() {
	now := time.Date(2025, 1, 1, 0, 5, 0, 0, time.UTC)
	history := []hpa.Recommendation{
		{Replicas: 8, Time: now.Add(-4 * time.Minute)},
		{Replicas: 6, Time: now.Add(-1 * time.Minute)},
	}
	s := hpa.StabilizeWithBehavior(now, 0, 5*time.Minute, history, 8, 3)
	fmt.Println(s.Replicas, s.Reason)
	// Output: 8 ScaleDownStabilized
}

func ExampleConfigForKubernetesVersion() {
	for _, v := range []string{"1.32", "1.33", "1.35"} {
		c, _ := hpa.ConfigForKubernetesVersion(v)
		fmt.Println(v, "configurable tolerance:", c.ConfigurableTolerance, "legacy check:", c.LegacyToleranceCheck)
	}
	// Output:
	// 1.32 configurable tolerance: false legacy check: true
	// 1.33 configurable tolerance: false legacy check: false
	// 1.35 configurable tolerance: true legacy check: false
}
