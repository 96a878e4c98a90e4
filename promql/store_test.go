package promql

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/stretchr/testify/require"
)

// selectStore holds three pods of one gauge and one other metric, sampled
// at 0, 15, ..., 60 s.
func selectStore(t *testing.T) *Store {
	st := NewStore()
	for s := 0; s <= 60; s += 15 {
		for _, pod := range []string{"a-1", "a-2", "b-1"} {
			require.NoError(t, st.Append(Labels{"__name__": "g", "pod": pod}, at(s), float64(s)))
		}
		require.NoError(t, st.Append(Labels{"__name__": "other", "pod": "a-1"}, at(s), -1))
	}
	return st
}

type selected struct {
	pod string
	ts  []int64
}

func doSelect(t *testing.T, st *Store, mint, maxt int64, hints *storage.SelectHints, sortSeries bool, ms ...*labels.Matcher) []selected {
	t.Helper()
	q, err := st.Querier(mint, maxt)
	require.NoError(t, err)
	defer func() { require.NoError(t, q.Close()) }()
	ss := q.Select(context.Background(), sortSeries, hints, ms...)
	var out []selected
	var it chunkenc.Iterator
	for ss.Next() {
		s := ss.At()
		it = s.Iterator(it)
		sel := selected{pod: s.Labels().Get("pod")}
		for it.Next() == chunkenc.ValFloat {
			sel.ts = append(sel.ts, it.AtT())
		}
		out = append(out, sel)
	}
	require.NoError(t, ss.Err())
	return out
}

func TestStoreSelect(t *testing.T) {
	st := selectStore(t)
	name := labels.MustNewMatcher(labels.MatchEqual, "__name__", "g")
	all := []int64{0, 15000, 30000, 45000, 60000}
	tests := []struct {
		name       string
		mint, maxt int64
		hints      *storage.SelectHints
		ms         []*labels.Matcher
		want       []selected
	}{
		{
			name: "whole range, insertion order",
			mint: math.MinInt64, maxt: math.MaxInt64,
			ms:   []*labels.Matcher{name},
			want: []selected{{"a-1", all}, {"a-2", all}, {"b-1", all}},
		},
		{
			name: "bounds are inclusive",
			mint: 15000, maxt: 45000,
			ms:   []*labels.Matcher{name, labels.MustNewMatcher(labels.MatchEqual, "pod", "a-1")},
			want: []selected{{"a-1", []int64{15000, 30000, 45000}}},
		},
		{
			name: "hints override the querier window",
			mint: math.MinInt64, maxt: math.MaxInt64,
			hints: &storage.SelectHints{Start: 16000, End: 30000},
			ms:    []*labels.Matcher{name, labels.MustNewMatcher(labels.MatchEqual, "pod", "b-1")},
			want:  []selected{{"b-1", []int64{30000}}},
		},
		{
			name: "empty window drops the series",
			mint: 61000, maxt: 90000,
			ms: []*labels.Matcher{name},
		},
		{
			name: "not equal",
			mint: 60000, maxt: 60000,
			ms:   []*labels.Matcher{name, labels.MustNewMatcher(labels.MatchNotEqual, "pod", "a-1")},
			want: []selected{{"a-2", []int64{60000}}, {"b-1", []int64{60000}}},
		},
		{
			name: "regex is anchored",
			mint: 60000, maxt: 60000,
			ms:   []*labels.Matcher{name, labels.MustNewMatcher(labels.MatchRegexp, "pod", "a-.")},
			want: []selected{{"a-1", []int64{60000}}, {"a-2", []int64{60000}}},
		},
		{
			name: "negative regex",
			mint: 60000, maxt: 60000,
			ms:   []*labels.Matcher{name, labels.MustNewMatcher(labels.MatchNotRegexp, "pod", "a-.*")},
			want: []selected{{"b-1", []int64{60000}}},
		},
		{
			name: "no name matcher scans every series",
			mint: 0, maxt: 0,
			ms:   []*labels.Matcher{labels.MustNewMatcher(labels.MatchEqual, "pod", "a-1")},
			want: []selected{{"a-1", []int64{0}}, {"a-1", []int64{0}}},
		},
		{
			name: "missing label matches the empty string",
			mint: 0, maxt: 0,
			ms:   []*labels.Matcher{name, labels.MustNewMatcher(labels.MatchEqual, "zone", "")},
			want: []selected{{"a-1", []int64{0}}, {"a-2", []int64{0}}, {"b-1", []int64{0}}},
		},
		{
			name: "unknown metric",
			mint: 0, maxt: 60000,
			ms: []*labels.Matcher{labels.MustNewMatcher(labels.MatchEqual, "__name__", "nope")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, doSelect(t, st, tc.mint, tc.maxt, tc.hints, false, tc.ms...))
		})
	}
}

