package hpa

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func i32(v int32) *int32 { return &v }
func i64(v int64) *int64 { return &v }

const kedaSelector = "scaledobject.keda.sh/name=app"

// kedaSpec is the HPA KEDA creates for one Prometheus trigger.
func kedaSpec(b *Behavior) Spec {
	return Spec{
		Name:        "keda-hpa-app",
		MinReplicas: i32(1),
		MaxReplicas: 10,
		Metrics: []MetricSpec{{
			Type: ExternalMetricSourceType, Name: "s0-prometheus", Selector: kedaSelector,
			Target: MetricTarget{Type: AverageValueMetricType, AverageValueMilli: i64(40000)},
		}},
		Behavior: b,
	}
}

func external(v int64) MetricInput { return MetricInput{ValuesMilli: []int64{v}} }

func newAS(t *testing.T, s Spec, cfg Config) *Autoscaler {
	t.Helper()
	a, err := NewAutoscaler(s, cfg)
	require.NoError(t, err)
	return a
}

func TestReconcileExternalAverageValue(t *testing.T) {
	const desc = "external metric s0-prometheus(&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: app,},MatchExpressions:[]LabelSelectorRequirement{},})"
	tests := []struct {
		name        string
		behavior    *Behavior
		wantDesired int32
		wantLimit   string
	}{
		// Legacy path: at most max(2*1, 4) = 4 per reconcile.
		{"legacy cap", nil, 4, ReasonScaleUpLimit},
		// Default behavior: max(1+4, 1*2) = 5 within 15s.
		{"default behavior", &Behavior{}, 5, ReasonDesiredWithinRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAS(t, kedaSpec(tc.behavior), DefaultConfig())
			d := a.Reconcile(t0, Input{SpecReplicas: 1, StatusReplicas: 1, Metrics: []MetricInput{external(200000)}})
			require.NoError(t, d.Err)
			require.Equal(t, PathMetrics, d.Path)
			require.Len(t, d.Metrics, 1)
			require.Equal(t, desc, d.Metrics[0].Description)
			require.Equal(t, int32(5), d.Metrics[0].Proposal)
			require.Equal(t, "200", d.Metrics[0].CurrentValue)
			require.InDelta(t, 5.0, d.Metrics[0].UsageRatio, 1e-12)
			require.Equal(t, int32(5), d.MetricsDesired)
			require.Equal(t, tc.wantDesired, d.DesiredReplicas)
			require.True(t, d.Rescale)
			require.Equal(t, tc.wantLimit, d.LimitReason)
			require.Equal(t, desc+" above target", d.Reason)
			require.Equal(t, []Event{{EventNormal, "SuccessfulRescale", "New size: " + itoa(tc.wantDesired) + "; reason: " + desc + " above target"}}, d.Events)
			require.Equal(t, []ConditionType{AbleToScale, ScalingActive, ScalingLimited}, condTypes(d.Conditions))
			require.Equal(t, "SucceededRescale", d.Conditions[0].Reason)
			require.Equal(t, "ValidMetricFound", d.Conditions[1].Reason)
		})
	}
}

func itoa(v int32) string { return FormatMilli(int64(v) * 1000) }

func condTypes(cs []Condition) []ConditionType {
	var out []ConditionType
	for _, c := range cs {
		out = append(out, c.Type)
	}
	return out
}

// TestReconcileScaleDownStabilization follows a legacy HPA whose metric
// drops: the 5 minute downscale window keeps 5 replicas until the last
// high recommendation has aged out.
func TestReconcileScaleDownStabilization(t *testing.T) {
	a := newAS(t, kedaSpec(nil), DefaultConfig())
	replicas := int32(5)
	var scaledAt time.Duration
	for step := 0; step <= 24; step++ {
		at := time.Duration(step) * 15 * time.Second
		d := a.Reconcile(t0.Add(at), Input{SpecReplicas: replicas, StatusReplicas: replicas, Metrics: []MetricInput{external(40000)}})
		require.NoError(t, d.Err)
		require.Equal(t, int32(1), d.MetricsDesired, "at %v", at)
		if d.Rescale {
			require.Equal(t, "All metrics below target", d.Reason)
			require.Equal(t, int32(1), d.DesiredReplicas)
			replicas = d.DesiredReplicas
			scaledAt = at
			break
		}
		require.Equal(t, int32(5), d.Stabilized, "at %v", at)
		require.Equal(t, ReasonScaleDownStabilized, d.StabilizationReason)
		require.Equal(t, int32(5), d.DesiredReplicas)
	}
	// The initial recommendation (5, at t0) counts while it is at most 300s
	// old, so the first reconcile that may scale down is at 315s.
	require.Equal(t, 315*time.Second, scaledAt)
	require.Equal(t, int32(1), replicas)
}

