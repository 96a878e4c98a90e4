package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const namespaceScenario = "../../examples/namespace/scenario.yaml"

// A namespace scenario through every command that takes one: run prints
// each workload and the namespace's figures, test names each claim after
// its workload, explain explains each workload or the one asked for,
// --out writes a directory per workload. What is not available says so
// and fails, rather than answering for the first workload.
func TestNamespaceCommands(t *testing.T) {
	code, out, stderr := runCLI(t, "run", namespaceScenario)
	require.Equal(t, exitOK, code, stderr)
	ws := strings.Index(out, "== workload websocket ==")
	api := strings.Index(out, "== workload api ==")
	ns := strings.Index(out, "== namespace websocket-namespace: 2 workloads (websocket, api) ==")
	require.True(t, 0 <= ws && ws < api && api < ns, out)
	require.Contains(t, out[ws:api], "pod/demo-ws-server-00002: 0/3 nodes are available: 3 Insufficient cpu.")
	require.NotContains(t, out[api:ns], "pod/demo-ws-server-", "a pod's scheduler events are its workload's")
	require.Contains(t, out[api:ns], "NodeReady", "the pool's events are on every timeline")

	code, out, _ = runCLI(t, "test", namespaceScenario)
	require.Equal(t, exitOK, code, out)
	require.Contains(t, out, "  PASS  websocket: KEDA asks for 5 WebSocket pods when the clients arrive\n")
	require.Contains(t, out, "  PASS  api: no API pod waits for a node\n")
	code, out, _ = runCLI(t, "test", namespaceScenario, "--run", "^api: ")
	require.Equal(t, exitOK, code, out)
	require.Equal(t, 2, strings.Count(out, "  PASS  api: "))
	require.NotContains(t, out, "PASS  websocket")

	code, out, stderr = runCLI(t, "explain", namespaceScenario, "--at", "6m", "--workload", "websocket")
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, out, "Pending demo-ws-server-00002 for 45s")
	code, out, _ = runCLI(t, "explain", namespaceScenario, "--at", "6m")
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "== workload websocket ==")
	require.Contains(t, out, "== workload api ==")
	code, _, stderr = runCLI(t, "explain", namespaceScenario, "--at", "6m", "-o", "json")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "-o json explains one workload: pick one with --workload (websocket, api)")
	code, _, stderr = runCLI(t, "explain", namespaceScenario, "--at", "6m", "--workload", "web")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, `--workload "web": no such workload in spec.workloads; have: websocket, api`)

	dir := t.TempDir()
	code, out, stderr = runCLI(t, "run", namespaceScenario, "--out", dir)
	require.Equal(t, exitOK, code, stderr)
	code, _, stderr = runCLI(t, "run", namespaceScenario, "-q", "--html", filepath.Join(dir, "ns.html"))
	require.Equal(t, exitOK, code, stderr)
	page, err := os.ReadFile(filepath.Join(dir, "ns.html"))
	require.NoError(t, err)
	require.Contains(t, string(page), "Workload websocket")
	code, _, stderr = runCLI(t, "run", namespaceScenario, "-q", "--openmetrics", filepath.Join(dir, "ns.om"))
	require.Equal(t, exitOK, code, stderr)
	om, err := os.ReadFile(filepath.Join(dir, "ns.om"))
	require.NoError(t, err)
	require.Contains(t, string(om), `horizontalpodautoscaler="keda-hpa-websocket-scaledobject"`)
	require.Contains(t, string(om), `horizontalpodautoscaler="keda-hpa-demo-api"`)
	svg, err := os.ReadFile(filepath.Join(dir, "plot.svg"))
	require.NoError(t, err)
	require.Contains(t, string(svg), "The namespace as one", "the namespace's plot is the total")
	require.Contains(t, string(svg), "nodes-ready")
	for _, name := range []string{"", "websocket", "api"} {
		for _, f := range []string{"trace.csv", "trace.json", "plot.png", "plot.svg"} {
			_, err := os.Stat(filepath.Join(dir, name, f))
			require.NoError(t, err, out)
		}
	}

	for _, args := range [][]string{
		{"explain", namespaceScenario, "--at", "1m", "--set", "spec.cooldownPeriod=30"},
		{"backtest", namespaceScenario, "--recorded", "../../examples/backtest/trigger.json"},
		{"sweep", namespaceScenario, "--set", "spec.nodePool.nodes=3,4", "--html", filepath.Join(dir, "s.html")},
	} {
		code, _, stderr := runCLI(t, args...)
		require.Equal(t, exitInvalid, code, "%v: %s", args, stderr)
		require.Contains(t, stderr, "spec.workloads", args)
	}
}

