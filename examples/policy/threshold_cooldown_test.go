// Package policy shows design reviews of an autoscaling policy written as
// ordinary Go tests: each case overrides fields of the WebSocket
// example's ScaledObject, runs the simulation and asserts what the
// autoscaler did. Run it with `go test ./examples/policy -v`.
package policy_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

const websocket = "../websocket/scenario.yaml"

// TestThresholdCooldown sweeps the trigger threshold and cooldownPeriod.
// The load is 200 connections for ten minutes: the threshold decides the
// peak (200 / threshold, capped by maxReplicaCount 5); cooldownPeriod
// changes nothing, because minReplicaCount is 1 and cooldownPeriod only
// delays the scale to zero.
func TestThresholdCooldown(t *testing.T) {
	for _, tc := range []struct {
		threshold int
		peak      int32
		// cost is the replica-seconds of the run.
		cost float64
		// overload is how long the connection count the autoscaler read,
		// per ready pod, exceeds the threshold (Figures.AboveTarget): with
		// threshold 20 even 5 pods (40 each) are too few.
		overload time.Duration
	}{
		{threshold: 20, peak: 5, cost: 4140, overload: 10 * time.Minute},
		{threshold: 40, peak: 5, cost: 4140, overload: 15 * time.Second},
		{threshold: 60, peak: 4, cost: 3315, overload: 15 * time.Second},
		{threshold: 100, peak: 2, cost: 1845, overload: 15 * time.Second},
	} {
		for _, cooldown := range []int{30, 300} {
			t.Run(fmt.Sprintf("threshold=%d/cooldown=%d", tc.threshold, cooldown), func(t *testing.T) {
				run, err := check.File(websocket,
					scenarios.Override{Path: "spec.triggers[0].metadata.threshold", Value: fmt.Sprint(tc.threshold)},
					scenarios.Override{Path: "spec.cooldownPeriod", Value: fmt.Sprint(cooldown)},
				)
				require.NoError(t, err)
				require.NoError(t, run.Check(
					// The HPA sees the 200 connections at its 1m15s sync.
					check.Reaches(tc.peak, 75*time.Second),
					check.AtMost(0, 20*time.Minute, tc.peak),
					// Connections are sticky: no change while they stay.
					check.NoChange(2*time.Minute, 11*time.Minute),
					// Scale-down: 20 % per minute after a 60 s window, to 1.
					check.ReplicasAt(20*time.Minute, 1),
					check.MaxScaleEventsPerHour(6),
					check.MaxReplicaSeconds(tc.cost),
					check.MaxAboveTarget(tc.overload),
				))
				f := run.Figures()
				require.Equal(t, tc.cost, f.ReplicaSeconds)
				require.Equal(t, tc.overload, f.AboveTarget)
			})
		}
	}
}

// TestCooldownHasNoEffectAboveZero compares the whole timelines: with
// minReplicaCount 1 every cooldownPeriod gives the same run.
func TestCooldownHasNoEffectAboveZero(t *testing.T) {
	base, err := check.File(websocket, scenarios.Override{Path: "spec.cooldownPeriod", Value: "30"})
	require.NoError(t, err)
	long, err := check.File(websocket, scenarios.Override{Path: "spec.cooldownPeriod", Value: "3600"})
	require.NoError(t, err)
	require.Equal(t, base.Result.Events, long.Result.Events)
}

// TestMinZeroNeverWakesUp edits the loaded spec in code instead, and
// shows a trap: with minReplicaCount 0 KEDA scales the idle workload to
// zero at once (initialCooldownPeriod is 0), and since the connection
// count is scraped from the workload's own pods, no series is left to
// activate it when the clients arrive. cooldownPeriod cannot help.
func TestMinZeroNeverWakesUp(t *testing.T) {
	for _, cooldown := range []int32{30, 300} {
		t.Run(fmt.Sprintf("cooldown=%d", cooldown), func(t *testing.T) {
			sc, err := scenarios.Load(websocket)
			require.NoError(t, err)
			so := sc.Spec.KEDA.Object
			zero := int32(0)
			so.MinReplicaCount, so.CooldownPeriod = &zero, &cooldown
			run, err := check.RunScenario(t.Context(), sc)
			require.NoError(t, err)
			require.NoError(t, run.Check(
				check.ZeroBy(30*time.Second),
				check.AtMost(30*time.Second, 20*time.Minute, 0),
			))
			f := run.Figures()
			require.GreaterOrEqual(t, f.OverloadedSeconds, (10 * time.Minute).Seconds(), "every connected minute is unserved")
			require.Zero(t, f.AboveTarget, "and the metric, read from pods that do not exist, never shows it")
		})
	}
}
