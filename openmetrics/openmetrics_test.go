package openmetrics_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func load(t *testing.T, file string) sim.Spec {
	t.Helper()
	sc, err := scenarios.Load(file)
	require.NoError(t, err)
	return sc.Spec
}

type parsed struct {
	types  map[string]string
	series map[string][]sample // by labels.String()
	eof    bool
}

type sample struct {
	t int64
	v float64
}

// parse reads OpenMetrics text as promtool's create-blocks-from
// openmetrics needs it (the live round trip in cmd/autoscale-sim feeds
// the real promtool): each family declared once and its samples
// together, a timestamp on every sample, strictly increasing per series,
// and # EOF last. Series are keyed by their label notation.
func parse(t *testing.T, b []byte) parsed {
	t.Helper()
	out := parsed{types: map[string]string{}, series: map[string][]sample{}}
	closed := map[string]bool{}
	current := ""
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for n, line := range lines {
		if out.eof {
			t.Fatalf("line %d after # EOF", n+1)
		}
		switch {
		case line == "# EOF":
			out.eof = true
		case strings.HasPrefix(line, "# HELP "):
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(line)
			require.Len(t, f, 4, "line %d", n+1)
			require.NotContains(t, out.types, f[2], "family %s declared twice", f[2])
			if current != "" {
				closed[current] = true
			}
			current = f[2]
			out.types[current] = f[3]
		default:
			sp := strings.LastIndexByte(line, ' ')
			require.Positive(t, sp, "line %d: %q", n+1, line)
			ts, err := strconv.ParseFloat(line[sp+1:], 64)
			require.NoError(t, err, "line %d: timestamp", n+1)
			rest := line[:sp]
			sp = strings.LastIndexByte(rest, ' ')
			v, err := strconv.ParseFloat(strings.TrimPrefix(rest[sp+1:], "+"), 64)
			require.NoError(t, err, "line %d: value", n+1)
			ls, err := parser.NewParser(parser.Options{}).ParseMetric(rest[:sp])
			require.NoError(t, err, "line %d: series", n+1)
			name := ls.Get("__name__")
			if out.types[current] == "counter" {
				require.Equal(t, current+"_total", name, "line %d: a counter's sample is named <family>_total", n+1)
			} else {
				require.Equal(t, current, name, "line %d: sample outside its family", n+1)
			}
			require.False(t, closed[current])
			k := promql.FromLabels(ls).String()
			ms := int64(math.Round(ts * 1000))
			if prev := out.series[k]; len(prev) > 0 {
				require.Greater(t, ms, prev[len(prev)-1].t, "line %d: %s: timestamps must increase", n+1, k)
			}
			out.series[k] = append(out.series[k], sample{ms, v})
		}
	}
	return out
}

func TestExportIsOpenMetricsPromtoolLoads(t *testing.T) {
	spec := load(t, "../examples/queue/scenario.yaml")
	x, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, x.Write(&buf))
	require.True(t, bytes.HasSuffix(buf.Bytes(), []byte("# EOF\n")))
	p := parse(t, buf.Bytes())
	require.True(t, p.eof)
	require.Equal(t, "gauge", p.types[openmetrics.HPADesiredReplicas])
	require.Equal(t, "unknown", p.types["queue_depth"])

	require.Equal(t, "demo", openmetrics.Namespace(spec))
	name := openmetrics.HPAName(spec)
	require.Equal(t, "keda-hpa-queue-workers", name)
	hpaKey := key("__name__", openmetrics.HPADesiredReplicas, "namespace", "demo", "horizontalpodautoscaler", name)
	desired := p.series[hpaKey]
	require.NotEmpty(t, desired, "no %s in %v", hpaKey, keys(p.series))
	// Each sample is the status the last sync left: check a few against
	// the explanation of the same instant, an independent path through
	// the simulator.
	for _, i := range []int{0, len(desired) / 3, len(desired) / 2, len(desired) - 1} {
		at := time.Duration(desired[i].t-spec.Defaulted().Start.UnixMilli()) * time.Millisecond
		xp, err := check.ExplainAt(context.Background(), spec, at)
		require.NoError(t, err)
		require.Equal(t, float64(xp.HPA.Decision.StatusDesiredReplicas), desired[i].v, "at %s", at)
		require.Equal(t, float64(xp.Replicas), value(t, p, key("__name__", openmetrics.DeploymentSpecReplicas, "namespace", "demo", "deployment", spec.Workload.Name), desired[i].t), "at %s", at)
	}
	// The run scales: a constant series would not test anything.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range desired {
		lo, hi = math.Min(lo, s.v), math.Max(hi, s.v)
	}
	require.Less(t, lo, hi)
	// The workload's own series are what the simulated Prometheus
	// scraped: one sample per scrape interval.
	var depth []sample
	for k, ss := range p.series {
		if ls, err := parser.NewParser(parser.Options{}).ParseMetric(k); err == nil && ls.Get("__name__") == "queue_depth" {
			depth = append(depth, ss...)
		}
	}
	require.Len(t, depth, int(spec.Defaulted().Duration/spec.Defaulted().Prometheus.ScrapeInterval)+1)
}

