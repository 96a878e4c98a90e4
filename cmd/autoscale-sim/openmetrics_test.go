package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunOpenMetrics(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run.om")
	code, stdout, stderr := runCLI(t, "run", exampleScenario, "--openmetrics", out)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "wrote "+out+"\n")
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	text := string(b)
	require.True(t, strings.HasSuffix(text, "\n# EOF\n"))
	for _, want := range []string{
		`kube_horizontalpodautoscaler_status_desired_replicas{horizontalpodautoscaler="keda-hpa-websocket-scaledobject",namespace="custom-metric-autoscaler-demo"} 5 75`,
		`kube_deployment_spec_replicas{deployment="demo-ws-server",namespace="custom-metric-autoscaler-demo"} 1 0`,
		`keda_scaler_metrics_value{metric="s0-prometheus",namespace="custom-metric-autoscaler-demo",scaledObject="websocket-scaledobject",scaler="prometheusScaler",triggerIndex="0",type="scaledobject"} 200 75`,
		"# TYPE websocket_connection_count unknown\n",
	} {
		require.Contains(t, text, want)
	}
	// -q writes the file and prints nothing.
	code, stdout, _ = runCLI(t, "run", exampleScenario, "--openmetrics", out, "-q")
	require.Equal(t, 0, code)
	require.Empty(t, stdout)
}
