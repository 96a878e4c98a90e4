package report_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

var update = flag.Bool("update", false, "rewrite golden files")

// epoch is the fixed start of every test result.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// smallResult is a hand-built run: five samples, two metrics (one NaN
// before its first read), three events of which one does not change the
// scale.
func smallResult() *sim.Result {
	nan := math.NaN()
	return &sim.Result{
		Name:            "websocket-burst",
		Start:           epoch,
		Duration:        5 * time.Minute,
		Seed:            42,
		Autoscaler:      "keda",
		Workload:        "Deployment/demo-ws-server",
		InitialReplicas: 0,
		MinReplicas:     0,
		MaxReplicas:     10,
		Metrics: []sim.MetricInfo{
			{
				Name:             "s0-prometheus",
				Query:            `sum(myapp_websockets_connections{job="demo-ws-server"})`,
				Target:           100,
				TargetType:       "AverageValue",
				ActivationTarget: 5,
			},
			{
				Name:       "s1-prometheus",
				Query:      `sum(rate(myapp_requests_total[1m])) > 0 or vector(0)`,
				Target:     2.5,
				TargetType: "AverageValue",
			},
		},
		Samples: []sim.Sample{
			{T: 0, DesiredReplicas: 0, Replicas: 0, ReadyReplicas: 0, Load: 0, Metrics: []float64{nan, nan}},
			{T: 30 * time.Second, DesiredReplicas: 1, Replicas: 1, ReadyReplicas: 0, Load: 120, Metrics: []float64{120, nan}},
			{T: 90*time.Second + 500*time.Millisecond, DesiredReplicas: 4, Replicas: 4, ReadyReplicas: 1, Load: 350.5, Metrics: []float64{350.5, 1.25}},
			{T: 4 * time.Minute, DesiredReplicas: 4, Replicas: 4, ReadyReplicas: 4, Load: 330, Metrics: []float64{82.5, 0.1}},
			{T: 5 * time.Minute, DesiredReplicas: 4, Replicas: 4, ReadyReplicas: 4, Load: 1e-7, Metrics: []float64{0, 1e21}},
		},
		Events: []sim.Event{
			{T: 15 * time.Second, Source: "KEDA", Type: "Normal", Reason: "KEDAScaleTargetActivated", From: 0, To: 1,
				Message: "Scaled Deployment default/demo-ws-server from 0 to 1, triggered by s0-prometheus"},
			{T: 75 * time.Second, Source: "HPA", Type: "Normal", Reason: "SuccessfulRescale", From: 1, To: 4,
				Message: "New size: 4; reason: external metric s0-prometheus(&LabelSelector{}) above target"},
			{T: 4*time.Minute + 30*time.Second, Source: "sim", Type: "Warning", Reason: "FailedGetExternalMetric", From: 4, To: 4,
				Message: "unable to get external metric s1-prometheus: query <timeout>\nretrying"},
		},
	}
}

// checkGolden compares got with testdata/<name>.golden, or rewrites the
// file under -update. A mismatch prints a line diff.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run: go test ./report -run %s -update", t.Name())
	require.Equal(t, string(want), string(got), "%s differs (-expected = golden, +actual = output); if the change is intended run: go test ./report -update", path)
}

type writeFunc func(io.Writer, *sim.Result) error

func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		write writeFunc
	}{
		{"trace.csv", report.WriteCSV},
		{"trace.json", report.WriteJSON},
		{"timeline.txt", report.WriteTimeline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var first, second bytes.Buffer
			require.NoError(t, tt.write(&first, smallResult()))
			require.NoError(t, tt.write(&second, smallResult()))
			require.Equal(t, first.String(), second.String(), "output is not deterministic")
			checkGolden(t, tt.name, first.Bytes())
		})
	}
}

