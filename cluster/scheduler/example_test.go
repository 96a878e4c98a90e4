package scheduler_test

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

// Three nodes with 1 cpu left each cannot take a pod asking for 2: the
// pod stays Pending with the scheduler's message.
func ExampleSchedule() {
	alloc := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("4"),
		corev1.ResourceMemory: resource.MustParse("16Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
	spec := func(cpu string) corev1.PodSpec {
		return corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu)},
		}}}}
	}
	var nodes []scheduler.NodeInfo
	for i := 1; i <= 3; i++ {
		ni, _ := scheduler.NewNodeInfo(scheduler.Node{Name: fmt.Sprintf("pool-%d", i), Allocatable: alloc})
		busy, _ := scheduler.NewPod(fmt.Sprintf("shop/api-%d", i), spec("3"))
		nodes = append(nodes, ni.Bind(busy))
	}
	ws, _ := scheduler.NewPod("shop/websocket-7", spec("2"))

	d := scheduler.Schedule(nodes, ws, scheduler.Options{DynamicResources: false})
	fmt.Println(d.Scheduled)
	fmt.Println(d.Message)

	// A smaller pod fits everywhere; the scores tie and the first node wins.
	// LeastAllocated: cpu (4000m - 3000m - 500m) * 100 / 4000m = 12, memory
	// (16Gi - 2 * 200Mi defaulted) * 100 / 16Gi = 97, mean (12 + 97) / 2 = 54;
	// BalancedAllocation: cpu 3500m/4000m, memory 0 requested, std 0.4375: 56.
	small, _ := scheduler.NewPod("shop/websocket-8", spec("500m"))
	d = scheduler.Schedule(nodes, small, scheduler.DefaultOptions())
	fmt.Println(d.Message, d.Feasible[0].Score, d.Feasible[0].LeastAllocated, d.Feasible[0].BalancedAllocation)
	// Output:
	// false
	// 0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
	// Successfully assigned shop/websocket-8 to pool-1 110 54 56
}
