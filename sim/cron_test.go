package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// TestCronTrigger: a cron window is a floor of desiredReplicas from its
// start (the HPA reads desiredReplicas against an AverageValue target of
// 1), with the prometheus trigger's own demand on top (the HPA's max);
// after the window the HPA's scale-down paces the return.
func TestCronTrigger(t *testing.T) {
	sc, err := scenarios.LoadWithOverrides("../examples/websocket/scenario.yaml",
		scenarios.Override{Path: "spec.triggers[0]", Value: `{type: cron, metadata: {timezone: Europe/Paris, start: "0 9 * * *", end: "5 9 * * *", desiredReplicas: "3"}}`})
	require.NoError(t, err)
	// 07:55 UTC is 08:55 in Paris in winter.
	sc.Spec.Start = time.Date(2026, 1, 15, 7, 55, 0, 0, time.UTC)
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	require.Equal(t, int32(1), res.DesiredAt(5*time.Minute-time.Second), "before 09:00 Paris time")
	up, ok := res.FirstReach(3)
	require.True(t, ok)
	require.GreaterOrEqual(t, up, 5*time.Minute)
	require.LessOrEqual(t, up, 5*time.Minute+15*time.Second, "the first HPA sync after the window opens")
	require.Equal(t, "s0-cron-Europe-Paris-09xxx-59xxx", res.Metrics[0].Name)
	require.Equal(t, int32(3), res.DesiredAt(10*time.Minute-time.Second), "held through the window")
	require.Less(t, res.DesiredAt(20*time.Minute), int32(3), "scaled down after it, paced by the scale-down policy")
}
