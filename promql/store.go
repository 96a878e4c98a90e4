package promql

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/util/annotations"
)

// Labels is a set of label pairs; "__name__" holds the metric name.
type Labels map[string]string

// String renders the labels in the series notation, sorted by name.
func (l Labels) String() string { return l.promLabels().String() }

func (l Labels) promLabels() labels.Labels { return labels.FromMap(l) }

func fromPromLabels(ls labels.Labels) Labels {
	out := make(Labels, ls.Len())
	ls.Range(func(l labels.Label) { out[l.Name] = l.Value })
	return out
}

// Store is an in-memory, append-only time-series store that the Prometheus
// engine queries through storage.Queryable. Each series keeps its samples
// in two parallel slices; a query binary-searches its time window. For a
// simulator that appends in time order and queries near the end this is
// several times faster than a TSDB head (see the package documentation).
type Store struct {
	series []*series
	byKey  map[string]*series
	byName map[string][]*series
	n      int
}

type series struct {
	lbls labels.Labels
	ts   []int64
	vs   []float64
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{byKey: map[string]*series{}, byName: map[string][]*series{}}
}

// Series returns the number of series held.
func (s *Store) Series() int { return len(s.series) }

// Samples returns the number of samples held, staleness markers included.
func (s *Store) Samples() int { return s.n }

func (s *Store) get(lbls Labels) (*series, error) {
	pl := lbls.promLabels()
	key := pl.String()
	if sr, ok := s.byKey[key]; ok {
		return sr, nil
	}
	name := pl.Get(labels.MetricName)
	if name == "" {
		return nil, fmt.Errorf("series %s has no metric name", key)
	}
	sr := &series{lbls: pl}
	s.byKey[key] = sr
	s.byName[name] = append(s.byName[name], sr)
	s.series = append(s.series, sr)
	return sr, nil
}

// Append adds one sample. Timestamps of a series must strictly increase,
// as in a Prometheus TSDB (which rejects out-of-order samples by default).
func (s *Store) Append(lbls Labels, t time.Time, v float64) error {
	sr, err := s.get(lbls)
	if err != nil {
		return err
	}
	ms := t.UnixMilli()
	if n := len(sr.ts); n > 0 && sr.ts[n-1] >= ms {
		return fmt.Errorf("series %s: sample at %s is not after the previous one at %s",
			sr.lbls.String(), t.UTC().Format(time.RFC3339Nano), time.UnixMilli(sr.ts[n-1]).UTC().Format(time.RFC3339Nano))
	}
	sr.ts = append(sr.ts, ms)
	sr.vs = append(sr.vs, v)
	s.n++
	return nil
}

// AppendStale writes a staleness marker, as Prometheus' scrape loop does
// at the first scrape that misses a target: the series then ends for
// instant queries at once instead of lingering for the lookback delta.
func (s *Store) AppendStale(lbls Labels, t time.Time) error {
	return s.Append(lbls, t, math.Float64frombits(value.StaleNaN))
}

// Querier implements storage.Queryable.
func (s *Store) Querier(mint, maxt int64) (storage.Querier, error) {
	return &querier{s: s, mint: mint, maxt: maxt}, nil
}

type querier struct {
	s          *Store
	mint, maxt int64
}

func (q *querier) Select(_ context.Context, sortSeries bool, hints *storage.SelectHints, ms ...*labels.Matcher) storage.SeriesSet {
	mint, maxt := q.mint, q.maxt
	if hints != nil {
		mint, maxt = hints.Start, hints.End
	}
	candidates := q.s.series
	for _, m := range ms {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			candidates = q.s.byName[m.Value]
			break
		}
	}
	var out []storage.Series
	for _, sr := range candidates {
		if !matches(sr.lbls, ms) {
			continue
		}
		lo := sort.Search(len(sr.ts), func(i int) bool { return sr.ts[i] >= mint })
		hi := sort.Search(len(sr.ts), func(i int) bool { return sr.ts[i] > maxt })
		if lo >= hi {
			continue
		}
		out = append(out, &seriesView{lbls: sr.lbls, ts: sr.ts[lo:hi], vs: sr.vs[lo:hi]})
	}
	if sortSeries {
		sort.Slice(out, func(i, j int) bool { return labels.Compare(out[i].Labels(), out[j].Labels()) < 0 })
	}
	return &seriesSet{list: out, i: -1}
}

func matches(ls labels.Labels, ms []*labels.Matcher) bool {
	for _, m := range ms {
		if !m.Matches(ls.Get(m.Name)) {
			return false
		}
	}
	return true
}

// The store knows no label index; the engine only needs these for
// metadata APIs, which the simulator does not serve.
func (q *querier) LabelValues(context.Context, string, *storage.LabelHints, ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	return nil, nil, nil
}

func (q *querier) LabelNames(context.Context, *storage.LabelHints, ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	return nil, nil, nil
}

func (q *querier) Close() error { return nil }

type seriesSet struct {
	list []storage.Series
	i    int
}

func (ss *seriesSet) Next() bool                        { ss.i++; return ss.i < len(ss.list) }
func (ss *seriesSet) At() storage.Series                { return ss.list[ss.i] }
func (ss *seriesSet) Err() error                        { return nil }
func (ss *seriesSet) Warnings() annotations.Annotations { return nil }

// seriesView is a window of one series; slices are shared, never copied.
type seriesView struct {
	lbls labels.Labels
	ts   []int64
	vs   []float64
}

func (v *seriesView) Labels() labels.Labels { return v.lbls }

func (v *seriesView) Iterator(it chunkenc.Iterator) chunkenc.Iterator {
	if si, ok := it.(*sliceIterator); ok {
		si.ts, si.vs, si.i = v.ts, v.vs, -1
		return si
	}
	return &sliceIterator{ts: v.ts, vs: v.vs, i: -1}
}

// sliceIterator walks float samples; Seek binary-searches forward.
type sliceIterator struct {
	ts []int64
	vs []float64
	i  int
}

func (it *sliceIterator) Next() chunkenc.ValueType {
	if it.i+1 >= len(it.ts) {
		it.i = len(it.ts)
		return chunkenc.ValNone
	}
	it.i++
	return chunkenc.ValFloat
}

func (it *sliceIterator) Seek(t int64) chunkenc.ValueType {
	if it.i < 0 {
		it.i = 0
	}
	if it.i >= len(it.ts) {
		return chunkenc.ValNone
	}
	if it.ts[it.i] >= t {
		return chunkenc.ValFloat
	}
	rest := it.ts[it.i:]
	it.i += sort.Search(len(rest), func(k int) bool { return rest[k] >= t })
	if it.i >= len(it.ts) {
		return chunkenc.ValNone
	}
	return chunkenc.ValFloat
}

func (it *sliceIterator) At() (int64, float64) { return it.ts[it.i], it.vs[it.i] }
func (it *sliceIterator) AtHistogram(*histogram.Histogram) (int64, *histogram.Histogram) {
	panic("promql: the store holds no histograms")
}
func (it *sliceIterator) AtFloatHistogram(*histogram.FloatHistogram) (int64, *histogram.FloatHistogram) {
	panic("promql: the store holds no histograms")
}
func (it *sliceIterator) AtT() int64  { return it.ts[it.i] }
func (it *sliceIterator) AtST() int64 { return 0 }
func (it *sliceIterator) Err() error  { return nil }
