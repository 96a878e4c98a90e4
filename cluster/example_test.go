package cluster_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"gopkg.in/yaml.v3"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster"
	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

// The wiring the engine will do, in miniature: an HTTP API (three pods of
// 1500m) and a WebSocket server on one pool of three 4-cpu nodes. The
// WebSocket server scales from 2 to 8 pods of 1 cpu at 12:01: least
// allocated scoring spreads them two per node, and the last two wait for
// the node the autoscaler asks for at its first loop after they are 2 s
// old.
func Example_wiring() {
	var doc yaml.Node
	_ = yaml.Unmarshal([]byte(`
name: pool
nodes: 3
allocatable: {cpu: "4", memory: 16Gi, pods: 110}
autoscaler: {minNodes: 3, maxNodes: 5, provisioning: {min: 2m, max: 3m}}
`), &doc)
	pool, err := cluster.DecodePool("scenario.yaml", &doc, "spec.nodePool")
	if err != nil {
		fmt.Println(err)
		return
	}
	group, _ := pool.Group()
	groups := []autoscaler.NodeGroup{group}
	opts := pool.Autoscaling.Options

	type live struct {
		pod     scheduler.Pod
		created time.Time
		node    string
	}
	var nodes []autoscaler.Node
	for _, n := range pool.InitialNodes() {
		ni, _ := scheduler.NewNodeInfo(n)
		nodes = append(nodes, autoscaler.Node{Group: group.Name, Info: ni})
	}
	spec := func(cpu string) corev1.PodSpec {
		return corev1.PodSpec{Containers: []corev1.Container{{Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse("1Gi")},
		}}}}
	}
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var pods []*live
	add := func(name, cpu string, now time.Time) {
		p, _ := scheduler.NewPod(name, spec(cpu))
		pods = append(pods, &live{pod: p, created: now})
	}
	for i := 1; i <= 3; i++ {
		add(fmt.Sprintf("shop/api-%d", i), "1500m", t0)
	}
	for i := 1; i <= 2; i++ {
		add(fmt.Sprintf("shop/ws-%d", i), "1", t0)
	}
	rng := rand.New(rand.NewPCG(7, 0))
	st := pool.InitialState()
	failed := map[string]bool{}
	for s := 0; s <= 300; s += 10 {
		now := t0.Add(time.Duration(s) * time.Second)
		clock := now.Format("15:04:05")
		if s == 60 {
			for i := 3; i <= 8; i++ {
				add(fmt.Sprintf("shop/ws-%d", i), "1", now)
			}
		}
		// Scheduler: pending pods in creation order.
		infos := make([]scheduler.NodeInfo, len(nodes))
		for i := range nodes {
			infos[i] = nodes[i].Info
		}
		var pending []autoscaler.PendingPod
		for _, lp := range pods {
			if lp.node != "" {
				continue
			}
			d := scheduler.Schedule(infos, lp.pod, pool.Scheduler)
			if !d.Scheduled {
				if !failed[lp.pod.Name] {
					fmt.Println(clock, lp.pod.Name, "FailedScheduling:", d.Message)
					failed[lp.pod.Name] = true
				}
				pending = append(pending, autoscaler.PendingPod{Pod: lp.pod, Created: lp.created})
				continue
			}
			lp.node = d.Node
			infos[d.Index] = infos[d.Index].Bind(lp.pod)
			nodes[d.Index].Info = infos[d.Index]
			nodes[d.Index].Pods = append(nodes[d.Index].Pods, lp.pod)
			if failed[lp.pod.Name] {
				fmt.Println(clock, lp.pod.Name, "Scheduled:", d.Message, "after", now.Sub(lp.created))
			}
		}
		// Autoscaler.
		var res autoscaler.Result
		st, res = autoscaler.Step(groups, opts, st, autoscaler.Observation{Nodes: nodes, Pending: pending}, now, rng)
		if res.ScaleUp != nil {
			fmt.Println(clock, "TriggeredScaleUp:", res.Events[0].Message, "for", res.ScaleUp.Pods)
		}
		for _, u := range res.Ready {
			n := group.Template
			n.Name = u.Name
			ni, _ := scheduler.NewNodeInfo(n)
			nodes = append(nodes, autoscaler.Node{Group: u.Group, Info: ni})
			fmt.Println(clock, u.Name, "Ready, requested at", u.Requested.Format("15:04:05"))
		}
	}
	// Output:
	// 12:01:00 shop/ws-7 FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
	// 12:01:00 shop/ws-8 FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
	// 12:01:10 TriggeredScaleUp: pod triggered scale-up: [{pool 3->4 (max: 5)}] for [shop/ws-7 shop/ws-8]
	// 12:03:30 pool-4 Ready, requested at 12:01:10
	// 12:03:40 shop/ws-7 Scheduled: Successfully assigned shop/ws-7 to pool-4 after 2m40s
	// 12:03:40 shop/ws-8 Scheduled: Successfully assigned shop/ws-8 to pool-4 after 2m40s
}
