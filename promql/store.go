package promql

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

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

// promLabels drops empty values: Prometheus treats an empty label as an
// absent one, and its labels.Builder removes them the same way.
func (l Labels) promLabels() labels.Labels {
	b := labels.NewScratchBuilder(len(l))
	for k, v := range l {
		if v != "" {
			b.Add(k, v)
		}
	}
	b.Sort()
	return b.Labels()
}

// FromLabels converts Prometheus labels to Labels.
func FromLabels(ls labels.Labels) Labels { return fromPromLabels(ls) }

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
//
// A Store is not safe for concurrent use: the simulator appends a scrape,
// then queries, on one goroutine.
type Store struct {
	// series and byName hold every series the store ever held, in
	// creation order, for questions about labels (Unmatched, Selected,
	// Diagnose); live and liveByName only those that may still answer a
	// query, which is what Select and direct evaluation walk.
	series     []*series
	byKey      map[string]*series
	byName     map[string][]*series
	live       []*series
	liveByName map[string][]*series
	// n counts the samples held, appended those ever appended.
	n, appended int
	// retention, when positive, is how far back of the latest sample a
	// query can reach (SetRetention); lastTrim is when samples older
	// than that were last dropped.
	retention, lastTrim int64
	// version changes whenever a series joins or leaves the live ones;
	// matched caches, per direct plan, the live series its matchers
	// select, valid for one version.
	version uint64
	matched map[*directPlan]*matchSet
	// byMatchers is the same for the engine's selectors, whose matchers
	// are parsed anew at each query: keyed by their text.
	byMatchers map[string]*matchSet
	keyBuf     []byte

	// Scratch space for building lookup keys without allocating.
	pairs []labels.Label
	key   []byte
}

type series struct {
	lbls labels.Labels
	ts   []int64
	vs   []float64
	// seq is the creation order; retired says the series left the live
	// ones (its samples were all out of reach).
	seq     int
	retired bool
}

// matchSet is the live series a plan's matchers select.
type matchSet struct {
	version uint64
	list    []*series
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{byKey: map[string]*series{}, byName: map[string][]*series{}, liveByName: map[string][]*series{}}
}

// Series returns the number of series ever held.
func (s *Store) Series() int { return len(s.series) }

// LiveSeries returns the number of series that may still answer a query.
func (s *Store) LiveSeries() int { return len(s.live) }

// Samples returns the number of samples held, staleness markers included.
func (s *Store) Samples() int { return s.n }

// Appended returns the number of samples ever appended: unlike Samples it
// never decreases, so an unchanged count means unchanged data.
func (s *Store) Appended() int { return s.appended }

// SetRetention bounds the samples the store keeps: from then on it drops
// the samples older than d before its latest sample, and the series left
// without any stop being visited by queries. d must cover the furthest
// any query run on the store reaches back from its evaluation time (see
// Reach), and queries must not be evaluated before the latest sample
// appended; then answers are those of a store that keeps everything,
// while memory no longer grows with the duration. Zero keeps every
// sample (the default).
func (s *Store) SetRetention(d time.Duration) {
	s.retention = d.Milliseconds()
}

// trim drops what no query at or after nowMs can reach. It runs when the
// latest sample has moved half a retention since the last trim, so the
// store holds at most one and a half retentions of samples.
func (s *Store) trim(nowMs int64) {
	s.lastTrim = nowMs
	cutoff := nowMs - s.retention
	kept := s.live[:0]
	retired := false
	for _, sr := range s.live {
		n := len(sr.ts)
		if n == 0 || sr.ts[n-1] < cutoff {
			s.n -= n
			sr.ts, sr.vs, sr.retired = nil, nil, true
			retired = true
			continue
		}
		if sr.ts[0] < cutoff {
			k := tailSearch(sr.ts, n, cutoff)
			s.n -= k
			// Moved to the front, so that the arrays are reused
			// rather than outgrown: a series keeps a constant
			// footprint of about one and a half retentions.
			sr.ts = sr.ts[:copy(sr.ts, sr.ts[k:])]
			sr.vs = sr.vs[:copy(sr.vs, sr.vs[k:])]
		}
		kept = append(kept, sr)
	}
	clear(s.live[len(kept):])
	s.live = kept
	if retired {
		for name, list := range s.liveByName {
			k := list[:0]
			for _, sr := range list {
				if !sr.retired {
					k = append(k, sr)
				}
			}
			clear(list[len(k):])
			if len(k) == 0 {
				delete(s.liveByName, name)
				continue
			}
			s.liveByName[name] = k
		}
		s.version++
	}
}