func TestReconcileRestartReappliesInitialRecommendation(t *testing.T) {
	a := newAS(t, kedaSpec(&Behavior{}), DefaultConfig())
	in := Input{SpecReplicas: 4, StatusReplicas: 4, Metrics: []MetricInput{external(40000)}}
	d := a.Reconcile(t0, in)
	require.False(t, d.Rescale)
	d = a.Reconcile(t0.Add(301*time.Second), in)
	require.True(t, d.Rescale)
	require.Equal(t, int32(1), d.DesiredReplicas)

	a.Restart()
	require.False(t, a.Snapshot().Initialized)
	in.SpecReplicas, in.StatusReplicas = 3, 3
	d = a.Reconcile(t0.Add(400*time.Second), in)
	require.False(t, d.Rescale, "restart remembers the current count again")
	require.Equal(t, int32(3), d.Stabilized)
	require.Equal(t, []Recommendation{{3, t0.Add(400 * time.Second)}}, d.StabilizationWindow)
}

func TestReconcileBranches(t *testing.T) {
	tests := []struct {
		name       string
		spec       Spec
		in         Input
		wantPath   string
		wantDes    int32
		wantReason string
		wantCond   Condition // last-set condition of the branch
	}{
		{
			name: "above max", spec: kedaSpec(nil),
			in:       Input{SpecReplicas: 12, StatusReplicas: 12},
			wantPath: PathAboveMax, wantDes: 10, wantReason: "Current number of replicas above Spec.MaxReplicas",
			wantCond: Condition{Type: AbleToScale, Status: ConditionTrue, Reason: "SucceededRescale", Message: "the HPA controller was able to update the target scale to 10"},
		},
		{
			name: "below min", spec: func() Spec { s := kedaSpec(nil); s.MinReplicas = i32(3); return s }(),
			in:       Input{SpecReplicas: 2, StatusReplicas: 2},
			wantPath: PathBelowMin, wantDes: 3, wantReason: "Current number of replicas below Spec.MinReplicas",
			wantCond: Condition{Type: AbleToScale, Status: ConditionTrue, Reason: "SucceededRescale", Message: "the HPA controller was able to update the target scale to 3"},
		},
		{
			name: "zero replicas disable scaling", spec: kedaSpec(nil),
			in:       Input{SpecReplicas: 0, StatusReplicas: 0, Metrics: []MetricInput{external(400000)}},
			wantPath: PathScalingDisabled, wantDes: 0,
			wantCond: Condition{Type: ScalingActive, Status: ConditionFalse, Reason: "ScalingDisabled", Message: "scaling is disabled since the replica count of the target is zero"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAS(t, tc.spec, DefaultConfig())
			d := a.Reconcile(t0, tc.in)
			require.Equal(t, tc.wantPath, d.Path)
			require.Equal(t, tc.wantDes, d.DesiredReplicas)
			require.Equal(t, tc.wantDes != tc.in.SpecReplicas, d.Rescale)
			require.Equal(t, tc.wantReason, d.Reason)
			require.Empty(t, d.Metrics, "metrics are not read on this branch")
			var got *Condition
			for i := range d.Conditions {
				if d.Conditions[i].Type == tc.wantCond.Type {
					got = &d.Conditions[i]
				}
			}
			require.NotNil(t, got)
			tc.wantCond.LastTransitionTime = t0
			require.Equal(t, tc.wantCond, *got)
		})
	}
}

