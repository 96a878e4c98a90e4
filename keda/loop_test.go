package keda

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type step struct {
	sec     int
	ms      int // added to sec: polls between whole seconds
	current int32
	ready   int32
	obs     []TriggerObservation
	scaleTo *int32 // nil: KEDA leaves replicas alone
	active  bool
	reason  string // substring
}

func runSteps(t *testing.T, l *Loop, steps []step) []PollResult {
	t.Helper()
	var out []PollResult
	for n, s := range steps {
		ready := s.ready
		if ready == 0 {
			ready = s.current
		}
		r, err := l.Poll(at(s.sec).Add(time.Duration(s.ms)*time.Millisecond), Workload{Current: s.current, Ready: ready, HPAScalingActive: s.current > 0}, s.obs)
		require.NoError(t, err, "step %d", n)
		require.Equal(t, s.scaleTo, r.ScaleTo, "step %d: %s", n, r.Reason)
		require.Equal(t, s.active, r.Active, "step %d: %s", n, r.Reason)
		require.Contains(t, r.Reason, s.reason, "step %d", n)
		out = append(out, r)
	}
	return out
}

func TestPollStateMachine(t *testing.T) {
	fail := []TriggerObservation{{Err: errors.New("down")}}
	cases := []struct {
		name   string // executor/scale_scaledobjects.go RequestScale unless noted
		mutate func(so *ScaledObject)
		steps  []step
	}{
		{
			name:   "activation 0 -> max(min,1) = 1, then the HPA owns replicas",
			mutate: func(so *ScaledObject) {},
			steps: []step{
				{sec: 0, current: 0, obs: obs(0), reason: "nothing to do at 0"},
				{sec: 30, current: 0, obs: obs(5), scaleTo: i32(1), active: true, reason: "scaling from 0 to 1, triggered by s0-prometheus"},
				{sec: 60, current: 4, obs: obs(150), active: true, reason: "the HPA owns replicas at 4"},
			},
		},
		{
			name:   "scaleFromZeroOrIdle: minReplicaCount 3 with idleReplicaCount 0 scales 0 -> 3",
			mutate: func(so *ScaledObject) { so.MinReplicaCount = i32(3); so.IdleReplicaCount = i32(0) },
			steps: []step{
				{sec: 0, current: 0, obs: obs(1), scaleTo: i32(3), active: true},
				{sec: 30, current: 3, obs: obs(0), reason: "waiting for cooldownPeriod 5m0s since last active"},
				{sec: 301, current: 3, obs: obs(0), scaleTo: i32(0), reason: "cooldownPeriod 5m0s elapsed since last active at 2026-01-01T00:00:00Z: scaling from 3 to idleReplicaCount 0"},
			},
		},
		{
			name:   "scaleToZeroOrIdle: cooldown is strict (lastActive+cooldown Before now), N -> 0 directly",
			mutate: func(so *ScaledObject) { so.CooldownPeriod = i32(45) },
			steps: []step{
				{sec: 0, current: 5, obs: obs(100), active: true},
				{sec: 45, current: 5, obs: obs(0), reason: "waiting for cooldownPeriod 45s"},
				{sec: 46, current: 5, obs: obs(0), scaleTo: i32(0), reason: "scaling from 5 to minReplicaCount 0"},
			},
		},
		{
			name:   "lastActiveTime keeps whole seconds (metav1.Time): active at 0.4s, cooled down at 45.2s",
			mutate: func(so *ScaledObject) { so.CooldownPeriod = i32(45) },
			steps: []step{
				{ms: 400, current: 5, obs: obs(100), active: true},
				{sec: 45, current: 5, obs: obs(0), reason: "waiting for cooldownPeriod 45s"},
				{ms: 45200, current: 5, obs: obs(0), scaleTo: i32(0), reason: "elapsed since last active at 2026-01-01T00:00:00Z"},
			},
		},
		{
			name:   "initialCooldownPeriod: never active, counted from creation",
			mutate: func(so *ScaledObject) { so.InitialCooldownPeriod = i32(120) },
			steps: []step{
				{sec: 60, current: 2, obs: obs(0), reason: "waiting for initialCooldownPeriod 2m0s since creation (never active)"},
				{sec: 121, current: 2, obs: obs(0), scaleTo: i32(0), reason: "initialCooldownPeriod 2m0s elapsed since creation (never active)"},
			},
		},
		{
			name:   "default initialCooldownPeriod 0: a never-active target scales to 0 at the first tick after creation",
			mutate: func(so *ScaledObject) {},
			steps:  []step{{sec: 30, current: 2, obs: obs(0), scaleTo: i32(0)}},
		},
		{
			name:   "restore minReplicaCount when inactive and below it (no idle)",
			mutate: func(so *ScaledObject) { so.MinReplicaCount = i32(2) },
			steps: []step{
				{sec: 0, current: 1, obs: obs(0), scaleTo: i32(2), reason: "below minReplicaCount"},
				{sec: 30, current: 0, obs: obs(3), scaleTo: i32(2), active: true},
				{sec: 60, current: 1, obs: obs(3), active: true, reason: "the HPA owns replicas"},
			},
		},
		{
			name:   "error without fallback: Ready False TriggerError, replicas unchanged",
			mutate: func(so *ScaledObject) {},
			steps:  []step{{sec: 0, current: 3, obs: fail, reason: "no fallback is configured"}},
		},
		{
			name:   "error with fallback.replicas 0 falls through to the scale-to-zero branch",
			mutate: func(so *ScaledObject) { so.Fallback = &Fallback{FailureThreshold: 5, Replicas: 0} },
			steps:  []step{{sec: 10, current: 3, obs: fail, scaleTo: i32(0)}},
		},
		{
			name:   "fallback: failures <= threshold keep the error, then fallback makes the trigger active",
			mutate: func(so *ScaledObject) { so.Fallback = &Fallback{FailureThreshold: 1, Replicas: 4} },
			steps: []step{
				{sec: 0, current: 0, obs: fail, reason: "fallback is configured"},
				{sec: 30, current: 0, obs: fail, scaleTo: i32(1), active: true, reason: "scaling from 0 to 1"},
			},
		},
		{
			name:   "paused-scale-in blocks KEDA's step to 0",
			mutate: func(so *ScaledObject) { so.Annotations = map[string]string{PausedScaleInAnnotation: "true"} },
			steps:  []step{{sec: 10, current: 3, obs: obs(0), reason: "paused-scale-in is set"}},
		},
		{
			name:   "paused-scale-out blocks KEDA's step from 0",
			mutate: func(so *ScaledObject) { so.Annotations = map[string]string{PausedScaleOutAnnotation: "true"} },
			steps:  []step{{sec: 10, current: 0, obs: obs(9), active: true, reason: "paused-scale-out is set"}},
		},
		{
			name:   "force-activation scales from 0 although inactive",
			mutate: func(so *ScaledObject) { so.Annotations = map[string]string{ForceActivationAnnotation: "true"} },
			steps:  []step{{sec: 10, current: 0, obs: obs(0), scaleTo: i32(1), reason: "caused by the autoscaling.keda.sh/force-activation annotation"}},
		},
		{
			name:   "paused-replicas: KEDA sets the count and deletes the HPA (scaledobject_controller.go handlePause)",
			mutate: func(so *ScaledObject) { so.Annotations = map[string]string{PausedReplicasAnnotation: "2"} },
			steps: []step{
				{sec: 0, current: 5, obs: obs(100), scaleTo: i32(2), reason: "HPA deleted, scaling from 5 to 2"},
				{sec: 30, current: 2, obs: obs(100), reason: "at 2 replicas"},
			},
		},
		{
			name:   "paused: nothing moves",
			mutate: func(so *ScaledObject) { so.Annotations = map[string]string{PausedAnnotation: "true"} },
			steps:  []step{{sec: 0, current: 0, obs: obs(100), reason: "replicas stay at 0"}},
		},
		{
			name: "only cpu/memory triggers are always active (scale_handler.go getScaledObjectState)",
			mutate: func(so *ScaledObject) {
				so.MinReplicaCount = i32(1)
				so.Triggers = []Trigger{{Type: "cpu", MetricType: "Utilization", Metadata: map[string]string{"value": "50"}}}
			},
			steps: []step{{sec: 0, current: 2, obs: []TriggerObservation{{}}, active: true}},
		},
		{
			name: "any active trigger activates; an erroring one makes it partial (no lastActiveTime)",
			mutate: func(so *ScaledObject) {
				tr := so.Triggers[0]
				so.Triggers = append(so.Triggers, tr)
				so.CooldownPeriod = i32(10)
			},
			steps: []step{
				{sec: 0, current: 2, obs: obs(0, 1), active: true},
				{sec: 100, current: 2, obs: []TriggerObservation{{Active: true, Value: 1}, {Err: errors.New("x")}}, active: true, reason: "some triggers failed"},
				{sec: 101, current: 2, obs: obs(0, 0), scaleTo: i32(0), reason: "since last active at 2026-01-01T00:00:00Z"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			so := promSO()
			tc.mutate(so)
			l, err := NewLoop(so, "", at(0))
			require.NoError(t, err)
			runSteps(t, l, tc.steps)
		})
	}
}

func TestPollConditions(t *testing.T) {
	so := promSO()
	so.Fallback = &Fallback{FailureThreshold: 0, Replicas: 3}
	l, err := NewLoop(so, "", at(0))
	require.NoError(t, err)
	r, err := l.Poll(at(0), Workload{Current: 2, Ready: 2}, []TriggerObservation{{Err: errors.New("down")}})
	require.NoError(t, err)
	require.True(t, r.FallbackActive)
	require.Equal(t, Condition{"True", "FallbackExists", "At least one trigger is falling back on this scaled object"}, r.Conditions.Fallback)
	require.Equal(t, "ScalerActive", r.Conditions.Active.Reason)
	require.Equal(t, map[string]HealthStatus{"s0-prometheus": {NumberOfFailures: 1, Failing: true}}, l.Health())

	r, err = l.Poll(at(30), Workload{Current: 2, Ready: 2}, obs(0))
	require.NoError(t, err)
	require.Equal(t, "NoFallbackFound", r.Conditions.Fallback.Reason)
	require.Equal(t, map[string]HealthStatus{"s0-prometheus": {}}, l.Health())

	_, err = l.Poll(at(60), Workload{}, nil)
	require.ErrorContains(t, err, "got 0 trigger observations for 1 triggers")
}

func TestMetricsForHPAFallback(t *testing.T) {
	down := []TriggerObservation{{Err: errors.New("down")}}
	cases := []struct {
		name     string // pkg/fallback/fallback.go doFallback
		behavior string
		metric   string
		current  int32
		ready    int32
		want     int64
		err      string
	}{
		{name: "static: replicas * averageValue target", behavior: "", current: 7, ready: 7, want: 5 * 40000},
		{name: "currentReplicas", behavior: "currentReplicas", current: 7, ready: 7, want: 7 * 40000},
		{name: "currentReplicasIfHigher keeps fallback replicas when current is lower", behavior: "currentReplicasIfHigher", current: 2, ready: 2, want: 5 * 40000},
		{name: "currentReplicasIfLower picks current when lower", behavior: "currentReplicasIfLower", current: 2, ready: 2, want: 2 * 40000},
		{name: "Value target divides by ready replicas", metric: "Value", current: 4, ready: 3, want: 66666},
		{name: "Value target with 0 ready replicas fails", metric: "Value", current: 4, ready: 0, err: "readyReplicas is zero"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			so := promSO()
			so.Triggers[0].MetricType = tc.metric
			so.Fallback = &Fallback{FailureThreshold: 2, Replicas: 5, Behavior: tc.behavior}
			l, err := NewLoop(so, "", at(0))
			require.NoError(t, err)
			w := Workload{Current: tc.current, Ready: tc.ready}
			// Failures 1 and 2 reach the HPA as errors; the third exceeds
			// the threshold.
			for i := 0; i < 2; i++ {
				_, err := l.MetricsForHPA("s0-prometheus", down, w)
				require.ErrorContains(t, err, "metric:s0-prometheus encountered error")
			}
			got, err := l.MetricsForHPA("s0-prometheus", down, w)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, []int64{tc.want}, got)
		})
	}
}

