package autoscaler_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

// A pool of three full nodes and a WebSocket pod that does not fit: the
// loop after the pod is 2 s old asks for a fourth node, which is Ready
// after its provisioning delay, drawn from the seeded generator.
func ExampleStep() {
	pool := autoscaler.NodeGroup{
		Name: "pool", MinSize: 3, MaxSize: 6,
		Template: scheduler.Node{Allocatable: corev1.ResourceList{
			corev1.ResourceCPU: resource.MustParse("4"), corev1.ResourceMemory: resource.MustParse("16Gi"), corev1.ResourcePods: resource.MustParse("110"),
		}},
		Provision: autoscaler.Delay{Min: 90 * time.Second, Max: 150 * time.Second},
	}
	spec := func(cpu string) corev1.PodSpec {
		return corev1.PodSpec{Containers: []corev1.Container{{Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu)},
		}}}}
	}
	var obs autoscaler.Observation
	for i := 1; i <= 3; i++ {
		n := pool.Template
		n.Name = fmt.Sprintf("pool-%d", i)
		ni, _ := scheduler.NewNodeInfo(n)
		api, _ := scheduler.NewPod(fmt.Sprintf("shop/api-%d", i), spec("3"))
		obs.Nodes = append(obs.Nodes, autoscaler.Node{Group: "pool", Info: ni.Bind(api), Pods: []scheduler.Pod{api}})
	}
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ws, _ := scheduler.NewPod("shop/websocket-4", spec("2"))
	obs.Pending = []autoscaler.PendingPod{{Pod: ws, Created: t0}}

	rng := rand.New(rand.NewPCG(42, 0))
	st := autoscaler.State{Created: map[string]int{"pool": 3}}
	for s := 0; s <= 240; s += 10 {
		now := t0.Add(time.Duration(s) * time.Second)
		var res autoscaler.Result
		st, res = autoscaler.Step([]autoscaler.NodeGroup{pool}, autoscaler.DefaultOptions(), st, obs, now, rng)
		if res.ScaleUp != nil {
			fmt.Printf("+%ds %s\n", s, res.Events[0].Message)
		}
		for _, u := range res.Ready {
			fmt.Printf("+%ds %s Ready after %s\n", s, u.Name, u.Ready.Sub(u.Requested))
			obs.Pending = nil // the scheduler binds the pod to the new node
		}
	}
	// Output:
	// +10s pod triggered scale-up: [{pool 3->4 (max: 6)}]
	// +160s pool-4 Ready after 2m21.453s
}
