package backtest_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/backtest"
	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/replay"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

func load(t testing.TB, file string) sim.Spec {
	t.Helper()
	sc, err := scenarios.Load(file)
	require.NoError(t, err)
	return sc.Spec
}

// recorded turns an export into the series a Prometheus that backfilled
// it would answer.
func recorded(x *openmetrics.Export) []replay.Series {
	var out []replay.Series
	for _, s := range x.Series {
		rs := replay.Series{Labels: map[string]string{}}
		for k, v := range s.Labels {
			rs.Labels[k] = v
		}
		for i, ms := range s.T {
			rs.Points = append(rs.Points, replay.Point{T: time.UnixMilli(ms).UTC(), V: s.V[i]})
		}
		out = append(out, rs)
	}
	return out
}

func roundTrip(t *testing.T, file, input string, edit func([]replay.Series)) (*backtest.Report, sim.Spec) {
	t.Helper()
	spec := load(t, file)
	spec.Start = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	x, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	series := recorded(x)
	if edit != nil {
		edit(series)
	}
	target, err := backtest.TargetOf(spec)
	require.NoError(t, err)
	rec, _, err := backtest.Classify(target, series, input)
	require.NoError(t, err)
	rec.From, rec.To = spec.Start, spec.Start.Add(spec.Duration)
	r, err := backtest.Run(context.Background(), spec, target, rec, backtest.Options{})
	require.NoError(t, err)
	return r, spec
}

func TestRoundTripAgreesFully(t *testing.T) {
	for _, tc := range []struct{ file, input string }{
		{"../examples/queue/scenario.yaml", backtest.InputKEDA},
		{"../examples/queue/scenario.yaml", backtest.InputQuery},
		{"../examples/websocket/scenario.yaml", backtest.InputKEDA},
		{"../examples/diurnal/scenario.yaml", backtest.InputKEDA},
		{"../examples/websocket/scenario-maintenance.yaml", backtest.InputKEDA},
		{"../examples/fallback/scenario.yaml", backtest.InputKEDA},
		{"../examples/fallback/scenario.yaml", backtest.InputQuery},
	} {
		t.Run(tc.file+"/"+tc.input, func(t *testing.T) {
			r, _ := roundTrip(t, tc.file, tc.input, nil)
			require.Positive(t, r.Syncs)
			require.Empty(t, r.Disagreement)
			require.Equal(t, 1.0, r.Agreement)
			require.Equal(t, time.Duration(0), r.Lag)
			require.Zero(t, r.MeanAbsoluteError)
			require.Zero(t, r.ReplicaSecondsError)
		})
	}
}

func TestPerturbedRecordingGivesExactlyThoseDisagreements(t *testing.T) {
	var manual, missing time.Time
	r, _ := roundTrip(t, "../examples/queue/scenario.yaml", backtest.InputKEDA, func(series []replay.Series) {
		for i, s := range series {
			if s.Labels[replay.NameLabel] != openmetrics.HPADesiredReplicas {
				continue
			}
			// A manual scale: someone set 7 replicas for two syncs at 20m.
			for j := range s.Points {
				if off := s.Points[j].T.Sub(s.Points[0].T); off == 20*time.Minute || off == 20*time.Minute+15*time.Second {
					s.Points[j].V = 7
					if manual.IsZero() {
						manual = s.Points[j].T
					}
				}
			}
			// A missing scrape at 6m.
			for j := range s.Points {
				if s.Points[j].T.Sub(s.Points[0].T) == 6*time.Minute {
					missing = s.Points[j].T
					series[i].Points = append(s.Points[:j:j], s.Points[j+1:]...)
					break
				}
			}
		}
	})
	require.Len(t, r.Disagreement, 3, "%+v", r.Disagreement)
	require.Equal(t, missing, r.Disagreement[0].At)
	require.Nil(t, r.Disagreement[0].Recorded)
	require.Equal(t, manual, r.Disagreement[1].At)
	require.Equal(t, int32(7), *r.Disagreement[1].Recorded)
	require.Equal(t, manual.Add(15*time.Second), r.Disagreement[2].At)
	require.Equal(t, r.Syncs-3, r.Agreeing)
	require.Equal(t, 1, r.Missing)
	require.Contains(t, r.Disagreement[1].Why, "external metric s0-prometheus")
	require.Equal(t, time.Duration(0), r.Lag)
	// Two syncs at 7 instead of 1, held 15 s each; the missing scrape
	// holds the previous value.
	require.Equal(t, 2*6*15.0, r.RecordedReplicaSeconds-r.SimulatedReplicaSeconds)
	require.InDelta(t, 12.0/float64(r.Syncs-1), r.MeanAbsoluteError, 1e-12)
}

