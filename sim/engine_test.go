package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// replicasAt returns the desired replicas of the trace row at t.
func replicasAt(t *testing.T, r *sim.Result, at time.Duration) int32 {
	t.Helper()
	for _, s := range r.Samples {
		if s.T == at {
			return s.DesiredReplicas
		}
	}
	t.Fatalf("no trace row at %s", at)
	return 0
}

// TestWebSocketTutorial checks what the OpenShift tutorial observed: 1 ->
// 5 replicas once the 200 connections arrive, then one pod fewer per 60 s
// back to 1 after they leave.
func TestWebSocketTutorial(t *testing.T) {
	sc, err := scenarios.Load("../examples/websocket/scenario.yaml")
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)

	require.Equal(t, int32(1), replicasAt(t, res, 0))
	require.Equal(t, int32(1), replicasAt(t, res, time.Minute), "no load yet")
	var max int32
	for _, s := range res.Samples {
		if s.DesiredReplicas > max {
			max = s.DesiredReplicas
		}
	}
	require.Equal(t, int32(5), max)
	require.Equal(t, int32(5), replicasAt(t, res, 2*time.Minute))
	require.Equal(t, int32(1), res.Samples[len(res.Samples)-1].DesiredReplicas)

	// The scale-down: 5 -> 4 -> 3 -> 2 -> 1, each step at least 60 s
	// after the previous one.
	var downs []sim.Event
	for _, e := range res.Events {
		if e.To < e.From {
			downs = append(downs, e)
		}
	}
	require.Len(t, downs, 4)
	for i, e := range downs {
		require.Equal(t, int32(5-i), e.From)
		require.Equal(t, int32(4-i), e.To)
		require.Equal(t, "HPA", e.Source)
		if i > 0 {
			require.GreaterOrEqual(t, e.T-downs[i-1].T, 60*time.Second)
		}
	}
}

func TestRunValidatesSpec(t *testing.T) {
	_, err := sim.Run(context.Background(), sim.Spec{})
	require.Error(t, err)
	require.Contains(t, err.Error(), "duration must be positive")
	require.Contains(t, err.Error(), "exactly one autoscaler")
}

// TestPrometheusAdapterHPA runs the plain-HPA example: a Pods metric with
// target averageValue 5 and no behavior, so the legacy rules apply.
func TestPrometheusAdapterHPA(t *testing.T) {
	sc, err := scenarios.Load("../examples/prometheus-adapter-websocket/scenario.yaml")
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	require.Equal(t, "hpa", res.Autoscaler)

	f := res.Figures()
	require.Equal(t, int32(8), f.MaxReplicas, "40 connections / 5 per pod")
	require.Equal(t, int32(2), f.FinalReplicas, "back to minReplicas")
	require.Equal(t, 1, f.DirectionChanges, "one way up, one way down: no flapping")

	var lastUp, firstDown time.Duration
	for _, e := range res.ScaleEvents(0, res.Duration) {
		if e.To > e.From {
			// Legacy scale-up limit per sync: max(2 x current, 4)
			// (horizontal.go calculateScaleUpLimit).
			require.LessOrEqual(t, e.To, max(2*e.From, 4), "scale-up at %s", e.T)
			lastUp = e.T
		} else if firstDown == 0 {
			firstDown = e.T
		}
	}
	// The load is gone from 12m30s; the legacy downscale stabilization
	// keeps the highest recommendation of the last 5 minutes.
	loadGone := 12*time.Minute + 30*time.Second
	require.Less(t, lastUp, loadGone)
	require.GreaterOrEqual(t, firstDown-loadGone, 4*time.Minute+30*time.Second)
}
