package sim_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// twoServers is the cAdvisor shop with a second trigger that reads
// another Prometheus server: the request rate, 40 req/s per pod.
func twoServers() sim.Spec {
	spec := cpuSpec(sim.Step{Time: 5 * time.Minute, From: 20, To: 120})
	so := spec.KEDA.Object
	so.Triggers = append(so.Triggers, keda.Trigger{Type: "prometheus", Metadata: map[string]string{
		"serverAddress": "http://prometheus-apps:9090",
		"query":         `sum(rate(http_requests_total{namespace="demo"}[1m]))`,
		"threshold":     "40",
	}})
	return spec
}

// TestFaultOnOneMetric: metricsDown limited to trigger 1 fails that
// trigger's queries only; trigger 0 keeps its values, and the HPA scales
// on it (horizontal.go computeReplicasForMetrics: a partial failure still
// scales up).
func TestFaultOnOneMetric(t *testing.T) {
	one := 1
	spec := twoServers()
	spec.Faults = []sim.Fault{{Kind: sim.MetricsDown, From: 4 * time.Minute, To: 12 * time.Minute, Metric: &one}}
	res, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	require.Len(t, res.Metrics, 2)
	for _, s := range res.Samples {
		if s.T < 5*time.Minute || s.T >= 12*time.Minute {
			continue
		}
		require.False(t, math.IsNaN(s.Metrics[0]), "at %s trigger 0 reads its own server", s.T)
		require.True(t, math.IsNaN(s.Metrics[1]), "at %s trigger 1's server is down", s.T)
	}
	require.GreaterOrEqual(t, res.DesiredAt(11*time.Minute), int32(5), "scaled out on the CPU trigger alone")
	var started, cleared bool
	for _, e := range res.Events {
		started = started || (e.Reason == "FaultMetricsDown" && e.T == 4*time.Minute && e.Message == "Prometheus is unreachable: every query fails (metric 1 only)")
		cleared = cleared || (e.Reason == "FaultMetricsDownCleared" && e.T == 12*time.Minute)
	}
	require.True(t, started)
	require.True(t, cleared)

	// The same fault on every query freezes the scale.
	spec.Faults[0].Metric = nil
	all, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	require.Equal(t, all.DesiredAt(5*time.Minute), all.DesiredAt(11*time.Minute), "no metric, no scaling")
}

func TestFaultMetricOutOfRange(t *testing.T) {
	two := 2
	spec := twoServers()
	spec.Faults = []sim.Fault{{Kind: sim.EmptyResult, From: time.Minute, To: 2 * time.Minute, Metric: &two}}
	_, err := sim.New(spec)
	require.EqualError(t, err, "faults[0].metric: 2 is out of range: the ScaledObject's spec.triggers has 2 entries (0 to 1)")
	spec.Faults = []sim.Fault{{Kind: sim.ScrapeGap, From: time.Minute, To: 2 * time.Minute, Metric: &two}}
	_, err = sim.New(spec)
	require.ErrorContains(t, err, "faults[0]: metric limits only the query faults metricsDown, emptyResult and nanResult")
}

// TestMetricsServerDown: a KEDA cpu trigger is a Resource metric the HPA
// reads from metrics-server; while it is down the HPA reports
// FailedGetResourceMetric and keeps the scale.
func TestMetricsServerDown(t *testing.T) {
	spec := cpuSpec(sim.Step{Time: 5 * time.Minute, From: 20, To: 120})
	spec.KEDA.Object.Triggers = []keda.Trigger{{Type: "cpu", MetricType: "Utilization", Metadata: map[string]string{"value": "60"}}}
	spec.Faults = []sim.Fault{{Kind: sim.MetricsServerDown, From: 4 * time.Minute, To: 10 * time.Minute}}
	res, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	require.Equal(t, int32(2), res.DesiredAt(10*time.Minute-time.Second), "no resource metrics, no scaling")
	require.Greater(t, res.DesiredAt(11*time.Minute), int32(2), "scales out once metrics-server answers")
	// (At 0s the fresh pods are still within the CPU initialization
	// period, which the HPA reports with the same reason.)
	var failed []time.Duration
	for _, e := range res.Events {
		if e.Reason == "FailedGetResourceMetric" && strings.Contains(e.Message, "unable to fetch metrics from resource metrics API") {
			require.Contains(t, e.Message, "unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)",
				"worded once, as kube-controller-manager does")
			failed = append(failed, e.T)
		}
	}
	require.NotEmpty(t, failed)
	require.Equal(t, 4*time.Minute, failed[0])
	require.Less(t, failed[len(failed)-1], 10*time.Minute)
	for _, s := range res.Samples {
		if s.T >= 4*time.Minute && s.T < 10*time.Minute {
			require.True(t, math.IsNaN(s.Metrics[0]), "at %s", s.T)
		}
	}
}