func TestLagFindsAShiftedRecording(t *testing.T) {
	for _, shift := range []time.Duration{30 * time.Second, -45 * time.Second} {
		r, _ := roundTrip(t, "../examples/queue/scenario.yaml", backtest.InputKEDA, func(series []replay.Series) {
			for _, s := range series {
				if s.Labels[replay.NameLabel] == openmetrics.HPADesiredReplicas {
					for j := range s.Points {
						s.Points[j].T = s.Points[j].T.Add(shift)
					}
				}
			}
		})
		require.Less(t, r.Agreement, 1.0)
		require.Equal(t, shift, r.Lag)
		require.Equal(t, 1.0, r.LagAgreement)
	}
}

func TestTargetRefusesWhatARecordingCannotReplay(t *testing.T) {
	spec := load(t, "../examples/kafka-partitions/scenario.yaml")
	_, err := backtest.TargetOf(spec)
	require.ErrorContains(t, err, "spec.triggers[0]: a kafka trigger reads the broker's offsets")
	spec = load(t, "../examples/scaledjob-burst/scenario-default.yaml")
	_, err = backtest.TargetOf(spec)
	require.ErrorContains(t, err, "a ScaledJob has no HPA")

	// A plain HPA: its Pods, Object and External metrics are replayed,
	// a Resource metric is refused with its index.
	spec = load(t, "../examples/prometheus-adapter-websocket/scenario.yaml")
	target, err := backtest.TargetOf(spec)
	require.NoError(t, err)
	require.Equal(t, backtest.KindHPA, target.Kind)
	require.Equal(t, "myapp", target.HPA)
	require.Equal(t, []backtest.Trigger{{Index: 0, Metric: "myapp_websockets_connections_avg", Query: `sum by (pod) (myapp_websockets_connections{namespace="demo"})`,
		Type: hpa.PodsMetricSourceType, TargetType: hpa.AverageValueMetricType}}, target.Triggers)
	require.ErrorContains(t, target.CheckInput(backtest.InputKEDA), "--input keda reads KEDA's keda_scaler_metrics_value, which a plain HPA has none of")
	require.NoError(t, target.CheckInput(backtest.InputStatus))
	h := *spec.HPA
	h.Spec.Metrics = slices.Clone(h.Spec.Metrics)
	spec.HPA = &h
	fifty, hundred := int32(50), int64(100_000)
	h.Spec.Metrics = append(h.Spec.Metrics, hpa.MetricSpec{Type: hpa.ResourceMetricSourceType, Name: "cpu", Target: hpa.MetricTarget{Type: hpa.UtilizationMetricType, AverageUtilization: &fifty}})
	_, err = backtest.TargetOf(spec)
	require.ErrorContains(t, err, "spec.metrics[1]: a Resource metric (cpu) reads the pods' usage from metrics-server, which a recording of Prometheus series does not replay")
	require.ErrorContains(t, err, "the replay would need each pod's usage and requests")
	h.Spec.Metrics[1] = hpa.MetricSpec{Type: hpa.ExternalMetricSourceType, Name: "queue_depth", Target: hpa.MetricTarget{Type: hpa.AverageValueMetricType, AverageValueMilli: &hundred}}
	target, err = backtest.TargetOf(spec)
	require.NoError(t, err)
	require.NoError(t, target.CheckInput(backtest.InputQuery))
	require.ErrorContains(t, target.CheckInput(backtest.InputStatus), "spec.metrics[1]: the external metric queue_depth with an AverageValue target: its status holds the value divided by the replicas and rounded up")
	h.Spec.Metrics[1] = hpa.MetricSpec{Type: hpa.ObjectMetricSourceType, Name: "requests", Target: hpa.MetricTarget{Type: hpa.ValueMetricType, ValueMilli: &hundred}}
	target, err = backtest.TargetOf(spec)
	require.NoError(t, err)
	require.ErrorContains(t, target.CheckInput(backtest.InputStatus), "spec.metrics[1]: the object metric requests: kube-state-metrics labels its status with the described object")

	spec = load(t, "../examples/queue/scenario.yaml")
	target, err = backtest.TargetOf(spec)
	require.NoError(t, err)
	require.ErrorContains(t, target.CheckInput(backtest.InputStatus), "--input status reads a plain HPA's kube_horizontalpodautoscaler_status_target_metric")
}

