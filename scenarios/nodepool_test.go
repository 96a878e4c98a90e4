package scenarios

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A node pool's problems carry the scenario file's line and the full field
// path, every one of them.
func TestNodePoolErrors(t *testing.T) {
	tests := []struct {
		name, spec string
		want       []string
	}{
		{"negative cpu", "  nodePool: {name: pool, nodes: 1, allocatable: {cpu: \"-1\", memory: 1Gi, pods: 10}}\n",
			[]string{"scenario.yaml:7: spec.nodePool.allocatable.cpu:"}},
		{"typo", "  nodePool:\n    name: pool\n    allocatable: {cpu: 1, memory: 1Gi, pods: 10}\n    autoscaler: {maxNodes: 2, scanIntreval: 5s}\n",
			[]string{"scenario.yaml:10: spec.nodePool.autoscaler.scanIntreval: unknown field", "scanInterval"}},
		{"nodes above max", "  nodePool:\n    name: pool\n    nodes: 5\n    allocatable: {cpu: 1, memory: 1Gi, pods: 10}\n    autoscaler: {maxNodes: 2}\n",
			[]string{"scenario.yaml:9: spec.nodePool.nodes: 5: must be between autoscaler.minNodes (0) and autoscaler.maxNodes (2)"}},
		{"two problems", "  nodePool: {name: Pool, allocatable: {cpu: 1, memory: 1Gi}}\n",
			[]string{"spec.nodePool.name:", "spec.nodePool.allocatable.pods:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("scenario.yaml", []byte(tenMinutes+tt.spec), files(map[string]string{"so.yaml": cpuScaledObject}))
			require.Error(t, err)
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

// fullPool sets every field of the nodePool section.
const fullPool = `  nodePool:
    name: pool
    nodes: 2
    allocatable: {cpu: "4", memory: 16Gi, pods: 110}
    capacity: {cpu: "4", memory: 16Gi}
    labels: {pool: general}
    taints: [{key: dedicated, value: ws, effect: NoSchedule}]
    scheduler: {dynamicResources: false, balancedAllocation: true}
    autoscaler:
      minNodes: 1
      maxNodes: 6
      provisioning: {min: 1m, max: 2m}
      scanInterval: 5s
      scaleDownUtilizationThreshold: 0.4
      scaleDownUnneededTime: 5m
      scaleDownDelayAfterAdd: 3m
      scaleDownDelayAfterDelete: 1m
      maxNodesTotal: 10
      expander: most-pods
      newPodScaleUpDelay: 1s
      scaleDownEnabled: true
      maxNodesPerScaleUp: 5
      maxScaleDownParallelism: 3
      maxDrainParallelism: 2
      unremovableNodeRecheckTimeout: 4m
`

// TestNodePoolSectionMatchesDecoder: the schema's nodePool section (from
// which schema/scenario.schema.json is generated) names exactly the
// fields cluster.DecodePool reads: a pool setting every field of the
// section loads, with the values given.
func TestNodePoolSectionMatchesDecoder(t *testing.T) {
	var names []string
	var walk func(prefix string, s *section)
	walk = func(prefix string, s *section) {
		for _, f := range s.fields {
			names = append(names, prefix+f.name)
			if f.section != nil && f.typ == tObject || f.typ == tList && f.section != nil {
				walk(prefix+f.name+".", f.section)
			}
		}
	}
	walk("", nodePoolSection)
	sort.Strings(names)
	for _, n := range names {
		leaf := n[strings.LastIndexByte(n, '.')+1:]
		require.Contains(t, fullPool, leaf+":", "fullPool does not set %s", n)
	}
	sc, err := Parse("scenario.yaml", []byte(tenMinutes+fullPool), files(map[string]string{"so.yaml": cpuScaledObject}))
	require.NoError(t, err)
	p := sc.Spec.NodePool
	require.NotNil(t, p)
	require.Equal(t, 2, p.Nodes)
	require.Equal(t, "general", p.Labels["pool"])
	require.False(t, p.Scheduler.DynamicResources)
	a := p.Autoscaling
	require.Equal(t, 6, a.MaxNodes)
	require.Equal(t, time.Minute, a.Provisioning.Min)
	require.Equal(t, 5*time.Second, a.Options.ScanInterval)
	require.Equal(t, "most-pods", a.Options.Expander)
	require.Equal(t, 4*time.Minute, a.Options.UnremovableNodeRecheckTimeout)
}

// The Deployment's nodeSelector and tolerations are what the scheduler
// matches against the pool's labels and taints.
func TestPlacementFromTheDeployment(t *testing.T) {
	hpa := "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 10\n" +
		"  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}]\n"
	deploy := `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {pool: general}
      tolerations: [{key: dedicated, operator: Equal, value: web, effect: NoSchedule}]
      containers:
      - name: app
        resources: {requests: {cpu: 500m, memory: 256Mi}}
`
	scen := strings.Replace(tenMinutes, "so.yaml", "m.yaml", 1) + "  nodePool: {name: pool, nodes: 1, allocatable: {cpu: 2, memory: 4Gi, pods: 10}}\n"
	sc, err := Parse("scenario.yaml", []byte(scen), files(map[string]string{"m.yaml": hpa + deploy}))
	require.NoError(t, err)
	p := sc.Spec.Workload.Placement
	require.Equal(t, map[string]string{"pool": "general"}, p.NodeSelector)
	require.Len(t, p.Tolerations, 1)
	require.Equal(t, "dedicated", p.Tolerations[0].Key)
}