func TestExportIsDeterministic(t *testing.T) {
	spec := load(t, "../examples/websocket/scenario.yaml")
	var a, b bytes.Buffer
	x, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	require.NoError(t, x.Write(&a))
	y, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	require.NoError(t, y.Write(&b))
	require.Equal(t, a.String(), b.String())
	// The run itself is the one sim.Run makes.
	res, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	require.Equal(t, res.Events, x.Result.Events)
}

func TestExportGolden(t *testing.T) {
	spec := load(t, "../examples/websocket/scenario.yaml")
	spec.Duration = 3 * time.Minute
	x, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, x.Write(&buf))
	golden := filepath.Join("testdata", "websocket-3m.om")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.Equal(t, string(want), buf.String())
}

func TestWriteRefusesWhatOpenMetricsCannotSay(t *testing.T) {
	for _, tc := range []struct {
		name string
		ls   promql.Labels
		want string
	}{
		{"metric name", promql.Labels{"__name__": "http.requests"}, `metric name "http.requests" cannot be written`},
		{"label name", promql.Labels{"__name__": "up", "a.b": "x"}, `label name "a.b" cannot be written`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := &openmetrics.Export{Series: []openmetrics.Series{{Labels: tc.ls, T: []int64{0}, V: []float64{1}}}}
			err := x.Write(io.Discard)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestWriteValuesTimestampsAndEscapes(t *testing.T) {
	x := &openmetrics.Export{Series: []openmetrics.Series{{
		Labels: promql.Labels{"__name__": "x", "path": "a\\b\"c\nd"},
		T:      []int64{-1500, 0, 1, 1250},
		V:      []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0.1},
	}}}
	var buf bytes.Buffer
	require.NoError(t, x.Write(&buf))
	require.Equal(t, `# TYPE x unknown
x{path="a\\b\"c\nd"} NaN -1.5
x{path="a\\b\"c\nd"} +Inf 0
x{path="a\\b\"c\nd"} -Inf 0.001
x{path="a\\b\"c\nd"} 0.1 1.25
# EOF
`, buf.String())
	p := parse(t, buf.Bytes())
	ss := p.series[key("__name__", "x", "path", "a\\b\"c\nd")]
	require.Len(t, ss, 4)
	require.Equal(t, []int64{-1500, 0, 1, 1250}, []int64{ss[0].t, ss[1].t, ss[2].t, ss[3].t})
}

func keys(m map[string][]sample) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func value(t *testing.T, p parsed, key string, ts int64) float64 {
	t.Helper()
	for _, s := range p.series[key] {
		if s.t == ts {
			return s.v
		}
	}
	t.Fatalf("%s has no sample at %d", key, ts)
	return 0
}

// key is the label notation of the pairs, as parse keys series.
func key(pairs ...string) string {
	l := promql.Labels{}
	for i := 0; i+1 < len(pairs); i += 2 {
		l[pairs[i]] = pairs[i+1]
	}
	return l.String()
}

// TestExportFollowsTheHPAStatus: status.currentReplicas is the scale's
// spec.replicas when the sync began, not what the sync set (horizontal.go
// setStatus); while the ScaledObject is paused KEDA has deleted its HPA and
// kube-state-metrics exports nothing for it.
func TestExportFollowsTheHPAStatus(t *testing.T) {
	spec := load(t, "../examples/websocket/scenario-maintenance.yaml")
	x, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, x.Write(&buf))
	p := parse(t, buf.Bytes())
	hpa := func(name string) map[int64]float64 {
		out := map[int64]float64{}
		for _, s := range p.series[key("__name__", name, "namespace", "custom-metric-autoscaler-demo", "horizontalpodautoscaler", "keda-hpa-websocket-scaledobject")] {
			out[s.t/1000] = s.v
		}
		return out
	}
	desired, current := hpa(openmetrics.HPADesiredReplicas), hpa(openmetrics.HPACurrentReplicas)
	// The first sync that sees the clients (75 s) scales 1 -> 5.
	require.Equal(t, 5.0, desired[75])
	require.Equal(t, 1.0, current[75])
	require.Equal(t, 5.0, current[90])
	// Its status holds the External metric's average over the replicas
	// it found (200 connections on 1), then over 5; the target is 40.
	average := func(name string) map[int64]float64 {
		out := map[int64]float64{}
		for _, s := range p.series[key("__name__", name, "namespace", "custom-metric-autoscaler-demo", "horizontalpodautoscaler", "keda-hpa-websocket-scaledobject",
			"metric_name", "s0-prometheus", "metric_target_type", "average")] {
			out[s.t/1000] = s.v
		}
		return out
	}
	status, target := average(openmetrics.HPAStatusTarget), average(openmetrics.HPASpecTarget)
	require.Equal(t, 200.0, status[75])
	require.Equal(t, 40.0, status[90])
	require.Equal(t, 40.0, target[75])
	paused := map[int64]float64{}
	for _, s := range p.series[key("__name__", openmetrics.KEDAScaledObjectPaused, "namespace", "custom-metric-autoscaler-demo", "scaledObject", "websocket-scaledobject")] {
		paused[s.t/1000] = s.v
	}
	for sec := int64(240); sec < 367; sec += 15 {
		require.Equal(t, 1.0, paused[sec], "at %ds", sec)
		require.NotContains(t, desired, sec, "an HPA series at %ds, while KEDA has deleted the HPA", sec)
	}
	require.Equal(t, 0.0, paused[375])
	require.Contains(t, desired, int64(225))
}

func TestExportRecreatedHPAHasAnEmptyStatusUntilItsFirstSync(t *testing.T) {
	spec := load(t, "../examples/websocket/scenario-maintenance.yaml")
	x, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, x.Write(&buf))
	p := parse(t, buf.Bytes())
	desired := map[int64]float64{}
	for _, s := range p.series[key("__name__", openmetrics.HPADesiredReplicas, "namespace", "custom-metric-autoscaler-demo", "horizontalpodautoscaler", "keda-hpa-websocket-scaledobject")] {
		desired[s.t/1000] = s.v
	}
	// Unpaused at the poll of 6m15s; the new HPA's first sync is at 6m30s.
	require.Equal(t, 0.0, desired[375])
	require.Equal(t, 5.0, desired[390])
}

func TestExportScaledJob(t *testing.T) {
	spec := load(t, "../examples/scaledjob-burst/scenario-default.yaml")
	x, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, x.Write(&buf))
	p := parse(t, buf.Bytes())
	require.NotContains(t, p.types, openmetrics.HPADesiredReplicas, "a ScaledJob has no HPA")
	require.NotContains(t, p.types, openmetrics.DeploymentSpecReplicas)
	k := key("__name__", openmetrics.KEDAScalerMetricsValue, "metric", "s0-prometheus", "namespace", "media", "scaledObject", "render-default",
		"scaler", "prometheusScaler", "triggerIndex", "0", "type", "scaledjob")
	vs := p.series[k]
	require.NotEmpty(t, vs, "%v", keys(p.series))
	peak := 0.0
	for _, s := range vs {
		peak = math.Max(peak, s.v)
	}
	require.Positive(t, peak, "the burst shows in the queue KEDA reads")
}
