package scenarios_test

import (
	"fmt"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// A scenario read from memory: the ScaledObject comes from the files the
// ReadFunc serves, and every value the run uses says where it came from.
func ExampleParse() {
	scenario := `apiVersion: autoscale-sim.dev/v1alpha1
kind: Scenario
metadata: {name: demo}
spec:
  duration: 10m
  autoscaler: {manifests: so.yaml}
  load:
  - {metric: websocket_connection_count, model: connections, step: {at: 1m, to: 120}}
`
	so := `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: ws, namespace: demo}
spec:
  scaleTargetRef: {name: ws-server}
  maxReplicaCount: 10
  triggers:
  - type: prometheus
    metadata: {serverAddress: "http://prometheus:9090", threshold: "40", query: sum(websocket_connection_count)}
`
	read := func(name string) ([]byte, error) { return []byte(so), nil }
	sc, err := scenarios.Parse("scenario.yaml", []byte(scenario), read)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sc.Spec.Workload.Kind, sc.Spec.Workload.Namespace+"/"+sc.Spec.Workload.Name)
	for _, s := range sc.Spec.Settings[:1] {
		fmt.Printf("%s: %s (%s)\n", s.Name, s.Value, s.Source)
	}

	// A typo is an error at its line, with what is allowed.
	_, err = scenarios.Parse("scenario.yaml", []byte(scenario+"  prometheus: {scrapeIntervall: 30s}\n"), read)
	fmt.Println(err)
	// Output:
	// Deployment demo/ws-server
	// initial replicas: 1 (default)
	// scenario.yaml:9: spec.prometheus.scrapeIntervall: unknown field "scrapeIntervall"; did you mean scrapeInterval? allowed: scrapeInterval, lookbackDelta, job, evaluation, discovery, annotationLabels
}
