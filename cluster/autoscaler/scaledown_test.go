package autoscaler_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
)

// run steps the autoscaler every 10 s from start to end on a fixed
// observation and returns the loop results by offset from t0.
func run(t *testing.T, groups []autoscaler.NodeGroup, opts autoscaler.Options, st autoscaler.State, obs autoscaler.Observation, from, to time.Duration) (autoscaler.State, map[time.Duration]autoscaler.Result) {
	t.Helper()
	out := map[time.Duration]autoscaler.Result{}
	for d := from; d <= to; d += 10 * time.Second {
		var res autoscaler.Result
		st, res = autoscaler.Step(groups, opts, st, obs, t0.Add(d), rng())
		out[d] = res
	}
	return st, out
}

func firstDeletion(res map[time.Duration]autoscaler.Result, from, to time.Duration) (time.Duration, autoscaler.Result, bool) {
	for d := from; d <= to; d += 10 * time.Second {
		if len(res[d].Deleted) > 0 {
			return d, res[d], true
		}
	}
	return 0, autoscaler.Result{}, false
}

// A node at 40% whose pods fit elsewhere is removed at the first loop
// after it has been unneeded for more than 10 minutes (strictly).
func TestScaleDownAfterUnneededTime(t *testing.T) {
	g := group("pool", 1, 5, "10", "40Gi", time.Minute)
	nodes := []autoscaler.Node{
		mknode(t, g, "a", mkpod(t, "shop/a1", "6", "4Gi")),
		mknode(t, g, "b", mkpod(t, "shop/b1", "4", "4Gi")),
	}
	_, res := run(t, []autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), autoscaler.State{}, autoscaler.Observation{Nodes: nodes}, 0, 15*time.Minute)
	assert.Equal(t, []autoscaler.Since{{Node: "b", At: t0}}, res[0].Unneeded)
	assert.Equal(t, []autoscaler.Utilization{
		{Node: "a", CPU: 0.6, Memory: 0.1, Value: 0.6, Resource: corev1.ResourceCPU},
		{Node: "b", CPU: 0.4, Memory: 0.1, Value: 0.4, Resource: corev1.ResourceCPU, BelowThreshold: true},
	}, res[0].Utilization)
	at, r, ok := firstDeletion(res, 0, 15*time.Minute)
	require.True(t, ok)
	assert.Equal(t, 10*time.Minute+10*time.Second, at, "unneeded for exactly 10m is not enough")
	assert.Equal(t, []autoscaler.Deletion{{Node: "b", Group: "pool", Evicted: []string{"shop/b1"}, UnneededSince: t0}}, r.Deleted)
}

// The unneeded clock runs during the cooldown after a scale-up: a node
// unneeded since the scale-up goes as soon as the cooldown is over, not
// 10 minutes after it.
func TestUnneededTimeRunsDuringCooldown(t *testing.T) {
	g := group("pool", 1, 5, "10", "40Gi", time.Minute)
	nodes := []autoscaler.Node{
		mknode(t, g, "a", mkpod(t, "shop/a1", "6", "4Gi")),
		mknode(t, g, "b", mkpod(t, "shop/b1", "2", "4Gi")),
	}
	st := autoscaler.State{Started: true, NextLoop: t0, LastScaleUp: t0}
	_, res := run(t, []autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), st, autoscaler.Observation{Nodes: nodes}, 0, 25*time.Minute)
	assert.Equal(t, "in cooldown: --scale-down-delay-after-add", res[5*time.Minute].ScaleDownSkipped)
	at, _, ok := firstDeletion(res, 0, 25*time.Minute)
	require.True(t, ok)
	assert.Equal(t, 10*time.Minute+10*time.Second, at)
}

func TestScaleDownRespectsMinSize(t *testing.T) {
	g := group("pool", 2, 5, "10", "40Gi", time.Minute)
	nodes := []autoscaler.Node{mknode(t, g, "a"), mknode(t, g, "b")}
	_, res := run(t, []autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), autoscaler.State{}, autoscaler.Observation{Nodes: nodes}, 0, 15*time.Minute)
	_, _, ok := firstDeletion(res, 0, 15*time.Minute)
	assert.False(t, ok)
	assert.Len(t, res[15*time.Minute].Unneeded, 2, "both stay unneeded")

	g.MinSize = 1
	_, res = run(t, []autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), autoscaler.State{}, autoscaler.Observation{Nodes: nodes}, 0, 15*time.Minute)
	_, r, ok := firstDeletion(res, 0, 15*time.Minute)
	require.True(t, ok)
	assert.Len(t, r.Deleted, 1, "one empty node goes, the group keeps its minimum")
}