func TestReconcilePartialFailure(t *testing.T) {
	spec := kedaSpec(nil)
	spec.Metrics = append(spec.Metrics, MetricSpec{
		Type: ExternalMetricSourceType, Name: "s1-kafka", Selector: "scaledobject.keda.sh/name=app",
		Target: MetricTarget{Type: AverageValueMetricType, AverageValueMilli: i64(10000)},
	})
	boom := errors.New("prometheus unreachable")
	tests := []struct {
		name        string
		good        int64
		wantRescale bool
		wantDesired int32
		wantActive  string
	}{
		// 160/40 = 4 > 2: a scale-up proceeds despite the failed metric.
		{"scale up proceeds", 160000, true, 4, "ValidMetricFound"},
		// 40/40 = 1 < 2: a scale-down never happens with a failed metric.
		{"scale down blocked", 40000, false, 2, "FailedGetExternalMetric"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAS(t, spec, DefaultConfig())
			d := a.Reconcile(t0, Input{SpecReplicas: 2, StatusReplicas: 2, Metrics: []MetricInput{external(tc.good), {Err: boom}}})
			require.Error(t, d.Err)
			require.Contains(t, d.Err.Error(), "invalid metrics (1 invalid out of 2), first error is: failed to get s1-kafka external metric value: failed to get s1-kafka external metric: unable to get external metric default/s1-kafka/&LabelSelector{")
			require.Contains(t, d.Err.Error(), "unable to fetch metrics from external metrics API: prometheus unreachable")
			require.Equal(t, tc.wantRescale, d.Rescale)
			require.Equal(t, tc.wantDesired, d.DesiredReplicas)
			require.Equal(t, EventWarning, d.Events[0].Type)
			require.Equal(t, "FailedGetExternalMetric", d.Events[0].Reason)
			require.Equal(t, tc.wantActive, d.Conditions[1].Reason)
			if !tc.wantRescale {
				require.Equal(t, PathMetricsFailed, d.Path)
				require.Equal(t, "FailedComputeMetricsReplicas", d.Events[1].Reason)
				require.Contains(t, d.Conditions[1].Message, "the HPA was unable to compute the replica count: unable to get external metric default/s1-kafka/")
				require.Empty(t, a.Snapshot().Recommendations[1:], "no recommendation is stored when metrics fail")
			}
		})
	}
}

func TestReconcileToleranceByVersion(t *testing.T) {
	// 330 over 3 replicas against 100 each: the usage ratio is exactly 1.1.
	tests := []struct {
		version string
		want    int32
	}{
		{"1.32", 4}, // |1-1.1| = 0.10000000000000009 > 0.1: scales
		{"1.33", 3}, // 1.1 <= 1+0.1: within tolerance
		{"1.35", 3},
	}
	for _, tc := range tests {
		t.Run(tc.version, func(t *testing.T) {
			cfg, err := ConfigForKubernetesVersion(tc.version)
			require.NoError(t, err)
			s := kedaSpec(nil)
			s.Metrics[0].Target.AverageValueMilli = i64(100000)
			a := newAS(t, s, cfg)
			d := a.Reconcile(t0, Input{SpecReplicas: 3, StatusReplicas: 3, Metrics: []MetricInput{external(330000)}})
			require.Equal(t, tc.want, d.Metrics[0].Proposal)
		})
	}
}

func TestReconcileConfigurableTolerance(t *testing.T) {
	up := 0.01
	b := &Behavior{ScaleUp: &ScalingRules{Tolerance: &up}}
	tests := []struct {
		name string
		cfg  func() Config
		want int32
	}{
		{"gate on honours 1%", DefaultConfig, 11},
		{"gate off keeps 10%", func() Config { c := DefaultConfig(); c.ConfigurableTolerance = false; return c }, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := kedaSpec(b)
			s.MaxReplicas = 20
			a := newAS(t, s, tc.cfg())
			// 410 over 10 replicas against 40 each: ratio 1.025.
			d := a.Reconcile(t0, Input{SpecReplicas: 10, StatusReplicas: 10, Metrics: []MetricInput{external(410000)}})
			require.Equal(t, tc.want, d.Metrics[0].Proposal)
		})
	}
}

