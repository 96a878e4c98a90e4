package cluster_test

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/autoscale-sim/autoscale-sim/cluster"
)

// FuzzDecodePool: any document decodes to a pool that validates, or to an
// error; never a panic.
func FuzzDecodePool(f *testing.F) {
	f.Add(goodPool)
	f.Add("name: pool\nnodes: 1\nallocatable: {cpu: 2, memory: 8Gi, pods: 110}\nautoscaler: {maxNodes: 3, provisioning: 2m}\n")
	f.Add("taints: [{key: a, effect: NoSchedule}, 3]\nlabels: [x]\n")
	f.Fuzz(func(t *testing.T, src string) {
		var doc yaml.Node
		if yaml.Unmarshal([]byte(src), &doc) != nil {
			return
		}
		p, err := cluster.DecodePool("f.yaml", &doc, "spec.nodePool")
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("decoded pool does not validate: %v\n%s", err, src)
		}
	})
}
