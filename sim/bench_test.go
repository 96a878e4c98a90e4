package sim_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// BenchmarkWebSocketExample runs the bundled example end to end (load,
// scrapes, PromQL, KEDA, HPA) and reports simulated seconds per wall
// second.
func BenchmarkWebSocketExample(b *testing.B) {
	sc, err := scenarios.Load("../examples/websocket/scenario.yaml")
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := sim.Run(ctx, sc.Spec); err != nil {
			b.Fatal(err)
		}
	}
	simulated := sc.Spec.Duration.Seconds() * float64(b.N)
	b.ReportMetric(simulated/b.Elapsed().Seconds(), "sim-s/wall-s")
}
