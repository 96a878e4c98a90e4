package scheduler_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

func rl(cpu, mem string) corev1.ResourceList {
	l := corev1.ResourceList{}
	if cpu != "" {
		l[corev1.ResourceCPU] = resource.MustParse(cpu)
	}
	if mem != "" {
		l[corev1.ResourceMemory] = resource.MustParse(mem)
	}
	return l
}

func node(t testing.TB, name, cpu, mem string, pods int64) scheduler.NodeInfo {
	t.Helper()
	a := rl(cpu, mem)
	a[corev1.ResourcePods] = *resource.NewQuantity(pods, resource.DecimalSI)
	ni, err := scheduler.NewNodeInfo(scheduler.Node{Name: name, Allocatable: a})
	require.NoError(t, err)
	return ni
}

func withNode(t testing.TB, ni scheduler.NodeInfo, f func(*scheduler.Node)) scheduler.NodeInfo {
	t.Helper()
	n := ni.Node
	f(&n)
	out, err := scheduler.NewNodeInfo(n)
	require.NoError(t, err)
	out.Pods, out.Requested, out.NonZeroRequested = ni.Pods, ni.Requested, ni.NonZeroRequested
	return out
}

func pod(t testing.TB, name, cpu, mem string) scheduler.Pod {
	t.Helper()
	return podSpec(t, name, corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Resources: corev1.ResourceRequirements{Requests: rl(cpu, mem)}}}})
}

func podSpec(t testing.TB, name string, spec corev1.PodSpec) scheduler.Pod {
	t.Helper()
	p, err := scheduler.NewPod(name, spec)
	require.NoError(t, err)
	return p
}

func taint(key, value string, effect corev1.TaintEffect) corev1.Taint {
	return corev1.Taint{Key: key, Value: value, Effect: effect}
}
