package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const policyGoldenDir = "../../testdata/golden/policy"

// policyGolden is golden for the outputs of the policy commands.
func policyGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenIn(t, policyGoldenDir, name, got)
}

const failingScenario = "../../testdata/expect/websocket-failing.yaml"

func TestPolicyCommands(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		golden string // stdout golden file, if any
		// contains are fragments of stdout+stderr.
		contains []string
	}{
		{name: "test passes", args: []string{"test", exampleScenario}, code: exitOK, golden: "test-websocket.txt"},
		{name: "test fails", args: []string{"test", failingScenario, exampleScenario}, code: exitFailed, golden: "test-failing.txt"},
		{name: "test --run", args: []string{"test", failingScenario, "--run", "^three"}, code: exitFailed,
			contains: []string{"FAIL  three replicas at 12m", "FAILED: 1 of 1 expectations"}},
		{name: "test --run matches nothing", args: []string{"test", exampleScenario, "--run", "nothing"}, code: exitInvalid,
			contains: []string{`--run "nothing" matches no expectation`}},
		{name: "test bad regexp", args: []string{"test", exampleScenario, "--run", "("}, code: exitInvalid, contains: []string{"--run: error parsing regexp"}},
		{name: "test invalid expect", args: []string{"test", "../../testdata/expect/bad-expect.yaml"}, code: exitInvalid, golden: "", contains: []string{
			"bad-expect.yaml:13: spec.expect[0]: several claims (at/replicas, zeroBy); write one expectation per claim",
			"bad-expect.yaml:17: spec.expect[1]: reaches and by go together",
			"bad-expect.yaml:19: spec.expect[2]: name must be set",
			`bad-expect.yaml:22: spec.expect[3].during: the window ends before it starts: [3m0s, 1m0s]`,
			"bad-expect.yaml:24: spec.expect[4]: no claim; set one of:",
			`bad-expect.yaml:25: spec.expect[4].replica: unknown field "replica"`,
		}},
		{name: "test without files", args: []string{"test"}, code: exitInvalid, contains: []string{"test needs at least one scenario file"}},
		{name: "lint", args: []string{"lint", exampleScenario}, code: exitOK, golden: "lint-websocket.txt"},
		{name: "lint --strict", args: []string{"lint", "--strict", exampleScenario}, code: exitFailed, contains: []string{"3 warning(s)"}},
		{name: "lint adapter example", args: []string{"lint", "../../examples/prometheus-adapter-websocket/scenario.yaml"}, code: exitOK,
			contains: []string{"maxReplicas 10 is never reached under this scenario's load and policy: the peak is 8 replicas (first at 2m) [max-unreachable]"}},
		{name: "explain", args: []string{"explain", exampleScenario, "--at", "12m"}, code: exitOK, golden: "explain-12m.txt"},
		{name: "explain with --set", args: []string{"explain", exampleScenario, "--at", "2m", "--set", "spec.minReplicaCount=0"}, code: exitOK,
			contains: []string{"spec.replicas 0", "lastActiveTime:  never", "ScalingActive=False ScalingDisabled"}},
		{name: "explain during the cooldown", args: []string{"explain", "../../examples/activation/scenario.yaml", "--at", "20m"}, code: exitOK,
			contains: []string{"cooldown:        2m10s of 7m30s left: ends at 22m10s; the first poll from then (22m20s) scales to minReplicaCount 0"}},
		{name: "explain a cooldown ending on a poll", args: []string{"explain", "../../examples/activation/scenario.yaml", "--at", "22m15s",
			"--set", "spec.pollingInterval=15", "--set", "spec.cooldownPeriod=450"}, code: exitOK,
			contains: []string{"cooldown:        7m30s ended at 22m15s; the first poll from then (22m15s) scales to minReplicaCount 0", "spec.replicas 0"}},
		{name: "explain without --at", args: []string{"explain", exampleScenario}, code: exitInvalid, contains: []string{"explain needs --at"}},
		{name: "explain after the end", args: []string{"explain", exampleScenario, "--at", "1h"}, code: exitInvalid, contains: []string{"--at 1h is after the end of the scenario (20m)"}},
		{name: "sweep", args: []string{"sweep", exampleScenario, "--set", "spec.triggers[0].metadata.threshold=20,40,60", "--set", "spec.cooldownPeriod=30,300"},
			code: exitOK, golden: "sweep.txt"},
		{name: "sweep bad path", args: []string{"sweep", exampleScenario, "--set", "spec.triggers[1].metadata.threshold=20,40"}, code: exitInvalid,
			contains: []string{"scaledobject.yaml:26: spec.triggers: --set spec.triggers[1].metadata.threshold=20: spec.triggers has 1 item; indices start at 0"}},
		{name: "sweep bad value", args: []string{"sweep", exampleScenario, "--set", "spec.maxReplicaCount=0,5"}, code: exitInvalid,
			contains: []string{"scaledobject.yaml:14: spec.maxReplicaCount"}},
		{name: "sweep without --set", args: []string{"sweep", exampleScenario}, code: exitInvalid, contains: []string{"sweep needs at least one --set"}},
		{name: "sweep bad plot name", args: []string{"sweep", exampleScenario, "--set", "spec.cooldownPeriod=1", "--plot", "x.gif"}, code: exitInvalid,
			contains: []string{"must end in .png or .svg"}},
		{name: "compare", args: []string{"compare", exampleScenario, "../../examples/prometheus-adapter-websocket/scenario.yaml"}, code: exitOK, golden: "compare.txt"},
		{name: "compare one file", args: []string{"compare", exampleScenario}, code: exitInvalid, contains: []string{"compare needs exactly two scenario files"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			require.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			if tc.golden != "" {
				policyGolden(t, tc.golden, []byte(stdout))
			}
			for _, c := range tc.contains {
				require.Contains(t, stdout+stderr, c)
			}
		})
	}
}

