package cluster_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/autoscale-sim/autoscale-sim/cluster"
)

func TestFigures(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	nodes := []cluster.Span{
		{Name: "pool-1", Start: at(0)},
		{Name: "pool-2", Start: at(0)},
		{Name: "pool-3", Start: at(0), End: at(20)},
		// pool-4 replaces pool-3 at the same instant: the peak stays 3.
		{Name: "pool-4", Start: at(20), End: at(50)},
		{Name: "pool-5", Start: at(25), End: at(30)},
	}
	end := at(40)
	// 40 + 40 + 20 + 20 (cut at end) + 5 minutes.
	assert.Equal(t, float64(125*60), cluster.Seconds(nodes, end))
	peak, when := cluster.Peak(nodes, end)
	assert.Equal(t, 4, peak)
	assert.Equal(t, at(25), when)
	peak, _ = cluster.Peak(nodes[:4], end)
	assert.Equal(t, 3, peak)
	assert.Zero(t, cluster.Seconds([]cluster.Span{{Start: at(50)}}, end))
}
