package cluster_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster"
	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
)

func decode(t *testing.T, src string) (cluster.Pool, error) {
	t.Helper()
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(src), &doc))
	return cluster.DecodePool("scenario.yaml", &doc, "spec.nodePool")
}

const goodPool = `name: pool
nodes: 3
allocatable: {cpu: "4", memory: 16Gi, pods: 110}
capacity: {cpu: "4", memory: 16Gi}
labels: {pool: general}
taints:
- {key: dedicated, value: websocket, effect: NoSchedule}
scheduler: {dynamicResources: false}
autoscaler:
  minNodes: 3
  maxNodes: 6
  provisioning: {min: 90s, max: 150s}
  scaleDownUnneededTime: 5m
  expander: most-pods
`

func TestDecodePool(t *testing.T) {
	p, err := decode(t, goodPool)
	require.NoError(t, err)
	assert.Equal(t, "pool", p.Name)
	assert.Equal(t, 3, p.Nodes)
	assert.True(t, p.CPU.Equal(resource.MustParse("4")))
	assert.Equal(t, int64(110), p.Pods)
	assert.Equal(t, []corev1.Taint{{Key: "dedicated", Value: "websocket", Effect: corev1.TaintEffectNoSchedule}}, p.Taints)
	assert.False(t, p.Scheduler.DynamicResources)
	assert.True(t, p.Scheduler.BalancedAllocation, "unset fields keep the default profile")
	require.NotNil(t, p.Autoscaling)
	assert.Equal(t, autoscaler.Delay{Min: 90 * time.Second, Max: 150 * time.Second}, p.Autoscaling.Provisioning)
	want := autoscaler.DefaultOptions()
	want.ScaleDownUnneededTime = 5 * time.Minute
	want.Expander = autoscaler.ExpanderMostPods
	assert.Equal(t, want, p.Autoscaling.Options, "flags not given keep the upstream defaults")

	nodes := p.InitialNodes()
	require.Len(t, nodes, 3)
	assert.Equal(t, "pool-3", nodes[2].Name)
	assert.Equal(t, map[string]string{"pool": "general"}, nodes[0].Labels)
	g, ok := p.Group()
	require.True(t, ok)
	assert.NoError(t, autoscaler.ValidateGroups([]autoscaler.NodeGroup{g}))
	assert.Equal(t, map[string]int{"pool": 3}, p.InitialState().Created)

	// Defaults: a fixed pool, the 1.35 scheduler profile.
	p, err = decode(t, "name: pool\nnodes: 2\nallocatable: {cpu: 2, memory: 8Gi, pods: 110}\n")
	require.NoError(t, err)
	assert.True(t, p.Scheduler.DynamicResources)
	_, ok = p.Group()
	assert.False(t, ok)

	p, err = decode(t, "name: pool\nnodes: 1\nallocatable: {cpu: 2, memory: 8Gi, pods: 110}\nautoscaler: {maxNodes: 3, provisioning: 2m}\n")
	require.NoError(t, err)
	assert.Equal(t, autoscaler.Delay{Min: 2 * time.Minute, Max: 2 * time.Minute}, p.Autoscaling.Provisioning)
}

func TestDecodePoolErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown field", "name: pool\nnode: 3\n",
			"scenario.yaml:2: spec.nodePool.node: unknown field \"node\"; did you mean nodes? allowed: name, nodes, allocatable, capacity, labels, taints, scheduler, autoscaler"},
		{"bad quantity and duration, all reported", "name: pool\nallocatable: {cpu: four, memory: 16Gi, pods: 110}\nautoscaler:\n  maxNodes: 3\n  scanInterval: 10 seconds\n",
			"scenario.yaml:2: spec.nodePool.allocatable.cpu: \"four\" is not a quantity; use e.g. 4, 3500m or 16Gi\n" +
				"scenario.yaml:5: spec.nodePool.autoscaler.scanInterval: \"10 seconds\" is not a duration; use e.g. 10s, 2m or 1m30s"},
		{"missing allocatable", "name: pool\nnodes: 1\n",
			"scenario.yaml:1: spec.nodePool.allocatable.cpu: must be set and positive, e.g. \"4\" or \"3500m\"\n" +
				"scenario.yaml:1: spec.nodePool.allocatable.memory: must be set and positive, e.g. 16Gi\n" +
				"scenario.yaml:1: spec.nodePool.allocatable.pods: must be set and positive, e.g. 110 (the kubelet's default maxPods)"},
		{"nodes outside the autoscaler's bounds", "name: pool\nnodes: 8\nallocatable: {cpu: 2, memory: 8Gi, pods: 110}\nautoscaler: {minNodes: 1, maxNodes: 6}\n",
			"scenario.yaml:2: spec.nodePool.nodes: 8: must be between autoscaler.minNodes (1) and autoscaler.maxNodes (6)"},
		{"bad effect", "name: pool\nnodes: 1\nallocatable: {cpu: 2, memory: 8Gi, pods: 110}\ntaints:\n- key: a\n  effect: Never\n",
			"scenario.yaml:6: spec.nodePool.taints[0].effect: \"Never\": must be NoSchedule, PreferNoSchedule or NoExecute"},
		{"expander not modelled", "name: pool\nallocatable: {cpu: 2, memory: 8Gi, pods: 110}\nautoscaler: {maxNodes: 2, expander: price}\n",
			"scenario.yaml:3: spec.nodePool.autoscaler.expander: \"price\" is not modelled; allowed: least-waste, random, most-pods"},
		{"provisioning needs both bounds", "name: pool\nallocatable: {cpu: 2, memory: 8Gi, pods: 110}\nautoscaler:\n  maxNodes: 2\n  provisioning: {min: 1m}\n",
			"scenario.yaml:5: spec.nodePool.autoscaler.provisioning: needs both min and max, or one duration for a fixed delay"},
		{"provisioning max below min", "name: pool\nallocatable: {cpu: 2, memory: 8Gi, pods: 110}\nautoscaler:\n  maxNodes: 2\n  provisioning: {min: 3m, max: 1m}\n",
			"scenario.yaml:5: spec.nodePool.autoscaler.provisioning: 3m0s..1m0s: need 0 <= min <= max"},
		{"threshold", "name: pool\nallocatable: {cpu: 2, memory: 8Gi, pods: 110}\nautoscaler: {maxNodes: 2, scaleDownUtilizationThreshold: 2}\n",
			"scenario.yaml:3: spec.nodePool.autoscaler.scaleDownUtilizationThreshold: \"2\": must be a number between 0 and 1"},
		{"not a mapping", "- a\n", "scenario.yaml:1: spec.nodePool: must be a mapping, got a list"},
		{"name", "name: Pool_1\nallocatable: {cpu: 2, memory: 8Gi, pods: 110}\n",
			"scenario.yaml:1: spec.nodePool.name: \"Pool_1\" is not a DNS label (lower case letters, digits and '-', at most 40 characters)"},
		{"duplicate", "name: a\nname: b\n", "scenario.yaml:2: spec.nodePool.name: duplicate field"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := decode(t, c.src)
			require.Error(t, err)
			assert.Equal(t, c.want, err.Error())
		})
	}
}

func TestPoolValidateInGo(t *testing.T) {
	p := cluster.Pool{Name: "pool", Nodes: 1, CPU: resource.MustParse("2"), Memory: resource.MustParse("8Gi"), Pods: 110,
		Autoscaling: &cluster.Autoscaling{MinNodes: 1, MaxNodes: 3, Options: autoscaler.DefaultOptions()}}
	assert.NoError(t, p.Validate())
	p.Autoscaling.Options.ScanInterval = 0
	assert.EqualError(t, p.Validate(), "autoscaler: --scan-interval: 0s: must be positive")
}