func TestReconcileResourceUtilization(t *testing.T) {
	start := t0.Add(-time.Hour)
	var pods []Pod
	var usage []PodResourceMetric
	for _, n := range []string{"a", "b", "c"} {
		pods = append(pods, Pod{Name: n, Phase: PodRunning, StartTime: &start, Ready: &ReadyCondition{Status: true, LastTransitionTime: start},
			Containers: []Container{{Name: "app", RequestsMilli: map[string]int64{"cpu": 1000}}}})
		usage = append(usage, PodResourceMetric{Pod: n, Timestamp: t0, Window: 30 * time.Second,
			Containers: []ContainerUsage{{Name: "app", UsageMilli: map[string]int64{"cpu": 900}}}})
	}
	// A pod still starting: Pending pods count as unready and, on a
	// scale-up, as using nothing.
	pods = append(pods, Pod{Name: "d", Phase: PodPending, Containers: []Container{{Name: "app", RequestsMilli: map[string]int64{"cpu": 1000}}}})
	a := newAS(t, Spec{Name: "web", MaxReplicas: 10}, DefaultConfig()) // API default metric: cpu 80%
	d := a.Reconcile(t0, Input{SpecReplicas: 4, StatusReplicas: 4, Pods: pods, Metrics: []MetricInput{{PodResources: usage}}})
	require.NoError(t, d.Err)
	m := d.Metrics[0]
	require.Equal(t, "cpu resource utilization (percentage of request)", m.Description)
	require.Equal(t, "90%", m.CurrentValue)
	require.Equal(t, []string{"d"}, m.Details.Groups.Unready)
	// 2700m over 4000m requested = 67% after zeroing d: ratio 0.8375 flips
	// direction, so the current count is kept.
	require.Equal(t, int32(4), m.Proposal)
	require.False(t, d.Rescale)
}

func TestReconcileBehaviorPolicies(t *testing.T) {
	disabled := DisabledPolicySelect
	tests := []struct {
		name      string
		behavior  *Behavior
		current   int32
		value     int64
		want      int32
		wantLimit string
	}{
		{"scale down disabled", &Behavior{ScaleDown: &ScalingRules{SelectPolicy: &disabled, StabilizationWindowSeconds: i32(0)}}, 6, 40000, 6, ReasonScaleDownLimit},
		{"one pod per minute down", &Behavior{ScaleDown: &ScalingRules{StabilizationWindowSeconds: i32(0),
			Policies: []ScalingPolicy{{Type: PodsScalingPolicy, Value: 1, PeriodSeconds: 60}}}}, 6, 40000, 5, ReasonScaleDownLimit},
		{"percent up rounds up", &Behavior{ScaleUp: &ScalingRules{
			Policies: []ScalingPolicy{{Type: PercentScalingPolicy, Value: 10, PeriodSeconds: 60}}}}, 6, 400000, 7, ReasonScaleUpLimit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAS(t, kedaSpec(tc.behavior), DefaultConfig())
			a.Reconcile(t0.Add(-time.Hour), Input{SpecReplicas: tc.current, StatusReplicas: tc.current, Metrics: []MetricInput{external(int64(tc.current) * 40000)}})
			d := a.Reconcile(t0, Input{SpecReplicas: tc.current, StatusReplicas: tc.current, Metrics: []MetricInput{external(tc.value)}})
			require.NoError(t, d.Err)
			require.Equal(t, tc.want, d.DesiredReplicas)
			require.Equal(t, tc.wantLimit, d.LimitReason)
			require.Equal(t, ConditionTrue, d.Conditions[2].Status)
		})
	}
}

func TestScaleEventsLimitLaterScaleUps(t *testing.T) {
	a := newAS(t, kedaSpec(&Behavior{ScaleUp: &ScalingRules{
		Policies: []ScalingPolicy{{Type: PodsScalingPolicy, Value: 2, PeriodSeconds: 60}}}}), DefaultConfig())
	want := []int32{3, 3, 3, 3, 5}
	replicas := int32(1)
	for i, w := range want {
		d := a.Reconcile(t0.Add(time.Duration(i)*15*time.Second), Input{SpecReplicas: replicas, StatusReplicas: replicas, Metrics: []MetricInput{external(400000)}})
		require.Equal(t, w, d.DesiredReplicas, "step %d", i)
		replicas = d.DesiredReplicas
	}
	// The first event is exactly one period old at the last sync: it no
	// longer counts, but only an older one is outdated and gives up its
	// slot (conformance reproducer scaleDownEvents-137-1596).
	require.Len(t, a.Snapshot().ScaleUpEvents, 2, "an event exactly one period old keeps its slot")
}

