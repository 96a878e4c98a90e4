package promql

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/require"
)

// TestCachedQueriesMatchFreshOnes runs a battery of queries many times
// over a store with gaps, staleness markers and samples on the lookback
// boundary, once through an Engine that reuses parsed trees and reads
// only the latest sample of instant selectors, and once through an Engine
// that parses every query and reads whole windows. Every value must be
// identical, bit for bit.
func TestCachedQueriesMatchFreshOnes(t *testing.T) {
	st := NewStore()
	r := rand.New(rand.NewPCG(3, 5))
	for p := 0; p < 6; p++ {
		lbls := Labels{"__name__": "conns", "namespace": "demo", "pod": fmt.Sprintf("p%d", p)}
		ctr := Labels{"__name__": "reqs_total", "namespace": "demo", "pod": fmt.Sprintf("p%d", p)}
		total := 0.0
		for sec := p; sec < 3600; sec += 5 + r.IntN(20) {
			switch {
			case sec > 1200+100*p && sec < 1600+100*p:
				// A gap longer than the lookback.
				continue
			case r.IntN(15) == 0:
				require.NoError(t, st.AppendStale(lbls, at(sec)))
				continue
			}
			require.NoError(t, st.Append(lbls, at(sec), float64(r.IntN(100))+r.Float64()))
			total += float64(r.IntN(10))
			require.NoError(t, st.Append(ctr, at(sec), total))
		}
	}
	// A sample exactly one lookback before an evaluation time.
	require.NoError(t, st.Append(Labels{"__name__": "edge"}, at(1000), 1))
	queries := []string{
		`conns`,
		`sum(conns{namespace="demo"})`,
		`avg by (pod) (conns)`,
		`count(conns)`,
		`max(conns) - min(conns offset 1m)`,
		`sum(conns offset -30s)`,
		`conns @ 1000`,
		`sum(conns @ end())`,
		`timestamp(conns)`,
		`absent(conns{pod="none"})`,
		`sum(rate(reqs_total[2m]))`,
		`max_over_time(sum(conns)[5m:30s])`,
		`edge`,
		`count(edge) or vector(0)`,
		`sum(conns smoothed)`,
		`sum(rate(reqs_total[2m] anchored))`,
		`scalar(sum(conns)) * 2`,
		`topk(2, conns)`,
		`sort_desc(conns)`,
		`label_replace(conns, "x", "$1", "pod", "p(.*)")`,
	}
	fast := NewEngine(EngineOptions{})
	// The slow engine parses every query and never reads single samples.
	slow := newEngine(EngineOptions{}, parser.NewParser(parser.Options{}))
	ctx := context.Background()
	for sec := 0; sec <= 3700; sec += 7 {
		ts := at(sec)
		if sec == 1294 {
			ts = at(1300) // one lookback after the edge sample
		}
		for _, q := range queries {
			want, werr := slow.Instant(ctx, st, q, ts)
			got, gerr := fast.Instant(ctx, st, q, ts)
			require.Equal(t, werr, gerr, q)
			require.Equal(t, want.Type, got.Type, q)
			require.Len(t, got.Samples, len(want.Samples), "%s at %ds", q, sec)
			for i := range want.Samples {
				require.Equal(t, want.Samples[i].Labels, got.Samples[i].Labels, q)
				require.Equal(t, math.Float64bits(want.Samples[i].Value), math.Float64bits(got.Samples[i].Value), "%s at %ds", q, sec)
			}
		}
	}
	for _, q := range queries[:11] {
		require.True(t, fast.parser.lastSampleOnly(q), q)
	}
	require.False(t, fast.parser.lastSampleOnly(`sum(conns smoothed)`))
}

func TestTailSearch(t *testing.T) {
	ts := []int64{1, 3, 3, 5, 8, 13, 21}
	for mint := int64(0); mint < 25; mint++ {
		for maxt := mint - 1; maxt < 25; maxt++ {
			lo, hi := window(ts, mint, maxt)
			wantLo, wantHi := 0, 0
			for wantLo < len(ts) && ts[wantLo] < mint {
				wantLo++
			}
			for wantHi < len(ts) && ts[wantHi] <= maxt {
				wantHi++
			}
			if wantHi < wantLo {
				wantHi = wantLo
			}
			if lo < hi || wantLo < wantHi {
				require.Equal(t, [2]int{wantLo, wantHi}, [2]int{lo, hi}, "mint %d maxt %d", mint, maxt)
			}
		}
	}
}
