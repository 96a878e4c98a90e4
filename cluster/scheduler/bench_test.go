package scheduler_test

import (
	"fmt"
	"testing"

	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

// 1,000 pods over 100 nodes, one cycle per pod, each seeing the previous
// bindings.
func BenchmarkPlaceAll1000Pods100Nodes(b *testing.B) {
	var nodes []scheduler.NodeInfo
	for i := 0; i < 100; i++ {
		nodes = append(nodes, node(b, fmt.Sprintf("n%03d", i), "8", "32Gi", 110))
	}
	var pods []scheduler.Pod
	for i := 0; i < 1000; i++ {
		pods = append(pods, pod(b, fmt.Sprintf("default/p%04d", i), "500m", "1Gi"))
	}
	opts := scheduler.DefaultOptions()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := scheduler.PlaceAll(nodes, pods, opts)
		if len(p.Decisions) != 1000 {
			b.Fatal(len(p.Decisions))
		}
	}
}
