package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A scale-in removes the pod that waits for a node before a scheduled one
// that is still starting, although the scheduled one is newer: the
// ReplicaSet ranks unassigned pods first (ActivePodsWithRanks.Less).
// Ranking by readiness and age alone would delete the starting pod.
func TestScaleInDeletesPendingPodsFirst(t *testing.T) {
	ps := &podSet{prefix: "ws", cl: &clusterState{res: &ClusterResult{}}}
	waiting := ps.create(0, 10)
	waiting.unschedulable = true
	starting := ps.create(5, 10)
	ps.bind(starting, &simNode{}, 5)
	ready := ps.create(0, 0)
	ps.bind(ready, &simNode{}, 0)
	require.True(t, ready.ready)
	require.False(t, starting.ready)

	got := podsToDelete(ps.active(), 1)
	require.Equal(t, []*pod{waiting}, got)

	// Deleted while Pending, it goes at once: no grace period for a pod
	// without a node.
	ps.scaleTo(2, 20, func() time.Duration { return 0 }, 30)
	require.True(t, waiting.deleting)
	require.Equal(t, waiting.goneAt, time.Duration(20))
	require.False(t, starting.deleting)
}
