package sim_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

func runScenario(t *testing.T, path string) *sim.Result {
	t.Helper()
	sc, err := scenarios.Load(path)
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	return res
}

// TestHTTPRateExample: a rate() of served requests can only show what the
// pods served, so the scale-out to 40/5 = 8 comes in steps while one pod
// is overloaded, and the first step lands within a minute of the rise.
func TestHTTPRateExample(t *testing.T) {
	res := runScenario(t, "../examples/http-rate/scenario.yaml")
	f := res.Figures()
	require.Equal(t, int32(8), f.MaxReplicas)
	require.True(t, res.LoadRises)
	require.Equal(t, 2*time.Minute+time.Second, res.LoadRise)
	require.True(t, f.ScaledUpAfterRise)
	require.LessOrEqual(t, f.TimeToFirstScaleUp, time.Minute)
	ups := res.ScaleEvents(0, 12*time.Minute)
	require.Greater(t, len(ups), 3, "a capped rate scales out step by step")
	require.Less(t, ups[0].To, int32(8))
	at, ok := res.FirstReach(8)
	require.True(t, ok)
	require.Greater(t, at, 5*time.Minute)
	require.Greater(t, f.OverloadedSeconds, 120.0)
}

// TestQueueExample: the backlog metric drops to 0 while the workers are
// still needed, so the HPA scales in and out again under a steady load.
func TestQueueExample(t *testing.T) {
	res := runScenario(t, "../examples/queue/scenario.yaml")
	f := res.Figures()
	require.Equal(t, int64(7), res.Seed)
	require.Positive(t, f.DirectionChanges, "scale in while the load lasts, then out again")
	lo, _ := res.DesiredRange(9*time.Minute, 15*time.Minute)
	require.Less(t, lo, int32(3), "fewer workers than the 30/10 the load needs")
	require.Equal(t, int32(1), f.FinalReplicas)
	require.Positive(t, f.OverloadedSeconds)
}

func baseSpec(loads ...sim.Load) sim.Spec {
	return sim.Spec{
		Duration: 10 * time.Minute,
		Workload: sim.Workload{Name: "app", Namespace: "demo", InitialReplicas: 2},
		Loads:    loads,
		HPA: &sim.HPA{
			Spec:  hpaSpec(),
			Rules: []sim.AdapterRule{{Name: "backlog", Query: "sum(backlog)"}},
		},
	}
}

func TestLoadModels(t *testing.T) {
	tests := []struct {
		name  string
		load  sim.Load
		query string
		want  float64
	}{
		{"requests split evenly and counted", sim.Load{Metric: "http_requests_total", Model: sim.Requests, Shape: sim.Step{To: 10}},
			`sum(rate(http_requests_total[2m]))`, 10},
		{"requests capped per pod", sim.Load{Metric: "http_requests_total", Model: sim.Requests, Capacity: 3, Shape: sim.Step{To: 10}},
			`sum(rate(http_requests_total[2m]))`, 6},
		{"one counter per pod", sim.Load{Metric: "http_requests_total", Model: sim.Requests, Shape: sim.Step{To: 10}},
			`count(http_requests_total)`, 2},
		{"queue grows by arrivals minus service", sim.Load{Metric: "backlog", Model: sim.Queue, ServiceRate: 1, Shape: sim.Step{To: 3}},
			`backlog`, 180},
		{"queue is one series without pod", sim.Load{Metric: "backlog", Model: sim.Queue, ServiceRate: 1, Shape: sim.Step{To: 3}},
			`count(backlog{pod=""})`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec(tt.load)
			spec.HPA.Spec.MaxReplicas = 2
			s, err := sim.New(spec)
			require.NoError(t, err)
			require.NoError(t, s.RunUntil(context.Background(), 3*time.Minute))
			require.InDelta(t, tt.want, instant(t, s, tt.query, 3*time.Minute), 0.5)
		})
	}
}

