package report

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/cluster"
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

// The nodes panel counts the spans open at each instant, as steps: a
// node added at 2m and removed at 12m beside one there from the start is
// two nodes from 2m to 12m; a span still open at the end holds to it.
// Counting span starts only (or ignoring the initial nodes) would not.
func TestNodesPanelSteps(t *testing.T) {
	at := func(m int) time.Time { return time.Time{}.Add(time.Duration(m) * time.Minute) }
	steps := spanSteps([]cluster.Span{{Name: "a", Start: at(0)}, {Name: "b", Start: at(2), End: at(12)}}, at(20))
	require.Equal(t, []pt{{0, 1}, {2, 1}, {2, 2}, {12, 2}, {12, 1}, {20, 1}}, steps)

	sc, err := scenarios.Load("../examples/node-pool/scenario.yaml")
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	p := nodesPanel(res)
	require.NotNil(t, p)
	peak := 0.0
	for _, q := range spanSteps(res.Cluster.Ready, time.Time{}.Add(res.Duration)) {
		peak = max(peak, q.y)
	}
	require.Equal(t, float64(res.Figures().Nodes.PeakNodes), peak, "the panel's peak is the figure's")
	var b strings.Builder
	require.NoError(t, WritePlot(&b, res, "svg"))
	require.Contains(t, b.String(), "nodes-ready")
	require.Contains(t, b.String(), "pods-pending")

	sc.Spec.NodePool = nil
	res, err = sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	require.Nil(t, nodesPanel(res), "no pool, no panel")
}