// Empty nodes go in bulk up to --max-scale-down-parallelism, nodes to
// drain one at a time (--max-drain-parallelism 1).
func TestScaleDownParallelism(t *testing.T) {
	g := group("pool", 0, 20, "10", "40Gi", time.Minute)
	var nodes []autoscaler.Node
	nodes = append(nodes, mknode(t, g, "big", mkpod(t, "shop/big", "8", "1Gi")))
	for i := 0; i < 12; i++ {
		nodes = append(nodes, mknode(t, g, fmt.Sprintf("empty-%02d", i)))
	}
	for i := 0; i < 3; i++ {
		nodes = append(nodes, mknode(t, g, fmt.Sprintf("small-%d", i), mkpod(t, fmt.Sprintf("shop/s%d", i), "1", "1Gi")))
	}
	opts := autoscaler.DefaultOptions()
	_, res := run(t, []autoscaler.NodeGroup{g}, opts, autoscaler.State{}, autoscaler.Observation{Nodes: nodes}, 0, 11*time.Minute)
	_, r, ok := firstDeletion(res, 0, 11*time.Minute)
	require.True(t, ok)
	empty, drain := 0, 0
	for _, d := range r.Deleted {
		if d.Empty {
			empty++
		} else {
			drain++
		}
	}
	assert.Equal(t, 10, empty)
	assert.Equal(t, 0, drain, "the budget is spent on empty nodes")

	opts.MaxScaleDownParallelism = 20
	_, res = run(t, []autoscaler.NodeGroup{g}, opts, autoscaler.State{}, autoscaler.Observation{Nodes: nodes}, 0, 11*time.Minute)
	_, r, _ = firstDeletion(res, 0, 11*time.Minute)
	empty, drain = 0, 0
	for _, d := range r.Deleted {
		if d.Empty {
			empty++
		} else {
			drain++
		}
	}
	assert.Equal(t, 12, empty)
	assert.Equal(t, 1, drain)
}

// A successful removal simulation persists for the next candidates: the
// pods moved onto b in the simulation must move again if b is to go.
func TestRemovalSimulationPersists(t *testing.T) {
	g := group("pool", 0, 5, "10", "40Gi", time.Minute)
	nodes := []autoscaler.Node{
		mknode(t, g, "a", mkpod(t, "shop/a1", "4", "1Gi")),
		mknode(t, g, "b", mkpod(t, "shop/b1", "4", "1Gi")),
		mknode(t, g, "c", mkpod(t, "shop/c1", "5", "1Gi")),
	}
	st, res := autoscaler.Step([]autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), autoscaler.State{}, autoscaler.Observation{Nodes: nodes}, t0, rng())
	// a's 4 cpu go to b in the simulation; b would then have to move 8 cpu
	// to c, which has 5 free. Checking b's own pods only would find room.
	assert.Equal(t, []autoscaler.Since{{Node: "a", At: t0}}, res.Unneeded)
	assert.True(t, res.Utilization[1].UnremovableNoPlace)
	assert.Equal(t, []autoscaler.Since{{Node: "b", At: t0.Add(5 * time.Minute)}}, st.Unremovable)

	// b is not rechecked before 5 minutes.
	_, res = autoscaler.Step([]autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), st, autoscaler.Observation{Nodes: nodes}, t0.Add(10*time.Second), rng())
	assert.True(t, res.Utilization[1].UnremovableRecently)
}

// Utilization is the larger of cpu and memory; on a tie it is memory.
func TestUtilizationTie(t *testing.T) {
	g := group("pool", 0, 5, "10", "10Gi", time.Minute)
	nodes := []autoscaler.Node{mknode(t, g, "a", mkpod(t, "shop/a1", "6", "6Gi"))}
	_, res := autoscaler.Step([]autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), autoscaler.State{}, autoscaler.Observation{Nodes: nodes}, t0, rng())
	require.Len(t, res.Utilization, 1)
	assert.Equal(t, corev1.ResourceMemory, res.Utilization[0].Resource)
	assert.InDelta(t, 0.6, res.Utilization[0].Value, 1e-12)
}

