package keda

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestResolveVersion(t *testing.T) {
	for in, want := range map[string]string{
		"": DefaultVersion, "2.18": "2.18.3", "2.18.1": "2.18.1", "v2.14.1": "2.14.1", "main": DevVersion, "2.17": "2.17.2",
	} {
		got, err := ResolveVersion(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"2.13", "2.13.0", "3", "2.18.9", "latest"} {
		_, err := ResolveVersion(bad)
		require.ErrorContains(t, err, "unsupported KEDA version", bad)
	}
}

func newLoopAt(t *testing.T, version string, mutate func(*ScaledObject)) *Loop {
	t.Helper()
	so := promSO()
	mutate(so)
	l, err := NewLoop(so, version, at(0))
	require.NoError(t, err)
	return l
}

// TestVersionDifferences: each behaviour that changed between the KEDA
// releases, on both sides of the release that changed it.
func TestVersionDifferences(t *testing.T) {
	fail := []TriggerObservation{{Err: errors.New("down")}}
	fallback := func(so *ScaledObject) { so.Fallback = &Fallback{FailureThreshold: 3, Replicas: 5} }

	t.Run("fallback.replicas written at once up to v2.16 (doFallbackScaling)", func(t *testing.T) {
		runSteps(t, newLoopAt(t, "2.16.1", fallback), []step{{sec: 0, current: 1, obs: fail, scaleTo: i32(5), reason: "writes fallback.replicas 5 at once"}})
		runSteps(t, newLoopAt(t, "2.17.0", fallback), []step{{sec: 0, current: 1, obs: fail, reason: "replicas left to the HPA"}})
	})
	t.Run("fallback in the scale loop from v2.19: a failing trigger past the threshold wakes the workload", func(t *testing.T) {
		zero := func(so *ScaledObject) { fallback(so); so.Fallback.FailureThreshold = 0 }
		runSteps(t, newLoopAt(t, "2.18.1", zero), []step{{sec: 0, current: 0, obs: fail, reason: "replicas left to the HPA"}})
		runSteps(t, newLoopAt(t, "2.19.0", zero), []step{{sec: 0, current: 0, obs: fail, scaleTo: i32(1), active: true}})
	})
	t.Run("fallback.behavior exists from v2.17 (before, the CRD prunes it: static)", func(t *testing.T) {
		cur := func(so *ScaledObject) {
			fallback(so)
			so.Fallback.Behavior = FallbackBehaviorCurrentReplicas
			so.Fallback.FailureThreshold = 0
		}
		// promSO's threshold, the AverageValue target, is 40.
		for version, want := range map[string]int64{"2.16.0": 5, "2.17.0": 2} {
			l := newLoopAt(t, version, cur)
			v, err := l.MetricsForHPA(l.metricNames[0], fail, Workload{Current: 2, Ready: 2})
			require.NoError(t, err, version)
			// The fallback value is replicas x the target.
			require.Equal(t, []int64{want * 40 * 1000}, v, version)
		}
	})
	t.Run("fallback for Value targets from v2.18", func(t *testing.T) {
		value := func(so *ScaledObject) {
			fallback(so)
			so.Fallback.FailureThreshold = 0
			so.Triggers[0].MetricType = "Value"
		}
		l := newLoopAt(t, "2.17.2", value)
		_, err := l.MetricsForHPA(l.metricNames[0], fail, Workload{Current: 2, Ready: 2})
		require.Error(t, err, "2.17: no fallback for a Value metric")
		l = newLoopAt(t, "2.18.0", value)
		_, err = l.MetricsForHPA(l.metricNames[0], fail, Workload{Current: 2, Ready: 2})
		require.NoError(t, err)
	})
	t.Run("paused-scale-in exists from v2.18 (before, the annotation means nothing)", func(t *testing.T) {
		paused := func(so *ScaledObject) {
			so.CooldownPeriod = i32(0)
			so.Annotations = map[string]string{PausedScaleInAnnotation: "true"}
		}
		runSteps(t, newLoopAt(t, "2.17.2", paused), []step{{sec: 1, current: 3, obs: obs(0), scaleTo: i32(0)}})
		runSteps(t, newLoopAt(t, "2.18.0", paused), []step{{sec: 1, current: 3, obs: obs(0), reason: "paused-scale-in is set"}})
	})
	t.Run("an invalid fallback is admitted before v2.17", func(t *testing.T) {
		so := promSO()
		so.Fallback = &Fallback{FailureThreshold: -1, Replicas: 1}
		errs, _ := so.ValidateVersion("2.16.0")
		require.Empty(t, errs)
		errs, _ = so.ValidateVersion("2.17.0")
		require.NotEmpty(t, errs)
	})
	t.Run("min > max: refused at admission from v2.20, before every reconcile fails", func(t *testing.T) {
		so := promSO()
		so.MinReplicaCount, so.MaxReplicaCount = i32(5), i32(3)
		errs, _ := so.ValidateVersion("2.19.0")
		require.Len(t, errs, 1)
		require.Contains(t, errs[0].Message, "every reconcile fails")
		errs, _ = so.ValidateVersion("2.20.0")
		require.NotContains(t, errs[0].Message, "every reconcile fails")
	})
	t.Run("kafka scaleToZeroOnInvalidOffset with earliest from v2.15", func(t *testing.T) {
		kafka := func(so *ScaledObject) {
			so.Triggers[0] = Trigger{Type: "kafka", Metadata: map[string]string{"bootstrapServers": "b", "consumerGroup": "g", "topic": "t",
				"offsetResetPolicy": "earliest", "scaleToZeroOnInvalidOffset": "true"}}
		}
		parts := []KafkaPartition{{LogEnd: 50, Committed: -1}}
		// The whole log, capped at lagThreshold (10) x 1 partition.
		require.Equal(t, 10.0, newLoopAt(t, "2.14.1", kafka).ObserveKafka(0, parts).Value)
		require.Equal(t, 0.0, newLoopAt(t, "2.15.0", kafka).ObserveKafka(0, parts).Value)
	})
}
