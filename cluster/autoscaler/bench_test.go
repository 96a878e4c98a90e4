package autoscaler_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
)

// One loop over 100 nodes (half of them under the threshold) with 200
// pending pods: the scale-up estimate and the removal simulation.
func BenchmarkStep100Nodes200Pending(b *testing.B) {
	g := group("pool", 1, 200, "8", "32Gi", time.Minute)
	var obs autoscaler.Observation
	for i := 0; i < 100; i++ {
		cpu := "6"
		if i%2 == 1 {
			cpu = "2"
		}
		obs.Nodes = append(obs.Nodes, mknode(b, g, fmt.Sprintf("n%03d", i), mkpod(b, fmt.Sprintf("shop/p%03d", i), cpu, "4Gi")))
	}
	for i := 0; i < 200; i++ {
		obs.Pending = append(obs.Pending, autoscaler.PendingPod{Pod: mkpod(b, fmt.Sprintf("shop/q%03d", i), "7", "1Gi"), Created: t0})
	}
	opts := autoscaler.DefaultOptions()
	groups := []autoscaler.NodeGroup{g}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, res := autoscaler.Step(groups, opts, autoscaler.State{}, obs, t0.Add(time.Minute), rng())
		if res.ScaleUp == nil || res.ScaleUp.To != 200 {
			b.Fatal(res.NoScaleUp)
		}
	}
}