// TestClassifyReadsExportedNamespace: scraped without honorLabels, KEDA's
// and kube-state-metrics' series carry the object's namespace as
// exported_namespace, and the exporter's own as namespace.
func TestClassifyReadsExportedNamespace(t *testing.T) {
	r, _ := roundTrip(t, "../examples/queue/scenario.yaml", backtest.InputKEDA, func(series []replay.Series) {
		for _, s := range series {
			if ns, ok := s.Labels["namespace"]; ok {
				s.Labels["exported_namespace"] = ns
				s.Labels["namespace"] = "monitoring"
			}
		}
	})
	require.Equal(t, 1.0, r.Agreement)
	require.Equal(t, backtest.InputKEDA, r.Inputs[0].Source)
}

func TestClassifyLeavesOtherObjectsOut(t *testing.T) {
	spec := load(t, "../examples/queue/scenario.yaml")
	target, err := backtest.TargetOf(spec)
	require.NoError(t, err)
	p := []replay.Point{{T: time.Unix(0, 0), V: 3}}
	rec, notes, err := backtest.Classify(target, []replay.Series{
		{Labels: map[string]string{"__name__": openmetrics.HPADesiredReplicas, "namespace": "other", "horizontalpodautoscaler": "keda-hpa-queue-workers"}, Points: p},
		{Labels: map[string]string{"__name__": openmetrics.HPADesiredReplicas, "namespace": "demo", "horizontalpodautoscaler": "keda-hpa-queue-workers"}, Points: p},
		{Labels: map[string]string{"__name__": openmetrics.KEDAScalerMetricsValue, "namespace": "demo", "scaledObject": "queue-workers", "triggerIndex": "0"}, Points: p},
	}, backtest.InputQuery)
	require.NoError(t, err)
	require.Len(t, rec.Desired, 1)
	require.Empty(t, rec.Inputs)
	require.Equal(t, []string{
		"left out 1 series of keda_scaler_metrics_value (other objects, or not the input asked for)",
		"left out 1 series of kube_horizontalpodautoscaler_status_desired_replicas (other objects, or not the input asked for)",
	}, notes)
	_, _, err = backtest.Classify(target, []replay.Series{
		{Labels: map[string]string{"__name__": openmetrics.HPADesiredReplicas, "namespace": "demo", "horizontalpodautoscaler": "keda-hpa-queue-workers", "instance": "a"}, Points: p},
		{Labels: map[string]string{"__name__": openmetrics.HPADesiredReplicas, "namespace": "demo", "horizontalpodautoscaler": "keda-hpa-queue-workers", "instance": "b"}, Points: p},
	}, backtest.InputQuery)
	require.ErrorContains(t, err, "the recording holds kube_horizontalpodautoscaler_status_desired_replicas twice for HPA demo/keda-hpa-queue-workers")
}

// TestDeploymentReplicasWhenTheHPAIsNotRecorded: without the HPA's
// status, spec.replicas is compared, which KEDA alone sets to and from
// zero (the HPA's desired replicas never go below 1 there).
func TestDeploymentReplicasWhenTheHPAIsNotRecorded(t *testing.T) {
	r, _ := roundTrip(t, "../examples/activation/scenario.yaml", backtest.InputKEDA, func(series []replay.Series) {
		for i := range series {
			if series[i].Labels[replay.NameLabel] == openmetrics.HPADesiredReplicas {
				series[i].Labels[replay.NameLabel] = "renamed_away"
			}
		}
	})
	require.Equal(t, openmetrics.DeploymentSpecReplicas, r.Compared)
	require.Equal(t, 1.0, r.Agreement, "%+v", r.Disagreement)
	zero := false
	for _, p := range r.Points {
		zero = zero || p.Simulated == 0
	}
	require.True(t, zero, "the run scales to zero")
}

