package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const hostileSO = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: web}
spec:
  scaleTargetRef: {name: web}
  minReplicaCount: 1
  maxReplicaCount: %d
  triggers:
%s`

const hostileTrigger = `  - type: prometheus
    metadata: {serverAddress: "http://p:9090", threshold: "10", query: %q}
`

// hostileScenario is a scenario with the given spec lines; it reads
// so.yaml.
func hostileScenario(spec string) string {
	return "apiVersion: autoscale-sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: h}\nspec:\n" +
		"  autoscaler: {manifests: so.yaml}\n" + spec + "\n"
}

const hostileLoad = "  load: [{metric: x, model: connections, step: {at: 1m, to: 50}}]"

// TestHostileInputs: inputs a careless or hostile pull request could
// carry. Each gets its error (exit 2, never a calm answer), in seconds,
// with its location when it has one, and no control character reaches
// the terminal.
func TestHostileInputs(t *testing.T) {
	so := func(max int, triggers ...string) string {
		var b strings.Builder
		for _, q := range triggers {
			fmt.Fprintf(&b, hostileTrigger, q)
		}
		return fmt.Sprintf(hostileSO, max, b.String())
	}
	ok := so(10, "sum(x)")
	many := make([]string, 150)
	for i := range many {
		many[i] = fmt.Sprintf("sum(x%d)", i)
	}
	bomb := "  x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	for i := 1; i < 10; i++ {
		bomb += fmt.Sprintf("  x%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), ", "))
	}
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer hang.Close()

	for _, tc := range []struct {
		name     string
		files    map[string]string
		args     []string // after the command; {dir} is the directory
		code     int
		want     []string
		unchange string // a file that must be unchanged
	}{
		{name: "a century at one second a tick", files: map[string]string{"s.yaml": hostileScenario("  duration: 100y\n" + hostileLoad), "so.yaml": ok},
			code: 2, want: []string{"s.yaml:6: spec.duration: 876000h0m0s at a tick of 1s is 3153600000 steps", "--max-steps"}},
		{name: "ten million initial replicas", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n  workload: {replicas: 10000000}\n" + hostileLoad), "so.yaml": ok},
			code: 2, want: []string{"s.yaml:7: spec.workload.replicas: 10000000 initial replicas", "--max-pods"}},
		{name: "a maximum of ten million", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n" + hostileLoad), "so.yaml": so(10_000_000, "sum(x)")},
			code: 2, want: []string{"so.yaml:7: spec.maxReplicaCount: the autoscaler may scale to 10000000 replicas", "--max-pods"}},
		{name: "150 triggers", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n" + hostileLoad), "so.yaml": so(10, many...)},
			code: 2, want: []string{"so.yaml:8: spec.triggers: 150 entries; at most 100 are allowed", "--max-metrics"}},
		{name: "a count beyond int32", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n  workload: {replicas: 99999999999999999999}\n" + hostileLoad), "so.yaml": ok},
			code: 2, want: []string{"s.yaml:7: spec.workload.replicas"}},
		{name: "a NaN load", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n  load: [{metric: x, model: connections, step: {at: 1m, to: .nan}}]"), "so.yaml": ok},
			code: 2, want: []string{"s.yaml:7: spec.load[0].step.to: must be a finite number, got .nan"}},
		{name: "an infinite replayed point", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n  load: [{metric: x, model: connections, replay: {file: r.csv}}]"), "so.yaml": ok,
			"r.csv": "time_seconds,x\n0,1\n60,-Inf\n"},
			code: 2, want: []string{"s.yaml:7: spec.load[0].replay: the recorded value -Inf at 1m0s is not a load"}},
		{name: "a subquery of 30 days at 1 ms", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n" + hostileLoad), "so.yaml": so(10, "max_over_time(x[30d:1ms])")},
			code: 2, want: []string{"so.yaml:10: spec.triggers[0].metadata.query", "points per series"}},
		{name: "a 20 KiB query", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n" + hostileLoad), "so.yaml": so(10, "sum(x"+strings.Repeat(" + x", 5000)+")")},
			code: 2, want: []string{"spec.triggers[0].metadata.query", "at most 16384 are accepted"}},
		{name: "a zero scrape interval", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n  prometheus: {scrapeInterval: 0s}\n" + hostileLoad), "so.yaml": ok},
			code: 2, want: []string{"s.yaml:7: spec.prometheus.scrapeInterval: must be positive"}},
		{name: "an expectation after the end", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n" + hostileLoad + "\n  expect: [{name: late, at: 20m, replicas: 1}]"), "so.yaml": ok},
			args: []string{"test", "{dir}/s.yaml"}, code: 2, want: []string{"late: at 20m is after the end of the run (spec.duration 10m)"}},
		{name: "a second document of a kind nothing reads", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n"+hostileLoad) + "---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n", "so.yaml": ok},
			code: 2, want: []string{"s.yaml:9: a scenario file holds the scenario", "Widget/w is not one the simulation reads"}},
		{name: "an alias bomb", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n" + bomb), "so.yaml": ok},
			code: 2, want: []string{"aliases expand to more than 1000000 nodes"}},
		{name: "escape sequences in a name", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n" + hostileLoad), "so.yaml": strings.Replace(ok, "name: web}", "name: \"web\\e]0;pwned\\a\\e[2J\"}", 1)},
			code: 2, want: []string{`so.yaml:3: metadata.name: "web\x1b]0;pwned\a\x1b[2J" is not a valid name`}},
		{name: "the scenario is /dev/zero", args: []string{"run", "/dev/zero"}, code: 2, want: []string{"/dev/zero: not a regular file (a character device)"}},
		{name: "a manifest that is a FIFO", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n" + hostileLoad), "so.yaml": "fifo"},
			code: 2, want: []string{"not a regular file (a FIFO)"}},
		{name: "the HTML report over the scenario", files: map[string]string{"s.yaml": hostileScenario("  duration: 2m\n" + hostileLoad), "so.yaml": ok},
			args: []string{"run", "{dir}/s.yaml", "--html", "{dir}/s.yaml"}, code: 2, want: []string{"is an input of the run"}, unchange: "s.yaml"},
		{name: "the OpenMetrics export over a manifest", files: map[string]string{"s.yaml": hostileScenario("  duration: 2m\n" + hostileLoad), "so.yaml": ok},
			args: []string{"run", "{dir}/s.yaml", "--openmetrics", "{dir}/so.yaml"}, code: 2, want: []string{"is an input of the run"}, unchange: "so.yaml"},
		{name: "a backtest window of a century", files: map[string]string{"s.yaml": hostileScenario("  duration: 2m\n" + hostileLoad), "so.yaml": ok},
			args: []string{"backtest", "{dir}/s.yaml", "--prometheus-url", "http://127.0.0.1:1", "--from", "0", "--to", "3153600000"},
			code: 2, want: []string{"is 3153600000 steps; at most 31622400 are allowed", "--max-steps"}},
		{name: "a recorded replica count that is not one", files: map[string]string{"s.yaml": hostileScenario("  duration: 2m\n" + hostileLoad), "so.yaml": ok,
			"rec.json": `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"kube_horizontalpodautoscaler_status_desired_replicas","namespace":"default","horizontalpodautoscaler":"keda-hpa-web"},"values":[[0,"1e300"],[15,"1"]]},{"metric":{"__name__":"kube_horizontalpodautoscaler_status_current_replicas","namespace":"default","horizontalpodautoscaler":"keda-hpa-web"},"values":[[0,"1"]]},{"metric":{},"values":[[0,"1"],[15,"1"]]}]}}`},
			args: []string{"backtest", "{dir}/s.yaml", "--recorded", "{dir}/rec.json"},
			code: 2, want: []string{"kube_horizontalpodautoscaler_status_desired_replicas at 1970-01-01T00:00:00Z: 1e+300 is not a replica count"}},
		{name: "a sweep of 40,000 runs", files: map[string]string{"s.yaml": hostileScenario("  duration: 2m\n" + hostileLoad), "so.yaml": ok},
			args: []string{"sweep", "{dir}/s.yaml", "--set", "spec.maxReplicaCount=" + seq(200), "--set", "spec.minReplicaCount=" + seq(200)},
			code: 2, want: []string{"the --set lists make more than 10000 runs (--max-runs)"}},
		{name: "a run longer than --timeout", files: map[string]string{"s.yaml": hostileScenario("  duration: 300d\n" + hostileLoad), "so.yaml": ok},
			args: []string{"run", "{dir}/s.yaml", "--timeout", "200ms"}, code: 2, want: []string{"stopped by --timeout 200ms at simulated", "of 7200h0m0s"}},
		{name: "a Prometheus that never answers", files: map[string]string{"s.yaml": hostileScenario("  duration: 10m\n  load: [{metric: x, model: connections, replay: {prometheusURL: \"" + hang.URL + "\", query: up, start: \"2026-01-01T00:00:00Z\", end: \"2026-01-01T01:00:00Z\", step: 1m}}]"), "so.yaml": ok},
			args: []string{"run", "{dir}/s.yaml", "--replay-timeout", "300ms"}, code: 2, want: []string{"deadline exceeded"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tc.files {
				p := filepath.Join(dir, name)
				if data == "fifo" {
					require.NoError(t, syscall.Mkfifo(p, 0o600))
					continue
				}
				require.NoError(t, os.WriteFile(p, []byte(data), 0o600))
			}
			args := tc.args
			if args == nil {
				args = []string{"run", "{dir}/s.yaml"}
			}
			for i := range args {
				args[i] = strings.ReplaceAll(args[i], "{dir}", dir)
			}
			var before []byte
			if tc.unchange != "" {
				before, _ = os.ReadFile(filepath.Join(dir, tc.unchange))
			}
			start := time.Now()
			code, stdout, stderr := runCLI(t, args...)
			out := strings.ReplaceAll(stdout+stderr, dir+"/", "")
			require.Less(t, time.Since(start), 10*time.Second)
			require.Equal(t, tc.code, code, out)
			for _, w := range tc.want {
				require.Contains(t, out, w)
			}
			require.NotContains(t, stdout+stderr, "\x1b", "no escape sequence reaches the terminal")
			if tc.unchange != "" {
				after, _ := os.ReadFile(filepath.Join(dir, tc.unchange))
				require.Equal(t, string(before), string(after))
			}
		})
	}
}

func seq(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprint(i + 1)
	}
	return strings.Join(s, ",")
}
