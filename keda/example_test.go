package keda_test

import (
	"fmt"
	"time"

	"github.com/autoscale-sim/autoscale-sim/keda"
)

func int32p(v int32) *int32 { return &v }

func websocket() *keda.ScaledObject {
	return &keda.ScaledObject{
		Name:            "websocket-scaledobject",
		Namespace:       "demo",
		ScaleTargetRef:  keda.ScaleTarget{Name: "demo-ws-server"},
		MinReplicaCount: int32p(0),
		MaxReplicaCount: int32p(5),
		CooldownPeriod:  int32p(45),
		Triggers: []keda.Trigger{{
			Type: "prometheus",
			Metadata: map[string]string{
				"serverAddress": "http://prometheus:9090",
				"query":         "sum(websocket_connection_count)",
				"threshold":     "40",
			},
		}},
	}
}

func ExampleScaledObject_Validate() {
	so := websocket()
	so.MinReplicaCount = int32p(2)
	so.IdleReplicaCount = int32p(2)
	so.Triggers[0].Metadata["threshold"] = "forty"
	for _, e := range so.Validate() {
		fmt.Println(e)
	}
	// Output:
	// spec.idleReplicaCount: must be less than minReplicaCount (2), got 2
	// spec.triggers[0].metadata.threshold: must be a number greater than 0, got "forty"
}

func ExampleGenerateHPA() {
	spec, err := keda.GenerateHPA(websocket())
	if err != nil {
		fmt.Println(err)
		return
	}
	m := spec.Metrics[0]
	fmt.Println(spec.Name, *spec.MinReplicas, spec.MaxReplicas)
	fmt.Println(m.Type, m.Name, m.Selector, m.Target.Type, *m.Target.AverageValueMilli)
	// Output:
	// keda-hpa-websocket-scaledobject 1 5
	// External s0-prometheus scaledobject.keda.sh/name=websocket-scaledobject AverageValue 40000
}

// A day in the life of a scale-to-zero ScaledObject: activation, the HPA's
// turn, then cooldown to zero.
func ExampleLoop_Poll() {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	loop, err := keda.NewLoop(websocket(), "", start)
	if err != nil {
		fmt.Println(err)
		return
	}
	ticks := []struct {
		sec         int
		replicas    int32
		connections float64
	}{{0, 0, 0}, {30, 0, 12}, {60, 3, 100}, {90, 3, 0}, {120, 2, 0}}
	for _, tk := range ticks {
		trig := loop.PrometheusTrigger(0)
		value, active, err := trig.Evaluate(keda.QueryResult{Values: []float64{tk.connections}})
		obs := []keda.TriggerObservation{{Name: "s0-prometheus", Value: value, Active: active, Err: err}}
		res, err := loop.Poll(start.Add(time.Duration(tk.sec)*time.Second), keda.Workload{Current: tk.replicas, Ready: tk.replicas}, obs)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("t=%3ds %s\n", tk.sec, res.Reason)
	}
	// Output:
	// t=  0s ScaledObject is not active: nothing to do at 0 replicas
	// t= 30s ScaledObject is active: scaling from 0 to 1, triggered by s0-prometheus
	// t= 60s ScaledObject is active (s0-prometheus): the HPA owns replicas at 3
	// t= 90s ScaledObject is not active; waiting for cooldownPeriod 45s since last active at 2026-01-01T00:01:00Z (scales to minReplicaCount 0 after 2026-01-01T00:01:45Z)
	// t=120s cooldownPeriod 45s elapsed since last active at 2026-01-01T00:01:00Z: scaling from 2 to minReplicaCount 0
}

// The metrics server's answer to the HPA, with fallback after the failure
// threshold.
func ExampleLoop_MetricsForHPA() {
	so := websocket()
	so.Fallback = &keda.Fallback{FailureThreshold: 1, Replicas: 4}
	loop, err := keda.NewLoop(so, "", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	w := keda.Workload{Current: 2, Ready: 2}
	down := []keda.TriggerObservation{{Err: fmt.Errorf("connection refused")}}
	for i := 0; i < 2; i++ {
		v, err := loop.MetricsForHPA("s0-prometheus", down, w)
		fmt.Println(v, err)
	}
	// Output:
	// [] metric:s0-prometheus encountered error: connection refused
	// [160000] <nil>
}