// Both loops count failures in the same status.health (fallback.go
// IncrementFailure is called from getScalerState and
// GetScaledObjectMetrics).
func TestFailureCountShared(t *testing.T) {
	so := promSO()
	so.Fallback = &Fallback{FailureThreshold: 2, Replicas: 5}
	l, err := NewLoop(so, "", at(0))
	require.NoError(t, err)
	down := []TriggerObservation{{Err: errors.New("down")}}
	_, err = l.Poll(at(0), Workload{Current: 1, Ready: 1}, down)
	require.NoError(t, err)
	_, err = l.MetricsForHPA("s0-prometheus", down, Workload{Current: 1, Ready: 1})
	require.Error(t, err)
	got, err := l.MetricsForHPA("s0-prometheus", down, Workload{Current: 1, Ready: 1})
	require.NoError(t, err)
	require.Equal(t, []int64{200000}, got)
	// A success anywhere resets the count.
	_, err = l.MetricsForHPA("s0-prometheus", obs(3), Workload{Current: 1, Ready: 1})
	require.NoError(t, err)
	require.Equal(t, int32(0), l.Health()["s0-prometheus"].NumberOfFailures)
}

func TestMetricsForHPAValues(t *testing.T) {
	so := promSO()
	l, err := NewLoop(so, "2.20.1", at(0))
	require.NoError(t, err)
	got, err := l.MetricsForHPA("s0-prometheus", obs(-2.5), Workload{Current: 1})
	require.NoError(t, err)
	require.Equal(t, []int64{-2500}, got, "v2.20.1 passes negative values to the HPA")

	l, err = NewLoop(so, "2.20.2", at(0))
	require.NoError(t, err)
	got, err = l.MetricsForHPA("s0-prometheus", obs(-2.5), Workload{Current: 1})
	require.NoError(t, err)
	require.Equal(t, []int64{0}, got, "v2.20.2 maps negative values to 0 (#7880)")

	_, err = l.MetricsForHPA("s9-prometheus", obs(1), Workload{Current: 1})
	require.EqualError(t, err, "no matching metrics found for s9-prometheus")

	so.Annotations = map[string]string{PausedAnnotation: "true"}
	l, err = NewLoop(so, "", at(0))
	require.NoError(t, err)
	_, err = l.MetricsForHPA("s0-prometheus", obs(1), Workload{Current: 1})
	require.ErrorContains(t, err, "paused")
}

