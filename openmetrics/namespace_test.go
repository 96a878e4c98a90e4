package openmetrics_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// A namespace of one workload exports what Simulate exports, byte for
// byte: the per-workload exporter and the shared store add nothing.
func TestExportNamespaceOfOne(t *testing.T) {
	spec := load(t, "../examples/node-pool/scenario.yaml")
	one, err := openmetrics.Simulate(context.Background(), spec)
	require.NoError(t, err)
	ns, _, err := openmetrics.SimulateNamespace(context.Background(), sim.NamespaceSpec{Workloads: []sim.Spec{spec}})
	require.NoError(t, err)
	var a, b bytes.Buffer
	require.NoError(t, one.Write(&a))
	require.NoError(t, ns.Write(&b))
	require.Equal(t, a.String(), b.String())
}

// A namespace's export holds every workload's HPA status under its own
// HPA's labels, each following its workload's run in the namespace (the
// WebSocket pods' wait for nodes included): checked against explain of
// the same instant in the namespace, an independent path.
func TestExportNamespace(t *testing.T) {
	sc, err := scenarios.Load("../examples/namespace/scenario.yaml")
	require.NoError(t, err)
	spec := sc.Namespace.Spec(sc.Name)
	x, res, err := openmetrics.SimulateNamespace(context.Background(), spec)
	require.NoError(t, err)
	require.Len(t, res.Workloads, 2)
	var buf bytes.Buffer
	require.NoError(t, x.Write(&buf))
	p := parse(t, buf.Bytes())
	require.True(t, p.eof)
	start := spec.Workloads[0].Defaulted().Start
	for i, w := range sc.Namespace.Workloads {
		name := openmetrics.HPAName(w.Spec)
		desired := p.series[key("__name__", openmetrics.HPADesiredReplicas, "namespace", openmetrics.Namespace(w.Spec), "horizontalpodautoscaler", name)]
		require.NotEmpty(t, desired, "%s: no status for %s in %v", sc.Namespace.Names[i], name, keys(p.series))
		for _, k := range []int{0, len(desired) / 5, len(desired) / 4, len(desired) / 2, len(desired) - 1} {
			at := time.Duration(desired[k].t-start.UnixMilli()) * time.Millisecond
			xp, err := check.ExplainNamespaceAt(context.Background(), spec, i, at)
			require.NoError(t, err)
			require.Equal(t, float64(xp.HPA.Decision.StatusDesiredReplicas), desired[k].v, "%s at %s", sc.Namespace.Names[i], at)
		}
		ready := p.series[key("__name__", openmetrics.DeploymentReadyReplicas, "namespace", openmetrics.Namespace(w.Spec), "deployment", w.Spec.Workload.Name)]
		require.NotEmpty(t, ready)
	}
}