// Step is pure: the state passed in is not modified, and the same inputs
// give the same outputs.
func TestStepIsPure(t *testing.T) {
	g := group("pool", 1, 5, "4", "16Gi", 0)
	g.Provision = autoscaler.Delay{Min: time.Minute, Max: 5 * time.Minute}
	obs := autoscaler.Observation{Nodes: busyPool(t, g), Pending: []autoscaler.PendingPod{{Pod: mkpod(t, "shop/ws", "2", ""), Created: t0}}}
	st := autoscaler.State{Started: true, NextLoop: t0.Add(time.Minute), Unneeded: []autoscaler.Since{{Node: "pool-1", At: t0}}, Created: map[string]int{"pool": 3}}
	before := fmt.Sprintf("%+v", st)
	s1, r1 := autoscaler.Step([]autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), st, obs, t0.Add(time.Minute), rng())
	s2, r2 := autoscaler.Step([]autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), st, obs, t0.Add(time.Minute), rng())
	assert.Equal(t, before, fmt.Sprintf("%+v", st))
	assert.Equal(t, s1, s2)
	assert.Equal(t, r1, r2)
	require.NotNil(t, r1.ScaleUp)
	assert.Equal(t, "pool-4", r1.ScaleUp.Nodes[0].Name)
}

// With --scale-down-delay-after-add 0 the loop that scales up may also
// delete; with the default 10m it may not.
func TestScaleUpAndDownInOneLoop(t *testing.T) {
	small := group("small", 0, 5, "2", "4Gi", time.Minute)
	big := group("big", 0, 5, "16", "64Gi", time.Minute)
	groups := []autoscaler.NodeGroup{small, big}
	now := t0.Add(20 * time.Minute)
	st := autoscaler.State{Started: true, NextLoop: now, Unneeded: []autoscaler.Since{{Node: "small-1", At: t0}}}
	obs := autoscaler.Observation{
		Nodes:   []autoscaler.Node{mknode(t, small, "small-1")},
		Pending: []autoscaler.PendingPod{{Pod: mkpod(t, "shop/batch", "8", "8Gi"), Created: t0}},
	}
	opts := autoscaler.DefaultOptions()
	_, res := autoscaler.Step(groups, opts, st, obs, now, rng())
	require.NotNil(t, res.ScaleUp)
	assert.Equal(t, "big", res.ScaleUp.Group)
	assert.Empty(t, res.Deleted)
	assert.Equal(t, "in cooldown: --scale-down-delay-after-add", res.ScaleDownSkipped)

	opts.ScaleDownDelayAfterAdd = 0
	_, res = autoscaler.Step(groups, opts, st, obs, now, rng())
	require.NotNil(t, res.ScaleUp)
	require.Len(t, res.Deleted, 1)
	assert.Equal(t, "small-1", res.Deleted[0].Node)
}

// A run of loops gives byte-identical results whether run alone or in
// eight goroutines at once: no shared state, no clock, only the seed.
func TestSameResultsInParallel(t *testing.T) {
	g := group("pool", 1, 8, "4", "16Gi", 0)
	g.Provision = autoscaler.Delay{Min: time.Minute, Max: 4 * time.Minute}
	runOnce := func() string {
		r := rand.New(rand.NewPCG(99, 1))
		obs := autoscaler.Observation{Nodes: busyPool(t, g)}
		for i := 0; i < 6; i++ {
			obs.Pending = append(obs.Pending, autoscaler.PendingPod{Pod: mkpod(t, fmt.Sprintf("shop/ws-%d", i), "2", "1Gi"), Created: t0})
		}
		var st autoscaler.State
		out := ""
		for s := 0; s < 600; s += 5 {
			var res autoscaler.Result
			st, res = autoscaler.Step([]autoscaler.NodeGroup{g}, autoscaler.DefaultOptions(), st, obs, t0.Add(time.Duration(s)*time.Second), r)
			b, err := json.Marshal(res)
			require.NoError(t, err)
			out += fmt.Sprintf("%d %s\n", s, b)
		}
		return out
	}
	want := runOnce()
	got := make([]string, 8)
	done := make(chan int)
	for w := range got {
		go func() { got[w] = runOnce(); done <- w }()
	}
	for range got {
		<-done
	}
	for _, g := range got {
		assert.Equal(t, want, g)
	}
}
