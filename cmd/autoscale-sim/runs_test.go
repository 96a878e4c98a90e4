package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/output"
)

// TestHelperProcess is the CLI in a process of its own: the test binary
// re-executed with the arguments in AUTOSCALE_SIM_HELPER_ARGS.
func TestHelperProcess(t *testing.T) {
	raw := os.Getenv("AUTOSCALE_SIM_HELPER_ARGS")
	if raw == "" {
		t.Skip("runs only as a helper process")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		os.Exit(3)
	}
	os.Exit(run(context.Background(), args, os.Stdout, os.Stderr))
}

// cliProcess runs the CLI in a separate process and returns its stdout.
func cliProcess(t *testing.T, args ...string) []byte {
	t.Helper()
	raw, err := json.Marshal(args)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "AUTOSCALE_SIM_HELPER_ARGS="+string(raw))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "%v: %s", args, stderr.String())
	return stdout.Bytes()
}

// TestShardedRunsMerge: four shards of a distribution, each run by a
// process of its own, merged by `autoscale-sim merge`, print exactly
// what one unsharded `run --runs` prints, and write the same band.
func TestShardedRunsMerge(t *testing.T) {
	dir := t.TempDir()
	scenario := "../../examples/websocket/scenario-random.yaml"
	whole := cliProcess(t, "run", scenario, "--runs", "60", "--out", filepath.Join(dir, "whole"))
	var shards []string
	for k := range 4 {
		out := filepath.Join(dir, "shard-"+string(rune('0'+k))+".json")
		cliProcess(t, "run", scenario, "--runs", "60", "--shard", string(rune('0'+k))+"/4", "--shard-out", out)
		shards = append(shards, out)
	}
	merged := cliProcess(t, append([]string{"merge", "--out", filepath.Join(dir, "whole")}, shards[2], shards[0], shards[3], shards[1])...)
	require.Equal(t, string(whole), string(merged))
	require.Contains(t, string(whole), "websocket-random: 60 runs (seeds 1 to 60)")
	for _, f := range []string{"band.csv", "band.png", "band.svg"} {
		_, err := os.Stat(filepath.Join(dir, "whole", f))
		require.NoError(t, err)
	}

	// -o json of the merge is the unsharded run's document, byte for byte,
	// and its figures are the text's.
	wholeJSON := cliProcess(t, "run", scenario, "--runs", "60", "-o", "json")
	mergedJSON := cliProcess(t, append([]string{"merge", "-o", "json"}, shards[1], shards[3], shards[0], shards[2])...)
	require.Equal(t, string(wholeJSON), string(mergedJSON))
	var doc output.RunsResult
	require.NoError(t, json.Unmarshal(wholeJSON, &doc))
	require.Equal(t, 60, doc.Runs)
	require.Len(t, doc.PerRun, 60)
	require.Equal(t, "cost (replica-seconds)", doc.Figures[0].Name)
	require.Regexp(t, `cost \(replica-seconds\) +`+strconv.FormatFloat(*doc.Figures[0].Median, 'f', -1, 64)+` +`+strconv.FormatFloat(*doc.Figures[0].P95, 'f', -1, 64)+` +`+strconv.FormatFloat(*doc.Figures[0].Max, 'f', -1, 64)+`\n`, string(whole))
	code, _, stderr := runCLI(t, "run", scenario, "--runs", "4", "--shard", "0/2", "-o", "json")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "--shard writes a mergeable JSON shard")

	code, _, stderr = runCLI(t, "merge", shards[0], shards[1])
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "is in no shard")
}