func modifiersSO() *ScaledObject {
	so := promSO()
	so.Triggers[0].Name = "a"
	b := so.Triggers[0]
	b.Name = "b"
	b.Metadata = map[string]string{"serverAddress": "x", "query": "q2", "threshold": "1"}
	so.Triggers = append(so.Triggers, b)
	so.Advanced = &Advanced{ScalingModifiers: &ScalingModifiers{Formula: "a + b", Target: "10", ActivationTarget: "5"}}
	return so
}

// pkg/scaling/modifiers/formula.go and scale_handler.go
// getScaledObjectState: the composite value and its activation.
func TestScalingModifiers(t *testing.T) {
	l, err := NewLoop(modifiersSO(), "", at(0))
	require.NoError(t, err)
	require.Equal(t, []int{0, 1}, l.HPATriggers(CompositeMetricName))

	r, err := l.Poll(at(0), Workload{Current: 0}, obs(2, 3))
	require.NoError(t, err)
	require.False(t, r.Active, "2+3 = 5 is not above activationTarget 5")
	r, err = l.Poll(at(30), Workload{Current: 0}, obs(2, 3.5))
	require.NoError(t, err)
	require.True(t, r.Active)
	require.Equal(t, []string{CompositeMetricName}, r.ActiveTriggers)
	require.Equal(t, i32(1), r.ScaleTo)

	got, err := l.MetricsForHPA(CompositeMetricName, obs(2.0004, 3.0004), Workload{Current: 1})
	require.NoError(t, err)
	require.Equal(t, []int64{5000}, got, "the formula sees milli-rounded inputs")
}