// TestFailedReadsReplayKEDAErrors: a rise of keda_scaler_detail_errors_total
// makes the trigger's reads fail over that interval (merged when the
// intervals touch); a counter reset to 0 is no failure.
func TestFailedReadsReplayKEDAErrors(t *testing.T) {
	spec := load(t, "../examples/queue/scenario.yaml")
	target, err := backtest.TargetOf(spec)
	require.NoError(t, err)
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	pts := func(vs ...float64) []replay.Point {
		var out []replay.Point
		for i, v := range vs {
			out = append(out, replay.Point{T: t0.Add(time.Duration(i) * 15 * time.Second), V: v})
		}
		return out
	}
	rec := &backtest.Recording{From: t0, To: t0.Add(5 * time.Minute),
		Inputs:  map[int]backtest.Input{0: {Source: backtest.InputKEDA, Series: []replay.Series{{Labels: map[string]string{}, Points: pts(1, 1, 1)}}}},
		Errors:  map[int][]replay.Point{0: pts(0, 0, 1, 2, 2, 0, 0, 3)},
		Current: pts(1)}
	replaySpec, _, err := backtest.Prepare(spec, target, rec, 0)
	require.NoError(t, err)
	require.Len(t, replaySpec.Faults, 2)
	f := replaySpec.Faults
	require.Equal(t, []time.Duration{15*time.Second + time.Second, 45*time.Second + time.Second}, []time.Duration{f[0].From, f[0].To})
	require.Equal(t, []time.Duration{90*time.Second + time.Second, 105*time.Second + time.Second}, []time.Duration{f[1].From, f[1].To})
	require.Equal(t, 0, *f[0].Metric)
}

// TestScrapeJitterIsNoMissingScrape: kube-state-metrics scraped every 30 s
// with a few milliseconds of jitter, against HPA syncs every 15 s: no sync
// lacks a sample, although some samples are a hair over 30 s old.
func TestScrapeJitterIsNoMissingScrape(t *testing.T) {
	r, _ := roundTrip(t, "../examples/queue/scenario.yaml", backtest.InputKEDA, func(series []replay.Series) {
		for i, s := range series {
			if s.Labels[replay.NameLabel] != openmetrics.HPADesiredReplicas {
				continue
			}
			var kept []replay.Point
			for j, p := range s.Points {
				if j%2 == 0 {
					p.T = p.T.Add(time.Duration(j%3-1) * 3 * time.Millisecond)
					kept = append(kept, p)
				}
			}
			series[i].Points = kept
		}
	})
	require.Zero(t, r.Missing)
	require.Greater(t, r.Agreement, 0.8)
}

// TestWarmupFillsTheStabilizationWindow: a window that starts while the
// HPA holds replicas for its scale-down stabilization disagrees when the
// replay starts with an empty window, and agrees again with a warm-up of
// the stabilization window's length before it.
func TestWarmupFillsTheStabilizationWindow(t *testing.T) {
	spec := load(t, "../examples/queue/scenario.yaml")
	spec.Start = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	x, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	target, err := backtest.TargetOf(spec)
	require.NoError(t, err)
	run := func(warmup time.Duration) *backtest.Report {
		rec, _, err := backtest.Classify(target, recorded(x), backtest.InputKEDA)
		require.NoError(t, err)
		// The backlog is gone at 4m30s; the HPA holds 9 until 9m.
		rec.From, rec.To = spec.Start.Add(6*time.Minute), spec.Start.Add(spec.Duration)
		r, err := backtest.Run(context.Background(), spec, target, rec, backtest.Options{Warmup: warmup})
		require.NoError(t, err)
		require.Equal(t, rec.From, r.Points[0].T, "the warm-up is not compared")
		return r
	}
	cold, warm := run(0), run(6*time.Minute)
	require.Less(t, cold.Agreement, 1.0)
	require.Equal(t, 1.0, warm.Agreement, "%+v", warm.Disagreement)
	require.Equal(t, cold.Syncs, warm.Syncs)
}