// TestRunsWhateverTheWorkers: --workers changes nothing in the output.
func TestRunsWhateverTheWorkers(t *testing.T) {
	scenario := "../../examples/websocket/scenario-random.yaml"
	_, one, _ := runCLI(t, "run", scenario, "--runs", "50", "--workers", "1")
	_, four, _ := runCLI(t, "run", scenario, "--runs", "50", "--workers", "4")
	require.Equal(t, one, four)
	code, _, stderr := runCLI(t, "run", scenario, "--runs", "10", "--shard", "4/4")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "want K/N with 0 <= K < N")
	// Runs are bounded like a sweep's, the scenario's spec.runs included.
	code, _, stderr = runCLI(t, "run", scenario, "--max-runs", "500")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "scenario-random.yaml: spec.runs (or --runs): 1000 runs is more than --max-runs (500)")
	code, stdout, _ := runCLI(t, "test", scenario, "--max-runs", "500")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stdout, "1000 runs is more than --max-runs (500)")
}

// TestTestJudgesOverRuns: with spec.runs, `test` judges each claim over
// the runs by its quantile: 36 of 100 runs reach 5 replicas by 1m20s, so
// the claim fails at 0.9 and holds at 0.3, and the failure names the count
// and the seed to rerun.
func TestTestJudgesOverRuns(t *testing.T) {
	dir := t.TempDir()
	so, err := os.ReadFile("../../examples/websocket/scaledobject.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "scaledobject.yaml"), so, 0o644))
	base, err := os.ReadFile("../../examples/websocket/scenario-random.yaml")
	require.NoError(t, err)
	for q, want := range map[string]int{"0.9": exitFailed, "0.3": exitOK} {
		text := strings.NewReplacer("    by: 2m\n", "    by: 1m20s\n", "quantile: 0.95", "quantile: "+q, "runs: 1000", "runs: 100").Replace(string(base))
		path := filepath.Join(dir, "q"+q+"-scenario.yaml")
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		code, stdout, _ := runCLI(t, "test", path)
		require.Equal(t, want, code, stdout)
		if want == exitFailed {
			require.Contains(t, stdout, "64 of 100 runs failed (must hold in 90 %); rerun seed 1 (spec.sim.seed: 1)")
		}
	}
}

// TestShardedSweepMerge: a sweep split in four shards, each run by a
// process of its own, merged by `autoscale-sim merge`, gives the
// unsharded sweep's table, CSV, overlay plot, heatmap and JSON, byte for
// byte.
func TestShardedSweepMerge(t *testing.T) {
	dir := t.TempDir()
	sweep := []string{"sweep", "../../examples/websocket/scenario.yaml",
		"--set", "spec.triggers[0].metadata.threshold=20,40,60", "--set", "spec.cooldownPeriod=30,300,600"}
	outputs := func(prefix string) []string {
		return []string{"--csv", filepath.Join(dir, prefix+".csv"), "--plot", filepath.Join(dir, prefix+".svg"), "--heatmap", filepath.Join(dir, prefix+"-heat.svg")}
	}
	whole := cliProcess(t, append(append([]string(nil), sweep...), outputs("whole")...)...)
	wholeJSON := cliProcess(t, append(append([]string(nil), sweep...), "-o", "json")...)
	var shards []string
	for k := range 4 {
		out := filepath.Join(dir, "sweep-"+string(rune('0'+k))+".json")
		cliProcess(t, append(append([]string(nil), sweep...), "--shard", string(rune('0'+k))+"/4", "--shard-out", out)...)
		shards = append(shards, out)
	}
	merged := cliProcess(t, append(append([]string{"merge"}, shards[3], shards[1], shards[2], shards[0]), outputs("merged")...)...)
	mergedJSON := cliProcess(t, append([]string{"merge", "-o", "json"}, shards...)...)
	require.Equal(t, strings.ReplaceAll(string(whole), "whole", "merged"), string(merged))
	require.Equal(t, string(wholeJSON), string(mergedJSON))
	for _, f := range []string{".csv", ".svg", "-heat.svg"} {
		a, err := os.ReadFile(filepath.Join(dir, "whole"+f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(dir, "merged"+f))
		require.NoError(t, err)
		require.Equal(t, string(a), string(b), f)
	}
	code, _, stderr := runCLI(t, "merge", shards[0], shards[2])
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "is in no shard")
}