func TestShapes(t *testing.T) {
	tests := []struct {
		name  string
		shape sim.Shape
		at    time.Duration
		want  float64
	}{
		{"step before", sim.Step{Time: time.Minute, From: 1, To: 5}, 59 * time.Second, 1},
		{"step after", sim.Step{Time: time.Minute, From: 1, To: 5}, time.Minute, 5},
		{"spike inside", sim.Spike{Time: time.Minute, Duration: time.Minute, Base: 2, Peak: 9}, 90 * time.Second, 9},
		{"spike after", sim.Spike{Time: time.Minute, Duration: time.Minute, Base: 2, Peak: 9}, 2 * time.Minute, 2},
		{"sine starts at min", sim.Sine{Period: time.Hour, Min: 10, Max: 30}, 0, 10},
		{"sine peaks at half period", sim.Sine{Period: time.Hour, Min: 10, Max: 30}, 30 * time.Minute, 30},
		{"sine phase", sim.Sine{Period: time.Hour, Phase: 15 * time.Minute, Min: 10, Max: 30}, 0, 20},
		{"points hold", sim.Points{T: []time.Duration{0, time.Minute}, V: []float64{3, 7}}, 90 * time.Second, 7},
		{"points skip NaN", sim.Points{T: []time.Duration{0, time.Minute}, V: []float64{3, nanValue()}}, 90 * time.Second, 3},
		{"sum", sim.Sum{sim.Step{To: 1}, sim.Spike{Duration: time.Minute, Peak: 4}}, 0, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.InDelta(t, tt.want, tt.shape.At(tt.at), 1e-9)
		})
	}
}

// TestSeededRandomness: noise and startup delays come from Spec.Seed
// only: the same seed repeats the run, another seed changes it.
func TestSeededRandomness(t *testing.T) {
	run := func(seed int64) *sim.Result {
		spec := baseSpec(sim.Load{Metric: "backlog", Model: sim.Queue, ServiceRate: 1, Shape: sim.Step{To: 3}, Noise: sim.Noise{Stddev: 2}})
		spec.Seed = seed
		spec.Workload.PodStartupDist = &sim.Distribution{Min: 10 * time.Second, Max: 40 * time.Second}
		res, err := sim.Run(context.Background(), spec)
		require.NoError(t, err)
		return res
	}
	a, b, c := run(3), run(3), run(4)
	require.Equal(t, a, b)
	require.NotEqual(t, a.Samples, c.Samples)
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name   string
		fault  sim.Fault
		reason string
	}{
		{"metrics down", sim.Fault{Kind: sim.MetricsDown, From: 2 * time.Minute, To: 4 * time.Minute}, "FailedGetExternalMetric"},
		{"empty result", sim.Fault{Kind: sim.EmptyResult, From: 2 * time.Minute, To: 4 * time.Minute}, "FailedGetExternalMetric"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec(sim.Load{Metric: "backlog", Model: sim.Queue, ServiceRate: 1, Shape: sim.Step{To: 3}})
			spec.Faults = []sim.Fault{tt.fault}
			res, err := sim.Run(context.Background(), spec)
			require.NoError(t, err)
			reasons := map[string]time.Duration{}
			for _, e := range res.Events {
				if _, ok := reasons[e.Reason]; !ok {
					reasons[e.Reason] = e.T
				}
			}
			require.Contains(t, reasons, tt.reason)
			require.Equal(t, tt.fault.From, reasons["Fault"+upperFirst(string(tt.fault.Kind))])
			require.Equal(t, tt.fault.To, reasons["Fault"+upperFirst(string(tt.fault.Kind))+"Cleared"])
		})
	}
}

func TestScrapeGapWritesNothing(t *testing.T) {
	spec := baseSpec(sim.Load{Metric: "backlog", Model: sim.Queue, ServiceRate: 1, Shape: sim.Step{To: 3}})
	spec.Faults = []sim.Fault{{Kind: sim.ScrapeGap, From: 0, To: 10 * time.Minute}}
	s, err := sim.New(spec)
	require.NoError(t, err)
	require.NoError(t, s.RunUntil(context.Background(), time.Minute))
	res, err := s.Query(context.Background(), "count(backlog)", time.Minute)
	require.NoError(t, err)
	require.Empty(t, res.Samples)
}

