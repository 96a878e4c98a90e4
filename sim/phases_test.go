package sim_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// stepSpec is a KEDA-scaled WebSocket service whose load jumps from 100 to
// 1,000 connections at 60s: with a threshold of 100 per pod, the first
// sync that reads the jump scales 1 -> 4 (the HPA's scale-up limit).
func stepSpec() sim.Spec {
	spec := daySpec(20, 5*time.Minute)
	spec.Workload.InitialReplicas = 1
	spec.Loads[0].Shape = sim.Steps{Interval: 60 * time.Second, Values: []float64{100, 1000}}
	spec.Loads[0].Capacity = 0
	return spec
}

// firstScaleUp is when the HPA first rescales.
func firstScaleUp(t *testing.T, spec sim.Spec) time.Duration {
	t.Helper()
	res, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	for _, e := range res.Events {
		if e.Reason == "SuccessfulRescale" && e.To > e.From {
			return e.T
		}
	}
	t.Fatal("no scale-up")
	return 0
}

func dur(d time.Duration) *time.Duration { return &d }

// TestPhasesMoveTheReaction: aligned, the scrape at 60s sees the jump and
// the sync at 60s acts on it; each offset delays the reaction to the next
// scrape, or the next sync, after the jump.
func TestPhasesMoveTheReaction(t *testing.T) {
	for _, tc := range []struct {
		name   string
		phases sim.Phases
		want   time.Duration
	}{
		{"aligned", sim.Phases{}, 60 * time.Second},
		// Scrapes at 14, 29, 44, 59, 74 s: the jump is seen at 74 s,
		// the sync at 75 s reads it.
		{"scrape offset", sim.Phases{Scrape: dur(14 * time.Second)}, 75 * time.Second},
		// Syncs at 7, 22, ... 52, 67 s.
		{"sync offset", sim.Phases{Sync: dur(7 * time.Second)}, 67 * time.Second},
		// Both: scrape at 74, the sync at 82.
		{"both", sim.Phases{Scrape: dur(14 * time.Second), Sync: dur(7 * time.Second)}, 82 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := stepSpec()
			spec.Phases = tc.phases
			require.Equal(t, tc.want, firstScaleUp(t, spec))
		})
	}
}

// TestProbePeriodDelaysReadiness: with a 10s startup and probes every 4s
// from the pod's creation, a pod is Ready 12s after it is created, not
// 10s.
func TestProbePeriodDelaysReadiness(t *testing.T) {
	readyAfter := func(ph sim.Phases) time.Duration {
		spec := stepSpec()
		spec.TraceInterval = time.Second
		spec.Phases = ph
		res, err := sim.Run(context.Background(), spec)
		require.NoError(t, err)
		var created time.Duration = -1
		for _, smp := range res.Samples {
			if created < 0 && smp.Replicas > 1 {
				created = smp.T
			}
			if created >= 0 && smp.ReadyReplicas > 1 {
				return smp.T - created
			}
		}
		t.Fatal("no new pod became ready")
		return 0
	}
	require.Equal(t, 10*time.Second, readyAfter(sim.Phases{}))
	require.Equal(t, 12*time.Second, readyAfter(sim.Phases{ProbePeriod: 4 * time.Second}))
	r := readyAfter(sim.Phases{ProbePeriod: 4 * time.Second, Random: true})
	require.GreaterOrEqual(t, r, 10*time.Second)
	require.Less(t, r, 14*time.Second)
}

// TestRandomPhasesFromTheSeed: random offsets are fixed by the seed,
// within their periods, and differ between seeds; a given offset stays
// as given and does not move the drawn ones.
func TestRandomPhasesFromTheSeed(t *testing.T) {
	offsets := func(seed int64, ph sim.Phases) sim.PhaseOffsets {
		spec := stepSpec()
		spec.Seed = seed
		spec.Phases = ph
		res, err := sim.Run(context.Background(), spec)
		require.NoError(t, err)
		return res.Phases
	}
	a := offsets(1, sim.Phases{Random: true})
	require.Equal(t, a, offsets(1, sim.Phases{Random: true}))
	distinct := map[sim.PhaseOffsets]bool{}
	for seed := range int64(20) {
		o := offsets(seed, sim.Phases{Random: true})
		require.Less(t, o.Scrape, 15*time.Second)
		require.Less(t, o.Poll, 30*time.Second)
		require.Less(t, o.Sync, 15*time.Second)
		distinct[o] = true
	}
	require.Greater(t, len(distinct), 15)
	b := offsets(1, sim.Phases{Random: true, Sync: dur(3 * time.Second)})
	require.Equal(t, 3*time.Second, b.Sync)
	require.Equal(t, a.Scrape, b.Scrape)
	require.Equal(t, a.Poll, b.Poll)
	require.True(t, offsets(1, sim.Phases{}).Aligned())
}

// TestPhasesRejected: offsets outside their period are errors.
func TestPhasesRejected(t *testing.T) {
	for _, ph := range []sim.Phases{
		{Scrape: dur(15 * time.Second)},
		{Sync: dur(-time.Second)},
		{Poll: dur(30 * time.Second)},
		{Scrape: dur(1500 * time.Millisecond)},
		{MetricsResolution: 15 * time.Second, MetricsOffset: dur(20 * time.Second)},
	} {
		spec := stepSpec()
		spec.Phases = ph
		_, err := sim.Run(context.Background(), spec)
		require.Error(t, err, "%+v", ph)
	}
}

// TestMetricsServerResolution: with metrics-server scraping the kubelets
// every 60s from 59s, the HPA reads the cpu usage as of the last of those
// scrapes: the step at 5m shows in the HPA's cpu column at 5m59s at the
// earliest, while read at the sync itself it shows at 5m.
func TestMetricsServerResolution(t *testing.T) {
	spec := cpuSpec(sim.Steps{Interval: 5 * time.Minute, Values: []float64{20, 120}})
	spec.KEDA = nil
	util := int32(60)
	spec.HPA = &sim.HPA{Spec: hpa.Spec{Name: "shop", Namespace: "demo", MinReplicas: i32(2), MaxReplicas: 10,
		Metrics: []hpa.MetricSpec{{Type: hpa.ResourceMetricSourceType, Name: "cpu",
			Target: hpa.MetricTarget{Type: hpa.UtilizationMetricType, AverageUtilization: &util}}}}}
	moved := func(ph sim.Phases) time.Duration {
		spec.Phases = ph
		res, err := sim.Run(context.Background(), spec)
		require.NoError(t, err)
		var before float64
		for _, smp := range res.Samples {
			v := smp.Metrics[0]
			if smp.T == 4*time.Minute+45*time.Second {
				before = v
			}
			if smp.T >= 5*time.Minute && v != before && !math.IsNaN(v) {
				return smp.T
			}
		}
		t.Fatal("the cpu column never moves after the step")
		return 0
	}
	require.Equal(t, 5*time.Minute, moved(sim.Phases{}))
	require.Equal(t, 6*time.Minute, moved(sim.Phases{MetricsResolution: time.Minute, MetricsOffset: dur(59 * time.Second)}))
}
