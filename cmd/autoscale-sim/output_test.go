package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/internal/schematest"
)

// TestOutputDocuments: every command's -o json and -o yaml document is
// valid against schema/output.schema.json (a real draft 2020-12
// validator), names its apiVersion and kind, and holds the numbers the text
// shows.
func TestOutputDocuments(t *testing.T) {
	sch, err := schematest.Compile("../../schema/output.schema.json")
	require.NoError(t, err)
	tests := []struct {
		kind string
		args []string
		code int
	}{
		{"RunResult", []string{"run", exampleScenario}, exitOK},
		{"RunResult", []string{"run", "../../examples/fallback/scenario.yaml"}, exitOK},
		{"RunResult", []string{"run", "../../examples/node-pool/scenario.yaml"}, exitOK},
		{"NamespaceResult", []string{"run", "../../examples/namespace/scenario.yaml"}, exitOK},
		{"Explanation", []string{"explain", "../../examples/namespace/scenario.yaml", "--at", "6m", "--workload", "api"}, exitOK},
		{"SweepResult", []string{"sweep", "../../examples/namespace/scenario.yaml", "--set", "spec.nodePool.nodes=3,5"}, exitOK},
		{"TestResult", []string{"test", failingScenario, exampleScenario, "../../testdata/expect/bad-expect.yaml"}, exitInvalid},
		{"LintResult", []string{"lint", "../../examples/", "../../testdata/typo/scenario.yaml"}, exitInvalid},
		{"Explanation", []string{"explain", exampleScenario, "--at", "12m"}, exitOK},
		{"Explanation", []string{"explain", "../../examples/node-pool/scenario.yaml", "--at", "2m"}, exitOK},
		{"Explanation", []string{"explain", "../../examples/prometheus-adapter-websocket/scenario.yaml", "--at", "0s"}, exitOK},
		{"Explanation", []string{"explain", "../../examples/scaledjob-burst/scenario-custom.yaml", "--at", "3m"}, exitOK},
		{"RunResult", []string{"run", "../../examples/scaledjob-burst/scenario-eager.yaml"}, exitOK},
		{"SweepResult", []string{"sweep", exampleScenario, "--set", "spec.cooldownPeriod=30,300", "--set", "spec.workload.podStartup=10s,1m"}, exitOK},
		{"Comparison", []string{"compare", exampleScenario, "../../examples/prometheus-adapter-websocket/scenario.yaml"}, exitOK},
		{"Version", []string{"version"}, exitOK},
		{"RunsResult", []string{"run", "../../examples/websocket/scenario-random.yaml", "--runs", "12"}, exitOK},
		{"RunsResult", []string{"run", "../../examples/node-pool/scenario.yaml", "--runs", "5"}, exitOK},
		{"RunsResult", []string{"run", "../../testdata/expect/websocket-failing.yaml", "--runs", "3"}, exitFailed},
		{"BacktestResult", []string{"backtest", "../../examples/backtest/scenario.yaml", "--recorded", "../../examples/backtest/trigger.json", "--recorded", "../../examples/backtest/kube-state-metrics.json", "--min-agreement", "0.99"}, exitFailed},
	}
	for _, tc := range tests {
		for _, format := range []string{"json", "yaml"} {
			t.Run(tc.kind+"/"+format, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, append(tc.args, "-o", format)...)
				require.Equal(t, tc.code, code, stderr)
				if format == "json" {
					require.NoError(t, schematest.ValidateJSON(sch, []byte(stdout)), stdout)
					var head struct{ APIVersion, Kind string }
					require.NoError(t, json.Unmarshal([]byte(stdout), &head))
					require.Equal(t, "autoscale-sim.dev/v1alpha1", head.APIVersion)
					require.Equal(t, tc.kind, head.Kind)
				} else {
					require.True(t, strings.HasPrefix(stdout, "apiVersion: autoscale-sim.dev/v1alpha1\nkind: "+tc.kind+"\n"), stdout)
					require.NoError(t, schematest.ValidateYAML(sch, []byte(stdout)))
				}
			})
		}
	}

	// The figures of the JSON are those of the text.
	_, text, _ := runCLI(t, "run", exampleScenario)
	require.Contains(t, text, "Figures: cost 4140 replica-seconds, overloaded 0s, above target 15s, first scale-up 14s after the load rises, 5 scale events, 1 flap\n")
	_, js, _ := runCLI(t, "run", exampleScenario, "-o", "json")
	var doc struct {
		Figures struct {
			ReplicaSeconds, AboveTargetSeconds, TimeToFirstScaleUpSeconds float64
			ScaleEvents, Flaps                                            int
		}
	}
	require.NoError(t, json.Unmarshal([]byte(js), &doc))
	require.Equal(t, 4140.0, doc.Figures.ReplicaSeconds)
	require.Equal(t, 15.0, doc.Figures.AboveTargetSeconds)
	require.Equal(t, 14.0, doc.Figures.TimeToFirstScaleUpSeconds)
	require.Equal(t, 5, doc.Figures.ScaleEvents)
	require.Equal(t, 1, doc.Figures.Flaps)
}

// TestLintSARIF: lint -o sarif is a SARIF 2.1.0 log valid against the
// published schema, with a result per finding at its file and line.
func TestLintSARIF(t *testing.T) {
	sch, err := schematest.Compile("../../testdata/sarif/sarif-schema-2.1.0.json")
	require.NoError(t, err)
	code, stdout, stderr := runCLI(t, "lint", exampleScenario, "../../testdata/typo/scenario.yaml", "../../testdata/expect/bad-expect.yaml", "-o", "sarif")
	require.Equal(t, exitInvalid, code, stderr)
	require.NoError(t, schematest.ValidateJSON(sch, []byte(stdout)), stdout)
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &log))
	require.Equal(t, "2.1.0", log.Version)
	run := log.Runs[0]
	require.Equal(t, "autoscale-sim", run.Tool.Driver.Name)
	type at struct {
		rule, level, uri string
		line             int
	}
	var got []at
	for _, r := range run.Results {
		require.Equal(t, r.RuleID, run.Tool.Driver.Rules[r.RuleIndex].ID)
		loc := r.Locations[0].PhysicalLocation
		got = append(got, at{r.RuleID, r.Level, loc.ArtifactLocation.URI, loc.Region.StartLine})
	}
	require.Contains(t, got, at{"keda-admission", "warning", "../../examples/websocket/scaledobject.yaml", 16})
	require.Contains(t, got, at{"empty-query", "error", "../../testdata/typo/tutorial-typo.yaml", 132})
	require.Contains(t, got, at{"invalid", "error", "../../testdata/expect/bad-expect.yaml", 13})
}

// TestLintGitHub: lint -o github writes workflow commands the Actions
// runner turns into annotations, one per finding, escaped as the toolkit
// escapes them.
func TestLintGitHub(t *testing.T) {
	code, stdout, _ := runCLI(t, "lint", exampleScenario, "-o", "github")
	require.Equal(t, exitOK, code)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 3)
	re := regexp.MustCompile(`^::(warning|error|notice) file=([^,]+),line=(\d+),title=autoscale-sim ([a-z-]+)::(.+)$`)
	for _, l := range lines {
		require.Regexp(t, re, l)
	}
	require.Contains(t, lines, "::warning file=../../examples/websocket/scaledobject.yaml,line=16,title=autoscale-sim keda-admission::ScaledObject/websocket-scaledobject: spec.cooldownPeriod: KEDA (newest) admission warning: CooldownPeriod is configured but is not relevant. CooldownPeriod is only relevant when minReplicaCount = 0 or idleReplicaCount = 0")
}