// --runs of a namespace: the namespace's figures as one over the seeds,
// each claim named after its workload and judged over the runs.
func TestNamespaceRuns(t *testing.T) {
	code, out, stderr := runCLI(t, "run", namespaceScenario, "--runs", "8")
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, out, "websocket-namespace: 8 runs (seeds 1 to 8), each 40m")
	require.Regexp(t, `longest wait for a node +2m\d+s`, out)
	require.Contains(t, out, "  ok   api: no API pod waits for a node: 0 of 8 runs failed")
}

// The JSON of a namespace run holds the numbers its text shows.
func TestNamespaceJSON(t *testing.T) {
	code, js, stderr := runCLI(t, "run", namespaceScenario, "-o", "json")
	require.Equal(t, exitOK, code, stderr)
	var doc struct {
		Kind      string
		Names     []string
		Workloads []struct {
			Figures struct{ ReplicaSeconds float64 }
		}
		Figures struct {
			ReplicaSeconds float64
			Nodes          struct{ PeakNodes, PodsWaited int }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(js), &doc))
	require.Equal(t, "NamespaceResult", doc.Kind)
	require.Equal(t, []string{"websocket", "api"}, doc.Names)
	require.Len(t, doc.Workloads, 2)
	require.Equal(t, doc.Workloads[0].Figures.ReplicaSeconds+doc.Workloads[1].Figures.ReplicaSeconds, doc.Figures.ReplicaSeconds)
	_, text, _ := runCLI(t, "run", namespaceScenario)
	require.Contains(t, text, "Figures: cost 14430 replica-seconds")
	require.Equal(t, 14430.0, doc.Figures.ReplicaSeconds)
	require.Equal(t, 6, doc.Figures.Nodes.PeakNodes)
	require.Equal(t, 3, doc.Figures.Nodes.PodsWaited)
}

// A ScaledJob in a namespace drains a queue fed by a frontend; on a node
// pool it is refused (its pods are not modelled there), at the workload.
func TestNamespaceScaledJob(t *testing.T) {
	code, out, stderr := runCLI(t, "run", "../../testdata/namespace/scenario-scaledjob.yaml")
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, out, "Figures: cost 1800 replica-seconds, overloaded 0s, above target 0s, no scale-up after the load rises, 0 scale events, 0 flaps\n")
	renders := out[strings.Index(out, "== workload renders =="):]
	require.Regexp(t, `Jobs: \d+ created`, renders)

	src, err := os.ReadFile("../../testdata/namespace/scenario-scaledjob.yaml")
	require.NoError(t, err)
	pool := strings.Replace(string(src), "  workloads:\n", "  nodePool: {name: pool, nodes: 2, allocatable: {cpu: 4, memory: 8Gi, pods: 110}}\n  workloads:\n", 1)
	examples, err := filepath.Abs("../../examples")
	require.NoError(t, err)
	pool = strings.ReplaceAll(pool, "../../examples", examples)
	file := filepath.Join(t.TempDir(), "scenario.yaml")
	require.NoError(t, os.WriteFile(file, []byte(pool), 0o644))
	code, _, stderr = runCLI(t, "run", file)
	require.NotEqual(t, exitOK, code)
	require.Contains(t, stderr, "scenario.yaml:24: spec.workloads[1]: workloads[1] (Job/render-default): nodePool:")
	require.Contains(t, stderr, "a ScaledJob's pods on a node pool are not modelled")
}
