package promql

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/require"
)

// directQueries are in the direct subset: each must compile to a plan.
var directQueries = []string{
	`sum(g)`,
	`sum(g{pod=~"p[0-3]"})`,
	`sum by () (g)`,
	`sum((g))`,
	`avg(g)`,
	`min(g)`,
	`max(g{namespace="demo"})`,
	`count(g)`,
	`sum(g) * 300`,
	`300 * sum(g)`,
	`(sum(g) - 2) / 0.1`,
	`1 / avg(g)`,
	`10 - (count(g) + 0.5) * 3`,
	`sum(g) / 0`,
	`sum({__name__="g", pod!="p1"})`,
	`sum({__name__=~"g|h"})`,
	`avg(big)`,
	`sum(big) / 1e300`,
	`max(none)`,
	`sum(none) + 1`,
}

// engineQueries are outside the subset and must go to the engine.
var engineQueries = []string{
	`g`,
	`sum by (pod) (g)`,
	`sum without (pod) (g)`,
	`sum(g offset 1m)`,
	`sum(g @ 100)`,
	`sum(g smoothed)`,
	`sum(rate(g[1m]))`,
	`topk(1, g)`,
	`sum(g) > 3`,
	`sum(g) > bool 3`,
	`sum(g) % 7`,
	`sum(g) ^ 2`,
	`sum(g) + sum(g)`,
	`-sum(g)`,
	`1 + 2`,
	`sum(g) * (1 + 2)`,
	`stddev(g)`,
	`quantile(0.5, g)`,
}

// directStore holds gauges with the cases the engine treats specially:
// gaps longer than the lookback, staleness markers, NaN, infinities,
// negative values, a series that starts late, samples exactly one lookback
// before an evaluation time, and values whose sum overflows (the switch to
// an incremental mean in avg).
func directStore(t testing.TB, seed uint64) *Store {
	st := NewStore()
	r := rand.New(rand.NewPCG(seed, 11))
	for p := 0; p < 8; p++ {
		lbls := Labels{"__name__": "g", "namespace": "demo", "pod": fmt.Sprintf("p%d", p)}
		for ms := int64(p*700 + r.IntN(3000)); ms < 3_600_000; ms += int64(1000 + r.IntN(30_000)) {
			var v float64
			switch k := r.IntN(40); {
			case ms > int64(1_000_000+200_000*p) && ms < int64(1_400_000+200_000*p):
				continue // a gap longer than the lookback
			case k == 0:
				v = math.Float64frombits(value.StaleNaN)
			case k == 1:
				v = math.NaN()
			case k == 2:
				v = math.Inf(1 - 2*r.IntN(2))
			case k < 8:
				v = -r.Float64() * 1e3
			default:
				v = float64(r.IntN(200)) + r.Float64()
			}
			require.NoError(t, st.Append(lbls, time.UnixMilli(ms), v))
		}
	}
	for p := 0; p < 3; p++ {
		lbls := Labels{"__name__": "h", "pod": fmt.Sprintf("p%d", p)}
		for s := 1800; s < 3600; s += 15 {
			require.NoError(t, st.Append(lbls, at(s), float64(s%97)))
		}
	}
	for p := 0; p < 4; p++ {
		lbls := Labels{"__name__": "big", "pod": fmt.Sprintf("p%d", p)}
		for s := 0; s < 3600; s += 15 {
			require.NoError(t, st.Append(lbls, at(s), math.MaxFloat64/float64(1+r.IntN(3))))
		}
	}
	return st
}

// TestDirectMatchesEngine evaluates every query of the direct subset at
// thousands of instants, directly and through the Prometheus engine, and
// requires the same result type, labels and value bits.
func TestDirectMatchesEngine(t *testing.T) {
	ctx := context.Background()
	for _, lookback := range []time.Duration{0, 37 * time.Second} {
		for seed := uint64(1); seed <= 2; seed++ {
			st := directStore(t, seed)
			direct := NewEngine(EngineOptions{LookbackDelta: lookback})
			engine := NewEngine(EngineOptions{LookbackDelta: lookback, Evaluation: EngineOnly})
			compared := 0
			for ms := int64(-1000); ms <= 3_700_000; ms += 2999 {
				ts := time.UnixMilli(ms)
				for _, q := range directQueries {
					want, err := engine.Instant(ctx, st, q, ts)
					require.NoError(t, err, q)
					got, err := direct.Instant(ctx, st, q, ts)
					require.NoError(t, err, q)
					require.True(t, sameResult(want, got), "%s at %dms (lookback %s): engine %v, direct %v", q, ms, lookback, want.Samples, got.Samples)
					if len(want.Samples) > 0 {
						compared++
					}
				}
			}
			// The comparison covered non-empty answers, not only empty ones.
			require.Greater(t, compared, 15_000)
		}
	}
}

// TestDirectAtSampleBoundaries evaluates at each sample's time, one
// millisecond either side and one lookback later, where the engine's
// window edges are.
func TestDirectAtSampleBoundaries(t *testing.T) {
	ctx := context.Background()
	st := directStore(t, 7)
	direct := NewEngine(EngineOptions{})
	engine := NewEngine(EngineOptions{Evaluation: EngineOnly})
	var times []int64
	for _, sr := range st.byName["g"][:2] {
		for _, ts := range sr.ts[:120] {
			lb := int64(5 * time.Minute / time.Millisecond)
			times = append(times, ts-1, ts, ts+1, ts+lb-1, ts+lb, ts+lb+1)
		}
	}
	for _, ms := range times {
		for _, q := range []string{`sum(g)`, `avg(g)`, `count(g)`, `max(g)`} {
			want, err := engine.Instant(ctx, st, q, time.UnixMilli(ms))
			require.NoError(t, err)
			got, err := direct.Instant(ctx, st, q, time.UnixMilli(ms))
			require.NoError(t, err)
			require.True(t, sameResult(want, got), "%s at %dms: engine %v, direct %v", q, ms, want.Samples, got.Samples)
		}
	}
}