func TestNewAutoscalerValidation(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		cfg  Config
		want string
	}{
		{"period zero", kedaSpec(&Behavior{ScaleDown: &ScalingRules{Policies: []ScalingPolicy{{Type: PodsScalingPolicy, Value: 1}}}}), DefaultConfig(),
			"spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 0: must be greater than zero"},
		{"period too long", kedaSpec(&Behavior{ScaleUp: &ScalingRules{Policies: []ScalingPolicy{{Type: PodsScalingPolicy, Value: 1, PeriodSeconds: 1801}}}}), DefaultConfig(),
			"spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800"},
		{"window too long", kedaSpec(&Behavior{ScaleDown: &ScalingRules{StabilizationWindowSeconds: i32(3601)}}), DefaultConfig(),
			"spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600"},
		{"empty policies", kedaSpec(&Behavior{ScaleUp: &ScalingRules{Policies: []ScalingPolicy{}}}), DefaultConfig(),
			"spec.behavior.scaleUp.policies: Required value: must specify at least one Policy"},
		{"min above max", func() Spec { s := kedaSpec(nil); s.MinReplicas = i32(11); return s }(), DefaultConfig(),
			"spec.maxReplicas: Invalid value: 10: must be greater than or equal to `minReplicas`"},
		{"min zero without gate", func() Spec { s := kedaSpec(nil); s.MinReplicas = i32(0); return s }(), DefaultConfig(),
			"spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"},
		{"bad select policy", func() Spec {
			p := ScalingPolicySelect("Fast")
			return kedaSpec(&Behavior{ScaleUp: &ScalingRules{SelectPolicy: &p}})
		}(), DefaultConfig(),
			`spec.behavior.scaleUp.selectPolicy: Unsupported value: "Fast"`},
		{"negative tolerance", func() Spec { v := -0.1; return kedaSpec(&Behavior{ScaleUp: &ScalingRules{Tolerance: &v}}) }(), DefaultConfig(),
			`spec.behavior.scaleUp.tolerance: Invalid value: "-100m": must be greater than or equal to 0`},
		{"zero target", func() Spec { s := kedaSpec(nil); s.Metrics[0].Target.AverageValueMilli = i64(0); return s }(), DefaultConfig(),
			`spec.metrics[0].external.target.averageValue: Invalid value: "0": must be positive`},
		{"bad config", kedaSpec(nil), Config{}, "syncPeriod must be positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewAutoscaler(tc.spec, tc.cfg)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
	cfg := DefaultConfig()
	cfg.ScaleToZero = true
	s := kedaSpec(nil)
	s.MinReplicas = i32(0)
	_, err := NewAutoscaler(s, cfg)
	require.NoError(t, err, "minReplicas 0 is accepted with the HPAScaleToZero gate")
}

func TestScaleFromZero(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ScaleToZero = true
	s := kedaSpec(nil)
	s.MinReplicas = i32(0)
	a := newAS(t, s, cfg)
	d := a.Reconcile(t0, Input{Metrics: []MetricInput{external(100000)}})
	require.Equal(t, PathMetrics, d.Path)
	// AverageValue at zero status replicas: ceil(100/40) = 3, capped at 4.
	require.Equal(t, int32(3), d.Metrics[0].Proposal)
	require.Equal(t, int32(3), d.DesiredReplicas)
}

func TestReconcileRejectsBadInput(t *testing.T) {
	a := newAS(t, kedaSpec(nil), DefaultConfig())
	d := a.Reconcile(t0, Input{SpecReplicas: -1})
	require.Error(t, d.Err)
	require.Equal(t, PathInvalidInput, d.Path)
	d = a.Reconcile(t0, Input{SpecReplicas: 2, StatusReplicas: 2})
	require.Equal(t, PathMetricsFailed, d.Path, "a missing metric input fails that metric")
	require.Contains(t, d.Err.Error(), "no input supplied for spec.metrics[0]")
}

func TestConfigForKubernetesVersion(t *testing.T) {
	tests := []struct {
		in                        string
		wantErr                   bool
		configurable, legacy, plr bool
	}{
		{in: "1.32", legacy: true},
		{in: "v1.33.4", configurable: false},
		{in: "1.34", plr: true},
		{in: "1.35", configurable: true, plr: true},
		{in: "1.36.0-alpha.1", configurable: true, plr: true},
		{in: "1.22", wantErr: true},
		{in: "2.0", wantErr: true},
		{in: "latest", wantErr: true},
		{in: "1.x", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			c, err := ConfigForKubernetesVersion(tc.in)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.configurable, c.ConfigurableTolerance)
			require.Equal(t, tc.legacy, c.LegacyToleranceCheck)
			require.Equal(t, tc.plr, c.PodLevelResources)
			require.Equal(t, 15*time.Second, c.SyncPeriod)
		})
	}
	latest, err := ConfigForKubernetesVersion("1.35")
	require.NoError(t, err)
	require.Equal(t, DefaultConfig(), latest)
}