// revive puts a retired series that gets a sample again back among the
// live ones, at its place in creation order.
func (s *Store) revive(sr *series) {
	sr.retired = false
	insert := func(list []*series) []*series {
		i, _ := slices.BinarySearchFunc(list, sr.seq, func(x *series, seq int) int { return x.seq - seq })
		return slices.Insert(list, i, sr)
	}
	s.live = insert(s.live)
	name := sr.lbls.Get(labels.MetricName)
	s.liveByName[name] = insert(s.liveByName[name])
	s.version++
}

// get finds or creates the series of lbls. The key is built in a reused
// buffer so that appending to an existing series does not allocate; labels
// are validated only when a series is created.
func (s *Store) get(lbls Labels) (*series, error) {
	s.pairs = s.pairs[:0]
	for k, v := range lbls {
		if v != "" {
			s.pairs = append(s.pairs, labels.Label{Name: k, Value: v})
		}
	}
	slices.SortFunc(s.pairs, func(a, b labels.Label) int { return strings.Compare(a.Name, b.Name) })
	s.key = s.key[:0]
	for _, l := range s.pairs {
		// Length prefixes keep the key unambiguous whatever bytes the
		// labels hold.
		s.key = binary.AppendUvarint(s.key, uint64(len(l.Name)))
		s.key = append(s.key, l.Name...)
		s.key = binary.AppendUvarint(s.key, uint64(len(l.Value)))
		s.key = append(s.key, l.Value...)
	}
	if sr, ok := s.byKey[string(s.key)]; ok {
		return sr, nil
	}
	for k, v := range lbls {
		if k == "" {
			return nil, fmt.Errorf("series %s has an empty label name", lbls)
		}
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, fmt.Errorf("series %s: labels must be valid UTF-8", lbls)
		}
	}
	name := lbls[labels.MetricName]
	if name == "" {
		return nil, fmt.Errorf("series %s has no metric name", lbls)
	}
	sr := &series{lbls: labels.New(s.pairs...), seq: len(s.series)}
	s.byKey[string(s.key)] = sr
	s.byName[name] = append(s.byName[name], sr)
	s.series = append(s.series, sr)
	s.live = append(s.live, sr)
	s.liveByName[name] = append(s.liveByName[name], sr)
	s.version++
	return sr, nil
}

// Append adds one sample. Timestamps of a series must strictly increase,
// as in a Prometheus TSDB (which rejects out-of-order samples by default).
// Times are kept at millisecond precision, as Prometheus does.
func (s *Store) Append(lbls Labels, t time.Time, v float64) error {
	ref, err := s.Ref(lbls)
	if err != nil {
		return err
	}
	return s.AppendRef(ref, t, v)
}

// SeriesRef names one series of a Store. A scraper that appends to the
// same series every interval looks it up once with Ref and then appends
// by reference, which skips building the label key on every sample.
type SeriesRef struct{ sr *series }

// Ref finds or creates the series with these labels.
func (s *Store) Ref(lbls Labels) (SeriesRef, error) {
	if s == nil || s.byKey == nil {
		return SeriesRef{}, errors.New("promql: Append on a Store not made by NewStore")
	}
	sr, err := s.get(lbls)
	if err != nil {
		return SeriesRef{}, err
	}
	return SeriesRef{sr: sr}, nil
}

