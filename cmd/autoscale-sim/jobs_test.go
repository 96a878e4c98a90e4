package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestScaledJobOutputs: a ScaledJob run's trace carries its Jobs and
// queue (CSV columns, JSON fields), the plot draws them, and the figures
// line says how long messages waited.
func TestScaledJobOutputs(t *testing.T) {
	out := t.TempDir()
	code, stdout, _ := runCLI(t, "run", "../../examples/scaledjob-burst/scenario-custom.yaml", "--out", out)
	require.Equal(t, exitOK, code)
	require.Regexp(t, `(?m)^Jobs: \d+ created \(\d+ succeeded, 0 failed\), at most 39 running; messages waited 2m\d+s on average`, stdout)

	f, err := os.Open(filepath.Join(out, "trace.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	header := rows[0]
	require.Equal(t, []string{"backlog", "jobs_running", "jobs_pending", "jobs_succeeded", "jobs_failed", "jobs_created"}, header[len(header)-6:])
	peak := 0
	for _, r := range rows[1:] {
		n, err := strconv.Atoi(r[len(header)-5])
		require.NoError(t, err)
		peak = max(peak, n)
	}
	require.Equal(t, 39, peak, "custom caps the Jobs created per poll, not those running")

	data, err := os.ReadFile(filepath.Join(out, "trace.json"))
	require.NoError(t, err)
	var doc struct {
		Backlog string
		Samples []struct {
			Backlog *float64
			Jobs    *struct{ Running, Pending, Succeeded, Failed, Created int }
		}
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	require.Equal(t, "queue", doc.Backlog)
	last := doc.Samples[len(doc.Samples)-1]
	require.NotNil(t, last.Jobs)
	require.NotNil(t, last.Backlog)
	require.Positive(t, last.Jobs.Created)

	svg, err := os.ReadFile(filepath.Join(out, "plot.svg"))
	require.NoError(t, err)
	for _, class := range []string{`class="panel jobs"`, `class="panel backlog"`, `class="series jobs-running"`, "the queue length KEDA reads"} {
		require.True(t, strings.Contains(string(svg), class), class)
	}
}

// TestKafkaLagPlotted: the true lag, not KEDA's capped metric, has its
// panel, and it grows while the partition count holds the consumers at 6.
func TestKafkaLagPlotted(t *testing.T) {
	out := t.TempDir()
	code, _, _ := runCLI(t, "run", "../../examples/kafka-partitions/scenario.yaml", "--out", out)
	require.Equal(t, exitOK, code)
	data, err := os.ReadFile(filepath.Join(out, "trace.json"))
	require.NoError(t, err)
	var doc struct {
		Backlog string
		Samples []struct {
			T       float64
			Backlog float64
			Metrics map[string]float64
		}
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	require.Equal(t, "kafka lag", doc.Backlog)
	var peakLag, peakMetric float64
	for _, s := range doc.Samples {
		peakLag = max(peakLag, s.Backlog)
		peakMetric = max(peakMetric, s.Metrics["s0-kafka-orders"])
	}
	// 20 minutes at 400/s offered, 240/s read: about 160/s x 1200 s.
	require.InDelta(t, 160*1200, peakLag, 15000)
	require.Equal(t, 300.0, peakMetric, "KEDA caps the lag at 6 partitions x lagThreshold 50")
	svg, err := os.ReadFile(filepath.Join(out, "plot.svg"))
	require.NoError(t, err)
	require.Contains(t, string(svg), "Consumer lag on the topic")
}

// TestExplainScaledJob: explain shows a ScaledJob's last poll (triggers,
// Jobs counted, the strategy's arithmetic), not an HPA it does not have.
func TestExplainScaledJob(t *testing.T) {
	code, stdout, _ := runCLI(t, "explain", "../../examples/scaledjob-burst/scenario-custom.yaml", "--at", "3m")
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "KEDA ScaledJob (polls every 30s; no HPA: KEDA creates Jobs itself)")
	require.Regexp(t, `decision:\s+\d+ created: custom: min\(maxScale 20 - deduction 0 - trunc\(\d+ running x 0.5\), budget 20\)`, stdout)
	require.NotContains(t, stdout, "HPA (syncs")
	code, stdout, _ = runCLI(t, "explain", "../../examples/scaledjob-burst/scenario-custom.yaml", "--at", "3m", "-o", "json")
	require.Equal(t, exitOK, code)
	var doc struct {
		Jobs *struct {
			Strategy string
			Running  int
			Triggers []struct{ QueueLength float64 }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	require.NotNil(t, doc.Jobs)
	require.Equal(t, "custom", doc.Jobs.Strategy)
	require.Positive(t, doc.Jobs.Running)
	require.Len(t, doc.Jobs.Triggers, 1)
}

// TestSweepNodeColumns: on a node pool the sweep's table and CSV carry the
// node figures, which are the run's own.
func TestSweepNodeColumns(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "sweep.csv")
	code, stdout, stderr := runCLI(t, "sweep", "../../examples/node-pool/scenario.yaml", "--set", "spec.nodePool.nodes=3,5", "--csv", csvPath)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "PEAK-NODES  NODE-SECONDS  LONGEST-PENDING")
	b, err := os.ReadFile(csvPath)
	require.NoError(t, err)
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	require.Equal(t, []string{"peak_nodes", "node_seconds", "longest_pending_seconds", "pending_pod_seconds"}, rows[0][len(rows[0])-4:])
	_, run, _ := runCLI(t, "run", "../../examples/node-pool/scenario.yaml", "-o", "json")
	var doc struct {
		Figures struct {
			Nodes struct {
				PeakNodes          int     `json:"peakNodes"`
				NodeSeconds        float64 `json:"nodeSeconds"`
				LongestWaitSeconds float64 `json:"longestWaitSeconds"`
			} `json:"nodes"`
		} `json:"figures"`
	}
	require.NoError(t, json.Unmarshal([]byte(run), &doc))
	n := doc.Figures.Nodes
	require.Equal(t, []string{strconv.Itoa(n.PeakNodes), strconv.FormatFloat(n.NodeSeconds, 'f', -1, 64), strconv.FormatFloat(n.LongestWaitSeconds, 'f', -1, 64)}, rows[1][len(rows[1])-4:len(rows[1])-1], "3 nodes: the run's figures")
	require.Equal(t, "0", rows[2][len(rows[2])-2], "5 nodes: no pod waits")
}
