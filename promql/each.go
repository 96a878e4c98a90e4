package promql

import (
	"context"
	"math"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// Each calls fn with every series of the store, sorted by labels, and its
// samples in time order (timestamps in milliseconds since the Unix epoch),
// staleness markers left out; it stops at the first error fn returns. It
// reads through the store's storage.Querier, as the engine does.
func (s *Store) Each(ctx context.Context, fn func(l Labels, ts []int64, vs []float64) error) error {
	q, err := s.Querier(math.MinInt64, math.MaxInt64)
	if err != nil {
		return err
	}
	defer q.Close()
	set := q.Select(ctx, true, nil, labels.MustNewMatcher(labels.MatchRegexp, labels.MetricName, ".+"))
	var it chunkenc.Iterator
	for set.Next() {
		sr := set.At()
		it = sr.Iterator(it)
		var ts []int64
		var vs []float64
		for it.Next() == chunkenc.ValFloat {
			t, v := it.At()
			if value.IsStaleNaN(v) {
				continue
			}
			ts, vs = append(ts, t), append(vs, v)
		}
		if err := it.Err(); err != nil {
			return err
		}
		if err := fn(fromPromLabels(sr.Labels()), ts, vs); err != nil {
			return err
		}
	}
	return set.Err()
}
