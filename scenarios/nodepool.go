package scenarios

import (
	"errors"
	"fmt"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/cluster"
)

// nodePool decodes spec.nodePool with cluster.DecodePool, at its node, so
// that its problems carry this file's lines and the full field path.
func nodePool(v node) *cluster.Pool {
	p, err := cluster.DecodePool(v.ps.file, v.n, v.path)
	if err == nil {
		return &p
	}
	var ce *cluster.Error
	if !errors.As(err, &ce) {
		v.fail("%v", err)
		return nil
	}
	for _, pr := range ce.Problems {
		v.ps.list = append(v.ps.list, Problem{File: v.ps.file, Line: pr.Line, Path: strings.TrimPrefix(pr.Path, "."), Message: pr.Message})
	}
	return nil
}

// nodePoolSettings lists what the run takes of the pool and its
// cluster-autoscaler, and where each value came from: the provisioning
// delay in particular decides how long a scale-out waits, and its default
// is named as one.
func (rs *resolution) nodePoolSettings() {
	p := rs.sc.Spec.NodePool
	if p == nil {
		return
	}
	rs.setting("node pool", fmt.Sprintf("%d nodes of %s cpu, %s memory, %d pods allocatable", p.Nodes, p.CPU.String(), p.Memory.String(), p.Pods),
		rs.scenarioField("nodePool"), "")
	a := p.Autoscaling
	if a == nil {
		rs.setting("cluster-autoscaler", "none: the pool stays at its nodes", rs.scenarioField("nodePool"), "Pending pods wait for room on these nodes only")
		return
	}
	o := a.Options
	rs.setting("cluster-autoscaler", fmt.Sprintf("%d to %d nodes, a loop every %s, scale-down below %g utilization after %s unneeded",
		a.MinNodes, a.MaxNodes, shortDuration(o.ScanInterval), o.ScaleDownUtilizationThreshold, shortDuration(o.ScaleDownUnneededTime)),
		rs.scenarioField("nodePool.autoscaler"), "flags not given take cluster-autoscaler's defaults")
	delay := shortDuration(a.Provisioning.Min)
	if a.Provisioning.Max != a.Provisioning.Min {
		delay += " to " + shortDuration(a.Provisioning.Max) + " (uniform, seeded)"
	}
	if rs.given("nodePool.autoscaler.provisioning") {
		rs.setting("node provisioning", delay, rs.scenarioField("nodePool.autoscaler.provisioning"), "")
	} else {
		rs.setting("node provisioning", delay, "default", "the cluster-autoscaler FAQ's report for GCE; set spec.nodePool.autoscaler.provisioning to your cloud's")
	}
}
