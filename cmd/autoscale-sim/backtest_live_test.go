package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/replay"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

const backtestScenario = "../../examples/backtest/scenario.yaml"

// The live tests backtest exports backfilled into the real Prometheus CI
// runs (.ci/prometheus.sh backfill, which writes promtool's blocks into
// its data directory). That instance loads new blocks only when its TSDB
// next rereads the directory, once a minute, so every export the tests
// need is made and backfilled once, in one call, by the first live test
// that asks.
var live struct {
	once sync.Once
	url  string
	dir  string
	err  error
}

// shiftedDay moves the perturbed copy of the backtest example's export a
// day later: it gives the same series other values at the same instants,
// which one Prometheus cannot hold besides the unperturbed export.
const shiftedDay = 24 * time.Hour

// liveExports are the files of the live tests, by name: the exports of
// run --openmetrics, and the perturbed copy made from the first.
var liveExports = []struct{ name, scenario string }{
	{"backtest.om", backtestScenario},
	{"fallback.om", "../../examples/fallback/scenario.yaml"},
	{"backtest-hpa.om", backtestHPAScenario},
	{"adapter-tutorial.om", adapterTutorialScenario},
}

const (
	backtestHPAScenario     = "../../examples/backtest-hpa/scenario.yaml"
	adapterTutorialScenario = "../../examples/adapter-websocket-tutorial/scenario.yaml"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if live.dir != "" {
		os.RemoveAll(live.dir)
	}
	os.Exit(code)
}

// backfilled returns the URL of the live Prometheus and the directory of
// the exports it holds, backfilling them on the first call.
func backfilled(t *testing.T) (url, dir string) {
	t.Helper()
	if os.Getenv("AUTOSCALE_SIM_PROMETHEUS_URL") == "" {
		t.Skip("no live Prometheus: run `eval \"$(bash .ci/prometheus.sh | tail -1)\"` first (CI does)")
	}
	live.once.Do(func() {
		t0 := time.Now()
		live.dir, live.err = os.MkdirTemp("", "autoscale-sim-live-")
		if live.err != nil {
			return
		}
		files := []string{}
		for _, e := range liveExports {
			f := filepath.Join(live.dir, e.name)
			if code, _, stderr := runCLI(t, "run", e.scenario, "--openmetrics", f, "-q"); code != exitOK {
				live.err = fmt.Errorf("run %s --openmetrics: %s", e.scenario, stderr)
				return
			}
			files = append(files, f)
		}
		cluster := filepath.Join(live.dir, "cluster.om")
		if live.err = perturb(files[0], cluster); live.err != nil {
			return
		}
		files = append(files, cluster)
		cmd := exec.Command("bash", append([]string{"../../.ci/prometheus.sh", "backfill"}, files...)...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			live.err = fmt.Errorf("prometheus.sh backfill: %v: %s", err, stderr.String())
			return
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		live.url = lines[len(lines)-1]
		t.Logf("%d exports backfilled into %s, answered after %s", len(files), live.url, time.Since(t0).Round(time.Millisecond))
	})
	require.NoError(t, live.err)
	return live.url, live.dir
}

// perturb writes the cluster that differs from the backtest example's
// export: a manual scale to 4 shows in the HPA's status at 12:20:00 and
// 12:20:15, and the scrape of 12:06:00 is lost; every sample a day later
// (shiftedDay).
func perturb(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	start := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	sample := regexp.MustCompile(`^(.*) (\S+) (\d+(?:\.\d+)?)$`)
	lost, m1, m2 := start.Add(6*time.Minute).Unix(), start.Add(20*time.Minute).Unix(), start.Add(20*time.Minute+15*time.Second).Unix()
	var edited []string
	for _, line := range strings.Split(string(b), "\n") {
		m := sample.FindStringSubmatch(line)
		if m == nil || strings.HasPrefix(line, "#") {
			edited = append(edited, line)
			continue
		}
		ts, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			return err
		}
		value := m[2]
		if strings.HasPrefix(m[1], openmetrics.HPADesiredReplicas+"{") {
			switch int64(ts) {
			case lost:
				continue
			case m1, m2:
				value = "4"
			}
		}
		edited = append(edited, fmt.Sprintf("%s %s %s", m[1], value, strconv.FormatFloat(ts+shiftedDay.Seconds(), 'f', -1, 64)))
	}
	return os.WriteFile(to, []byte(strings.Join(edited, "\n")), 0o644)
}

type backtestDoc struct {
	Syncs, Agreeing, Missing int
	Agreement, LagSeconds    float64
	MeanAbsoluteError        float64
	ReplicaSecondsError      float64
	Inputs                   []struct{ Source string }
	Disagreements            []struct {
		At        string
		Recorded  *int32
		Simulated int32
	}
}

