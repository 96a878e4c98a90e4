package report_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// hourResult is a realistic run: one hour sampled every 15 s, a load that
// rises and falls, replicas that follow it with a start-up delay, and a
// metric that reads NaN for its first minute.
func hourResult() *sim.Result { return peakResult(time.Hour) }

// peakResult is hourResult stretched over d.
func peakResult(d time.Duration) *sim.Result {
	n := int(d / (15 * time.Second))
	r := &sim.Result{
		Name: "websocket-daily-peak", Start: epoch, Duration: d, Seed: 1,
		Autoscaler: "keda", Workload: "Deployment/demo-ws-server",
		InitialReplicas: 1, MinReplicas: 1, MaxReplicas: 12,
		Metrics: []sim.MetricInfo{{
			Name: "s0-prometheus", Query: "avg(myapp_websockets_connections)",
			Target: 150, TargetType: "AverageValue", ActivationTarget: 20,
		}},
	}
	desired, ready := int32(1), int32(1)
	for i := range n {
		t := time.Duration(i) * 15 * time.Second
		load := 60 + 1500*math.Pow(math.Sin(math.Pi*float64(i)/float64(n)), 2)
		if i%8 == 0 {
			want := int32(math.Ceil(load / 150))
			want = min(max(want, r.MinReplicas), r.MaxReplicas)
			if want != desired {
				r.Events = append(r.Events, sim.Event{T: t, Source: "HPA", Type: "Normal",
					Reason: "SuccessfulRescale", From: desired, To: want})
				desired = want
			}
		}
		if i%4 == 0 {
			ready = desired
		}
		metric := load / float64(max(ready, 1))
		if i < 4 {
			metric = math.NaN()
		}
		r.Samples = append(r.Samples, sim.Sample{T: t, DesiredReplicas: desired, Replicas: desired,
			ReadyReplicas: ready, Load: load, Metrics: []float64{metric}})
	}
	return r
}

// degenerateResult has values a plot must survive: a metric that is never
// read, infinities, negative values, a single sample and a large replica
// count.
func degenerateResult() *sim.Result {
	return &sim.Result{
		Name: "degenerate", Duration: 30 * time.Second, MinReplicas: 0, MaxReplicas: 1000,
		Metrics: []sim.MetricInfo{
			{Name: "never-read", Target: math.NaN()},
			{Name: "infinite", Target: math.Inf(1), ActivationTarget: math.Inf(1)},
			{Name: "negative", Target: -3},
		},
		Samples: []sim.Sample{{T: 10 * time.Second, DesiredReplicas: 1000, ReadyReplicas: 999, Load: math.Inf(-1),
			Metrics: []float64{math.NaN(), math.Inf(1), -7.5}}},
	}
}

func TestWritePlot(t *testing.T) {
	results := []struct {
		name   string
		result *sim.Result
	}{
		{"small", smallResult()},
		{"hour", hourResult()},
		{"empty", &sim.Result{}},
		{"degenerate", degenerateResult()},
	}
	formats := []struct {
		format string
		prefix func([]byte) bool
	}{
		{"png", func(b []byte) bool { return bytes.HasPrefix(b, pngSignature) }},
		{"svg", func(b []byte) bool { return bytes.HasPrefix(b, []byte("<?xml")) || bytes.HasPrefix(b, []byte("<svg")) }},
	}
	for _, rt := range results {
		for _, ft := range formats {
			t.Run(rt.name+"/"+ft.format, func(t *testing.T) {
				var first, second bytes.Buffer
				require.NoError(t, report.WritePlot(&first, rt.result, ft.format))
				require.NoError(t, report.WritePlot(&second, rt.result, ft.format))
				require.NotZero(t, first.Len())
				require.True(t, ft.prefix(first.Bytes()), "unexpected start %q", first.Bytes()[:min(first.Len(), 16)])
				require.True(t, bytes.Equal(first.Bytes(), second.Bytes()), "two renders of the same result differ")
			})
		}
	}
}

func TestWritePlotUnknownFormat(t *testing.T) {
	for _, format := range []string{"", "PNG", "pdf", "jpg"} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			err := report.WritePlot(&b, smallResult(), format)
			require.EqualError(t, err, `report: unknown plot format "`+format+`" (want "png" or "svg")`)
			require.Zero(t, b.Len())
		})
	}
}

func TestSavePlots(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "run1")
	require.NoError(t, report.SavePlots(dir, smallResult()))
	for _, format := range []string{"png", "svg"} {
		got, err := os.ReadFile(filepath.Join(dir, "plot."+format))
		require.NoError(t, err)
		var want bytes.Buffer
		require.NoError(t, report.WritePlot(&want, smallResult(), format))
		require.True(t, bytes.Equal(want.Bytes(), got), "plot.%s differs from WritePlot", format)
	}
}

func TestSavePlotsUnwritableDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	err := report.SavePlots(filepath.Join(file, "sub"), smallResult())
	require.Error(t, err)
	require.Contains(t, err.Error(), "report: mkdir ")
}

// BenchmarkWritePlot renders one hour (240 samples) and one day (5,760
// samples, two step lines of 11,520 vertices each).
func BenchmarkWritePlot(b *testing.B) {
	for _, bt := range []struct {
		name   string
		r      *sim.Result
		format string
	}{
		{"hour/png", hourResult(), "png"},
		{"hour/svg", hourResult(), "svg"},
		{"day/png", peakResult(24 * time.Hour), "png"},
		{"day/svg", peakResult(24 * time.Hour), "svg"},
	} {
		r, format := bt.r, bt.format
		b.Run(bt.name, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := report.WritePlot(&buf, r, format); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes/file")
		})
	}
}