func TestStoreSelectSorted(t *testing.T) {
	st := NewStore()
	for _, pod := range []string{"c", "a", "b"} {
		require.NoError(t, st.Append(Labels{"__name__": "g", "pod": pod}, at(0), 1))
	}
	got := doSelect(t, st, 0, 0, nil, true, labels.MustNewMatcher(labels.MatchEqual, "__name__", "g"))
	require.Equal(t, []selected{{"a", []int64{0}}, {"b", []int64{0}}, {"c", []int64{0}}}, got)
}

func TestIteratorSeek(t *testing.T) {
	ts := []int64{10, 20, 30, 40}
	vs := []float64{1, 2, 3, 4}
	tests := []struct {
		name   string
		nexts  int // calls to Next before the seeks
		seeks  []int64
		wantT  int64
		wantOK bool
	}{
		{name: "before the first sample", seeks: []int64{5}, wantT: 10, wantOK: true},
		{name: "exact hit", seeks: []int64{30}, wantT: 30, wantOK: true},
		{name: "between samples", seeks: []int64{21}, wantT: 30, wantOK: true},
		{name: "past the end", seeks: []int64{41}, wantOK: false},
		{name: "never moves backwards", nexts: 3, seeks: []int64{10}, wantT: 30, wantOK: true},
		{name: "successive seeks", seeks: []int64{15, 35, 12}, wantT: 40, wantOK: true},
		{name: "exhausted by Next", nexts: 5, seeks: []int64{0}, wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := (&seriesView{ts: ts, vs: vs}).Iterator(nil)
			for i := 0; i < tc.nexts; i++ {
				it.Next()
			}
			var vt chunkenc.ValueType
			for _, s := range tc.seeks {
				vt = it.Seek(s)
			}
			if !tc.wantOK {
				require.Equal(t, chunkenc.ValNone, vt)
				return
			}
			require.Equal(t, chunkenc.ValFloat, vt)
			gotT, gotV := it.At()
			require.Equal(t, tc.wantT, gotT)
			require.Equal(t, float64(tc.wantT/10), gotV)
			require.Equal(t, int64(0), it.AtST())
			// Next continues from the sought sample.
			wantNext := chunkenc.ValFloat
			if tc.wantT == ts[len(ts)-1] {
				wantNext = chunkenc.ValNone
			}
			require.Equal(t, wantNext, it.Next())
		})
	}
	t.Run("reuses the iterator it is given", func(t *testing.T) {
		it := (&seriesView{ts: ts, vs: vs}).Iterator(nil)
		it2 := (&seriesView{ts: ts[:1], vs: vs[:1]}).Iterator(it)
		require.Same(t, it, it2)
		require.Equal(t, chunkenc.ValFloat, it2.Next())
		require.Equal(t, chunkenc.ValNone, it2.Next())
	})
}

