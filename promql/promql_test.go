package promql

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var epoch = time.Unix(0, 0).UTC()

func at(sec int) time.Time { return epoch.Add(time.Duration(sec) * time.Second) }

// podStore holds n pods of websocket_connection_count, value v each,
// scraped every 15s for `scrapes` scrapes.
func podStore(t testing.TB, n, scrapes int, v float64) *Store {
	st := NewStore()
	for s := 0; s < scrapes; s++ {
		for p := 0; p < n; p++ {
			lbls := Labels{"__name__": "websocket_connection_count", "namespace": "demo", "job": "app", "pod": fmt.Sprintf("ws-%d", p)}
			require.NoError(t, st.Append(lbls, at(15*s), v))
		}
	}
	return st
}

func instant(t *testing.T, e *Engine, st *Store, q string, sec int) []float64 {
	t.Helper()
	res, err := e.Instant(context.Background(), st, q, at(sec))
	require.NoError(t, err)
	var out []float64
	for _, s := range res.Samples {
		out = append(out, s.Value)
	}
	return out
}

func TestStoreAppendOrder(t *testing.T) {
	st := NewStore()
	l := Labels{"__name__": "x"}
	require.NoError(t, st.Append(l, at(0), 1))
	require.NoError(t, st.Append(l, at(15), 2))
	err := st.Append(l, at(15), 3)
	require.ErrorContains(t, err, "is not after the previous one")
	require.ErrorContains(t, st.Append(Labels{"pod": "a"}, at(0), 1), "has no metric name")
	require.Equal(t, 1, st.Series())
	require.Equal(t, 2, st.Samples())
}

func TestInstantQueries(t *testing.T) {
	st := podStore(t, 3, 41, 10)
	for s := 0; s <= 40; s++ {
		for p := 0; p < 2; p++ {
			lbls := Labels{"__name__": "http_requests_total", "job": "app", "pod": fmt.Sprintf("ws-%d", p)}
			require.NoError(t, st.Append(lbls, at(15*s), float64(15*s*(p+1))))
		}
	}
	e := NewEngine(EngineOptions{})
	tests := []struct {
		name  string
		query string
		sec   int
		want  []float64
	}{
		{"sum of a gauge", `sum(websocket_connection_count{namespace="demo"})`, 300, []float64{30}},
		{"equality matcher", `websocket_connection_count{pod="ws-1"}`, 300, []float64{10}},
		{"negative matcher", `count(websocket_connection_count{pod!="ws-1"})`, 300, []float64{2}},
		{"regex matcher", `count(websocket_connection_count{pod=~"ws-[01]"})`, 300, []float64{2}},
		{"negative regex matcher", `count(websocket_connection_count{pod!~"ws-[01]"})`, 300, []float64{1}},
		{"rate of counters", `sum(rate(http_requests_total{job="app"}[2m]))`, 300, []float64{3}},
		{"no match is empty", `sum(nothing_here)`, 300, nil},
		{"step-less subquery", `max_over_time(sum(websocket_connection_count)[5m:])`, 300, []float64{30}},
		{"@ modifier", `sum(http_requests_total @ 150)`, 600, []float64{450}},
		{"negative offset", `sum(http_requests_total offset -1m)`, 300, []float64{(360 + 720)}},
		{"lookback: last sample within 5m", `sum(websocket_connection_count)`, 600 + 299, []float64{30}},
		{"lookback: gone after 5m", `sum(websocket_connection_count)`, 600 + 301, nil},
		{"scalar", `scalar(sum(websocket_connection_count))`, 300, []float64{30}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := instant(t, e, st, tc.query, tc.sec)
			require.Len(t, got, len(tc.want))
			require.InDeltaSlice(t, tc.want, got, 1e-9)
		})
	}
}

// TestStaleness: with a marker a stopped pod stops counting at once;
// without one it lingers for the lookback delta, as in Prometheus.
func TestStaleness(t *testing.T) {
	e := NewEngine(EngineOptions{})
	for _, marker := range []bool{true, false} {
		st := podStore(t, 10, 41, 10)
		gone := Labels{"__name__": "websocket_connection_count", "namespace": "demo", "job": "app", "pod": "ws-9"}
		// Pods 0-8 keep being scraped after 600s; pod 9 does not.
		for s := 41; s <= 80; s++ {
			for p := 0; p < 9; p++ {
				lbls := Labels{"__name__": "websocket_connection_count", "namespace": "demo", "job": "app", "pod": fmt.Sprintf("ws-%d", p)}
				require.NoError(t, st.Append(lbls, at(15*s), 10))
			}
			if s == 41 && marker {
				require.NoError(t, st.AppendStale(gone, at(15*s)))
			}
		}
		q := `sum(websocket_connection_count)`
		if marker {
			require.Equal(t, []float64{90}, instant(t, e, st, q, 615))
		} else {
			require.Equal(t, []float64{100}, instant(t, e, st, q, 615))
			require.Equal(t, []float64{100}, instant(t, e, st, q, 600+299))
			require.Equal(t, []float64{90}, instant(t, e, st, q, 600+300))
		}
	}
}

