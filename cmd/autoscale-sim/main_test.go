package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const (
	exampleScenario = "../../examples/websocket/scenario.yaml"
	goldenDir       = "../../testdata/golden/websocket"
)

// runCLI runs the command in-process and returns exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// golden compares got with a golden file of the example, or rewrites it
// under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenIn(t, goldenDir, name, got)
}

// goldenIn compares got with dir/name, or rewrites it under -update.
func goldenIn(t *testing.T, dir, name string, got []byte) {
	t.Helper()
	path := filepath.Join(dir, name)
	if *update {
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./cmd/autoscale-sim -update")
	require.Equal(t, string(want), string(got), "output differs from %s; if the change is intended run go test ./cmd/autoscale-sim -update", path)
}

func TestRunWebSocketExample(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "run", exampleScenario, "--out", out)
	require.Equal(t, exitOK, code, stderr)
	require.Empty(t, stderr)

	timeline := strings.ReplaceAll(stdout, out, "OUT")
	golden(t, "timeline.txt", []byte(timeline))
	for _, name := range []string{"trace.csv", "trace.json"} {
		data, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		golden(t, name, data)
	}
	for _, name := range []string{"plot.png", "plot.svg"} {
		info, err := os.Stat(filepath.Join(out, name))
		require.NoError(t, err)
		require.Greater(t, info.Size(), int64(1000), name)
	}
}

// TestRunIsDeterministic runs the example twice and compares every output
// byte for byte, plots included.
func TestRunIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	codeA, stdoutA, _ := runCLI(t, "run", exampleScenario, "--out", a)
	codeB, stdoutB, _ := runCLI(t, "run", exampleScenario, "--out", b)
	require.Equal(t, exitOK, codeA)
	require.Equal(t, exitOK, codeB)
	require.Equal(t, strings.ReplaceAll(stdoutA, a, "OUT"), strings.ReplaceAll(stdoutB, b, "OUT"))
	for _, name := range []string{"trace.csv", "trace.json", "plot.png", "plot.svg"} {
		da, err := os.ReadFile(filepath.Join(a, name))
		require.NoError(t, err)
		db, err := os.ReadFile(filepath.Join(b, name))
		require.NoError(t, err)
		require.True(t, bytes.Equal(da, db), "%s differs between two runs", name)
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{name: "no command", args: nil, code: exitInvalid, contains: []string{"Usage:"}},
		{name: "unknown command", args: []string{"fly"}, code: exitInvalid, contains: []string{`unknown command "fly"`, "Run 'autoscale-sim --help' for usage and examples."}},
		{name: "run without file", args: []string{"run"}, code: exitInvalid, contains: []string{"run needs exactly one scenario file"}},
		{name: "missing file", args: []string{"run", "nope.yaml"}, code: exitInvalid, contains: []string{"nope.yaml"}},
		{
			name: "tutorial YAML as printed",
			args: []string{"run", "../../testdata/openshift-tutorial/scenario.yaml"},
			code: exitInvalid,
			contains: []string{
				filepath.Join("../../testdata/openshift-tutorial", "scaledobject-as-printed.yaml") + ":14: YAML syntax error",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			require.Equal(t, tc.code, code)
			for _, c := range tc.contains {
				require.Contains(t, stdout+stderr, c)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	code, stdout, _ := runCLI(t, "help")
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "  run         Run a scenario")
}