func TestDirectSubset(t *testing.T) {
	p := parser.NewParser(parser.Options{})
	for _, q := range directQueries {
		e, err := p.ParseExpr(q)
		require.NoError(t, err, q)
		require.NotNil(t, compileDirect(e), q)
	}
	for _, q := range engineQueries {
		e, err := p.ParseExpr(q)
		require.NoError(t, err, q)
		require.Nil(t, compileDirect(e), q)
	}
}

// TestEvaluationModes checks that EngineOnly and CrossCheck give the
// default mode's answers, that an unknown mode is refused, and that
// queries outside the subset and bad queries behave alike in all modes.
func TestEvaluationModes(t *testing.T) {
	ctx := context.Background()
	st := directStore(t, 2)
	modes := map[Evaluation]*Engine{}
	for _, m := range []Evaluation{Direct, EngineOnly, CrossCheck} {
		modes[m] = NewEngine(EngineOptions{Evaluation: m})
	}
	queries := append(append([]string{}, directQueries...), engineQueries...)
	queries = append(queries, `sum(g`, `sum(nosuchfunc(g))`)
	for _, q := range queries {
		for _, sec := range []int{0, 300, 1234, 3599} {
			want, wantErr := modes[EngineOnly].Instant(ctx, st, q, at(sec))
			for _, m := range []Evaluation{Direct, CrossCheck} {
				got, err := modes[m].Instant(ctx, st, q, at(sec))
				if wantErr != nil {
					require.EqualError(t, err, wantErr.Error(), q)
					continue
				}
				require.NoError(t, err, q)
				require.True(t, sameResult(want, got), "%s in mode %d: %v vs %v", q, m, want.Samples, got.Samples)
			}
		}
	}
	_, err := NewEngine(EngineOptions{Evaluation: 7}).Instant(ctx, st, `sum(g)`, at(0))
	require.EqualError(t, err, "promql: unknown evaluation mode 7")
}

func TestSameResult(t *testing.T) {
	one := Result{Type: "vector", Samples: []Sample{{Labels: Labels{}, Value: 1}}}
	nan := Result{Type: "vector", Samples: []Sample{{Labels: Labels{}, Value: math.NaN()}}}
	for _, c := range []struct {
		name string
		a, b Result
		same bool
	}{
		{"equal", one, Result{Type: "vector", Samples: []Sample{{Labels: Labels{}, Value: 1}}}, true},
		{"NaN equals the same NaN", nan, nan, true},
		{"value", one, Result{Type: "vector", Samples: []Sample{{Labels: Labels{}, Value: math.Nextafter(1, 2)}}}, false},
		{"negative zero", Result{Type: "vector", Samples: []Sample{{Labels: Labels{}, Value: math.Copysign(0, -1)}}},
			Result{Type: "vector", Samples: []Sample{{Labels: Labels{}, Value: 0}}}, false},
		{"type", one, Result{Type: "scalar", Samples: one.Samples}, false},
		{"labels", one, Result{Type: "vector", Samples: []Sample{{Labels: Labels{"a": "b"}, Value: 1}}}, false},
		{"length", one, Result{Type: "vector", Samples: []Sample{}}, false},
		{"empty versus nil", Result{Type: "vector", Samples: []Sample{}}, Result{Type: "vector"}, false},
	} {
		require.Equal(t, c.same, sameResult(c.a, c.b), c.name)
	}
}

// FuzzDirect compares direct and engine evaluation on stores built from
// fuzzed values and times, for each query of the direct subset.
func FuzzDirect(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, uint16(40), uint8(0))
	f.Add([]byte{0xff, 0xf0, 0, 0, 0, 0, 0, 0, 0x7f, 0xf0, 0, 0, 0, 0, 0, 1}, uint16(300), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, at uint16, pick uint8) {
		st := NewStore()
		// Each 9 bytes: a series (0-3), a time step and a float64.
		ms := map[int]int64{}
		for len(data) >= 9 {
			s := int(data[0] % 4)
			ms[s] += 1 + int64(data[0]/4)*250
			v := math.Float64frombits(uint64(data[1]) | uint64(data[2])<<8 | uint64(data[3])<<16 | uint64(data[4])<<24 |
				uint64(data[5])<<32 | uint64(data[6])<<40 | uint64(data[7])<<48 | uint64(data[8])<<56)
			lbls := Labels{"__name__": "g", "pod": fmt.Sprint(s)}
			if err := st.Append(lbls, time.UnixMilli(ms[s]), v); err != nil {
				t.Fatal(err)
			}
			data = data[9:]
		}
		q := directQueries[int(pick)%len(directQueries)]
		ts := time.UnixMilli(int64(at) * 100)
		ctx := context.Background()
		want, err := NewEngine(EngineOptions{Evaluation: EngineOnly}).Instant(ctx, st, q, ts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := NewEngine(EngineOptions{}).Instant(ctx, st, q, ts)
		if err != nil {
			t.Fatal(err)
		}
		if !sameResult(want, got) {
			t.Fatalf("%s at %s: engine %v, direct %v", q, ts, want.Samples, got.Samples)
		}
	})
}