func TestStoreAppend(t *testing.T) {
	tests := []struct {
		name    string
		lbls    Labels
		wantErr string
	}{
		{name: "ok", lbls: Labels{"__name__": "x", "pod": "a"}},
		{name: "no metric name", lbls: Labels{"pod": "a"}, wantErr: "has no metric name"},
		{name: "empty metric name", lbls: Labels{"__name__": "", "pod": "a"}, wantErr: "has no metric name"},
		{name: "empty label name", lbls: Labels{"__name__": "x", "": "a"}, wantErr: "empty label name"},
		{name: "invalid UTF-8", lbls: Labels{"__name__": "x", "pod": "\xff"}, wantErr: "valid UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := NewStore().Append(tc.lbls, at(0), 1)
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func TestStoreAppendOrder(t *testing.T) {
	st := NewStore()
	l := Labels{"__name__": "x", "pod": "a"}
	require.NoError(t, st.Append(l, at(0), 1))
	require.NoError(t, st.Append(l, at(15), 2))
	require.ErrorContains(t, st.Append(l, at(15), 3), "is not after the previous one")
	require.ErrorContains(t, st.Append(l, at(10), 3), "is not after the previous one")
	// Sub-millisecond steps collapse onto one Prometheus timestamp.
	require.ErrorContains(t, st.Append(l, at(15).Add(time.Microsecond), 3), "is not after the previous one")
	// An empty label is the same series as an absent one, as in Prometheus.
	require.NoError(t, st.Append(Labels{"__name__": "x", "pod": "a", "zone": ""}, at(30), 4))
	require.NoError(t, st.AppendStale(l, at(45)))
	require.Equal(t, 1, st.Series())
	require.Equal(t, 4, st.Samples())

	var zero Store
	require.Error(t, zero.Append(l, at(0), 1))
	_, err := zero.Querier(0, 1)
	require.Error(t, err)
}

func TestAppendStaleWritesTheMarker(t *testing.T) {
	st := NewStore()
	l := Labels{"__name__": "x"}
	require.NoError(t, st.AppendStale(l, at(0)))
	got := doSelect(t, st, 0, 0, nil, false)
	require.Len(t, got, 1)
	sr := st.series[0]
	require.True(t, value.IsStaleNaN(sr.vs[0]))
}

func TestAppendRef(t *testing.T) {
	st := NewStore()
	lbls := Labels{"__name__": "x", "pod": "a"}
	ref, err := st.Ref(lbls)
	require.NoError(t, err)
	again, err := st.Ref(Labels{"pod": "a", "__name__": "x"})
	require.NoError(t, err)
	require.Equal(t, ref, again, "the same labels name the same series")
	require.NoError(t, st.AppendRef(ref, at(0), 1))
	require.NoError(t, st.Append(lbls, at(15), 2))
	require.NoError(t, st.AppendStaleRef(ref, at(30)))
	require.ErrorContains(t, st.AppendRef(ref, at(30), 3), "is not after")
	require.ErrorContains(t, st.AppendRef(SeriesRef{}, at(45), 3), "zero SeriesRef")
	require.Equal(t, 1, st.Series())
	require.Equal(t, 3, st.Samples())
	_, err = st.Ref(Labels{"pod": "b"})
	require.ErrorContains(t, err, "no metric name")
}

// TestSelectMatchesOncePerLiveSet: the engine's selectors give the same
// series before and after the store learns them, as series come and go,
// and with more matcher sets than the store remembers.
func TestSelectMatchesOncePerLiveSet(t *testing.T) {
	st := NewStore()
	e := NewEngine(EngineOptions{Evaluation: EngineOnly})
	at := time.Unix(1000, 0)
	for i := range 300 {
		pod := fmt.Sprintf("p%03d", i%40)
		require.NoError(t, st.Append(Labels{"__name__": "x", "pod": pod}, at.Add(time.Duration(i)*time.Second), float64(i)))
		q := fmt.Sprintf(`count(x{pod=~"p0.*|%s|q%d"})`, pod, i)
		got, err := e.Instant(context.Background(), st, q, at.Add(time.Duration(i)*time.Second))
		require.NoError(t, err)
		fresh, err := e.Instant(context.Background(), st.Without(func(Labels) bool { return false }), q, at.Add(time.Duration(i)*time.Second))
		require.NoError(t, err)
		require.Equal(t, fresh, got, q)
	}
}