func TestTimelineEdgeCases(t *testing.T) {
	tests := []struct {
		name   string
		result *sim.Result
		want   string
	}{
		{
			name:   "empty result",
			result: &sim.Result{},
			want: "Scenario -: - on -, min 0, max 0 replicas, seed 0, 0s simulated\n" +
				"  <no events>\n" +
				"Summary: peak 0 replicas at 0s, final 0 replicas, 0 scale events (0 up, 0 down)\n",
		},
		{
			name: "events without samples",
			result: &sim.Result{
				Name: "hpa-only", Autoscaler: "hpa", Workload: "Deployment/web", Seed: 7,
				Duration: time.Hour + 2*time.Minute + 3*time.Second, InitialReplicas: 2, MinReplicas: 2, MaxReplicas: 6,
				Events: []sim.Event{
					{T: 45 * time.Second, Source: "HPA", Type: "Normal", Reason: "SuccessfulRescale", From: 2, To: 6, Message: "New size: 6"},
					{T: time.Hour + 5*time.Second, Source: "HPA", Type: "Normal", Reason: "SuccessfulRescale", From: 6, To: 5, Message: "New size: 5"},
				},
			},
			want: "Scenario hpa-only: hpa on Deployment/web, min 2, max 6 replicas, seed 7, 1h2m3s simulated\n" +
				"  TIME    SOURCE  TYPE    REASON             REPLICAS  MESSAGE\n" +
				"  45s     HPA     Normal  SuccessfulRescale  2 -> 6    New size: 6\n" +
				"  1h0m5s  HPA     Normal  SuccessfulRescale  6 -> 5    New size: 5\n" +
				"Summary: peak 6 replicas at 45s, final 5 replicas, 2 scale events (1 up, 1 down)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, report.WriteTimeline(&b, tt.result))
			require.Equal(t, tt.want, b.String())
		})
	}
}

func TestWritersRejectInvalidResults(t *testing.T) {
	mismatched := smallResult()
	mismatched.Samples[2].Metrics = mismatched.Samples[2].Metrics[:1]
	duplicate := smallResult()
	duplicate.Metrics[1].Name = duplicate.Metrics[0].Name
	unnamed := smallResult()
	unnamed.Metrics[0].Name = ""

	results := []struct {
		name    string
		result  *sim.Result
		wantErr string
	}{
		{"nil", nil, "report: nil result"},
		{"sample width", mismatched, "report: sample 2 (t=90.5) has 1 metric values, want 2 (one per metric)"},
		{"duplicate names", duplicate, `report: metrics 0 and 1 have the same name "s0-prometheus"`},
		{"empty name", unnamed, "report: metric 0 has an empty name"},
	}
	writers := []struct {
		name  string
		write writeFunc
	}{
		{"csv", report.WriteCSV},
		{"json", report.WriteJSON},
		{"timeline", report.WriteTimeline},
		{"png", func(w io.Writer, r *sim.Result) error { return report.WritePlot(w, r, "png") }},
		{"svg", func(w io.Writer, r *sim.Result) error { return report.WritePlot(w, r, "svg") }},
		{"save", func(_ io.Writer, r *sim.Result) error { return report.SavePlots(t.TempDir(), r) }},
	}
	for _, rt := range results {
		for _, wt := range writers {
			t.Run(rt.name+"/"+wt.name, func(t *testing.T) {
				var b bytes.Buffer
				err := wt.write(&b, rt.result)
				require.EqualError(t, err, rt.wantErr)
				require.Zero(t, b.Len(), "nothing is written for an invalid result")
			})
		}
	}
}

// failingWriter accepts n bytes and then fails.
type failingWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errDiskFull
	}
	f.n -= len(p)
	return len(p), nil
}

func TestWritersReportWriteErrors(t *testing.T) {
	tests := []struct {
		name  string
		write writeFunc
	}{
		{"csv", report.WriteCSV},
		{"json", report.WriteJSON},
		{"timeline", report.WriteTimeline},
		{"png", func(w io.Writer, r *sim.Result) error { return report.WritePlot(w, r, "png") }},
		{"svg", func(w io.Writer, r *sim.Result) error { return report.WritePlot(w, r, "svg") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.write(&failingWriter{n: 10}, smallResult())
			require.ErrorIs(t, err, errDiskFull)
		})
	}
}
