package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestRunLivePrometheusReplay replays a load recorded in a real Prometheus
// server (started by .ci/prometheus.sh with known data) through
// `autoscale-sim run --prometheus-url`, and checks that the simulated load
// is exactly the recorded one.
func TestRunLivePrometheusReplay(t *testing.T) {
	url := os.Getenv("AUTOSCALE_SIM_PROMETHEUS_URL")
	startEnv := os.Getenv("AUTOSCALE_SIM_PROMETHEUS_DATA_START")
	if url == "" || startEnv == "" {
		t.Skip("no live Prometheus: run `eval \"$(bash .ci/prometheus.sh | tail -1)\"` first (CI does)")
	}
	startUnix, err := strconv.ParseInt(startEnv, 10, 64)
	require.NoError(t, err)
	start := time.Unix(startUnix, 0).UTC()
	end := start.Add(30 * time.Minute)

	dir := t.TempDir()
	so, err := os.ReadFile("../../examples/websocket/scaledobject.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "scaledobject.yaml"), so, 0o644))
	// The server holds ws-0 = i and ws-1 = 1000 - 2i at START + 15s*i, so
	// the recorded total is 1000 - i.
	scenario := `apiVersion: autoscale-sim.dev/v1alpha1
kind: Scenario
metadata:
  name: live-replay
spec:
  duration: 30m
  autoscaler:
    manifests: scaledobject.yaml
  load:
  - metric: websocket_connection_count
    model: connections
    replay:
      query: sum(websocket_connection_count)
      start: "` + start.Format(time.RFC3339) + `"
      end: "` + end.Format(time.RFC3339) + `"
      step: 15s
`
	file := filepath.Join(dir, "scenario.yaml")
	require.NoError(t, os.WriteFile(file, []byte(scenario), 0o644))
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "run", file, "--prometheus-url", url, "--out", out, "--quiet")
	require.Equal(t, exitOK, code, stderr)

	f, err := os.Open(filepath.Join(out, "trace.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "load", rows[0][4])
	require.Len(t, rows, 1+30*4+1)
	for i, row := range rows[1:] {
		require.Equal(t, strconv.Itoa(15*i), row[0])
		require.Equal(t, strconv.Itoa(1000-i), row[4], "load at %ss", row[0])
	}
	// 1000 connections or so against a threshold of 40 hold the maximum.
	require.Equal(t, "5", rows[len(rows)-1][1])

	code, _, stderr = runCLI(t, "run", file, "--quiet")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "prometheus")
}
