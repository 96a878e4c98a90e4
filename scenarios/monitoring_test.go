package scenarios

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

const monitoredDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ws-server, namespace: demo}
spec:
  replicas: 2
  selector: {matchLabels: {app: ws}}
  template:
    metadata:
      labels: {app: ws}
      annotations: {prometheus.io/scrape: "true", prometheus.io/port: "8080"}
    spec:
      containers:
      - name: server
        image: ws:1
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /ready, port: http}, initialDelaySeconds: 40}
---
apiVersion: v1
kind: Service
metadata: {name: ws-server, namespace: demo, labels: {app: ws}}
spec:
  selector: {app: ws}
  ports: [{name: web, port: 80, targetPort: http}]
`

const serviceMonitor = `---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: ws, namespace: demo}
spec:
  selector: {matchLabels: {app: ws}}
  endpoints: [{port: web, interval: 15s}]
`

// monitoredScenario runs 6 minutes: the load makes the HPA of KEDA scale
// from 2 to 5 at once.
const monitoredScenario = `apiVersion: autoscale-sim.dev/v1alpha1
kind: Scenario
metadata: {name: monitored}
spec:
  duration: 6m
  autoscaler: {manifests: so.yaml}
  load:
  - metric: websocket_connection_count
    model: connections
    stages: [{duration: 10s, target: 200}]
`

func runTo(t *testing.T, sc *Scenario, at time.Duration) *sim.Simulator {
	t.Helper()
	s, err := sim.New(sc.Spec)
	require.NoError(t, err)
	require.NoError(t, s.RunUntil(context.Background(), at))
	return s
}

func value(t *testing.T, s *sim.Simulator, query string, at time.Duration) float64 {
	t.Helper()
	res, err := s.Query(context.Background(), query, at)
	require.NoError(t, err)
	if len(res.Samples) == 0 {
		return 0
	}
	return res.Samples[0].Value
}

// TestNotReadyPodsAreScraped: through a ServiceMonitor, Prometheus
// scrapes a pod from the moment its container runs, Ready or not (the
// Endpoints list it under notReadyAddresses), so a count() or avg() sees
// it; a model that scrapes only Ready pods would count 2 here.
func TestNotReadyPodsAreScraped(t *testing.T) {
	sc, err := parseWith(t, monitoredScenario, map[string]string{"so.yaml": goodScaledObject + "---\n" + monitoredDeployment + serviceMonitor})
	require.NoError(t, err)
	require.Len(t, sc.Spec.Prometheus.Jobs, 1, "the ServiceMonitor's job, not the annotations'")
	require.Equal(t, 40*time.Second, sc.Spec.Workload.PodStartup)
	s := runTo(t, sc, 2*time.Minute)
	var scaledAt time.Duration
	for _, e := range s.Result().Events {
		if e.To == 5 && scaledAt == 0 {
			scaledAt = e.T
		}
	}
	require.NotZero(t, scaledAt, "scaled to 5")
	at := scaledAt + 15*time.Second // a scrape after the new pods started, before they are Ready
	s = runTo(t, sc, at)
	require.Equal(t, 5.0, value(t, s, `count(websocket_connection_count{namespace="demo",service="ws-server",endpoint="web",job="ws-server"})`, at))
	require.Equal(t, 3.0, value(t, s, `count(websocket_connection_count == 0)`, at), "the three new pods report 0 connections until traffic reaches them")
}

// TestAnnotationScrapingKeepsTerminatingPods: the kubernetes-pods job
// (pod role) scrapes a pod while it terminates, until it is gone; the
// Endpoints role drops it at deletion.
func TestAnnotationScrapingKeepsTerminatingPods(t *testing.T) {
	scenario := strings.Replace(monitoredScenario, "stages: [{duration: 10s, target: 200}]", "stages: [{duration: 10s, target: 200}, {duration: 3m, target: 200}, {duration: 5s, target: 0}]", 1)
	scenario = strings.Replace(scenario, "duration: 6m", "duration: 20m", 1)
	so := strings.Replace(goodScaledObject, "  pollingInterval: 15\n", "  pollingInterval: 15\n  advanced: {horizontalPodAutoscalerConfig: {behavior: {scaleDown: {stabilizationWindowSeconds: 0}}}}\n", 1)
	dep := strings.Replace(monitoredDeployment, "      containers:", "      terminationGracePeriodSeconds: 120\n      containers:", 1)
	sc, err := parseWith(t, scenario, map[string]string{"so.yaml": so + "---\n" + dep})
	require.NoError(t, err)
	require.Len(t, sc.Spec.Prometheus.Jobs, 1)
	require.Equal(t, "kubernetes-pods", sc.Spec.Prometheus.Jobs[0].Name)
	require.Equal(t, time.Minute, sc.Spec.Prometheus.Jobs[0].Interval, "the chart's global scrape_interval")
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	var down time.Duration
	for _, e := range res.Events {
		if e.To < e.From && down == 0 {
			down = e.T
		}
	}
	require.NotZero(t, down)
	// The first scrape after the scale-down still sees every pod: the
	// deleted ones are Terminating for 120s.
	next := (down/time.Minute + 1) * time.Minute
	s := runTo(t, sc, next)
	require.Equal(t, 5.0, value(t, s, `count(websocket_connection_count{job="kubernetes-pods",namespace="demo"})`, next))
	after := next + 3*time.Minute
	s = runTo(t, sc, after)
	require.Less(t, value(t, s, `count(websocket_connection_count)`, after), 5.0, "gone pods' series end with staleness markers")
}

// TestMonitorNotes: a ServiceMonitor whose port names no Service port
// scrapes nothing, and the query that selects nothing says why.
func TestMonitorNotes(t *testing.T) {
	dep := strings.Replace(monitoredDeployment, `      annotations: {prometheus.io/scrape: "true", prometheus.io/port: "8080"}
`, "", 1)
	sm := strings.Replace(serviceMonitor, "port: web", "port: http", 1)
	sc, err := parseWith(t, monitoredScenario, map[string]string{"so.yaml": goodScaledObject + "---\n" + dep + sm})
	require.NoError(t, err)
	_, err = sim.Run(context.Background(), sc.Spec)
	var eq *sim.EmptyQueryError
	require.True(t, errors.As(err, &eq), "%v", err)
	located := sc.LocateError(err)
	golden(t, "monitoring/port-mismatch.txt", located.Error()+"\n")
}
