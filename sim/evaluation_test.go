package sim_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// TestEvaluationModesAgree runs every example scenario, and a few hours
// of the benchmark day with noise and crashes, three times: with direct
// evaluation (the default), with every query through the Prometheus
// engine, and cross-checked (both, failing on any difference). The JSON
// traces must be byte-identical.
func TestEvaluationModesAgree(t *testing.T) {
	paths, err := filepath.Glob("../examples/*/*scenario*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(paths), 7)
	specs := map[string]sim.Spec{}
	namespaces := map[string]sim.NamespaceSpec{}
	for _, p := range paths {
		sc, err := scenarios.Load(p)
		require.NoError(t, err)
		if sc.Namespace != nil {
			namespaces[strings.TrimPrefix(p, "../examples/")] = sc.Namespace.Spec(sc.Name)
			continue
		}
		specs[strings.TrimPrefix(p, "../examples/")] = sc.Spec
	}
	day := daySpec(10, 6*time.Hour)
	day.Loads[0].Noise = sim.Noise{Stddev: 30}
	day.Seed = 4
	day.Workload.Crashes = []sim.Crash{{At: 2 * time.Hour, Count: 3}}
	specs["day"] = day

	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			var traces [][]byte
			for _, mode := range []promql.Evaluation{promql.Direct, promql.EngineOnly, promql.CrossCheck} {
				spec.Prometheus.Evaluation = mode
				res, err := sim.Run(context.Background(), spec)
				require.NoError(t, err, mode)
				var buf bytes.Buffer
				require.NoError(t, report.WriteJSON(&buf, res))
				traces = append(traces, buf.Bytes())
			}
			require.Equal(t, string(traces[1]), string(traces[0]), "direct against engine")
			require.Equal(t, string(traces[1]), string(traces[2]), "cross-checked against engine")
		})
	}
	require.NotEmpty(t, namespaces)
	for name, spec := range namespaces {
		t.Run(name, func(t *testing.T) {
			var traces []string
			for _, mode := range []promql.Evaluation{promql.Direct, promql.EngineOnly, promql.CrossCheck} {
				ws := make([]sim.Spec, len(spec.Workloads))
				for i, w := range spec.Workloads {
					w.Prometheus.Evaluation = mode
					ws[i] = w
				}
				ns := spec
				ns.Workloads = ws
				res, err := sim.RunNamespace(context.Background(), ns)
				require.NoError(t, err, mode)
				var buf bytes.Buffer
				for _, w := range res.Workloads {
					require.NoError(t, report.WriteJSON(&buf, w))
				}
				traces = append(traces, buf.String())
			}
			require.Equal(t, traces[1], traces[0], "direct against engine")
			require.Equal(t, traces[1], traces[2], "cross-checked against engine")
		})
	}
}