func TestTestJUnit(t *testing.T) {
	out := filepath.Join(t.TempDir(), "junit.xml")
	code, _, stderr := runCLI(t, "test", failingScenario, exampleScenario, "--junit", out)
	require.Equal(t, exitFailed, code, stderr)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	policyGolden(t, "junit.xml", data)
}

func TestSweepOutputs(t *testing.T) {
	dir := t.TempDir()
	args := []string{"sweep", exampleScenario, "--set", "spec.triggers[0].metadata.threshold=20,40,60", "--set", "spec.cooldownPeriod=30,300",
		"--csv", filepath.Join(dir, "sweep.csv"), "--plot", filepath.Join(dir, "sweep.png")}
	code, stdout, stderr := runCLI(t, args...)
	require.Equal(t, exitOK, code, stderr)
	require.Empty(t, stderr, "no progress bar when stderr is not a terminal")
	require.Contains(t, stdout, "wrote "+filepath.Join(dir, "sweep.csv"))
	data, err := os.ReadFile(filepath.Join(dir, "sweep.csv"))
	require.NoError(t, err)
	policyGolden(t, "sweep.csv", data)
	png, err := os.ReadFile(filepath.Join(dir, "sweep.png"))
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(png, []byte("\x89PNG")))

	// Parallel or not, the same rows in the same order.
	code, serial, _ := runCLI(t, append(args[:6:6], "--parallel", "1")...)
	require.Equal(t, exitOK, code)
	require.Equal(t, strings.SplitN(stdout, "wrote", 2)[0], serial)
}

func TestRunHTML(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out", "report.html")
	code, stdout, stderr := runCLI(t, "run", exampleScenario, "--html", out)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "wrote "+out)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	page := string(data)
	for _, want := range []string{
		`<table class="timeline" id="timeline">`,
		`<p class="verdict" id="verdict">all 5 expectations hold · `,
		` lint warning(s)</p>`,
		`<td>../../examples/websocket/scaledobject.yaml:16</td><td>keda-admission</td>`,
		`<tr><th scope="row">Time to first scale-up</th><td>14s (load rises at 1m1s, first scale-up at 1m15s)</td></tr>`,
	} {
		require.True(t, strings.Contains(page, want), "the review has %q", want)
	}
}

