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
		{"number literal", `42`, 300, []float64{42}},
		{"vector order follows the store", `websocket_connection_count * 2`, 300, []float64{20, 20, 20}},
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
		// Just before the scrape that misses pod 9, all ten count.
		require.Equal(t, []float64{100}, instant(t, e, st, q, 614))
		if marker {
			require.Equal(t, []float64{90}, instant(t, e, st, q, 615))
			require.Equal(t, []float64{9}, instant(t, e, st, `count(websocket_connection_count)`, 615))
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

// TestDeterministic: the same store and queries give identical results,
// instant and range, run after run.
func TestDeterministic(t *testing.T) {
	queries := []string{
		`sum by (pod) (websocket_connection_count)`,
		`websocket_connection_count`,
		`max_over_time(sum(websocket_connection_count)[5m:])`,
		`sum(rate(http_requests_total{job="app"}[2m]))`,
	}
	run := func() string {
		st := podStore(t, 4, 41, 3)
		for s := 0; s <= 40; s++ {
			require.NoError(t, st.Append(Labels{"__name__": "http_requests_total", "job": "app"}, at(15*s), float64(s*s)))
		}
		e := NewEngine(EngineOptions{})
		var out string
		for _, q := range queries {
			for sec := 0; sec <= 600; sec += 45 {
				res, err := e.Instant(context.Background(), st, q, at(sec))
				require.NoError(t, err)
				out += fmt.Sprint(res)
			}
			rng, err := e.Range(context.Background(), st, q, at(0), at(600), 15*time.Second)
			require.NoError(t, err)
			out += fmt.Sprint(rng)
		}
		return out
	}
	require.Equal(t, run(), run())
}

func TestResultTypes(t *testing.T) {
	st := podStore(t, 2, 5, 1)
	e := NewEngine(EngineOptions{})
	tests := []struct {
		query    string
		wantType string
		wantLen  int
	}{
		{`websocket_connection_count`, "vector", 2},
		{`sum(websocket_connection_count)`, "vector", 1},
		{`time()`, "scalar", 1},
		{`websocket_connection_count[1m]`, "matrix", 0},
		{`"hello"`, "string", 0},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			res, err := e.Instant(context.Background(), st, tc.query, at(60))
			require.NoError(t, err)
			require.Equal(t, tc.wantType, res.Type)
			require.Len(t, res.Samples, tc.wantLen)
		})
	}
}

func TestLookbackDelta(t *testing.T) {
	st := podStore(t, 1, 1, 5) // one sample at 0s
	tests := []struct {
		lookback time.Duration
		sec      int
		want     []float64
	}{
		{0, 299, []float64{5}},
		{0, 300, nil}, // the window is (t-lookback, t]
		{time.Minute, 59, []float64{5}},
		{time.Minute, 60, nil},
		{10 * time.Minute, 599, []float64{5}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s at %ds", tc.lookback, tc.sec), func(t *testing.T) {
			e := NewEngine(EngineOptions{LookbackDelta: tc.lookback})
			require.Equal(t, tc.want, instant(t, e, st, `sum(websocket_connection_count)`, tc.sec))
		})
	}
}

func TestEngineErrors(t *testing.T) {
	st := podStore(t, 1, 5, 1)
	ctx := context.Background()
	e := NewEngine(EngineOptions{})
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name    string
		run     func() error
		wantErr string
	}{
		{"syntax error", func() error { _, err := e.Instant(ctx, st, `sum(`, at(0)); return err }, "parse error"},
		{"negative lookback", func() error {
			_, err := NewEngine(EngineOptions{LookbackDelta: -time.Second}).Instant(ctx, st, `1`, at(0))
			return err
		}, "must not be negative"},
		{"zero Engine", func() error { _, err := (&Engine{}).Instant(ctx, st, `1`, at(0)); return err }, "not made by NewEngine"},
		{"nil Store", func() error { _, err := e.Instant(ctx, nil, `up`, at(0)); return err }, "not made by NewStore"},
		{"cancelled context", func() error { _, err := e.Instant(cancelled, st, `up`, at(0)); return err }, "canceled"},
		{"zero step", func() error { _, err := e.Range(ctx, st, `1`, at(0), at(60), 0); return err }, "must be positive"},
		{"end before start", func() error { _, err := e.Range(ctx, st, `1`, at(60), at(0), time.Second); return err }, "before it starts"},
		{"range of a string", func() error { _, err := e.Range(ctx, st, `"s"`, at(0), at(60), time.Second); return err }, "string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorContains(t, tc.run(), tc.wantErr)
		})
	}
	t.Run("nil context is treated as Background", func(t *testing.T) {
		//nolint:staticcheck // a nil context must not panic
		res, err := e.Instant(nil, st, `1`, at(0))
		require.NoError(t, err)
		require.Equal(t, 1.0, res.Samples[0].Value)
	})
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		query                string
		wantOK               bool
		line, column, offset int
	}{
		{query: `sum(rate(http_requests_total{job="x"}[2m]))`, wantOK: true},
		{query: `max_over_time(sum(x)[5m:] @ 100 offset -1m)`, wantOK: true},
		{query: `sum(rate(http_requests_total{job="x"}[2m])`, line: 1, column: 43, offset: 42},
		{query: "sum(\n  foo{)", line: 2, column: 7, offset: 11},
		{query: `foo{pod="é"} +`, line: 1, column: 15, offset: 15},
		{query: `rate(x[5q])`, line: 1, column: 8, offset: 7},
		{query: ``, line: 1, column: 1, offset: 0},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			err := ParseQuery(tc.query)
			if tc.wantOK {
				require.NoError(t, err)
				return
			}
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, tc.query, pe.Query)
			require.Equal(t, [3]int{tc.line, tc.column, tc.offset}, [3]int{pe.Line, pe.Column, pe.Offset}, pe.Msg)
			require.NotEmpty(t, pe.Msg)
			require.Contains(t, pe.Error(), pe.Msg)
		})
	}
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
	errs := []struct {
		in      string
		column  int
		wantMsg string
	}{
		{"stalex3", 1, `unexpected identifier "stalex3"`},
		{"1+2", 4, "unexpected end of input"},
		{"1 x3", 3, `unexpected "x"`},
		{"1x-3", 3, "unexpected <op:->"},
		{"1m", 1, "bad number syntax"},
		{"1 2\n 3 y", 4, `unexpected identifier "y"`}, // line 2
		{`{a="b"} 1`, 1, "unexpected character"},
		{"", 1, "no values"},
		{"  ", 1, "no values"},
		{"_x0", 1, "no values"},
		{"0x99999999999", 3, "expands beyond"},
		{"1 0+1x600000 0x600000", 16, "expands beyond"},
		{"1x99999999999999999999999", 3, "expands beyond"},
		{"{{schema:1 sum:3 count:22 buckets:[5 10 7]}}x2", 1, "native histogram"},
	}
	for _, tc := range errs {
		t.Run("error "+tc.in, func(t *testing.T) {
			_, err := ParseSeriesValues(tc.in)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, tc.column, pe.Column, pe.Msg)
			require.Contains(t, pe.Msg, tc.wantMsg)
			require.Equal(t, tc.in, pe.Query)
			require.LessOrEqual(t, pe.Offset, len(tc.in))
		})
	}
	t.Run("at the limit", func(t *testing.T) {
		got, err := ParseSeriesValues(fmt.Sprintf("0x%d", MaxSeriesValues-1))
		require.NoError(t, err)
		require.Len(t, got, MaxSeriesValues)
	})
}
