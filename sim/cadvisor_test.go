package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// cpuSpec is a shop whose pods each use 50m of CPU plus 10m per request
// per second they serve, scaled by KEDA on cAdvisor's CPU counter:
// 0.3 cores per pod.
func cpuSpec(load sim.Shape) sim.Spec {
	return sim.Spec{
		Name:     "cadvisor",
		Duration: 30 * time.Minute,
		Workload: sim.Workload{
			Name: "shop", Namespace: "demo", InitialReplicas: 2,
			PodStartup: 10 * time.Second, PodTermination: 30 * time.Second,
			Resources: sim.Resources{
				Container:     "app",
				RequestsMilli: map[string]int64{"cpu": 500},
				Usage: map[string]sim.Usage{
					"cpu":    {BaseMilli: 50, PerUnitMilli: 10},
					"memory": {BaseMilli: 100 << 20 * 1000},
				},
			},
		},
		Loads: []sim.Load{{Metric: "http_requests_total", Model: sim.Requests, Shape: load, Capacity: 100}},
		KEDA: &sim.KEDA{Object: &keda.ScaledObject{
			Name: "shop", Namespace: "demo", ScaleTargetRef: keda.ScaleTarget{Name: "shop"},
			MinReplicaCount: i32(2), MaxReplicaCount: i32(10),
			Triggers: []keda.Trigger{{Type: "prometheus", Metadata: map[string]string{
				"serverAddress": "http://prometheus:9090",
				"query":         `sum(rate(container_cpu_usage_seconds_total{namespace="demo", container="app"}[1m]))`,
				"threshold":     "0.3",
			}}},
		}},
	}
}

// TestCadvisorSeries: the container CPU counter and memory gauge that a
// KEDA trigger can query, their values, and their end with the pods.
func TestCadvisorSeries(t *testing.T) {
	ctx := context.Background()
	s, err := sim.New(cpuSpec(sim.Points{
		T: []time.Duration{0, 5 * time.Minute, 15 * time.Minute},
		V: []float64{20, 120, 20},
	}))
	require.NoError(t, err)
	res, err := s.Run(ctx)
	require.NoError(t, err)
	value := func(q string, at time.Duration) float64 {
		t.Helper()
		r, err := s.Query(ctx, q, at)
		require.NoError(t, err)
		require.Len(t, r.Samples, 1, "%s at %s", q, at)
		return r.Samples[0].Value
	}
	const cpu = `sum(rate(container_cpu_usage_seconds_total{namespace="demo", container="app"}[1m]))`

	// Before the step: 2 pods, 10 req/s each: 2 x (50m + 10 x 10m) = 0.3 cores.
	require.InDelta(t, 0.3, value(cpu, 4*time.Minute), 1e-9)
	require.Equal(t, float64(2*100<<20), value(`sum(container_memory_working_set_bytes{namespace="demo"})`, 4*time.Minute))
	require.Equal(t, int32(2), res.DesiredAt(4*time.Minute), "0.3 cores for 2 pods is on target")

	// 120 req/s: 2 x 50m + 120 x 10m = 1.3 cores on more pods; KEDA sees
	// the CPU rise and scales out to ceil(1.3 / 0.3) = 5 pods and more as
	// their base usage adds up.
	peak := res.Figures().MaxReplicas
	require.GreaterOrEqual(t, peak, int32(5))

	// Every scrape writes one CPU and one memory sample per container; the
	// series of removed pods end with staleness markers, so at any scrape
	// the counts match the containers running then.
	for at := time.Minute; at <= res.Duration; at += time.Minute {
		var running int
		for _, smp := range res.Samples {
			if smp.T == at {
				running = int(smp.Replicas)
			}
		}
		n := value(`count(container_cpu_usage_seconds_total)`, at)
		require.GreaterOrEqual(t, int(n), running, "at %s: every running container has a series", at)
		require.LessOrEqual(t, int(n), running+int(peak), "at %s: terminating containers only for their grace period", at)
	}
	// A minute after a scale-in (30 s grace, then the next scrape), the
	// removed containers no longer count: without staleness markers they
	// would for the 5 minute lookback.
	events := res.ScaleEvents(-1, res.Duration)
	checked := 0
	for i, e := range events {
		after := e.T + time.Minute
		if e.To >= e.From || (i+1 < len(events) && events[i+1].T <= after) || after > res.Duration {
			continue
		}
		require.Equal(t, float64(e.To), value(`count(container_cpu_usage_seconds_total)`, after), "a minute after %d -> %d at %s", e.From, e.To, e.T)
		checked++
	}
	require.Positive(t, checked)
	end := res.Samples[len(res.Samples)-1]
	require.Less(t, end.Replicas, peak, "scaled back in after the load fell")
	require.Equal(t, float64(end.Replicas), value(`count(container_cpu_usage_seconds_total)`, res.Duration), "the gone pods' series are stale")
	require.Equal(t, float64(end.Replicas), value(`count(container_memory_working_set_bytes)`, res.Duration))
}