// Fallback with scalingModifiers uses the composite target, and a
// fractional target disables fallback (fallback.go HasValidFallback parses
// it as an integer).
func TestScalingModifiersFallback(t *testing.T) {
	so := modifiersSO()
	so.Fallback = &Fallback{FailureThreshold: 0, Replicas: 3}
	l, err := NewLoop(so, "", at(0))
	require.NoError(t, err)
	mixed := []TriggerObservation{{Value: 1, Active: true}, {Err: errors.New("down")}}
	got, err := l.MetricsForHPA(CompositeMetricName, mixed, Workload{Current: 1, Ready: 1})
	require.NoError(t, err)
	require.Equal(t, []int64{30000}, got)

	so.Advanced.ScalingModifiers.Target = "10.5"
	l, err = NewLoop(so, "", at(0))
	require.NoError(t, err)
	_, err = l.MetricsForHPA(CompositeMetricName, mixed, Workload{Current: 1, Ready: 1})
	require.ErrorContains(t, err, "encountered error")
}

// fallback.behavior scalingModifiers: a failing trigger past the threshold
// is nil in the formula, so "??" picks the alternative.
func TestFallbackBehaviorScalingModifiers(t *testing.T) {
	so := modifiersSO()
	so.Advanced.ScalingModifiers.Formula = "b ?? (a * 2)"
	so.Fallback = &Fallback{FailureThreshold: 0, Replicas: 3, Behavior: FallbackBehaviorScalingModifiers}
	l, err := NewLoop(so, "", at(0))
	require.NoError(t, err)
	mixed := []TriggerObservation{{Value: 4, Active: true}, {Err: errors.New("down")}}
	got, err := l.MetricsForHPA(CompositeMetricName, mixed, Workload{Current: 1, Ready: 1})
	require.NoError(t, err)
	require.Equal(t, []int64{8000}, got)
	got, err = l.MetricsForHPA(CompositeMetricName, obs(4, 6), Workload{Current: 1, Ready: 1})
	require.NoError(t, err)
	require.Equal(t, []int64{6000}, got)
}