// TestSavedRecordingReadsBack: a recording written with WriteRecording is
// read back by ReadQueryRange and Classify to the same backtest.
func TestSavedRecordingReadsBack(t *testing.T) {
	for _, input := range []string{backtest.InputKEDA, backtest.InputQuery} {
		spec := load(t, "../examples/fallback/scenario.yaml")
		x, err := openmetrics.Simulate(context.Background(), spec)
		require.NoError(t, err)
		target, err := backtest.TargetOf(spec)
		require.NoError(t, err)
		series := recorded(x)
		if input == backtest.InputQuery {
			// The trigger's answer, as query_range gives it.
			for _, s := range series {
				if s.Labels[replay.NameLabel] == openmetrics.KEDAScalerMetricsValue {
					series = append(series, replay.Series{Labels: map[string]string{}, Points: s.Points})
				}
			}
		}
		rec, _, err := backtest.Classify(target, series, input)
		require.NoError(t, err)
		spec = spec.Defaulted()
		rec.From, rec.To = spec.Start, spec.Start.Add(spec.Duration)
		want, err := backtest.Run(context.Background(), spec, target, rec, backtest.Options{})
		require.NoError(t, err)

		saved, err := rec.Series(target)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, backtest.WriteRecording(&buf, saved))
		back, err := replay.ReadQueryRange(&buf)
		require.NoError(t, err)
		rec2, _, err := backtest.Classify(target, back, input)
		require.NoError(t, err)
		rec2.From, rec2.To = rec.From, rec.To
		got, err := backtest.Run(context.Background(), spec, target, rec2, backtest.Options{})
		require.NoError(t, err)
		require.Equal(t, want.Points, got.Points, input)
		require.Equal(t, want.Inputs, got.Inputs, input)
		require.Equal(t, 1.0, got.Agreement, input)
	}
}

// TestAnswersOfSeveralTriggers: with two prometheus triggers, each
// trigger's recorded answer says whose it is with TriggerLabel; without
// it nothing does.
func TestAnswersOfSeveralTriggers(t *testing.T) {
	spec := load(t, "../examples/queue/scenario.yaml")
	so := *spec.KEDA.Object
	second := so.Triggers[0]
	second.Metadata = map[string]string{"serverAddress": "http://prometheus.monitoring.svc:9090", "threshold": "50", "query": `max(queue_depth{job="worker"})`}
	so.Triggers = append(slices.Clone(so.Triggers), second)
	spec.KEDA = &sim.KEDA{Object: &so, Version: spec.KEDA.Version}
	x, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	target, err := backtest.TargetOf(spec)
	require.NoError(t, err)
	require.Len(t, target.Triggers, 2)
	var answers, unlabelled []replay.Series
	for _, s := range recorded(x) {
		switch s.Labels[replay.NameLabel] {
		case openmetrics.KEDAScalerMetricsValue:
			answers = append(answers, replay.Series{Labels: map[string]string{backtest.TriggerLabel: s.Labels[openmetrics.LabelTriggerIndex]}, Points: s.Points})
			unlabelled = append(unlabelled, replay.Series{Labels: map[string]string{}, Points: s.Points})
		case openmetrics.HPADesiredReplicas, openmetrics.HPACurrentReplicas:
			answers = append(answers, s)
			unlabelled = append(unlabelled, s)
		}
	}
	rec, _, err := backtest.Classify(target, answers, backtest.InputQuery)
	require.NoError(t, err)
	spec = spec.Defaulted()
	rec.From, rec.To = spec.Start, spec.Start.Add(spec.Duration)
	r, err := backtest.Run(context.Background(), spec, target, rec, backtest.Options{})
	require.NoError(t, err)
	require.Equal(t, 1.0, r.Agreement)
	require.Len(t, r.Inputs, 2)

	saved, err := rec.Series(target)
	require.NoError(t, err)
	rec2, _, err := backtest.Classify(target, saved, backtest.InputQuery)
	require.NoError(t, err)
	require.Len(t, rec2.Inputs, 2)

	_, _, err = backtest.Classify(target, unlabelled, backtest.InputQuery)
	require.ErrorContains(t, err, `add the label autoscale_sim_trigger with label_replace(QUERY, "autoscale_sim_trigger", "<index>", "", "")`)
	answers[0].Labels[backtest.TriggerLabel] = "7"
	_, _, err = backtest.Classify(target, answers, backtest.InputQuery)
	require.ErrorContains(t, err, `autoscale_sim_trigger "7" is not the index of a prometheus trigger of ScaledObject demo/queue-workers`)
}

