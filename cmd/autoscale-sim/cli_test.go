package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCLIConventions: the command line behaves as kubectl's and helm's
// (cobra and pflag): flags before or after the arguments, long flags
// written --flag, short -o and -f, help per command with examples, shell
// completion, one error message with a hint naming the command's help.
func TestCLIConventions(t *testing.T) {
	// Flags before and after the scenario give the same run.
	_, after, _ := runCLI(t, "explain", exampleScenario, "--at", "12m", "-o", "json")
	code, before, stderr := runCLI(t, "explain", "-o", "json", "--at=12m", exampleScenario)
	require.Equal(t, exitOK, code, stderr)
	require.Equal(t, after, before)
	require.Contains(t, before, `"kind": "Explanation"`)

	// Every command's help shows --flags and examples.
	for _, c := range []string{"run", "test", "lint", "explain", "sweep", "compare", "version"} {
		code, stdout, _ := runCLI(t, "help", c)
		require.Equal(t, exitOK, code, c)
		require.Contains(t, stdout, "Examples:\n  autoscale-sim "+c, c)
		require.Contains(t, stdout, "-o, --output string", c)
		_, dashH, _ := runCLI(t, c, "-h")
		require.Equal(t, stdout, dashH, "help %s and %s -h", c, c)
	}
	_, stdout, _ := runCLI(t, "help", "run")
	for _, f := range []string{"-f, --filename stringArray", "--out string", "-q, --quiet", "--http-config string", "--prometheus-url string"} {
		require.Contains(t, stdout, f)
	}

	// Shell completion.
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, stdout, stderr := runCLI(t, "completion", sh)
		require.Equal(t, exitOK, code, stderr)
		require.Contains(t, stdout, "autoscale-sim", sh)
	}
	_, stdout, _ = runCLI(t, "__complete", "lint", "-o", "")
	require.Contains(t, stdout, "sarif\ngithub\n")

	// A bad flag: one message, the hint names the command's help.
	code, stdout, stderr = runCLI(t, "run", exampleScenario, "--outt", "x")
	require.Equal(t, exitInvalid, code)
	require.Empty(t, stdout)
	require.Equal(t, "autoscale-sim: unknown flag: --outt\nRun 'autoscale-sim run --help' for usage and examples.\n", stderr)
	code, _, stderr = runCLI(t, "explain", exampleScenario, "--at", "1.5m")
	require.Equal(t, exitInvalid, code)
	require.Equal(t, 1, strings.Count(stderr, `"1.5m"`), stderr)
	require.Contains(t, stderr, "Run 'autoscale-sim explain --help'")
	code, _, stderr = runCLI(t, "lint", exampleScenario, "-o", "xml")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, `--output "xml": want one of text, json, yaml, sarif, github`)

	// Durations as Prometheus writes them.
	code, stdout, stderr = runCLI(t, "explain", "../../examples/diurnal/scenario.yaml", "--at", "1d")
	require.Equal(t, exitOK, code, stderr)
	require.True(t, strings.HasPrefix(stdout, "At 24h: "), stdout)

	// -f and --filename are one flag, repeatable.
	dir := t.TempDir()
	so, err := os.ReadFile("../../examples/websocket/scaledobject.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "so.yaml"), so, 0o644))
	_, short, _ := runCLI(t, "lint", "-f", filepath.Join(dir, "so.yaml"))
	_, long, _ := runCLI(t, "lint", "--filename="+filepath.Join(dir, "so.yaml"))
	require.Equal(t, short, long)
	require.Contains(t, short, "ignored-metadata")
}

// TestVersion: the build's module version, the Go release and the
// modelled releases, as text, --version and JSON.
func TestVersion(t *testing.T) {
	code, stdout, _ := runCLI(t, "version")
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "autoscale-sim (devel)\n  go:          go1.")
	require.Contains(t, stdout, "kubernetes:  1.35 ")
	require.Contains(t, stdout, "keda:        2.20.2 ")
	_, flag, _ := runCLI(t, "--version")
	require.Equal(t, stdout, flag)
	_, js, _ := runCLI(t, "version", "-o", "json")
	require.Contains(t, js, `"kind": "Version"`)
	require.Contains(t, js, `"kubernetes": "1.35"`)
}
