package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var backtestExample = []string{"backtest", "../../examples/backtest/scenario.yaml",
	"--recorded", "../../examples/backtest/trigger.json", "--recorded", "../../examples/backtest/kube-state-metrics.json"}

var backtestHPAExample = []string{"backtest", "../../examples/backtest-hpa/scenario.yaml",
	"--recorded", "../../examples/backtest-hpa/kube-state-metrics.json", "--input", "status"}

// TestBacktestHPAExampleReport: a plain HPA backtested from
// kube-state-metrics alone; the committed report is what the command
// prints (regenerate with -update).
func TestBacktestHPAExampleReport(t *testing.T) {
	code, stdout, stderr := runCLI(t, backtestHPAExample...)
	require.Equal(t, exitOK, code, stderr)
	golden := "../../examples/backtest-hpa/report.txt"
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(stdout), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.Equal(t, string(want), stdout)
	// The lost scrape and the manual scale of two syncs, no more.
	require.Contains(t, stdout, "Backtest of HorizontalPodAutoscaler demo/myapp")
	require.Contains(t, stdout, "input of metric 0 (pods myapp_websockets_connections_avg): kube_horizontalpodautoscaler_status_target_metric, 1 series, 101 points")
	require.Contains(t, stdout, "Agreement: 97.0% (98 of 101 syncs; 1 without a recorded value)")
	require.Regexp(t, `14:06:00 +6m +none +8 `, stdout)
	require.Regexp(t, `14:20:00 +20m +4 +2 `, stdout)
	require.Regexp(t, `14:20:15 +20m15s +4 +2 `, stdout)
	require.Contains(t, stdout, "Disagreements (3):")
}

// TestBacktestExampleReport: the committed report of examples/backtest is
// what the command prints (regenerate with -update).
func TestBacktestExampleReport(t *testing.T) {
	code, stdout, stderr := runCLI(t, append(backtestExample, "--min-agreement", "0.9")...)
	require.Equal(t, exitOK, code, stderr)
	golden := "../../examples/backtest/report.txt"
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(stdout), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.Equal(t, string(want), stdout)
	// The recording holds one lost scrape and a manual scale of two syncs:
	// exactly those disagree.
	require.Contains(t, stdout, "Agreement: 97.0% (98 of 101 syncs; 1 without a recorded value)")
	require.Contains(t, stdout, "Disagreements (3):")
	require.Regexp(t, `12:06:00 +6m +none +9 `, stdout)
	require.Regexp(t, `12:20:00 +20m +4 +1 `, stdout)
	require.Regexp(t, `12:20:15 +20m15s +4 +1 `, stdout)
}

func TestBacktestExitsOneBelowMinAgreement(t *testing.T) {
	code, stdout, _ := runCLI(t, append(backtestExample, "--min-agreement", "0.98")...)
	require.Equal(t, exitFailed, code)
	require.Contains(t, stdout, "BELOW --min-agreement 98.0%")
}

func TestBacktestWindowAndInputs(t *testing.T) {
	// A window that leaves the lost scrape out, and a start read where the
	// recording has 9 replicas.
	code, stdout, stderr := runCLI(t, append(backtestExample, "--from", "2026-11-30T12:07:00Z", "--to", "1796041500")...)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "2026-11-30T12:07:00Z to 2026-11-30T12:25:00Z (18m)")
	require.Contains(t, stdout, "start: 9 replicas (kube_horizontalpodautoscaler_status_current_replicas at 2026-11-30T12:07:00Z)")
	require.NotContains(t, stdout, "12:06:00")
	// With a warm-up the replay starts 7 minutes before, at 1 replica,
	// and the HPA's stabilization window holds 9 at 12:07: the scale-in
	// waits as it did.
	code, warm, stderr := runCLI(t, append(backtestExample, "--from", "2026-11-30T12:07:00Z", "--warmup", "7m")...)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, warm, "warm-up: 7m before the window, replayed and not compared")
	require.Contains(t, warm, "start: 1 replica (kube_horizontalpodautoscaler_status_current_replicas at 2026-11-30T12:00:00Z)")
	require.Contains(t, warm, "Agreement: 97.3% (71 of 73 syncs)", "the manual scale's two syncs disagree")
	require.Contains(t, stdout, "Agreement: 79.5% (58 of 73 syncs)", "without the warm-up the scale-in comes early")
	// --input keda wants keda_scaler_metrics_value, which the example's
	// recording does not hold.
	code, _, stderr = runCLI(t, append(backtestExample, "--input", "keda")...)
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "spec.triggers[0]: the recording has no metric input for trigger s0-prometheus")
}

func TestBacktestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"backtest", "../../examples/backtest/scenario.yaml"}, "backtest needs the recording"},
		{[]string{"backtest", "../../examples/backtest/scenario.yaml", "--prometheus-url", "http://127.0.0.1:1"}, "--prometheus-url needs the window"},
		{append(backtestExample, "--input", "logs"), `--input "logs": want query, keda or status`},
		{append(backtestExample, "--save-recording", "x.json"), "--save-recording applies to --prometheus-url"},
		{append(backtestExample, "--min-agreement", "90"), "--min-agreement 90: the agreement is a fraction from 0 to 1"},
		{append(backtestExample, "--min-agreement", "-0.5"), "want a fraction from 0 to 1, such as 0.9"},
		{append(backtestExample, "--from", "yesterday"), `--from "yesterday": want an RFC 3339 time`},
		{[]string{"backtest", "../../examples/backtest/scenario.yaml", "--prometheus-url", "http://127.0.0.1:1", "--from", "0", "--to", "4102444800"},
			"is 4102444800 steps; at most 31622400 are allowed; raise the limit with --max-steps"},
		{append(backtestHPAExample, "--input", "keda"), "--input keda reads KEDA's keda_scaler_metrics_value, which a plain HPA has none of"},
		{append(backtestExample, "--input", "status"), "--input status reads a plain HPA's kube_horizontalpodautoscaler_status_target_metric"},
		{append(backtestHPAExample[:len(backtestHPAExample)-2:len(backtestHPAExample)-2], "--input", "query"), "spec.metrics[0]: the recording has no metric input for pods metric myapp_websockets_connections_avg (query sum by (pod) (myapp_websockets_connections{namespace=\"demo\"}))"},
		{[]string{"backtest", "../../examples/backtest/scenario.yaml", "--recorded", "../../examples/backtest/scenario.yaml"}, "examples/backtest/scenario.yaml: "},
		{[]string{"backtest", "../../examples/backtest/scenario.yaml", "--recorded", "/dev/zero"}, "/dev/zero: not a regular file (a character device)"},
		{[]string{"backtest", "../../examples/backtest/scenario.yaml", "--recorded", "../../examples/backtest/trigger.json"}, "no kube_horizontalpodautoscaler_status_desired_replicas of HPA demo/keda-hpa-queue-workers"},
	} {
		t.Run(strings.Join(tc.args[2:], " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			require.Equal(t, exitInvalid, code)
			require.Contains(t, stderr, tc.want)
		})
	}
}

func TestBacktestIsDeterministic(t *testing.T) {
	_, a, _ := runCLI(t, append(backtestExample, "-o", "json")...)
	_, b, _ := runCLI(t, append(backtestExample, "-o", "json")...)
	require.NotEmpty(t, a)
	require.Equal(t, a, b)
}

func TestBacktestPlot(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"bt.png", "bt.svg"} {
		out := dir + "/" + name
		code, stdout, stderr := runCLI(t, append(backtestExample, "--plot", out)...)
		require.Equal(t, exitOK, code, stderr)
		require.Contains(t, stdout, "wrote "+out+"\n")
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		if strings.HasSuffix(name, ".png") {
			require.True(t, strings.HasPrefix(string(b), "\x89PNG"))
		} else {
			require.Contains(t, string(b), "recorded (kube_horizontalpodautoscaler_status_desired_replicas)")
			require.Contains(t, string(b), ">simulated<")
		}
	}
	code, _, stderr := runCLI(t, append(backtestExample, "--plot", dir+"/bt.gif")...)
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "bt.gif")
}
