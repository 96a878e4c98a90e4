package promql

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/prometheus/model/value"
	promqlengine "github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/storage"
)

// EngineOptions are the knobs of the embedded engine that a scenario may
// set; every other option is fixed in NewEngine.
type EngineOptions struct {
	// LookbackDelta is how far back an instant query looks for the last
	// sample of a series. Zero means Prometheus' default of 5m; a negative
	// value makes every query fail.
	LookbackDelta time.Duration
	// Evaluation chooses between direct evaluation of simple queries (the
	// default), the engine for everything, and a cross-check of both.
	Evaluation Evaluation
	// MaxSamples overrides the engine's sample limit (default MaxSamples).
	MaxSamples int
}

// LimitError is a query that hit one of the engine's limits (MaxSamples,
// QueryTimeout): the question is too big to answer, which is not an
// answer a trigger could act on.
type LimitError struct {
	Query string
	Err   error
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("the query %s exceeds the engine's limits: %v", excerpt(e.Query), e.Err)
}

func (e *LimitError) Unwrap() error { return e.Err }

// defaultLookbackDelta is Prometheus' --query.lookback-delta default.
const defaultLookbackDelta = 5 * time.Minute

// Engine evaluates PromQL with the real Prometheus engine.
type Engine struct {
	ng         *promqlengine.Engine
	parser     *cachingParser
	lookbackMs int64
	evaluation Evaluation
	err        error // a bad option, reported by every query
}

// NewEngine returns an engine configured as a Prometheus 3 server would
// evaluate queries. Each option is explicit because the zero values of
// promql.EngineOpts break queries (v0.316.0): a zero Timeout times out
// every query, a zero MaxSamples rejects every query that loads a sample,
// a nil NoStepSubqueryIntervalFn panics on `[5m:]` subqueries, and @ and
// negative offsets are off unless enabled.
func NewEngine(opts EngineOptions) *Engine {
	return newEngine(opts, newCachingParser(parser.NewParser(parser.Options{})))
}

// newEngine builds the engine around p; tests pass a cache-less parser to
// compare with.
func newEngine(opts EngineOptions, p parser.Parser) *Engine {
	lookback := opts.LookbackDelta
	var err error
	switch {
	case lookback == 0:
		lookback = defaultLookbackDelta
	case lookback < 0:
		err = fmt.Errorf("promql: lookback delta %s must not be negative", lookback)
		lookback = defaultLookbackDelta
	}
	if opts.Evaluation < Direct || opts.Evaluation > CrossCheck {
		err = fmt.Errorf("promql: unknown evaluation mode %d", opts.Evaluation)
	}
	e := &Engine{
		err:        err,
		lookbackMs: lookback.Milliseconds(),
		evaluation: opts.Evaluation,
		ng: promqlengine.NewEngine(promqlengine.EngineOpts{
			// The limits guard against runaway queries (see limits.go); they
			// never affect values.
			Timeout:       QueryTimeout,
			MaxSamples:    cmpOr(opts.MaxSamples, MaxSamples),
			LookbackDelta: lookback,
			// Prometheus' default global evaluation_interval.
			NoStepSubqueryIntervalFn: func(int64) int64 { return time.Minute.Milliseconds() },
			EnableAtModifier:         true,
			EnableNegativeOffset:     true,
			// Parses each distinct query once (see cachingParser).
			Parser: p,
			// No Registerer: two engines on one registry would panic, and
			// the simulator exports no metrics.
		}),
	}
	e.parser, _ = p.(*cachingParser)
	return e
}

// Sample is one element of a query result.
type Sample struct {
	Labels Labels
	Value  float64
}

// Result is the value of an instant query, copied out of the engine.
type Result struct {
	// Type is "vector", "scalar", "matrix" or "string".
	Type string
	// Samples holds the vector elements in the engine's order; a scalar is
	// one sample without labels. Empty for strings and matrices.
	Samples []Sample
}

// Instant evaluates query at t against st.
func (e *Engine) Instant(ctx context.Context, st *Store, query string, t time.Time) (Result, error) {
	ctx, err := e.check(ctx)
	if err != nil {
		return Result{}, err
	}
	var plan *directPlan
	if st != nil && st.byKey != nil && e.parser != nil && e.evaluation != EngineOnly && ctx.Err() == nil {
		plan = e.parser.directPlan(query)
	}
	if plan != nil && e.evaluation == Direct {
		return evalDirect(plan, st, unixMilli(t), e.lookbackMs), nil
	}
	res, err := e.instant(ctx, st, query, t)
	if plan != nil && err == nil {
		if d := evalDirect(plan, st, unixMilli(t), e.lookbackMs); !sameResult(d, res) {
			return Result{}, fmt.Errorf("promql: cross-check of %q at %s: direct evaluation gave %v, the engine %v",
				query, t.UTC().Format(time.RFC3339Nano), d.Samples, res.Samples)
		}
	}
	return res, err
}