// scale_handler.go GetScaledObjectMetrics: useCachedMetrics serves the
// record of the last poll; in v2.20.2 any error clears the records.
func TestUseCachedMetrics(t *testing.T) {
	for _, tc := range []struct {
		version          string
		requeryAfterFail bool
	}{{"2.20.2", true}, {DevVersion, false}} {
		t.Run(tc.version, func(t *testing.T) {
			so := promSO()
			so.Triggers[0].UseCachedMetrics = true
			tr := so.Triggers[0]
			tr.UseCachedMetrics = false
			so.Triggers = append(so.Triggers, tr)
			l, err := NewLoop(so, tc.version, at(0))
			require.NoError(t, err)
			require.True(t, l.HPARequeries(0), "no record before the first poll")
			require.True(t, l.HPARequeries(1), "without useCachedMetrics every request re-queries")
			_, err = l.Poll(at(0), Workload{Current: 1}, obs(7, 1))
			require.NoError(t, err)
			require.False(t, l.HPARequeries(0))
			got, err := l.MetricsForHPA("s0-prometheus", obs(999, 0), Workload{Current: 1})
			require.NoError(t, err)
			require.Equal(t, []int64{7000}, got, "served from the poll's record")
			_, err = l.MetricsForHPA("s1-prometheus", []TriggerObservation{{}, {Err: errors.New("down")}}, Workload{Current: 1})
			require.Error(t, err)
			require.Equal(t, tc.requeryAfterFail, l.HPARequeries(0))
		})
	}
}

// kedacore/keda#8031: with pollingInterval irrelevant the loop reuses the
// HPA's observations while the HPA is actively querying.
func TestPollFromHPAObservations(t *testing.T) {
	so := promSO()
	so.MinReplicaCount = i32(2)
	for _, tc := range []struct {
		version string
		reuse   bool
	}{{"2.20.2", false}, {DevVersion, true}} {
		t.Run(tc.version, func(t *testing.T) {
			l, err := NewLoop(so, tc.version, at(0))
			require.NoError(t, err)
			require.True(t, l.PollRequeries(0, true), "nothing observed yet")
			_, err = l.MetricsForHPA("s0-prometheus", obs(55), Workload{Current: 2, HPAScalingActive: true})
			require.NoError(t, err)
			require.Equal(t, !tc.reuse, l.PollRequeries(0, true))
			require.True(t, l.PollRequeries(0, false), "an HPA not actively querying is not trusted")
			r, err := l.Poll(at(30), Workload{Current: 2, HPAScalingActive: true}, obs(0))
			require.NoError(t, err)
			require.Equal(t, tc.reuse, r.Active, "the reused observation (55) is active, the fresh one (0) is not")
		})
	}
}

func TestNewLoopErrors(t *testing.T) {
	_, err := NewLoop(nil, "", at(0))
	require.Error(t, err)
	_, err = NewLoop(promSO(), "9.9.9", at(0))
	require.ErrorContains(t, err, "unsupported KEDA version")
	so := promSO()
	so.Triggers = nil
	_, err = NewLoop(so, "", at(0))
	require.ErrorContains(t, err, "spec.triggers: must have at least one trigger")
}
