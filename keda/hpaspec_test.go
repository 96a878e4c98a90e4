package keda

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/hpa"
)

func ms(v int64) *int64 { return &v }

func TestGenerateHPA(t *testing.T) {
	sel := "scaledobject.keda.sh/name=ws"
	cases := []struct {
		name   string // controllers/keda/hpa.go
		mutate func(so *ScaledObject)
		check  func(t *testing.T, s hpa.Spec)
	}{
		{name: "newHPAForScaledObject: name, minReplicas 1 for min 0, max 100, default target ref", mutate: func(*ScaledObject) {}, check: func(t *testing.T, s hpa.Spec) {
			require.Equal(t, "keda-hpa-ws", s.Name)
			require.Equal(t, "demo", s.Namespace)
			require.Equal(t, int32(1), *s.MinReplicas)
			require.Equal(t, int32(100), s.MaxReplicas)
			require.Equal(t, hpa.CrossVersionObjectReference{Kind: "Deployment", Name: "server", APIVersion: "apps/v1"}, s.ScaleTargetRef)
			require.Nil(t, s.Behavior)
			require.Equal(t, []hpa.MetricSpec{{Type: hpa.ExternalMetricSourceType, Name: "s0-prometheus", Selector: sel,
				Target: hpa.MetricTarget{Type: hpa.AverageValueMetricType, AverageValueMilli: ms(40000)}}}, s.Metrics)
		}},
		{name: "GetMetricTargetMili: Value metricType, fractional threshold", mutate: func(so *ScaledObject) {
			so.Triggers[0].MetricType = "Value"
			so.Triggers[0].Metadata["threshold"] = "2.5"
			so.MinReplicaCount, so.MaxReplicaCount = i32(2), i32(7)
		}, check: func(t *testing.T, s hpa.Spec) {
			require.Equal(t, int32(2), *s.MinReplicas)
			require.Equal(t, int32(7), s.MaxReplicas)
			require.Equal(t, hpa.MetricTarget{Type: hpa.ValueMetricType, ValueMilli: ms(2500)}, s.Metrics[0].Target)
		}},
		{name: "getScaledObjectMetricSpecs: sorted by type, names keep trigger index", mutate: func(so *ScaledObject) {
			cpu := Trigger{Type: "cpu", MetricType: "Utilization", Metadata: map[string]string{"value": "60"}}
			mem := Trigger{Type: "memory", MetricType: "AverageValue", Metadata: map[string]string{"value": "512Mi", "containerName": "app"}}
			so.Triggers = append([]Trigger{cpu, mem}, so.Triggers...)
		}, check: func(t *testing.T, s hpa.Spec) {
			require.Len(t, s.Metrics, 3)
			require.Equal(t, hpa.MetricSpec{Type: hpa.ContainerResourceMetricSourceType, Name: "memory", Container: "app",
				Target: hpa.MetricTarget{Type: hpa.AverageValueMetricType, AverageValueMilli: ms(536870912000)}}, s.Metrics[0])
			require.Equal(t, "s2-prometheus", s.Metrics[1].Name)
			u := int32(60)
			require.Equal(t, hpa.MetricSpec{Type: hpa.ResourceMetricSourceType, Name: "cpu",
				Target: hpa.MetricTarget{Type: hpa.UtilizationMetricType, AverageUtilization: &u}}, s.Metrics[2])
		}},
		{name: "scalingModifiers: composite-metric replaces External (and ContainerResource) metrics, target truncated", mutate: func(so *ScaledObject) {
			so.Triggers[0].Name = "conn"
			cpu := Trigger{Type: "cpu", MetricType: "Utilization", Metadata: map[string]string{"value": "60"}}
			ccpu := Trigger{Type: "cpu", MetricType: "Utilization", Metadata: map[string]string{"value": "60", "containerName": "c"}}
			so.Triggers = append(so.Triggers, cpu, ccpu)
			so.Advanced = &Advanced{ScalingModifiers: &ScalingModifiers{Formula: "conn / 2", Target: "2.0005", MetricType: "Value"}}
		}, check: func(t *testing.T, s hpa.Spec) {
			require.Len(t, s.Metrics, 2)
			require.Equal(t, hpa.ResourceMetricSourceType, s.Metrics[0].Type)
			require.Equal(t, hpa.MetricSpec{Type: hpa.ExternalMetricSourceType, Name: "composite-metric", Selector: sel,
				Target: hpa.MetricTarget{Type: hpa.ValueMetricType, ValueMilli: ms(2000)}}, s.Metrics[1])
		}},
		{name: "custom HPA name and behavior; paused-scale-in disables scale-down", mutate: func(so *ScaledObject) {
			w := int32(60)
			so.Advanced = &Advanced{HorizontalPodAutoscalerConfig: &HPAConfig{Name: "mine", Behavior: &hpa.Behavior{
				ScaleDown: &hpa.ScalingRules{StabilizationWindowSeconds: &w, Policies: []hpa.ScalingPolicy{{Type: hpa.PercentScalingPolicy, Value: 20, PeriodSeconds: 60}}}}}}
			so.Annotations = map[string]string{PausedScaleInAnnotation: "true"}
		}, check: func(t *testing.T, s hpa.Spec) {
			require.Equal(t, "mine", s.Name)
			require.Equal(t, hpa.DisabledPolicySelect, *s.Behavior.ScaleDown.SelectPolicy)
			require.Equal(t, int32(60), *s.Behavior.ScaleDown.StabilizationWindowSeconds)
			require.Nil(t, s.Behavior.ScaleUp)
		}},
		{name: "paused-scale-out with no behavior creates one", mutate: func(so *ScaledObject) {
			so.Annotations = map[string]string{PausedScaleOutAnnotation: "yes-please"} // non-bool reads as true
		}, check: func(t *testing.T, s hpa.Spec) {
			require.Equal(t, hpa.DisabledPolicySelect, *s.Behavior.ScaleUp.SelectPolicy)
			require.Nil(t, s.Behavior.ScaleDown)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			so := promSO()
			tc.mutate(so)
			s, err := GenerateHPA(so)
			require.NoError(t, err)
			tc.check(t, s)
		})
	}
}

func TestGenerateHPAInvalid(t *testing.T) {
	so := promSO()
	so.MinReplicaCount = i32(9)
	so.MaxReplicaCount = i32(3)
	_, err := GenerateHPA(so)
	require.EqualError(t, err, "ScaledObject \"ws\" is invalid:\n  spec.minReplicaCount: must be less than or equal to maxReplicaCount (3), got 9")
	_, err = GenerateHPA(nil)
	require.Error(t, err)
}

// The behavior is copied, so the HPA spec never aliases the ScaledObject.
func TestGenerateHPACopiesBehavior(t *testing.T) {
	so := promSO()
	w := int32(60)
	so.Advanced = &Advanced{HorizontalPodAutoscalerConfig: &HPAConfig{Behavior: &hpa.Behavior{ScaleDown: &hpa.ScalingRules{StabilizationWindowSeconds: &w}}}}
	s, err := GenerateHPA(so)
	require.NoError(t, err)
	*s.Behavior.ScaleDown.StabilizationWindowSeconds = 1
	require.Equal(t, int32(60), w)
}
