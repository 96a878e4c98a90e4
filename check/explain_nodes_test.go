package check_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// explain on a node pool says why each Pending pod waits, node by node,
// and what the cluster-autoscaler is doing: the nodes it asked for and
// when they will be Ready. Once they are, nothing is Pending.
func TestExplainPendingPods(t *testing.T) {
	sc, err := scenarios.Load("../examples/node-pool/scenario.yaml")
	require.NoError(t, err)
	x, err := check.ExplainAt(context.Background(), sc.Spec, 2*time.Minute)
	require.NoError(t, err)
	require.NotNil(t, x.Nodes)
	require.Len(t, x.Nodes.Pending, 2)
	for _, p := range x.Nodes.Pending {
		require.Contains(t, p.Message, "0/3 nodes are available: 3 Insufficient cpu.")
		require.Len(t, p.Nodes, 3)
		require.Contains(t, p.Nodes[0], "Insufficient cpu: requests 1500m, 0 free of 1500m (NodeResourcesFit)")
	}
	require.Len(t, x.Nodes.Upcoming, 2)
	for _, u := range x.Nodes.Upcoming {
		require.Greater(t, u.Ready, 2*time.Minute, "not Ready yet")
		require.GreaterOrEqual(t, u.Ready-u.Requested, sc.Spec.NodePool.Autoscaling.Provisioning.Min)
	}
	var buf bytes.Buffer
	require.NoError(t, x.WriteText(&buf))
	require.Contains(t, buf.String(), "upcoming:      pool-4 asked at 1m20s")

	x, err = check.ExplainAt(context.Background(), sc.Spec, 5*time.Minute)
	require.NoError(t, err)
	require.Empty(t, x.Nodes.Pending)
	require.Len(t, x.Nodes.Nodes, 5)
	require.Empty(t, x.Nodes.Upcoming)
}

// maxPodPending holds above the longest wait for a node and fails below
// it, saying how long; on unbounded capacity it is refused, not passed.
func TestMaxPodPending(t *testing.T) {
	sc, err := scenarios.Load("../examples/node-pool/scenario.yaml")
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	longest := res.Figures().Nodes.LongestWait
	require.Greater(t, longest, sc.Spec.NodePool.Autoscaling.Provisioning.Min)
	require.NoError(t, check.MaxPodPending(longest).Check(res))
	err = check.MaxPodPending(longest - time.Second).Check(res)
	require.ErrorContains(t, err, "pod Pending: want at most")
	require.ErrorContains(t, err, "got "+check.Duration(longest))

	spec := sc.Spec
	spec.NodePool = nil
	res, err = sim.Run(context.Background(), spec)
	require.NoError(t, err)
	require.ErrorContains(t, check.MaxPodPending(time.Hour).Check(res), "applies to a run on a node pool")
}

// Over seeded runs the node figures are summarised with the others, the
// wait for a node varying with the drawn provisioning delays; runs
// without a node pool list none.
func TestRunsSummariseNodeFigures(t *testing.T) {
	sc, err := scenarios.Load("../examples/node-pool/scenario.yaml")
	require.NoError(t, err)
	d, err := check.RunMany(context.Background(), sc.Spec, 20, 2, nil, nil, check.Shard{})
	require.NoError(t, err)
	byName := map[string]check.Summary{}
	for _, s := range d.Summaries() {
		byName[s.Name] = s
	}
	wait := byName["longest wait for a node"]
	require.Equal(t, 20, wait.N)
	require.Less(t, wait.Min, wait.Max, "the provisioning delays are drawn per seed")
	require.GreaterOrEqual(t, wait.Min, sc.Spec.NodePool.Autoscaling.Provisioning.Min.Seconds())

	spec := sc.Spec
	spec.NodePool = nil
	d, err = check.RunMany(context.Background(), spec, 3, 2, nil, nil, check.Shard{})
	require.NoError(t, err)
	for _, s := range d.Summaries() {
		require.NotEqual(t, "peak nodes", s.Name)
	}
}