// unixMilli is the engine's conversion of an evaluation time
// (promql/engine.go timeMilliseconds).
func unixMilli(t time.Time) int64 {
	return t.Unix()*1000 + int64(t.Nanosecond())/int64(time.Millisecond)
}

// sameResult compares two results exactly: type, order, labels and the
// bits of every value (so NaN equals NaN only with the same payload).
func sameResult(a, b Result) bool {
	if a.Type != b.Type || len(a.Samples) != len(b.Samples) || (a.Samples == nil) != (b.Samples == nil) {
		return false
	}
	for i := range a.Samples {
		x, y := a.Samples[i], b.Samples[i]
		if math.Float64bits(x.Value) != math.Float64bits(y.Value) || !maps.Equal(x.Labels, y.Labels) || (x.Labels == nil) != (y.Labels == nil) {
			return false
		}
	}
	return true
}

// instant runs query through the Prometheus engine.
func (e *Engine) instant(ctx context.Context, st *Store, query string, t time.Time) (Result, error) {
	var src storage.Queryable = st
	if st != nil && e.parser != nil && e.parser.lastSampleOnly(query) {
		src = lastSampleQueryable{st}
	}
	q, err := e.ng.NewInstantQuery(ctx, src, nil, query, t)
	if err != nil {
		return Result{}, err
	}
	// The engine pools result slices: copy everything before Close.
	defer q.Close()
	res := q.Exec(ctx)
	if res.Err != nil {
		var tooMany promqlengine.ErrTooManySamples
		var timeout promqlengine.ErrQueryTimeout
		if errors.As(res.Err, &tooMany) || errors.As(res.Err, &timeout) {
			return Result{}, &LimitError{Query: query, Err: res.Err}
		}
		return Result{}, res.Err
	}
	switch v := res.Value.(type) {
	case promqlengine.Vector:
		out := Result{Type: "vector", Samples: make([]Sample, 0, len(v))}
		for _, s := range v {
			if s.H != nil {
				return Result{}, fmt.Errorf("query %q returned a histogram, which the simulator does not model", query)
			}
			out.Samples = append(out.Samples, Sample{Labels: fromPromLabels(s.Metric), Value: s.F})
		}
		return out, nil
	case promqlengine.Scalar:
		return Result{Type: "scalar", Samples: []Sample{{Labels: Labels{}, Value: v.V}}}, nil
	case promqlengine.Matrix:
		return Result{Type: "matrix"}, nil
	case promqlengine.String:
		return Result{Type: "string"}, nil
	}
	return Result{}, fmt.Errorf("query %q returned an unexpected %T", query, res.Value)
}

