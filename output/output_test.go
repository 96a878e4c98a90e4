package output

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
)

// TestWriteYAMLKeepsOrder: YAML output is the JSON document with its keys
// in the same order, block style.
func TestWriteYAMLKeepsOrder(t *testing.T) {
	var js, ya bytes.Buffer
	doc := Comparison{TypeMeta: Meta(KindComparison), A: Compared{Scenario: "a: b.yaml"}, B: Compared{Scenario: "b"}}
	require.NoError(t, Write(&js, "json", doc))
	require.NoError(t, Write(&ya, "yaml", doc))
	require.True(t, strings.HasPrefix(ya.String(), "apiVersion: autoscale-sim.dev/v1alpha1\nkind: Comparison\na:\n  scenario: 'a: b.yaml'\n  figures:\n    replicaSeconds: 0\n"), ya.String())
	require.Contains(t, ya.String(), "    timeToFirstScaleUpSeconds: null\n")
	require.Contains(t, js.String(), `"timeToFirstScaleUpSeconds": null`)
	require.Error(t, Write(&js, "xml", doc))
}

// TestGitHubEscaping: messages and properties are escaped as the Actions
// toolkit escapes them, so a colon, a comma or a newline cannot end the
// command early.
func TestGitHubEscaping(t *testing.T) {
	var b bytes.Buffer
	r := LintResult{Files: []LintFile{{Findings: []Finding{
		{Rule: "invalid", Severity: string(check.Error), Message: "100% wrong\nsecond line", File: "dir,a/x:y.yaml", Line: 3},
		{Rule: "not-simulated", Severity: string(check.Info), Message: "m", File: "s.yaml"},
	}}}}
	require.NoError(t, WriteGitHub(&b, r))
	require.Equal(t, "::error file=dir%2Ca/x%3Ay.yaml,line=3,title=autoscale-sim invalid::100%25 wrong%0Asecond line\n"+
		"::notice file=s.yaml,title=autoscale-sim not-simulated::m\n", b.String())
}

func ExampleWrite() {
	f := 4140.0
	_ = Write(os.Stdout, "yaml", Compared{Scenario: "examples/websocket/scenario.yaml", Figures: Figures{ReplicaSeconds: f, MaxReplicas: 5}})
	// Output:
	// scenario: examples/websocket/scenario.yaml
	// figures:
	//   replicaSeconds: 4140
	//   overloadedSeconds: 0
	//   aboveTargetSeconds: 0
	//   timeToFirstScaleUpSeconds: null
	//   minReplicas: 0
	//   maxReplicas: 5
	//   finalReplicas: 0
	//   scaleEvents: 0
	//   scaleUps: 0
	//   scaleDowns: 0
	//   flaps: 0
}
