// Package promql embeds the real Prometheus query engine
// (github.com/prometheus/prometheus/promql, pinned at v0.316.0) over an
// in-memory store fed by the simulator's scrapes. It is the only package
// of the project that imports Prometheus.
//
// # Storage
//
// Store keeps each series as two parallel slices (timestamps, values)
// indexed by metric name; Select binary-searches the query window and the
// iterator's Seek binary-searches forward. The simulator appends in time
// order and queries near the end, which is the best case for slices: at
// 100 series a query costs a third to a sixth of the same query on a TSDB
// head, and appends are about 7x cheaper, with bit-identical results. The
// tsdb package is not imported at all, which also keeps cloud SDKs out of
// the build.
//
// # Engine options
//
// NewEngine sets every option whose zero value breaks queries: Timeout
// (zero times out every query), MaxSamples (zero rejects every query that
// loads a sample), NoStepSubqueryIntervalFn (nil panics on `[5m:]`
// subqueries; Prometheus uses the 1m global evaluation interval), and the
// @ modifier and negative offsets, which Prometheus 3 always enables.
// LookbackDelta defaults to Prometheus' 5m. No Registerer is set, so any
// number of engines can coexist.
//
// # Staleness
//
// Prometheus writes a staleness marker into every series of a target at
// the first scrape that misses it, so a vanished pod stops counting at
// once; without the marker its last value would count for the whole
// lookback delta. AppendStale writes that marker; the engine treats it
// exactly as Prometheus does. rate() is unaffected by markers.
//
// # Series notation
//
// ParseSeriesValues expands promtool's notation with Prometheus' own
// parser: `a+bxn` gives the n+1 values a, a+b, ..., a+n*b; `axn` repeats a
// n+1 times; `_` is one missing sample but `_xn` is exactly n of them (the
// one asymmetry); `stale` is a staleness marker and cannot be repeated.
// Native histograms are rejected.
//
// Results are copied out of the engine before the query is closed, because
// the engine pools and reuses its result slices.
package promql
