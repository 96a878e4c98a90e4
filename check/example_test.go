package check_test

import (
	"context"
	"fmt"
	"time"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// A policy check: raise the threshold to 60 connections per pod and the
// peak falls to 4; then assert what happens when.
func ExampleFile() {
	run, err := check.File("../examples/websocket/scenario.yaml",
		scenarios.Override{Path: "spec.triggers[0].metadata.threshold", Value: "60"})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := run.Figures()
	fmt.Println("peak:", f.MaxReplicas, "cost:", f.ReplicaSeconds, "replica-seconds")
	fmt.Println(run.Check(
		check.Reaches(4, 75*time.Second),
		check.ReplicasAt(12*time.Minute, 4),
	))
	// Output:
	// peak: 4 cost: 3315 replica-seconds
	// replicas at 12m: want 4, got 3
	//   timeline around 12m:
	//          10m  4 replicas
	//   *      12m  4 -> 3  HPA SuccessfulRescale: New size: 3; reason: All metrics below target
	//   >      12m  want 4, got 3
	//          13m  3 -> 2  HPA SuccessfulRescale: New size: 2; reason: All metrics below target
	//          14m  2 -> 1  HPA SuccessfulRescale: New size: 1; reason: All metrics below target
	//          14m  1 replica
}

// A namespace: the WebSocket server and an HTTP API on one node pool.
// Each workload's run is a Run of its own, with its claims; the
// namespace adds the pool's figures over every workload's Pending pods.
func ExampleRunNamespace() {
	sc, err := scenarios.Load("../examples/namespace/scenario.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	run, err := check.RunNamespace(context.Background(), sc)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, w := range run.Workloads {
		f := w.Figures()
		fmt.Printf("%s: peak %d, longest Pending %s\n", sc.Namespace.Names[i], f.MaxReplicas, f.Nodes.LongestWait)
	}
	n := run.Figures().Nodes
	fmt.Println("pool: peak", n.PeakNodes, "nodes,", n.PodsWaited, "pods waited")
	fmt.Println(run.Workloads[0].Check(check.Reaches(5, 5*time.Minute+30*time.Second)))
	// Output:
	// websocket: peak 5, longest Pending 2m31s
	// api: peak 5, longest Pending 0s
	// pool: peak 6 nodes, 3 pods waited
	// <nil>
}
