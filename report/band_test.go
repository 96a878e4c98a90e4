package report_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// TestWriteBand: the band of the random-phase WebSocket example draws the
// median over both bands, with a legend naming each, in both formats and
// the same bytes twice.
func TestWriteBand(t *testing.T) {
	sc, err := scenarios.Load("../examples/websocket/scenario-random.yaml")
	require.NoError(t, err)
	d, err := check.RunMany(context.Background(), sc.Spec, 40, 2, nil, nil, check.Shard{})
	require.NoError(t, err)
	b := d.Band(5 * time.Second)
	for _, format := range []string{"png", "svg"} {
		var first, second bytes.Buffer
		require.NoError(t, report.WriteBand(&first, format, d, b))
		require.NoError(t, report.WriteBand(&second, format, d, b))
		require.Equal(t, first.Bytes(), second.Bytes())
	}
	var svg bytes.Buffer
	require.NoError(t, report.WriteBand(&svg, "svg", d, b))
	root := parseSVG(t, svg.Bytes())
	texts := textsByGroup(root)
	require.Equal(t, []string{"median", "p5 to p95", "min to max"}, texts["panel band/legend"])
	require.Contains(t, texts["heading"], "40 runs · seeds 1 to 40 · 20m each")
	groups := map[string]bool{}
	walk(root, nil, func(n svgNode, gs []string) {
		for _, g := range gs {
			groups[g] = true
		}
	})
	for _, g := range []string{"band min-max", "band p5-p95", "series median"} {
		require.True(t, groups[g], "no group %q", g)
	}
	require.Error(t, report.WriteBand(&svg, "svg", d, check.Band{}))
	require.Error(t, report.WriteBand(&svg, "gif", d, b))
}