// TestPlainHPARoundTrip: a plain HPA's run, exported, backtests at every
// sync with zero lag: a Pods metric from the HPA's status (each Ready
// pod reporting the recorded average), from the raw series its adapter
// rule reads, and the answers of that rule's query.
func TestPlainHPARoundTrip(t *testing.T) {
	for _, tc := range []struct{ file, input string }{
		{"../examples/prometheus-adapter-websocket/scenario.yaml", backtest.InputStatus},
		{"../examples/prometheus-adapter-websocket/scenario.yaml", backtest.InputQuery},
		{"../examples/adapter-websocket-tutorial/scenario.yaml", backtest.InputStatus},
		{"../examples/adapter-websocket-tutorial/scenario.yaml", backtest.InputQuery},
	} {
		t.Run(tc.file+"/"+tc.input, func(t *testing.T) {
			r, _ := roundTrip(t, tc.file, tc.input, nil)
			require.Equal(t, backtest.KindHPA, r.Kind)
			require.Positive(t, r.Syncs)
			require.Empty(t, r.Disagreement)
			require.Equal(t, 1.0, r.Agreement)
			require.Equal(t, time.Duration(0), r.Lag)
			require.Zero(t, r.ReplicaSecondsError)
		})
	}
}

// externalHPA is examples/prometheus-adapter-websocket with its metric
// made the External (or Object) metric of the connections' total.
func externalHPA(t *testing.T, typ hpa.MetricSourceType) sim.Spec {
	spec := load(t, "../examples/prometheus-adapter-websocket/scenario.yaml")
	spec.Start = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	h := *spec.HPA
	twenty := int64(20_000)
	m := hpa.MetricSpec{Type: typ, Name: "myapp_websockets_connections_total", Target: hpa.MetricTarget{Type: hpa.ValueMetricType, ValueMilli: &twenty}}
	if typ == hpa.ObjectMetricSourceType {
		m.DescribedObject = hpa.CrossVersionObjectReference{Kind: "Service", Name: "myapp", APIVersion: "v1"}
	}
	h.Spec.Metrics = []hpa.MetricSpec{m}
	h.Rules = []sim.AdapterRule{{Name: m.Name, Query: `sum(myapp_websockets_connections{namespace="demo"})`}}
	spec.HPA = &h
	return spec
}

// TestPlainHPAExternalAndObject: External and Object metrics replay the
// answers of their adapter rule's query (here the value the simulated
// HPA read, as the query answered it), an External Value target its
// status too.
func TestPlainHPAExternalAndObject(t *testing.T) {
	for _, tc := range []struct {
		typ   hpa.MetricSourceType
		input string
	}{
		{hpa.ExternalMetricSourceType, backtest.InputStatus},
		{hpa.ExternalMetricSourceType, backtest.InputQuery},
		{hpa.ObjectMetricSourceType, backtest.InputQuery},
	} {
		t.Run(string(tc.typ)+"/"+tc.input, func(t *testing.T) {
			spec := externalHPA(t, tc.typ)
			x, err := openmetrics.Simulate(context.Background(), spec)
			require.NoError(t, err)
			target, err := backtest.TargetOf(spec)
			require.NoError(t, err)
			require.NoError(t, target.CheckInput(tc.input))
			var series []replay.Series
			for _, s := range recorded(x) {
				switch s.Labels[replay.NameLabel] {
				case openmetrics.HPADesiredReplicas, openmetrics.HPACurrentReplicas, openmetrics.HPAStatusTarget:
					series = append(series, s)
				}
			}
			if tc.input == backtest.InputQuery {
				// The answers of the rule's query: the value read at
				// each sync, a series without a name.
				col := 0
				var ps []replay.Point
				for _, smp := range x.Result.Samples {
					if smp.T%(15*time.Second) == 0 && !math.IsNaN(smp.Metrics[col]) {
						ps = append(ps, replay.Point{T: spec.Start.Add(smp.T), V: smp.Metrics[col]})
					}
				}
				require.NotEmpty(t, ps)
				series = append(series, replay.Series{Labels: map[string]string{}, Points: ps})
			}
			rec, _, err := backtest.Classify(target, series, tc.input)
			require.NoError(t, err)
			require.Contains(t, rec.Inputs, 0)
			rec.From, rec.To = spec.Start, spec.Start.Add(spec.Duration)
			r, err := backtest.Run(context.Background(), spec, target, rec, backtest.Options{})
			require.NoError(t, err)
			require.Equal(t, 1.0, r.Agreement, "%+v", r.Disagreement)
			require.Zero(t, r.Lag)
			peak := int32(0)
			for _, p := range r.Points {
				peak = max(peak, p.Simulated)
			}
			require.Equal(t, int32(10), peak, "40 connections against a value of 20 double the replicas up to maxReplicas")
		})
	}
}

