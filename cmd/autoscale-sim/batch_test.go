package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBatch: test and lint take files, globs and directories, report every
// file (an invalid one too, the others still run), exit with the worst
// status and end with the line "N passed, N failed".
func TestBatch(t *testing.T) {
	bad := "../../testdata/expect/bad-expect.yaml"
	code, stdout, stderr := runCLI(t, "test", bad, exampleScenario, failingScenario)
	require.Equal(t, exitInvalid, code, "an invalid file is the worst status")
	require.Contains(t, stdout, "Testing "+bad+"\n  INVALID  the file cannot be tested:\n        "+bad+":13: spec.expect[0]: several claims")
	require.Contains(t, stdout, "Testing "+exampleScenario+"\n  PASS  ")
	require.Contains(t, stdout, "FAIL  three replicas at 12m")
	require.True(t, strings.HasSuffix(stdout, "\n1 passed, 2 failed\n"), stdout)
	require.Equal(t, "autoscale-sim: 1 of 3 files invalid\n", stderr)

	code, stdout, _ = runCLI(t, "test", exampleScenario, failingScenario)
	require.Equal(t, exitFailed, code)
	require.True(t, strings.HasSuffix(stdout, "\n1 passed, 1 failed\n"))

	// A directory gives its scenario files (not the manifests beside
	// them); a glob its matches; one that matches nothing is reported.
	code, stdout, _ = runCLI(t, "test", "../../examples/")
	require.Equal(t, exitOK, code, stdout)
	examples, err := filepath.Glob("../../examples/*/*scenario*.yaml")
	require.NoError(t, err)
	require.Equal(t, len(examples), strings.Count(stdout, "Testing "))
	require.NotContains(t, stdout, "scaledobject.yaml")
	require.True(t, strings.HasSuffix(stdout, "\n"+itoa(len(examples))+" passed, 0 failed\n"), stdout)

	code, stdout, _ = runCLI(t, "test", "../../examples/web*/scenario.yaml", "../../examples/nothing-*.yaml")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stdout, "PASS  back to minReplicaCount")
	require.Contains(t, stdout, "../../examples/nothing-*.yaml: no file matches the pattern")
	require.True(t, strings.HasSuffix(stdout, "\n1 passed, 1 failed\n"))

	// lint: every file, the invalid one as error lines at its lines.
	code, stdout, stderr = runCLI(t, "lint", bad, "../../examples/prometheus-adapter-websocket/scenario.yaml")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stdout, bad+":13: error: spec.expect[0]: several claims")
	require.Contains(t, stdout, "[max-unreachable]")
	require.True(t, strings.HasSuffix(stdout, "\n1 passed, 1 failed\n"), stdout)
	require.Contains(t, stderr, "error(s): the simulation cannot answer for these inputs")

	code, stdout, _ = runCLI(t, "lint", "--strict", "../../examples/prometheus-adapter-websocket/", exampleScenario)
	require.Equal(t, exitFailed, code)
	require.True(t, strings.HasSuffix(stdout, "\n0 passed, 2 failed\n"), stdout)

	// JUnit marks the invalid file as an error.
	junit := filepath.Join(t.TempDir(), "junit.xml")
	runCLI(t, "test", bad, exampleScenario, "--junit", junit)
	data, err := os.ReadFile(junit)
	require.NoError(t, err)
	require.Contains(t, string(data), `<testsuite name="`+bad+`" tests="1" failures="0" errors="1">`)
}

func itoa(n int) string { return strconv.Itoa(n) }