// TestSweepAndCompareHTML: both commands write their review page, and a
// heatmap of the chosen figure.
func TestSweepAndCompareHTML(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, "sweep", exampleScenario,
		"--set", "spec.triggers[0].metadata.threshold=20,40,60", "--set", "spec.cooldownPeriod=30,300",
		"--html", filepath.Join(dir, "sweep.html"), "--heatmap", filepath.Join(dir, "heat.svg"), "--figure", "first-scale-up")
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "wrote "+filepath.Join(dir, "sweep.html"))
	page, err := os.ReadFile(filepath.Join(dir, "sweep.html"))
	require.NoError(t, err)
	require.Equal(t, 4, strings.Count(string(page), "<svg"), "heatmaps of cost, overloaded and the chosen figure, and the overlay")
	require.True(t, strings.Contains(string(page), "time to first scale-up of each run"))
	heat, err := os.ReadFile(filepath.Join(dir, "heat.svg"))
	require.NoError(t, err)
	require.Contains(t, string(heat), "<title>threshold=60 cooldownPeriod=300: time to first scale-up 14s</title>")

	code, _, stderr = runCLI(t, "compare", exampleScenario, "../../examples/prometheus-adapter-websocket/scenario.yaml", "--html", filepath.Join(dir, "compare.html"))
	require.Equal(t, exitOK, code, stderr)
	page, err = os.ReadFile(filepath.Join(dir, "compare.html"))
	require.NoError(t, err)
	require.Equal(t, 2, strings.Count(string(page), `-run">`), "both runs in full")

	code, _, stderr = runCLI(t, "sweep", exampleScenario, "--set", "spec.cooldownPeriod=30,300", "--figure", "price")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, `--figure "price": want one of cost, overloaded, above-target, first-scale-up, max, events, flaps`)
	code, _, stderr = runCLI(t, "sweep", exampleScenario, "--set", "spec.cooldownPeriod=30,300", "--heatmap", "h.pdf")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "--heatmap h.pdf: the file name must end in .png or .svg")
}

// TestExamplesMeetTheirExpectations runs `autoscale-sim test` on every
// bundled example that states expectations, as the README invites users
// to.
func TestExamplesMeetTheirExpectations(t *testing.T) {
	paths, err := filepath.Glob("../../examples/*/*scenario*.yaml")
	require.NoError(t, err)
	tested := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		if !bytes.Contains(data, []byte("\n  expect:")) {
			continue
		}
		tested++
		code, stdout, stderr := runCLI(t, "test", p)
		require.Equal(t, exitOK, code, "%s\n%s%s", p, stdout, stderr)
		require.Contains(t, stdout, "SUCCESS")
	}
	require.GreaterOrEqual(t, tested, 2)
}

// TestSeedsAsPrinted: the tutorials' manifests exactly as printed are
// refused with the file, line and what to change; the messages are
// golden.
func TestSeedsAsPrinted(t *testing.T) {
	paths, err := filepath.Glob("../../testdata/seeds/*/scenario*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, p := range paths {
		name := filepath.Base(filepath.Dir(p)) + "-" + strings.TrimSuffix(filepath.Base(p), ".yaml") + ".txt"
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "run", p)
			require.Equal(t, exitInvalid, code, stdout)
			goldenIn(t, "../../testdata/golden/seeds", name, []byte(stderr))
		})
	}
}

// TestLintFromStdin: `helm template . | autoscale-sim lint -f -` lints
// the manifests alone, with the default scenario it names; a directory
// and a glob are read as kubectl reads them.
func TestLintFromStdin(t *testing.T) {
	so, err := os.ReadFile("../../examples/websocket/scaledobject.yaml")
	require.NoError(t, err)
	helm := "---\n# Source: ws/templates/scaledobject.yaml\n" + string(so) + "---\n# Source: ws/templates/empty.yaml\n"
	var stdout, stderr bytes.Buffer
	code := runWithInput(context.Background(), []string{"lint", "-f", "-"}, strings.NewReader(helm), &stdout, &stderr)
	require.Equal(t, exitOK, code, stderr.String())
	require.Contains(t, stdout.String(), "using the default scenario (30m, no load, no scenario file)")
	require.Contains(t, stdout.String(), "<stdin>:17: warning:")
	require.NotContains(t, stdout.String(), "max-unreachable", "a rule that needs a load is not run")

	for _, f := range []string{"../../examples/openshift-websocket", "../../examples/openshift-websocket/*.yaml"} {
		code, stdout, stderr := runCLI(t, "lint", "-f", f)
		require.Equal(t, exitOK, code, stderr)
		require.Contains(t, stdout, "ignored-metadata", f)
	}
}
