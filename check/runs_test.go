package check_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

func randomWebsocket(t *testing.T) sim.Spec {
	t.Helper()
	sc, err := scenarios.Load("../examples/websocket/scenario.yaml")
	require.NoError(t, err)
	sc.Spec.Phases = sim.Phases{Random: true, ProbePeriod: 5 * time.Second}
	return sc.Spec
}

func textOf(t *testing.T, d *check.Distribution) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, d.WriteText(&b))
	return b.String()
}

func jsonOf(t *testing.T, d *check.Distribution) string {
	t.Helper()
	b, err := json.Marshal(d)
	require.NoError(t, err)
	return string(b)
}

// TestRunManyWhateverTheWorkers: one worker or eight, the distribution is
// the same, byte for byte; and it is a distribution: random phases spread
// the time to the first scale-up.
func TestRunManyWhateverTheWorkers(t *testing.T) {
	spec := randomWebsocket(t)
	as := []check.Assertion{check.Reaches(5, 150*time.Second)}
	one, err := check.RunMany(context.Background(), spec, 40, 1, as, []float64{0.5}, check.Shard{})
	require.NoError(t, err)
	eight, err := check.RunMany(context.Background(), spec, 40, 8, as, []float64{0.5}, check.Shard{})
	require.NoError(t, err)
	require.Equal(t, jsonOf(t, one), jsonOf(t, eight))
	require.Equal(t, textOf(t, one), textOf(t, eight))
	seen := map[time.Duration]bool{}
	for i, r := range one.Records {
		require.Equal(t, i, r.Index)
		require.Equal(t, spec.Defaulted().Seed+int64(i), r.Seed)
		seen[r.Figures.TimeToFirstScaleUp] = true
	}
	require.Greater(t, len(seen), 3, "random phases give different reaction times")
}

// TestShardsMerge: the shards of a distribution, merged, are the
// unsharded distribution; an incomplete set is an error.
func TestShardsMerge(t *testing.T) {
	spec := randomWebsocket(t)
	all, err := check.RunMany(context.Background(), spec, 22, 2, nil, nil, check.Shard{})
	require.NoError(t, err)
	var shards []*check.Distribution
	for k := range 4 {
		d, err := check.RunMany(context.Background(), spec, 22, 2, nil, nil, check.Shard{K: k, N: 4})
		require.NoError(t, err)
		// Through JSON, as shards travel between machines.
		var back check.Distribution
		require.NoError(t, json.Unmarshal([]byte(jsonOf(t, d)), &back))
		shards = append(shards, &back)
	}
	merged, err := check.Merge(shards[3], shards[1], shards[0], shards[2])
	require.NoError(t, err)
	require.Equal(t, jsonOf(t, all), jsonOf(t, merged))
	require.Equal(t, textOf(t, all), textOf(t, merged))
	_, err = check.Merge(shards[0], shards[1], shards[3])
	require.ErrorContains(t, err, "is in no shard")
	_, err = check.Merge(shards[0], shards[0], shards[1], shards[2])
	require.ErrorContains(t, err, "not the shards of one distribution")
	dup := *shards[3]
	dup.Records = append([]check.Record(nil), shards[3].Records...)
	dup.Records[0] = shards[0].Records[0]
	_, err = check.Merge(shards[0], shards[1], shards[2], &dup)
	require.ErrorContains(t, err, "given twice")
	// A shard from a file is checked before anything is drawn from it.
	bad := *shards[0]
	bad.Records = append([]check.Record(nil), shards[0].Records...)
	bad.Records[1].Steps = nil
	_, err = check.Merge(&bad, shards[1], shards[2], shards[3])
	require.ErrorContains(t, err, "its replica steps must start at 0s")
	huge := *shards[0]
	huge.Runs = 1 << 40
	_, err = check.Merge(&huge)
	require.ErrorContains(t, err, "some run is in no shard")
}

// TestQuantileVerdicts: a claim holds when it holds in the share of runs
// its quantile asks for, and names how many runs broke it and the first
// seed to rerun.
func TestQuantileVerdicts(t *testing.T) {
	spec := randomWebsocket(t)
	n := 30
	claim := check.MaxAboveTarget(24 * time.Hour) // always holds
	d, err := check.RunMany(context.Background(), spec, n, 0, []check.Assertion{claim}, nil, check.Shard{})
	require.NoError(t, err)
	require.True(t, d.Verdicts()[0].Holds())
	require.Empty(t, d.Verdicts()[0].Failed)

	never := check.MaxReplicaSeconds(0) // fails in every run
	for _, tc := range []struct {
		q     float64
		holds bool
	}{{1, false}, {0.5, false}} {
		d, err := check.RunMany(context.Background(), spec, n, 0, []check.Assertion{never}, []float64{tc.q}, check.Shard{})
		require.NoError(t, err)
		v := d.Verdicts()[0]
		require.Equal(t, tc.holds, v.Holds())
		require.Len(t, v.Failed, n)
		require.Equal(t, spec.Defaulted().Seed, v.Seed)
		require.Contains(t, textOf(t, d), "30 of 30 runs failed")
		require.Contains(t, textOf(t, d), "rerun seed 1 (spec.sim.seed: 1)")
	}
	// 3 of 10 failing: holds at 0.7, not at 0.71.
	v := check.Verdict{Quantile: 0.7, Runs: 10, Failed: []int{1, 4, 9}}
	require.True(t, v.Holds())
	v.Quantile = 0.71
	require.False(t, v.Holds())
}

// TestQuantileNearestRank: every quantile is a value some run had.
func TestQuantileNearestRank(t *testing.T) {
	vs := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	require.Equal(t, 5.0, check.Quantile(vs, 0.5))
	require.Equal(t, 10.0, check.Quantile(vs, 0.95))
	require.Equal(t, 9.0, check.Quantile(vs, 0.9))
	require.Equal(t, 1.0, check.Quantile(vs, 0.05))
	require.Equal(t, 1.0, check.Quantile(vs, 0.01))
	require.Equal(t, 7.0, check.Quantile([]float64{7}, 0.95))
}
