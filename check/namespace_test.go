package check_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// Runs of a namespace: one worker or eight give the same distribution;
// the seeds draw the nodes' provisioning delays, so the WebSocket pods'
// wait spreads over the runs; each claim is checked against its own
// workload (the API never waits, the WebSocket pods do), which a claim
// checked against the namespace's total would not show.
func TestRunManyNamespace(t *testing.T) {
	sc, err := scenarios.Load("../examples/namespace/scenario.yaml")
	require.NoError(t, err)
	spec := sc.Namespace.Spec(sc.Name)
	as := []check.WorkloadAssertion{
		{Workload: 1, Assertion: check.MaxPodPending(0)},
		{Workload: 0, Assertion: check.MaxPodPending(2 * time.Minute)},
	}
	one, err := check.RunManyNamespace(context.Background(), spec, 16, 1, as, nil, check.Shard{})
	require.NoError(t, err)
	eight, err := check.RunManyNamespace(context.Background(), spec, 16, 8, as, nil, check.Shard{})
	require.NoError(t, err)
	require.Equal(t, jsonOf(t, one), jsonOf(t, eight))
	waits := map[time.Duration]bool{}
	longer := 0
	for _, r := range one.Records {
		require.Empty(t, r.Failed[0], "the API's pods never wait")
		if r.Failed[1] != "" {
			longer++
		}
		waits[r.Figures.Nodes.LongestWait] = true
	}
	require.Greater(t, len(waits), 3, "the provisioning delay is drawn per run")
	// 90 s to 150 s of provisioning after the autoscaler's scan: some runs
	// wait more than 2 minutes, some less.
	require.Greater(t, longer, 0)
	require.Less(t, longer, len(one.Records))
	v := one.Verdicts()
	require.True(t, v[0].Holds())
	require.False(t, v[1].Holds())
}
