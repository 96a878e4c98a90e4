package keda

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidate(t *testing.T) {
	cases := []struct {
		name    string // cites the upstream rule
		version string
		mutate  func(so *ScaledObject)
		want    []FieldError // exact list; nil means valid
	}{
		{name: "valid minimal", mutate: func(*ScaledObject) {}},
		{
			name:   "CRD Minimum=1 pollingInterval, Minimum=0 cooldownPeriod (scaledobject_types.go markers)",
			mutate: func(so *ScaledObject) { so.PollingInterval = i32(0); so.CooldownPeriod = i32(-1) },
			want: []FieldError{
				{"spec.pollingInterval", "must be greater than or equal to 1, got 0"},
				{"spec.cooldownPeriod", "must be greater than or equal to 0, got -1"},
			},
		},
		{
			name:   "CEL rule and CheckReplicaCountBoundsAreValid: min > max",
			mutate: func(so *ScaledObject) { so.MinReplicaCount = i32(5); so.MaxReplicaCount = i32(3) },
			want:   []FieldError{{"spec.minReplicaCount", "must be less than or equal to maxReplicaCount (3), got 5"}},
		},
		{
			name:   "CEL rule: min above the default max 100",
			mutate: func(so *ScaledObject) { so.MinReplicaCount = i32(101) },
			want:   []FieldError{{"spec.minReplicaCount", "must be less than or equal to maxReplicaCount (100), got 101"}},
		},
		{
			name:   "CheckReplicaCountBoundsAreValid: idle >= min",
			mutate: func(so *ScaledObject) { so.MinReplicaCount = i32(2); so.IdleReplicaCount = i32(2) },
			want:   []FieldError{{"spec.idleReplicaCount", "must be less than minReplicaCount (2), got 2"}},
		},
		{
			name:   "CheckReplicaCountBoundsAreValid: idle 0 with min unset compares against 0",
			mutate: func(so *ScaledObject) { so.IdleReplicaCount = i32(0) },
			want:   []FieldError{{"spec.idleReplicaCount", "must be less than minReplicaCount (0), got 0"}},
		},
		{
			name:   "CheckReplicaCountBoundsAreValid: idle 0 with explicit min 0 passes (GetHPAMinReplicas gives 1)",
			mutate: func(so *ScaledObject) { so.IdleReplicaCount = i32(0); so.MinReplicaCount = i32(0) },
		},
		{
			name: "ValidateTriggers: duplicate trigger names",
			mutate: func(so *ScaledObject) {
				so.Triggers[0].Name = "a"
				tr := so.Triggers[0]
				so.Triggers = append(so.Triggers, tr)
			},
			want: []FieldError{{"spec.triggers[1].name", "\"a\" is already the name of spec.triggers[0]; trigger names must be unique"}},
		},
		{
			name:   "ValidateTriggers: no triggers (and CRD MinItems=1)",
			mutate: func(so *ScaledObject) { so.Triggers = nil },
			want:   []FieldError{{"spec.triggers", "must have at least one trigger"}},
		},
		{
			name: "ValidateTriggers: useCachedMetrics not supported for cpu",
			mutate: func(so *ScaledObject) {
				so.Triggers = append(so.Triggers, Trigger{Type: "cpu", MetricType: "Utilization", UseCachedMetrics: true, Metadata: map[string]string{"value": "60"}})
			},
			want: []FieldError{{"spec.triggers[1].useCachedMetrics", "is not supported for \"cpu\" triggers"}},
		},
		{
			name:   "NewPrometheusScaler: threshold not a number (typed_config.go json.Unmarshal)",
			mutate: func(so *ScaledObject) { so.Triggers[0].Metadata["threshold"] = "abc" },
			want:   []FieldError{{"spec.triggers[0].metadata.threshold", "must be a number greater than 0, got \"abc\""}},
		},
		{
			name:   "HPA API: threshold rounding to a zero target is rejected",
			mutate: func(so *ScaledObject) { so.Triggers[0].Metadata["threshold"] = "0.0004" },
			want:   []FieldError{{"spec.triggers[0].metadata.threshold", "must be a number greater than 0 (at least 0.001), got \"0.0004\""}},
		},
		{
			name: "NewPrometheusScaler: missing query, bad ignoreNullValues; all errors reported",
			mutate: func(so *ScaledObject) {
				delete(so.Triggers[0].Metadata, "query")
				so.Triggers[0].Metadata["ignoreNullValues"] = "maybe"
			},
			want: []FieldError{
				{"spec.triggers[0].metadata.ignoreNullValues", "must be true or false, got \"maybe\""},
				{"spec.triggers[0].metadata.query", "is required"},
			},
		},
		{
			name:   "GetMetricTargetType: Utilization unsupported for external metrics (scaler.go)",
			mutate: func(so *ScaledObject) { so.Triggers[0].MetricType = "Utilization" },
			want:   []FieldError{{"spec.triggers[0].metricType", "'Utilization' metric type is unsupported for external metrics, allowed values are 'Value' or 'AverageValue'"}},
		},
		{
			name: "CheckFallbackValid: only cpu/memory triggers; verifyCPUMemoryScalers: only cpu/memory with min 0",
			mutate: func(so *ScaledObject) {
				so.Triggers = []Trigger{{Type: "cpu", MetricType: "Utilization", Metadata: map[string]string{"value": "50"}}}
				so.Fallback = &Fallback{FailureThreshold: 3, Replicas: 5}
			},
			want: []FieldError{
				{"spec.fallback", "needs at least one trigger that is not cpu or memory"},
				{"spec.minReplicaCount", "must be at least 1 when every trigger is cpu or memory (scale to zero cannot work without another trigger)"},
			},
		},
		{
			name:    "Fallback behavior enum: scalingModifiers only from v2.20.0 (#7790)",
			version: "2.19.0",
			mutate:  func(so *ScaledObject) { so.Fallback = &Fallback{Replicas: 2, Behavior: "scalingModifiers"} },
			want:    []FieldError{{"spec.fallback.behavior", "scalingModifiers is not available before KEDA v2.20.0"}},
		},
		{
			name:   "verifyScaledObjects: fallback behavior scalingModifiers requires a formula",
			mutate: func(so *ScaledObject) { so.Fallback = &Fallback{Replicas: 2, Behavior: "scalingModifiers"} },
			want:   []FieldError{{"spec.fallback.behavior", "scalingModifiers requires spec.advanced.scalingModifiers.formula"}},
		},
		{
			name: "validateScalingModifiersFormula: formula needs a target",
			mutate: func(so *ScaledObject) {
				so.Advanced = &Advanced{ScalingModifiers: &ScalingModifiers{Formula: "a"}}
			},
			want: []FieldError{{"spec.advanced.scalingModifiers.target", "is required when a formula is given"}},
		},
		{
			name: "validateScalingModifiersFormula: unnamed trigger is not in the formula env",
			mutate: func(so *ScaledObject) {
				so.Advanced = &Advanced{ScalingModifiers: &ScalingModifiers{Formula: "a + 1", Target: "2"}}
			},
			want: []FieldError{{"spec.advanced.scalingModifiers.formula", "does not compile against the named triggers: unknown name a (1:7)"}},
		},
		{
			name: "validateScalingModifiersTarget: target must be > 0, metricType not Utilization",
			mutate: func(so *ScaledObject) {
				so.Triggers[0].Name = "a"
				so.Advanced = &Advanced{ScalingModifiers: &ScalingModifiers{Formula: "a * 2", Target: "0", MetricType: "Utilization"}}
			},
			want: []FieldError{
				{"spec.advanced.scalingModifiers.target", "must be a number greater than 0, got \"0\""},
				{"spec.advanced.scalingModifiers.metricType", "must be AverageValue or Value for the composite External metric, got \"Utilization\""},
			},
		},
		{
			name:   "verifyName: names above 63 characters (v2.20.0+, #7762)",
			mutate: func(so *ScaledObject) { so.Name = "a-long-scaledobject-name-that-is-fine-alone-but-not-as-hpa-name" },
			want: []FieldError{{"spec.advanced.horizontalPodAutoscalerConfig.name",
				"the HPA name \"keda-hpa-a-long-scaledobject-name-that-is-fine-alone-but-not-as-hpa-name\" is 72 characters long; must be no more than 63: set a shorter name here or shorten the ScaledObject name"}},
		},
		{
			name:    "verifyName is absent in v2.19.0",
			version: "2.19.0",
			mutate:  func(so *ScaledObject) { so.Name = "a-long-scaledobject-name-that-is-fine-alone-but-not-as-hpa-name" },
		},
		{
			name:   "GetPausedReplicaCount: paused-replicas must be an integer",
			mutate: func(so *ScaledObject) { so.Annotations = map[string]string{PausedReplicasAnnotation: "two"} },
			want:   []FieldError{{"metadata.annotations[autoscaling.keda.sh/paused-replicas]", "must be an integer, got \"two\""}},
		},
		{
			name:   "a scaler type KEDA has is admitted, simulated or not",
			mutate: func(so *ScaledObject) { so.Triggers[0].Type = "rabbitmq" },
			want:   nil,
		},
		{
			name:   "buildScaler: a type KEDA has no scaler for",
			mutate: func(so *ScaledObject) { so.Triggers[0].Type = "prometeus" },
			want:   []FieldError{{"spec.triggers[0].type", "no scaler found for type: prometeus (KEDA's reconcile fails and the ScaledObject never becomes Ready); did you mean prometheus?"}},
		},
		{
			name: "parseResourceMetadata: metadata.type removed in v2.18, metricType required",
			mutate: func(so *ScaledObject) {
				so.Triggers = append(so.Triggers, Trigger{Type: "memory", Metadata: map[string]string{"type": "Utilization", "value": "50"}})
			},
			want: []FieldError{
				{"spec.triggers[1].metadata.type", "was removed in KEDA v2.18; set the trigger's metricType instead"},
				{"spec.triggers[1].metricType", "must be Utilization or AverageValue for a memory trigger, got \"\""},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			so := promSO()
			tc.mutate(so)
			v := tc.version
			if v == "" {
				v = DefaultVersion
			}
			got, err := so.ValidateVersion(v)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestValidateUnknownVersion(t *testing.T) {
	_, err := promSO().ValidateVersion("1.5.0")
	require.ErrorContains(t, err, "unsupported KEDA version \"1.5.0\"")
}

// scaledobject_webhook.go verifyScaledObjects: relevance warnings, and the
// reworded condition of #7984/#8031.
func TestWarnings(t *testing.T) {
	so := promSO()
	so.MinReplicaCount = i32(1)
	so.PollingInterval = i32(15)
	so.CooldownPeriod = i32(45)
	so.IdleReplicaCount = nil

	w, err := so.Warnings("2.20.2")
	require.NoError(t, err)
	require.Len(t, w, 2)
	require.Contains(t, w[0], "idleReplicaCount = 0 or useCachedMetrics")

	w, err = so.Warnings("2.19.0")
	require.NoError(t, err)
	require.Empty(t, w)

	so.MinReplicaCount = i32(2)
	so.IdleReplicaCount = i32(1)
	w, err = so.Warnings("2.20.2")
	require.NoError(t, err)
	require.Len(t, w, 2, "v2.20.2 warns although idle mode keeps both settings relevant")
	w, err = so.Warnings(DevVersion)
	require.NoError(t, err)
	require.Empty(t, w)
}

func TestDefaults(t *testing.T) {
	so := promSO()
	require.Equal(t, int32(30), so.PollingIntervalSeconds())
	require.Equal(t, int32(300), so.CooldownPeriodSeconds())
	require.Equal(t, int32(0), so.InitialCooldownPeriodSeconds())
	require.Equal(t, int32(0), so.MinReplicas())
	require.Equal(t, int32(100), so.MaxReplicas())
	require.Equal(t, int32(1), so.HPAMinReplicas())
	require.Equal(t, "keda-hpa-ws", so.HPAName())
	require.Equal(t, "static", so.FallbackBehavior())
	require.True(t, so.PollingIntervalRelevant())
	so.MinReplicaCount = i32(3)
	require.Equal(t, int32(3), so.HPAMinReplicas())
	require.False(t, so.PollingIntervalRelevant())
}
