package keda

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// The HPA's metric requests work on the scalers cache's copy of the
// status, which the reconciler built before it wrote Ready: the first
// health update patches that copy's whole conditions list, so Ready and
// Active read Unknown again (fallback.go updateStatus). A single shared
// status would keep the tick's conditions.
func TestRequestCopyOverwritesConditions(t *testing.T) {
	so := promSO()
	so.Fallback = &Fallback{FailureThreshold: 2, Replicas: 3}
	l, err := NewLoop(so, "2.20.2", at(0))
	require.NoError(t, err)
	w := Workload{Current: 2, Ready: 2}
	r, err := l.Poll(at(30), w, obs(50))
	require.NoError(t, err)
	require.Equal(t, "True", r.Conditions.Ready.Status)
	require.Equal(t, "True", r.Conditions.Active.Status)

	_, err = l.MetricsForHPA("s0-prometheus", obs(50), w)
	require.NoError(t, err)
	require.Equal(t, "Unknown", l.Conditions().Ready.Status)
	require.Equal(t, "Unknown", l.Conditions().Active.Status)
	require.Equal(t, "NoFallbackFound", l.Conditions().Fallback.Reason)
}

// Pausing stops the scale loop and drops the scalers cache; unpausing
// builds it again on the reconciler's copy, which is the stored status
// then: a request that changes nothing patches nothing.
func TestUnpauseRebuildsTheCache(t *testing.T) {
	so := promSO()
	so.Fallback = &Fallback{FailureThreshold: 2, Replicas: 3}
	l, err := NewLoop(so, "2.20.2", at(0))
	require.NoError(t, err)
	w := Workload{Current: 2, Ready: 2}
	_, err = l.Poll(at(30), w, obs(50))
	require.NoError(t, err)
	l.SetAnnotations(map[string]string{PausedAnnotation: "true"})
	l.SetAnnotations(nil)
	_, err = l.Poll(at(60), w, obs(50))
	require.NoError(t, err)

	_, err = l.MetricsForHPA("s0-prometheus", obs(50), w)
	require.NoError(t, err)
	require.Equal(t, "True", l.Conditions().Ready.Status, "the rebuilt cache holds the stored status")
	require.Equal(t, "True", l.Conditions().Active.Status)
	require.Equal(t, map[string]HealthStatus{"s0-prometheus": {}}, l.Health())
}

// A request whose trigger fails drops the scalers cache; the next tick
// builds it on its own object, which the next request then updates
// (scale_handler.go ClearScalersCache, GetScalersCache).
func TestErrorDropsTheCache(t *testing.T) {
	so := promSO()
	so.Fallback = &Fallback{FailureThreshold: 5, Replicas: 3}
	l, err := NewLoop(so, "2.20.2", at(0))
	require.NoError(t, err)
	w := Workload{Current: 2, Ready: 2}
	down := []TriggerObservation{{Err: errors.New("down")}}
	// The request's copy (the reconciler's) counts a failure.
	_, err = l.MetricsForHPA("s0-prometheus", down, w)
	require.Error(t, err)
	// The error dropped the cache; the next tick builds it on its own
	// object: a success resets the count.
	_, err = l.Poll(at(30), w, obs(50))
	require.NoError(t, err)
	require.Equal(t, map[string]HealthStatus{"s0-prometheus": {}}, l.Health())
	// A failing request on the tick's object counts from 0.
	_, err = l.MetricsForHPA("s0-prometheus", down, w)
	require.Error(t, err)
	require.Equal(t, map[string]HealthStatus{"s0-prometheus": {NumberOfFailures: 1, Failing: true}}, l.Health())
}
