package keda

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConditions: status.conditions as the reconciler and the scale loop
// leave them (condition_types.go GetInitializedConditions,
// scaledobject_controller.go, scale_scaledobjects.go RequestScale and
// checkHPAHealth), per release.
func TestConditions(t *testing.T) {
	t.Run("initial: Paused False from v2.18, Fallback NoFallbackFound from v2.16", func(t *testing.T) {
		c := newLoopAt(t, "2.18.0", func(*ScaledObject) {}).Conditions()
		require.Equal(t, Condition{"True", "ScaledObjectReady", "ScaledObject is defined correctly and is ready for scaling"}, c.Ready)
		require.Equal(t, Condition{Status: "Unknown"}, c.Active, "until the first poll")
		require.Equal(t, Condition{Status: "False"}, c.Paused)
		require.Equal(t, "NoFallbackFound", c.Fallback.Reason)
		c = newLoopAt(t, "2.15.1", func(*ScaledObject) {}).Conditions()
		require.Equal(t, Condition{Status: "Unknown"}, c.Paused)
		require.Equal(t, Condition{Status: "Unknown"}, c.Fallback)
		c = newLoopAt(t, "2.18.0", func(so *ScaledObject) { so.Fallback = &Fallback{FailureThreshold: 3, Replicas: 2} }).Conditions()
		require.Equal(t, Condition{Status: "Unknown"}, c.Fallback, "with a valid fallback, Unknown until the first metric call")
	})
	t.Run("paused, then the annotation removed", func(t *testing.T) {
		l := newLoopAt(t, "", func(so *ScaledObject) { so.Annotations = map[string]string{PausedReplicasAnnotation: "2"} })
		c := l.Conditions()
		require.Equal(t, Condition{"True", "ScaledObjectPaused", "ScaledObject is paused"}, c.Paused)
		require.Equal(t, "ScaledObject is paused", c.Ready.Message, "Ready stays True with the paused message")
		l.SetAnnotations(nil)
		c = l.Conditions()
		require.Equal(t, Condition{"False", "ScaledObjectUnpaused", "pause annotation removed for ScaledObject"}, c.Paused)
		require.Equal(t, "ScaledObject is defined correctly and is ready for scaling", c.Ready.Message)
	})
	t.Run("paused-scale-in sets Paused True but keeps the loop", func(t *testing.T) {
		l := newLoopAt(t, "", func(so *ScaledObject) { so.Annotations = map[string]string{PausedScaleInAnnotation: "true"} })
		r := runSteps(t, l, []step{{sec: 0, current: 2, obs: obs(100), active: true}})
		require.Equal(t, "True", r[0].Conditions.Paused.Status)
		require.False(t, r[0].Paused)
	})
	t.Run("HPAActive from v2.20.2; Ready in v2.20.0 after a minute", func(t *testing.T) {
		down := &Condition{"False", "FailedGetExternalMetric", "the HPA was unable to compute the replica count"}
		l := newLoopAt(t, "2.20.2", func(*ScaledObject) {})
		r, err := l.Poll(at(60), Workload{Current: 2, Ready: 2, HPAScaling: down}, obs(100))
		require.NoError(t, err)
		require.Equal(t, Condition{"False", "FailedGetExternalMetric", "HPA is not actively scaling: the HPA was unable to compute the replica count"}, r.Conditions.HPAActive)
		require.Equal(t, "True", r.Conditions.Ready.Status)
		l = newLoopAt(t, "2.20.0", func(*ScaledObject) {})
		r, _ = l.Poll(at(30), Workload{Current: 2, Ready: 2, HPAScaling: down}, obs(100))
		require.Equal(t, "True", r.Conditions.Ready.Status, "within a minute of the HPA's creation")
		r, _ = l.Poll(at(60), Workload{Current: 2, Ready: 2, HPAScaling: down}, obs(100))
		require.Equal(t, Condition{"False", "HPAMetricsUnavailable", "ScaledObject is configured correctly but HPA is not healthy: FailedGetExternalMetric"}, r.Conditions.Ready)
		require.Zero(t, r.Conditions.HPAActive)
	})
	t.Run("an activationTarget that does not parse: admitted, every poll stops before deciding, the HPA goes on", func(t *testing.T) {
		so := promSO()
		so.Triggers[0].Name = "ws"
		so.MinReplicaCount = i32(0)
		so.Advanced = &Advanced{ScalingModifiers: &ScalingModifiers{Formula: "ws", Target: "40", ActivationTarget: "abc"}}
		errs, _ := so.ValidateVersion("")
		require.Empty(t, errs, "the webhook never reads activationTarget")
		l, err := NewLoop(so, "", at(0))
		require.NoError(t, err)
		r, err := l.Poll(at(30), Workload{Current: 0}, obs(500))
		require.NoError(t, err)
		require.ErrorContains(t, r.StateError, `scalingModifiers.ActivationTarget parsing error strconv.ParseFloat: parsing "abc": invalid syntax`)
		require.Nil(t, r.ScaleTo, "stuck at 0: nothing wakes it")
		require.Equal(t, Condition{Status: "Unknown"}, r.Conditions.Active)
		v, err := l.MetricsForHPA(CompositeMetricName, obs(500), Workload{Current: 2, Ready: 2})
		require.NoError(t, err)
		require.Equal(t, []int64{500_000}, v, "the HPA's requests never parse activationTarget")
	})
}