func runBacktest(t *testing.T, args ...string) backtestDoc {
	t.Helper()
	t0 := time.Now()
	code, stdout, stderr := runCLI(t, append([]string{"backtest", backtestScenario, "-o", "json"}, args...)...)
	require.Equal(t, exitOK, code, stderr)
	var doc backtestDoc
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc), stdout)
	t.Logf("backtest %s: %s", strings.Join(args, " "), time.Since(t0).Round(time.Millisecond))
	return doc
}

// TestLiveRoundTrip is the test of backtest: a simulation exported with
// run --openmetrics and backfilled into a real Prometheus reads back as it
// was written through the HTTP API, and a backtest of the same scenario
// against it agrees at every sync with zero lag; with a manual scale and a
// lost scrape written into the recording, it finds exactly those.
func TestLiveRoundTrip(t *testing.T) {
	url, dir := backfilled(t)

	// What Prometheus answers is what the export holds, sample for sample.
	sc, err := scenarios.Load(backtestScenario)
	require.NoError(t, err)
	x, err := openmetrics.Simulate(context.Background(), sc.Spec)
	require.NoError(t, err)
	start := sc.Spec.Start
	end := start.Add(sc.Spec.Duration)
	c := &replay.Client{BaseURL: url}
	got, err := c.Query(context.Background(), `{namespace="demo"}[30m]`, end)
	require.NoError(t, err)
	byKey := map[string]replay.Series{}
	for _, s := range got {
		byKey[s.String()] = s
	}
	require.Len(t, byKey, len(x.Series))
	checked := 0
	for _, s := range x.Series {
		rs, ok := byKey[replay.Series{Labels: s.Labels}.String()]
		require.True(t, ok, "%s not answered", s.Labels)
		require.Len(t, rs.Points, len(s.T), "%s", s.Labels)
		for i := range s.T {
			require.Equal(t, s.T[i], rs.Points[i].T.UnixMilli(), "%s", s.Labels)
			require.Equal(t, s.V[i], rs.Points[i].V, "%s at %d", s.Labels, s.T[i])
			checked++
		}
	}
	t.Logf("%d series, %d samples read back as exported", len(x.Series), checked)

	window := []string{"--prometheus-url", url, "--from", start.Format(time.RFC3339), "--to", end.Format(time.RFC3339)}
	for _, input := range []string{"query", "keda"} {
		doc := runBacktest(t, append(window, "--input", input, "--min-agreement", "1")...)
		require.Equal(t, 101, doc.Syncs)
		require.Equal(t, 1.0, doc.Agreement, "%+v", doc.Disagreements)
		require.Empty(t, doc.Disagreements)
		require.Zero(t, doc.LagSeconds)
		require.Zero(t, doc.MeanAbsoluteError)
		require.Zero(t, doc.ReplicaSecondsError)
		require.Equal(t, input, doc.Inputs[0].Source)
	}

	// What was read can be saved and backtested offline, to the same
	// report.
	saved := filepath.Join(dir, "saved.json")
	code, online, stderr := runCLI(t, append([]string{"backtest", backtestScenario, "-o", "json", "--save-recording", saved}, window...)...)
	require.Equal(t, exitOK, code, stderr)
	code, offline, stderr := runCLI(t, "backtest", backtestScenario, "-o", "json", "--recorded", saved, "--from", window[3], "--to", window[5])
	require.Equal(t, exitOK, code, stderr)
	require.JSONEq(t, online, offline)

	// The cluster differs (perturb): a manual scale to 4 at 12:20:00 and
	// 12:20:15, the scrape of 12:06:00 lost, all a day later.
	start, end = start.Add(shiftedDay), end.Add(shiftedDay)
	doc := runBacktest(t, "--prometheus-url", url, "--from", start.Format(time.RFC3339), "--to", end.Format(time.RFC3339))
	require.Equal(t, 101, doc.Syncs)
	require.Equal(t, 98, doc.Agreeing)
	require.Equal(t, 1, doc.Missing)
	require.Len(t, doc.Disagreements, 3)
	at := func(d time.Duration) string { return start.Add(d).Format(time.RFC3339) }
	require.Equal(t, at(6*time.Minute), doc.Disagreements[0].At)
	require.Nil(t, doc.Disagreements[0].Recorded)
	for i, off := range []time.Duration{20 * time.Minute, 20*time.Minute + 15*time.Second} {
		d := doc.Disagreements[1+i]
		require.Equal(t, at(off), d.At)
		require.Equal(t, int32(4), *d.Recorded)
		require.Equal(t, int32(1), d.Simulated)
	}
	require.Zero(t, doc.LagSeconds)
}