// AppendRef adds one sample to the series ref names; ref must come from
// this store's Ref.
func (s *Store) AppendRef(ref SeriesRef, t time.Time, v float64) error {
	sr := ref.sr
	if sr == nil {
		return errors.New("promql: AppendRef with a zero SeriesRef")
	}
	ms := t.UnixMilli()
	if n := len(sr.ts); n > 0 && sr.ts[n-1] >= ms {
		return fmt.Errorf("series %s: sample at %s is not after the previous one at %s",
			sr.lbls.String(), t.UTC().Format(time.RFC3339Nano), time.UnixMilli(sr.ts[n-1]).UTC().Format(time.RFC3339Nano))
	}
	if sr.retired {
		s.revive(sr)
	}
	sr.ts = append(sr.ts, ms)
	sr.vs = append(sr.vs, v)
	s.n++
	s.appended++
	if s.retention > 0 && ms-s.lastTrim >= s.retention/2 {
		s.trim(ms)
	}
	return nil
}

// AppendStaleRef writes a staleness marker by reference.
func (s *Store) AppendStaleRef(ref SeriesRef, t time.Time) error {
	return s.AppendRef(ref, t, math.Float64frombits(value.StaleNaN))
}

// AppendStale writes a staleness marker, as Prometheus' scrape loop does
// at the first scrape that misses a target: the series then ends for
// instant queries at once instead of lingering for the lookback delta.
func (s *Store) AppendStale(lbls Labels, t time.Time) error {
	return s.Append(lbls, t, math.Float64frombits(value.StaleNaN))
}

// Querier implements storage.Queryable.
func (s *Store) Querier(mint, maxt int64) (storage.Querier, error) {
	if s == nil || s.byKey == nil {
		return nil, errors.New("promql: query on a Store not made by NewStore")
	}
	return &querier{s: s, mint: mint, maxt: maxt}, nil
}

type querier struct {
	s          *Store
	mint, maxt int64
	// lastOnly is set for queries whose instant vector selectors read
	// only the latest sample (see lastSampleQueryable).
	lastOnly bool
}

// lastSampleQueryable serves an instant query whose tree the Engine has
// checked (plainInstant): each instant vector selector of such a query is
// evaluated at a single time, and the engine's result then depends only
// on the last sample at or before that time (promql/engine.go
// vectorSelectorSingle: Seek to the evaluation time, else PeekPrev, then
// the lookback and staleness checks). So Select returns just that sample
// instead of the whole lookback window, which spares the engine walking
// about lookback/scrapeInterval samples per series. Matrix selectors
// (hints.Range > 0), subqueries (hints.Step > 0) and info() get the full
// window as before.
type lastSampleQueryable struct{ s *Store }

func (q lastSampleQueryable) Querier(mint, maxt int64) (storage.Querier, error) {
	qr, err := q.s.Querier(mint, maxt)
	if err != nil {
		return nil, err
	}
	qr.(*querier).lastOnly = true
	return qr, nil
}

func (q *querier) Select(_ context.Context, sortSeries bool, hints *storage.SelectHints, ms ...*labels.Matcher) storage.SeriesSet {
	// The hints narrow the window to what the selector needs, as in
	// tsdb/querier.go (blockQuerier.Select).
	mint, maxt := q.mint, q.maxt
	if hints != nil {
		mint, maxt = hints.Start, hints.End
	}
	candidates := q.s.selectedBy(ms)
	lastOnly := q.lastOnly && hints != nil && hints.Range == 0 && hints.Step == 0 && hints.Func != "info"
	// Views are held by value in one slice: one allocation per Select
	// rather than one per series, which matters at a thousand pods.
	var out []seriesView
	for _, sr := range candidates {
		// Series that ended before the window, such as those of pods
		// long gone, are the bulk of a long run with churn: skip them
		// before matching labels.
		if n := len(sr.ts); n == 0 || sr.ts[n-1] < mint {
			continue
		}
		lo, hi := window(sr.ts, mint, maxt)
		if lo >= hi {
			continue
		}
		if lastOnly {
			lo = hi - 1
		}
		if out == nil {
			out = make([]seriesView, 0, len(candidates))
		}
		out = append(out, seriesView{lbls: sr.lbls, ts: sr.ts[lo:hi], vs: sr.vs[lo:hi]})
	}
	if sortSeries {
		slices.SortFunc(out, func(a, b seriesView) int { return labels.Compare(a.lbls, b.lbls) })
	}
	return &seriesSet{list: out, i: -1}
}