// TestPlainHPAPodsAnswersAverage: the answers of a Pods metric's query
// are the cluster's pods' values, under names the simulated pods do not
// have; every Ready simulated pod reports their average. Answers of two
// pods a connection either side of the average agree at every sync.
func TestPlainHPAPodsAnswersAverage(t *testing.T) {
	const file = "../examples/prometheus-adapter-websocket/scenario.yaml"
	spec := load(t, file)
	x, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	target, err := backtest.TargetOf(spec)
	require.NoError(t, err)
	var series []replay.Series
	for _, s := range recorded(x) {
		switch s.Labels[replay.NameLabel] {
		case openmetrics.HPADesiredReplicas, openmetrics.HPACurrentReplicas:
			series = append(series, s)
		case openmetrics.HPAStatusTarget:
			if s.Labels[openmetrics.LabelTargetType] != "average" {
				continue
			}
			for k, d := range []float64{-1, 1} {
				a := replay.Series{Labels: map[string]string{"pod": fmt.Sprintf("myapp-7c9d8-%d", k)}}
				for _, p := range s.Points {
					a.Points = append(a.Points, replay.Point{T: p.T, V: p.V + d})
				}
				series = append(series, a)
			}
		}
	}
	rec, _, err := backtest.Classify(target, series, backtest.InputQuery)
	require.NoError(t, err)
	require.Len(t, rec.Inputs[0].Series, 2)
	spec = spec.Defaulted()
	rec.From, rec.To = spec.Start, spec.Start.Add(spec.Duration)
	r, err := backtest.Run(context.Background(), spec, target, rec, backtest.Options{})
	require.NoError(t, err)
	require.Equal(t, 1.0, r.Agreement, "%+v", r.Disagreement)
	require.Equal(t, backtest.InputQuery, r.Inputs[0].Source)
}

// TestPlainHPAPerturbedStatus: the HPA's recorded average doubled for a
// minute (what a pod that reported twice its connections would do) is
// what the replay acts on: the simulated HPA scales out there, and the
// backtest names those syncs.
func TestPlainHPAPerturbedStatus(t *testing.T) {
	var from time.Time
	r, _ := roundTrip(t, "../examples/prometheus-adapter-websocket/scenario.yaml", backtest.InputStatus, func(series []replay.Series) {
		for _, s := range series {
			if s.Labels[replay.NameLabel] != openmetrics.HPAStatusTarget || s.Labels[openmetrics.LabelTargetType] != "average" {
				continue
			}
			for j := range s.Points {
				if off := s.Points[j].T.Sub(s.Points[0].T); off >= 6*time.Minute && off < 7*time.Minute {
					s.Points[j].V *= 2
					if from.IsZero() {
						from = s.Points[j].T
					}
				}
			}
		}
	})
	require.Less(t, r.Agreement, 1.0)
	require.NotEmpty(t, r.Disagreement)
	require.Equal(t, from, r.Disagreement[0].At)
	require.Equal(t, int32(8), *r.Disagreement[0].Recorded)
	require.Equal(t, int32(10), r.Disagreement[0].Simulated)
	require.Contains(t, r.Disagreement[0].Why, "pods metric myapp_websockets_connections_avg = 10, ratio 2.00, proposes 16")
}