// check reports a bad engine option and substitutes a nil context, which
// the engine would otherwise dereference.
func (e *Engine) check(ctx context.Context) (context.Context, error) {
	if e == nil || e.ng == nil {
		return nil, errors.New("promql: Engine not made by NewEngine")
	}
	if e.err != nil {
		return nil, e.err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return ctx, nil
}

// Point is one sample of a range result.
type Point struct {
	T time.Time
	V float64
}

// Series is one series of a range result.
type Series struct {
	Labels Labels
	Points []Point
}

// Range evaluates query at every step from start to end, as
// /api/v1/query_range does.
func (e *Engine) Range(ctx context.Context, st *Store, query string, start, end time.Time, step time.Duration) ([]Series, error) {
	ctx, err := e.check(ctx)
	if err != nil {
		return nil, err
	}
	if step <= 0 {
		return nil, fmt.Errorf("promql: range query step %s must be positive", step)
	}
	if end.Before(start) {
		return nil, fmt.Errorf("promql: range query ends (%s) before it starts (%s)",
			end.UTC().Format(time.RFC3339Nano), start.UTC().Format(time.RFC3339Nano))
	}
	q, err := e.ng.NewRangeQuery(ctx, st, nil, query, start, end, step)
	if err != nil {
		return nil, err
	}
	defer q.Close()
	res := q.Exec(ctx)
	if res.Err != nil {
		return nil, res.Err
	}
	m, ok := res.Value.(promqlengine.Matrix)
	if !ok {
		return nil, fmt.Errorf("range query %q returned %T", query, res.Value)
	}
	out := make([]Series, 0, len(m))
	for _, s := range m {
		if len(s.Histograms) > 0 {
			return nil, fmt.Errorf("range query %q returned a histogram, which the simulator does not model", query)
		}
		ser := Series{Labels: fromPromLabels(s.Metric), Points: make([]Point, len(s.Floats))}
		for i, p := range s.Floats {
			ser.Points[i] = Point{T: time.UnixMilli(p.T).UTC(), V: p.F}
		}
		out = append(out, ser)
	}
	return out, nil
}

// ParseError locates a problem inside a query or a series notation string.
type ParseError struct {
	// Query is the text that failed to parse: a PromQL query, or the
	// values of a series notation.
	Query string
	// Offset is the byte offset of the problem in Query.
	Offset int
	// Line and Column are 1-based positions within Query; Column counts characters.
	Line, Column int
	Msg          string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
}

// ParseQuery checks a query without running it, so that a scenario can be
// rejected at load time with the position of the mistake.
func ParseQuery(query string) error {
	if len(query) > MaxQueryLength {
		return checkLimits(query, nil)
	}
	expr, err := parser.NewParser(parser.Options{}).ParseExpr(query)
	if err != nil {
		return locate(query, 0, err)
	}
	return checkLimits(query, expr)
}

// CheckSeriesSelector parses a series selector as /api/v1/series takes
// it in match[] (a vector selector without functions or ranges).
func CheckSeriesSelector(sel string) error {
	_, err := parser.NewParser(parser.Options{}).ParseMetricSelector(sel)
	return locate(sel, 0, err)
}

// locate turns a parser error into a *ParseError; shift is subtracted from
// offsets (for inputs the caller prefixed).
func locate(input string, shift int, err error) error {
	if err == nil {
		return nil
	}
	var errs parser.ParseErrors
	var one *parser.ParseErr
	switch {
	case errors.As(err, &errs) && len(errs) > 0:
		one = &errs[0]
	case errors.As(err, &one):
	default:
		return &ParseError{Query: input, Line: 1, Column: 1, Msg: err.Error()}
	}
	off := int(one.PositionRange.Start) - shift
	if off < 0 {
		off = 0
	}
	if off > len(input) {
		off = len(input)
	}
	return newParseError(input, off, one.Err.Error())
}

func newParseError(input string, off int, msg string) *ParseError {
	line, col := 1, 1
	for _, r := range input[:off] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &ParseError{Query: input, Offset: off, Line: line, Column: col, Msg: msg}
}

// SeriesValue is one slot of an expanded series notation.
type SeriesValue struct {
	Value float64
	// Omitted marks "_": no sample in this slot.
	Omitted bool
	// Stale marks "stale": a staleness marker in this slot.
	Stale bool
}

// seriesPrefix is a metric name put in front of the values, because the
// parser reads a whole series description.
const seriesPrefix = "x "

// MaxSeriesValues bounds the expansion of one series notation. The parser
// materialises every slot of `axN` itself, so an unchecked count such as
// `0x99999999999` would exhaust memory before any error could be given.
// A million slots is eleven days at a one-second interval.
const MaxSeriesValues = 1_000_000

// ParseSeriesValues expands promtool's series notation ("0+20x10 200x40 _
// stale") with the Prometheus parser, one entry per slot. Errors are
// *ParseError, located within values. Native histograms are rejected.
func ParseSeriesValues(values string) ([]SeriesValue, error) {
	if err := precheckSeriesValues(values); err != nil {
		return nil, err
	}
	_, seq, err := parser.NewParser(parser.Options{}).ParseSeriesDesc(seriesPrefix + values)
	if err != nil {
		return nil, locate(values, len(seriesPrefix), err)
	}
	if len(seq) == 0 {
		// Only `_x0` or blanks get here: a series with no slot at all is
		// almost certainly a mistake in a scenario.
		return nil, newParseError(values, 0, "series notation has no values")
	}
	out := make([]SeriesValue, len(seq))
	for i, v := range seq {
		switch {
		case v.Histogram != nil:
			return nil, newParseError(values, 0, "native histogram values are not supported")
		case v.Omitted:
			out[i] = SeriesValue{Omitted: true}
		case value.IsStaleNaN(v.Value):
			out[i] = SeriesValue{Stale: true, Value: math.NaN()}
		default:
			out[i] = SeriesValue{Value: v.Value}
		}
	}
	return out, nil
}

// precheckSeriesValues rejects what the parser would accept at great cost:
// native histograms and repetition counts beyond MaxSeriesValues. In the
// value-sequence lexer (promql/parser/lex.go, lexValueSequence) "{{" always
// opens a histogram and a count is the decimal NUMBER right after an "x"
// (generated_parser.y, rule uint), so a byte scan finds both.
func precheckSeriesValues(values string) error {
	if strings.TrimSpace(values) == "" {
		return newParseError(values, 0, "series notation has no values")
	}
	if i := strings.Index(values, "{{"); i >= 0 {
		return newParseError(values, i, "native histogram values are not supported")
	}
	total := uint64(0)
	for i := 0; i < len(values); i++ {
		if values[i] != 'x' {
			continue
		}
		j := i + 1
		for j < len(values) && values[j] >= '0' && values[j] <= '9' {
			j++
		}
		if j == i+1 {
			continue
		}
		n, err := strconv.ParseUint(values[i+1:j], 10, 64)
		if err == nil && n < MaxSeriesValues {
			total += n
		}
		if err != nil || n >= MaxSeriesValues || total >= MaxSeriesValues {
			return newParseError(values, i+1, fmt.Sprintf("repetition %s expands beyond %d values", values[i:j], MaxSeriesValues))
		}
		i = j - 1
	}
	return nil
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
