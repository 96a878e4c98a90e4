package report

import (
	"bytes"
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// TestWriteJSONMatchesEncoder: the streaming WriteJSON writes what
// encoding/json wrote for the whole document, byte for byte, for every
// example and for results with what JSON encoders treat specially
// (non-finite numbers, HTML characters, line separators, invalid UTF-8,
// no samples, no metrics, backlogs, Jobs, conditions, sub-second and
// negative times).
func TestWriteJSONMatchesEncoder(t *testing.T) {
	results := map[string]*sim.Result{}
	paths, err := filepath.Glob("../examples/*/*scenario*.yaml")
	require.NoError(t, err)
	for _, p := range paths {
		sc, err := scenarios.Load(p)
		require.NoError(t, err)
		if sc.Namespace != nil {
			nr, err := sim.RunNamespace(context.Background(), sc.Namespace.Spec(sc.Name))
			require.NoError(t, err)
			for i, res := range nr.Workloads {
				results[p+"#"+sc.Namespace.Names[i]] = res
			}
			results[p+"#total"] = nr.Total()
			continue
		}
		res, err := sim.Run(context.Background(), sc.Spec)
		require.NoError(t, err)
		results[p] = res
	}
	odd := "<b>&amp;</b> \u2028\u2029 \x01\x1f \"q\" \\ \xff\xfe é 😀"
	results["empty"] = &sim.Result{Name: "empty"}
	results["no metrics"] = &sim.Result{Name: "x", Samples: []sim.Sample{{T: 1500 * time.Millisecond, Load: math.Inf(1)}, {T: -time.Second, Load: math.NaN()}}}
	full := &sim.Result{
		Name: odd, Workload: odd, Autoscaler: "keda", Seed: -3, Duration: 90*time.Second + time.Nanosecond,
		Metrics:     []sim.MetricInfo{{Name: odd, Query: odd, Target: math.NaN()}, {Name: "b", Target: 1e21, ActivationTarget: -0.0}},
		Settings:    []sim.Setting{{Name: odd, Value: odd, Source: odd, Note: odd}, {Name: "n"}},
		Assumptions: []sim.Assumption{{Message: odd, Hint: odd}},
		Events:      []sim.Event{{T: time.Millisecond, Source: odd, Type: "Warning", Reason: odd, From: 1, To: 2, Message: odd}},
		Conditions:  []sim.ConditionChange{{T: 2 * time.Second, Type: "Ready", Status: "True", Reason: odd, Message: odd}},
		Load:        sim.LoadInfo{Backlog: sim.BacklogQueue},
	}
	for i := range 5 {
		full.Samples = append(full.Samples, sim.Sample{
			T: time.Duration(i) * 15 * time.Second, DesiredReplicas: int32(i), Replicas: -1, ReadyReplicas: math.MaxInt32,
			Load: float64(i) / 3, Metrics: []float64{math.Inf(-1), 1e-300}, Backlog: math.NaN(),
			Jobs: &sim.JobCounts{Running: 1, Pending: 2, Succeeded: 3, Failed: 4, Created: 5},
		})
	}
	results["full"] = full
	for name, r := range results {
		var want, got bytes.Buffer
		require.NoError(t, writeJSONReference(&want, r), name)
		require.NoError(t, WriteJSON(&got, r), name)
		require.Equal(t, want.String(), got.String(), name)
	}
}