func TestFormatting(t *testing.T) {
	require.Equal(t, "250m", FormatMilli(250))
	require.Equal(t, "5", FormatMilli(5000))
	require.Equal(t, "1500", FormatMilli(1500000))
	require.Equal(t, "15k", FormatMilli(15000000))
	require.Equal(t, "0", FormatMilli(0))
	require.Equal(t, "nil", FormatLabelSelector(""))
	require.Equal(t,
		"&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[x y],},LabelSelectorRequirement{Key:gone,Operator:DoesNotExist,Values:[],},},}",
		FormatLabelSelector("b=2,a=1,tier in (x,y),!gone"))
}

func TestTolerancesString(t *testing.T) {
	require.Equal(t, "[down:10.0%, up:1.0%]", Tolerances{ScaleDown: 0.1, ScaleUp: 0.01}.String())
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		m    MetricSpec
		want string
	}{
		{MetricSpec{Type: ResourceMetricSourceType, Name: "memory", Target: MetricTarget{AverageValueMilli: i64(1)}}, "memory resource"},
		{MetricSpec{Type: ContainerResourceMetricSourceType, Name: "cpu", Container: "app", Target: MetricTarget{AverageUtilization: i32(50)}}, "cpu container resource utilization (percentage of request)"},
		{MetricSpec{Type: PodsMetricSourceType, Name: "qps"}, "pods metric qps"},
		{MetricSpec{Type: ObjectMetricSourceType, Name: "hits", DescribedObject: CrossVersionObjectReference{Kind: "Ingress"}, Target: MetricTarget{Type: ValueMetricType}}, "Ingress metric hits"},
		{MetricSpec{Type: ObjectMetricSourceType, Name: "hits", Target: MetricTarget{Type: AverageValueMetricType}}, "external metric hits(nil)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) { require.Equal(t, tc.want, Describe(tc.m)) })
	}
}

func TestReconcileResourceMetricFailure(t *testing.T) {
	a := newAS(t, Spec{Name: "web", MaxReplicas: 5}, DefaultConfig())
	start := t0.Add(-time.Hour)
	pods := []Pod{{Name: "a", Phase: PodRunning, StartTime: &start, Ready: &ReadyCondition{Status: true, LastTransitionTime: start},
		Containers: []Container{{Name: "app"}}}}
	usage := []PodResourceMetric{{Pod: "a", Containers: []ContainerUsage{{Name: "app", UsageMilli: map[string]int64{"cpu": 100}}}}}
	d := a.Reconcile(t0, Input{SpecReplicas: 1, StatusReplicas: 1, Pods: pods, Metrics: []MetricInput{{PodResources: usage}}})
	require.Equal(t, PathMetricsFailed, d.Path)
	require.Equal(t, Condition{Type: ScalingActive, Status: ConditionFalse, Reason: "FailedGetResourceMetric",
		Message: "the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod a", LastTransitionTime: t0}, d.Conditions[1])
	require.Equal(t, []Event{
		{EventWarning, "FailedGetResourceMetric", "failed to get cpu utilization: missing request for cpu in container app of Pod a"},
		{EventWarning, "FailedComputeMetricsReplicas", "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu in container app of Pod a"},
	}, d.Events)
	require.EqualError(t, d.Err, "failed to compute desired number of replicas based on listed metrics for Deployment/default/web: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu in container app of Pod a")
}