// TestResultsAreCopies: the engine pools result slices; a result must not
// change when later queries run.
func TestResultsAreCopies(t *testing.T) {
	st := podStore(t, 5, 41, 7)
	e := NewEngine(EngineOptions{})
	first, err := e.Instant(context.Background(), st, `websocket_connection_count`, at(300))
	require.NoError(t, err)
	snapshot := fmt.Sprint(first)
	for i := 0; i < 20; i++ {
		_, err := e.Instant(context.Background(), st, `websocket_connection_count * 3`, at(15*i))
		require.NoError(t, err)
		_, err = e.Range(context.Background(), st, `websocket_connection_count * 5`, at(0), at(600), 15*time.Second)
		require.NoError(t, err)
	}
	require.Equal(t, snapshot, fmt.Sprint(first))
}

// TestRangeMatchesInstant: one range query gives bit-identical values to
// an instant query at every step.
func TestRangeMatchesInstant(t *testing.T) {
	st := NewStore()
	for s := 0; s <= 80; s++ {
		require.NoError(t, st.Append(Labels{"__name__": "c", "pod": "a"}, at(15*s), math.Floor(float64(s*s)/3)))
	}
	e := NewEngine(EngineOptions{})
	q := `rate(c[2m])`
	rng, err := e.Range(context.Background(), st, q, at(120), at(1200), 15*time.Second)
	require.NoError(t, err)
	require.Len(t, rng, 1)
	require.Len(t, rng[0].Points, (1200-120)/15+1)
	for _, p := range rng[0].Points {
		got := instant(t, e, st, q, int(p.T.Sub(epoch)/time.Second))
		require.Equal(t, []float64{p.V}, got, "at %s", p.T)
	}
}

func TestDeterministic(t *testing.T) {
	run := func() string {
		st := podStore(t, 4, 41, 3)
		e := NewEngine(EngineOptions{})
		res, err := e.Instant(context.Background(), st, `sum by (pod) (websocket_connection_count)`, at(300))
		require.NoError(t, err)
		return fmt.Sprint(res)
	}
	require.Equal(t, run(), run())
}

func TestParseQuery(t *testing.T) {
	require.NoError(t, ParseQuery(`sum(rate(http_requests_total{job="x"}[2m]))`))
	err := ParseQuery(`sum(rate(http_requests_total{job="x"}[2m])`)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, 1, pe.Line)
	require.Greater(t, pe.Column, 1)
	err = ParseQuery("sum(\n  foo{)")
	require.ErrorAs(t, err, &pe)
	require.Equal(t, 2, pe.Line)
}

func TestParseSeriesValues(t *testing.T) {
	type sv = SeriesValue
	v := func(xs ...float64) []sv {
		out := make([]sv, len(xs))
		for i, x := range xs {
			out[i] = sv{Value: x}
		}
		return out
	}
	om := sv{Omitted: true}
	tests := []struct {
		in   string
		want []sv
	}{
		{"1+0x3", v(1, 1, 1, 1)},
		{"1x3", v(1, 1, 1, 1)},
		{"-2+4x3", v(-2, 2, 6, 10)},
		{"1-2x4", v(1, -1, -3, -5, -7)},
		{"+5-1x2", v(5, 4, 3)},
		{"1.5+0.25x2", v(1.5, 1.75, 2)},
		{"3x0", v(3)},
		{"_x3", []sv{om, om, om}},
		{"0x5", v(0, 0, 0, 0, 0, 0)},
		{"10+10x2 30+20x5", v(10, 20, 30, 30, 50, 70, 90, 110, 130)},
		{"1e3 1_000 .5", v(1000, 1000, 0.5)},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSeriesValues(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	t.Run("holes and stale", func(t *testing.T) {
		got, err := ParseSeriesValues("1 _x3 stale")
		require.NoError(t, err)
		require.Len(t, got, 5)
		require.Equal(t, sv{Value: 1}, got[0])
		require.True(t, got[1].Omitted && got[2].Omitted && got[3].Omitted)
		require.True(t, got[4].Stale)
	})
	t.Run("specials", func(t *testing.T) {
		got, err := ParseSeriesValues("Inf -Inf NaN nan")
		require.NoError(t, err)
		require.True(t, math.IsInf(got[0].Value, 1))
		require.True(t, math.IsInf(got[1].Value, -1))
		require.True(t, math.IsNaN(got[2].Value) && math.IsNaN(got[3].Value))
		require.False(t, got[2].Stale)
	})
	for _, bad := range []string{"stalex3", "1+2", "1 x3", "1x-3", "1m"} {
		t.Run("error "+bad, func(t *testing.T) {
			_, err := ParseSeriesValues(bad)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.GreaterOrEqual(t, pe.Column, 1)
			require.LessOrEqual(t, pe.Offset, len(bad))
		})
	}
}

func FuzzParseSeriesValues(f *testing.F) {
	for _, s := range []string{"0+20x10 200x40 _ stale", "1 _x3 stale", "Inf -Inf NaN", "{{schema:1 sum:3 count:22 buckets:[5 10 7]}}x2", "1+2", "stalex3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 256 {
			return
		}
		vals, err := ParseSeriesValues(s)
		if err != nil {
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.LessOrEqual(t, pe.Offset, len(s))
			return
		}
		for _, v := range vals {
			require.False(t, v.Omitted && v.Stale)
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`sum(rate(http_requests_total{job="x"}[2m]))`, `sum(x`, `max_over_time(sum(x)[5m:])`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 512 {
			return
		}
		if err := ParseQuery(s); err != nil {
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
		}
	})
}