// window returns the index range of the timestamps in [mint, maxt].
// Queries mostly ask for the last few minutes of a long series, so the
// search gallops back from the end before bisecting: the cost is in the
// logarithm of the samples after mint, not of the whole series.
func window(ts []int64, mint, maxt int64) (lo, hi int) {
	hi = len(ts)
	if hi > 0 && ts[hi-1] > maxt {
		hi = tailSearch(ts, hi, maxt+1)
	}
	lo = tailSearch(ts, hi, mint)
	return lo, hi
}

// tailSearch returns the first index i < end with ts[i] >= t (end if
// none), searching back from end in doubling steps.
func tailSearch(ts []int64, end int, t int64) int {
	// Invariant: ts[hi] >= t (or hi == end); the answer is in [lo, hi].
	hi, step := end, 1
	lo := end - step
	for lo > 0 && ts[lo] >= t {
		hi = lo
		step *= 2
		lo = end - step
	}
	lo = max(lo, 0)
	return lo + sort.Search(hi-lo, func(i int) bool { return ts[lo+i] >= t })
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
	list []seriesView
	i    int
}

func (ss *seriesSet) Next() bool                        { ss.i++; return ss.i < len(ss.list) }
func (ss *seriesSet) At() storage.Series                { return &ss.list[ss.i] }
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

// The store holds floats only, so Next and Seek never report a histogram
// and the engine never calls these; they return no histogram rather than
// panic.
func (it *sliceIterator) AtHistogram(*histogram.Histogram) (int64, *histogram.Histogram) {
	return it.AtT(), nil
}
func (it *sliceIterator) AtFloatHistogram(*histogram.FloatHistogram) (int64, *histogram.FloatHistogram) {
	return it.AtT(), nil
}
func (it *sliceIterator) AtT() int64  { return it.ts[it.i] }
func (it *sliceIterator) AtST() int64 { return 0 }
func (it *sliceIterator) Err() error  { return nil }

// maxMatcherSets bounds the matcher sets selectedBy remembers.
const maxMatcherSets = 256

// selectedBy returns the live series that match ms, in creation order:
// each series is matched once per change of the live set, however many
// queries select it (the engine parses its queries anew each time, so the
// matchers are recognised by their text).
func (s *Store) selectedBy(ms []*labels.Matcher) []*series {
	s.keyBuf = s.keyBuf[:0]
	for _, m := range ms {
		s.keyBuf = binary.AppendUvarint(s.keyBuf, uint64(m.Type))
		s.keyBuf = binary.AppendUvarint(s.keyBuf, uint64(len(m.Name)))
		s.keyBuf = append(s.keyBuf, m.Name...)
		s.keyBuf = binary.AppendUvarint(s.keyBuf, uint64(len(m.Value)))
		s.keyBuf = append(s.keyBuf, m.Value...)
	}
	if m, ok := s.byMatchers[string(s.keyBuf)]; ok && m.version == s.version {
		return m.list
	}
	candidates := s.live
	for _, m := range ms {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			candidates = s.liveByName[m.Value]
			break
		}
	}
	if s.byMatchers == nil || len(s.byMatchers) >= maxMatcherSets {
		// Rendered queries (prometheus-adapter's pod lists) make new
		// matcher sets as the pods change: start over rather than grow.
		s.byMatchers = map[string]*matchSet{}
	}
	m := s.byMatchers[string(s.keyBuf)]
	if m == nil {
		m = &matchSet{}
		s.byMatchers[string(s.keyBuf)] = m
	}
	m.version, m.list = s.version, m.list[:0]
	for _, sr := range candidates {
		if matches(sr.lbls, ms) {
			m.list = append(m.list, sr)
		}
	}
	return m.list
}
