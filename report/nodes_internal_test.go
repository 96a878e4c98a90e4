package report

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// The review's figures of a run on a node pool say how long pods waited
// for nodes and what the nodes cost; a run without a pool has no such
// rows.
func TestFigureRowsOnNodes(t *testing.T) {
	sc, err := scenarios.Load("../examples/node-pool/scenario.yaml")
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	rows := map[string]string{}
	for _, r := range figureRows(res) {
		rows[r[0]] = r[1]
	}
	n := res.Figures().Nodes
	require.Contains(t, rows["Pending"], "the longest "+check.Duration(n.LongestWait))
	require.Contains(t, rows["Node cost"], "node-seconds")
	require.Contains(t, rows["Scale-out served"], check.Duration(n.ScaleOutNodeWait)+" of it waiting for a node")

	spec := sc.Spec
	spec.NodePool = nil
	res, err = sim.Run(context.Background(), spec)
	require.NoError(t, err)
	for _, r := range figureRows(res) {
		require.NotContains(t, []string{"Nodes", "Node cost", "Pending", "Scale-out served"}, r[0])
	}
}