func TestControllerRestartAndCrash(t *testing.T) {
	spec := baseSpec(sim.Load{Metric: "backlog", Model: sim.Queue, ServiceRate: 1, Shape: sim.Step{To: 3}})
	spec.Faults = []sim.Fault{{Kind: sim.ControllerRestart, From: 5 * time.Minute}}
	spec.Workload.Crashes = []sim.Crash{{At: 3 * time.Minute, Pod: 0}}
	spec.Workload.PodStartup = 20 * time.Second
	res, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	var crashed, restarted bool
	for _, e := range res.Events {
		crashed = crashed || (e.Reason == "PodCrashed" && e.T == 3*time.Minute)
		restarted = restarted || (e.Reason == "FaultControllerRestart" && e.T == 5*time.Minute)
	}
	require.True(t, crashed)
	require.True(t, restarted)
	for _, smp := range res.Samples {
		if smp.T == 3*time.Minute+15*time.Second {
			require.Equal(t, smp.DesiredReplicas, smp.Replicas, "the ReplicaSet replaced the pod")
			require.Less(t, smp.ReadyReplicas, smp.Replicas, "the replacement is starting")
		}
	}
}

func TestRawSeries(t *testing.T) {
	spec := baseSpec()
	spec.Series = []sim.RawSeries{{
		Labels: map[string]string{"__name__": "backlog", "queue": "orders"},
		Points: []sim.RawPoint{{T: 0, V: 5}, {T: 15 * time.Second, V: 50}},
	}}
	s, err := sim.New(spec)
	require.NoError(t, err)
	require.NoError(t, s.RunUntil(context.Background(), 20*time.Second))
	require.Equal(t, 50.0, instant(t, s, `backlog{queue="orders"}`, 20*time.Second))
}

func instant(t *testing.T, s *sim.Simulator, q string, at time.Duration) float64 {
	t.Helper()
	res, err := s.Query(context.Background(), q, at)
	require.NoError(t, err)
	require.Len(t, res.Samples, 1, q)
	return res.Samples[0].Value
}

// hpaSpec is an HPA on the External metric backlog, 30 per replica.
func hpaSpec() hpa.Spec {
	target := int64(30_000)
	return hpa.Spec{
		Name: "app", MaxReplicas: 10,
		Metrics: []hpa.MetricSpec{{Type: hpa.ExternalMetricSourceType, Name: "backlog",
			Target: hpa.MetricTarget{Type: hpa.AverageValueMetricType, AverageValueMilli: &target}}},
	}
}

func nanValue() float64 { return math.NaN() }

func upperFirst(s string) string { return fmt.Sprintf("%c%s", s[0]-'a'+'A', s[1:]) }

// TestQueryLimit: a query that holds more samples than the engine allows
// stops the run with the metric it belongs to, instead of reaching the
// HPA as a metric error a cluster would not see.
func TestQueryLimit(t *testing.T) {
	spec := baseSpec(sim.Load{Metric: "backlog", Model: sim.Queue, ServiceRate: 1, Shape: sim.Step{To: 3}})
	spec.HPA.Rules[0].Query = `sum(count_over_time(backlog[10m:1s]))`
	spec.Prometheus.MaxSamples = 100
	_, err := sim.Run(context.Background(), spec)
	var ql *sim.QueryLimitError
	require.ErrorAs(t, err, &ql)
	require.Equal(t, "spec.metrics[0]", ql.Field)
	require.Contains(t, err.Error(), "too many samples")
}

// TestLimits: a run that would exceed its limits is refused before it
// starts, saying which limit and how to raise it.
func TestLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*sim.Spec)
		want string
	}{
		{"a century at one second", func(s *sim.Spec) { s.Duration = 100 * 365 * 24 * time.Hour }, "876000h0m0s at a tick of 1s is 3153600000 steps; at most 31622400 are allowed; raise the limit with --max-steps"},
		{"a nanosecond tick", func(s *sim.Spec) { s.Tick = time.Nanosecond; s.TraceInterval = time.Second }, "is 600000000000 steps"},
		{"ten million pods", func(s *sim.Spec) { s.Workload.InitialReplicas = 10_000_000 }, "10000000 initial replicas; at most 100000 pods"},
		{"a raised limit", func(s *sim.Spec) { s.Workload.InitialReplicas = 300; s.Limits.MaxPods = 200 }, "300 initial replicas; at most 200 pods"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := baseSpec(sim.Load{Metric: "backlog", Model: sim.Queue, ServiceRate: 1, Shape: sim.Step{To: 3}})
			tc.edit(&spec)
			_, err := sim.New(spec)
			require.ErrorContains(t, err, tc.want)
			var le *sim.LimitError
			require.ErrorAs(t, err, &le)
		})
	}
}