// TestLiveBacktestHTTPConfig: backtest sends its requests through
// --http-config, as run does: the TLS instance of .ci/prometheus.sh (basic
// auth, a private CA) answers with it (and holds no kube-state-metrics
// series, which the backtest then says), refuses without it.
func TestLiveBacktestHTTPConfig(t *testing.T) {
	url, tlsDir := os.Getenv("AUTOSCALE_SIM_PROMETHEUS_TLS_URL"), os.Getenv("AUTOSCALE_SIM_PROMETHEUS_TLS_DIR")
	if url == "" || tlsDir == "" {
		t.Skip("no TLS Prometheus: .ci/prometheus.sh starts one")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "http.yaml")
	copyFile(t, "../../testdata/http-config/basic-auth-tls.yaml", cfg)
	for _, f := range []string{"ca.crt", "username", "password"} {
		copyFile(t, filepath.Join(tlsDir, f), filepath.Join(dir, f))
	}
	args := []string{"backtest", backtestScenario, "--prometheus-url", url, "--from", "2026-11-30T12:00:00Z", "--to", "2026-11-30T12:25:00Z"}
	code, _, stderr := runCLI(t, append(args, "--http-config", cfg)...)
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "the recording has no replica count at or before --from 2026-11-30T12:00:00Z")
	code, _, stderr = runCLI(t, args...)
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "certificate")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "password"), []byte("wrong"), 0o600))
	code, _, stderr = runCLI(t, append(args, "--http-config", cfg)...)
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "401")
}

// TestLiveRoundTripFailedReads: Prometheus down for five minutes
// (examples/fallback) shows in the export as KEDA's error counter, which
// the backtest replays as failed reads: fallback and all, it agrees at
// every sync.
func TestLiveRoundTripFailedReads(t *testing.T) {
	url, _ := backfilled(t)
	const file = "../../examples/fallback/scenario.yaml"
	for _, input := range []string{"query", "keda"} {
		code, stdout, stderr := runCLI(t, "backtest", file, "-o", "json", "--prometheus-url", url, "--from", "0", "--to", "1500", "--input", input)
		require.Equal(t, exitOK, code, stderr)
		var doc struct {
			Agreement float64
			Inputs    []struct{ FailedSeconds float64 }
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
		require.Equal(t, 1.0, doc.Agreement, input)
		require.Equal(t, 300.0, doc.Inputs[0].FailedSeconds, input)
	}
}

// TestLiveRoundTripPlainHPA: a plain HPA's export, backfilled, backtests
// at every sync with zero lag through the HTTP API: from the HPA's status
// (kube_horizontalpodautoscaler_status_target_metric), from the answers
// of its adapter rule's query, and, for the prometheus-adapter
// configuration of examples/adapter-websocket-tutorial, from the raw
// samples of the rule's seriesQuery, which the replay's adapter queries
// as the cluster's did. Saved, each reads back offline to the same report.
func TestLiveRoundTripPlainHPA(t *testing.T) {
	url, dir := backfilled(t)
	for _, tc := range []struct {
		file, from, to, input, source string
	}{
		{backtestHPAScenario, "2026-11-30T14:00:00Z", "2026-11-30T14:25:00Z", "status", "status"},
		{backtestHPAScenario, "2026-11-30T14:00:00Z", "2026-11-30T14:25:00Z", "query", "query"},
		{adapterTutorialScenario, "0", "1500", "query", "raw"},
	} {
		t.Run(filepath.Base(filepath.Dir(tc.file))+"/"+tc.input, func(t *testing.T) {
			args := []string{"backtest", tc.file, "-o", "json", "--prometheus-url", url, "--from", tc.from, "--to", tc.to, "--input", tc.input}
			saved := filepath.Join(dir, filepath.Base(filepath.Dir(tc.file))+"-"+tc.input+".json")
			t0 := time.Now()
			code, online, stderr := runCLI(t, append(args, "--min-agreement", "1", "--save-recording", saved)...)
			require.Equal(t, exitOK, code, "%s%s", stderr, online)
			t.Logf("backtest %s: %s", strings.Join(args[1:], " "), time.Since(t0).Round(time.Millisecond))
			var doc backtestDoc
			require.NoError(t, json.Unmarshal([]byte(online), &doc))
			require.Equal(t, 101, doc.Syncs)
			require.Equal(t, 1.0, doc.Agreement, "%+v", doc.Disagreements)
			require.Zero(t, doc.LagSeconds)
			require.Zero(t, doc.ReplicaSecondsError)
			require.Equal(t, tc.source, doc.Inputs[0].Source)
			code, offline, stderr := runCLI(t, "backtest", tc.file, "-o", "json", "--recorded", saved, "--from", tc.from, "--to", tc.to, "--input", tc.input, "--min-agreement", "1")
			require.Equal(t, exitOK, code, stderr)
			require.JSONEq(t, online, offline)
		})
	}
}
