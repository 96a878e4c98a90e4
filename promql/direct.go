package promql

import (
	"fmt"
	"math"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/util/kahansum"
)

// Evaluation says how an Engine answers instant queries.
type Evaluation int

const (
	// Direct answers the queries of the direct subset (see directPlan)
	// from the store without the engine's per-query setup, and every
	// other query with the engine. It is the default: results are the
	// engine's, bit for bit, and a single-aggregation query costs a few
	// hundred nanoseconds instead of tens of microseconds.
	Direct Evaluation = iota
	// EngineOnly sends every query through the Prometheus engine.
	EngineOnly
	// CrossCheck sends every query through the engine and, for queries of
	// the direct subset, also evaluates them directly; any difference in
	// type, labels or value bits is returned as an error. Tests and
	// doubtful users run scenarios this way.
	CrossCheck
)

// evaluationNames are the names of the modes in scenario files.
var evaluationNames = []string{Direct: "direct", EngineOnly: "engine", CrossCheck: "crossCheck"}

func (e Evaluation) String() string {
	if e >= 0 && int(e) < len(evaluationNames) {
		return evaluationNames[e]
	}
	return fmt.Sprintf("Evaluation(%d)", int(e))
}

// ParseEvaluation reads a mode by its name: direct, engine or crossCheck.
func ParseEvaluation(name string) (Evaluation, error) {
	for i, n := range evaluationNames {
		if n == name {
			return Evaluation(i), nil
		}
	}
	return 0, fmt.Errorf("unsupported value %q; allowed: %s", name, strings.Join(evaluationNames, ", "))
}

// directPlan is an instant query simple enough to evaluate without the
// engine while giving exactly its answer. The subset is what KEDA and
// prometheus-adapter queries on per-pod gauges mostly are:
//
//	agg(selector)            agg one of sum, avg, min, max, count, without grouping
//	agg(selector) op number  op one of + - * /, either side, any nesting, parentheses
//
// where the selector has no offset, no @, and is neither smoothed nor
// anchored. Everything else (grouping, functions, range selectors,
// comparisons, bare selectors) goes to the engine.
type directPlan struct {
	agg      parser.ItemType
	matchers []*labels.Matcher
	// name is the metric name of an equality matcher on __name__, which
	// lets the store look at that metric's series only.
	name string
	// ops are applied to the aggregate, innermost first.
	ops []scalarOp
}

// scalarOp is one vector-scalar arithmetic step: value op k, or k op
// value when left is set.
type scalarOp struct {
	op   parser.ItemType
	k    float64
	left bool
}

// compileDirect returns the plan of e, or nil when e is outside the
// direct subset.
func compileDirect(e parser.Expr) *directPlan {
	var ops []scalarOp
	for {
		switch n := e.(type) {
		case *parser.ParenExpr:
			e = n.Expr
			continue
		case *parser.BinaryExpr:
			if !directArith(n.Op) || n.ReturnBool {
				return nil
			}
			if k, ok := numberLiteral(n.RHS); ok {
				ops = append(ops, scalarOp{op: n.Op, k: k})
				e = n.LHS
				continue
			}
			if k, ok := numberLiteral(n.LHS); ok {
				ops = append(ops, scalarOp{op: n.Op, k: k, left: true})
				e = n.RHS
				continue
			}
			return nil
		case *parser.AggregateExpr:
			p := directAggregate(n)
			if p == nil {
				return nil
			}
			// Collected outermost first; applied innermost first.
			for i := len(ops) - 1; i >= 0; i-- {
				p.ops = append(p.ops, ops[i])
			}
			return p
		}
		return nil
	}
}

func directArith(op parser.ItemType) bool {
	switch op {
	case parser.ADD, parser.SUB, parser.MUL, parser.DIV:
		return true
	}
	return false
}

// numberLiteral unwraps parentheses around a number.
func numberLiteral(e parser.Expr) (float64, bool) {
	for {
		switch n := e.(type) {
		case *parser.ParenExpr:
			e = n.Expr
		case *parser.NumberLiteral:
			return n.Val, true
		default:
			return 0, false
		}
	}
}

func directAggregate(n *parser.AggregateExpr) *directPlan {
	switch n.Op {
	case parser.SUM, parser.AVG, parser.MIN, parser.MAX, parser.COUNT:
	default:
		return nil
	}
	// `by ()` is one group like no clause at all; `without (...)` keeps
	// labels and so makes groups.
	if n.Param != nil || n.Without || len(n.Grouping) > 0 {
		return nil
	}
	inner := n.Expr
	for {
		p, ok := inner.(*parser.ParenExpr)
		if !ok {
			break
		}
		inner = p.Expr
	}
	vs, ok := inner.(*parser.VectorSelector)
	if !ok || vs.OriginalOffset != 0 || vs.Offset != 0 || vs.OriginalOffsetExpr != nil ||
		vs.Timestamp != nil || vs.StartOrEnd != 0 || vs.Smoothed || vs.Anchored ||
		vs.SkipHistogramBuckets || vs.Series != nil || vs.UnexpandedSeriesSet != nil {
		return nil
	}
	p := &directPlan{agg: n.Op, matchers: vs.LabelMatchers}
	for _, m := range vs.LabelMatchers {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			p.name = m.Value
			break
		}
	}
	return p
}

// aggregator folds the selected samples as the engine's aggregation does
// for one group of floats (promql/engine.go, evaluator.aggregation and the
// output loop after it): the first sample initialises the group; sum and
// avg use Kahan-Neumaier compensation (util/kahansum.Inc), and avg turns
// to an incremental mean once the running sum would overflow.
type aggregator struct {
	op          parser.ItemType
	seen        bool
	value, c    float64
	mean        float64
	count       float64
	incremental bool
}

func (a *aggregator) add(f float64) {
	if !a.seen {
		*a = aggregator{op: a.op, seen: true, value: f, mean: f, count: 1}
		return
	}
	switch a.op {
	case parser.SUM:
		a.value, a.c = kahansum.Inc(f, a.value, a.c)
	case parser.AVG:
		a.count++
		if !a.incremental {
			v, c := kahansum.Inc(f, a.value, a.c)
			if !math.IsInf(v, 0) {
				a.value, a.c = v, c
				return
			}
			a.incremental = true
			a.mean = float64(a.value / (a.count - 1))
			a.c = float64(a.c / (a.count - 1))
		}
		q := float64((a.count - 1) / a.count)
		a.mean, a.c = kahansum.Inc(float64(f/a.count), float64(q*a.mean), float64(q*a.c))
	case parser.MAX:
		if a.value < f || math.IsNaN(a.value) {
			a.value = f
		}
	case parser.MIN:
		if a.value > f || math.IsNaN(a.value) {
			a.value = f
		}
	case parser.COUNT:
		a.count++
	}
}

func (a *aggregator) result() float64 {
	switch a.op {
	case parser.SUM:
		return float64(a.value + a.c)
	case parser.AVG:
		if a.incremental {
			return float64(a.mean + a.c)
		}
		return float64(float64(a.value/a.count) + float64(a.c/a.count))
	case parser.COUNT:
		return a.count
	}
	return a.value
}

// apply is the engine's vector-scalar arithmetic (promql/engine.go,
// vectorElemBinop): one rounding per operation.
func (o scalarOp) apply(v float64) float64 {
	l, r := v, o.k
	if o.left {
		l, r = r, l
	}
	switch o.op {
	case parser.ADD:
		return float64(l + r)
	case parser.SUB:
		return float64(l - r)
	case parser.MUL:
		return float64(l * r)
	default:
		return float64(l / r)
	}
}

// evalDirect answers plan at tMs (milliseconds) over st with the given
// lookback, as the engine would: the series are visited in the order
// Select returns them to the engine, and each contributes the value that
// promql/engine.go vectorSelectorSingle would read, that is its last
// sample at or before tMs, unless that sample is a staleness marker or
// no newer than tMs-lookback (the lookback window is open on the left).
func evalDirect(plan *directPlan, st *Store, tMs, lookbackMs int64) Result {
	oldest := tMs - lookbackMs // exclusive
	agg := aggregator{op: plan.agg}
	for _, sr := range st.selected(plan) {
		n := len(sr.ts)
		if n == 0 || sr.ts[n-1] <= oldest || sr.ts[0] > tMs {
			continue
		}
		i := n - 1
		if sr.ts[i] > tMs {
			i = tailSearch(sr.ts, n, tMs+1) - 1
		}
		if sr.ts[i] <= oldest || value.IsStaleNaN(sr.vs[i]) {
			continue
		}
		agg.add(sr.vs[i])
	}
	if !agg.seen {
		return Result{Type: "vector", Samples: []Sample{}}
	}
	v := agg.result()
	for _, o := range plan.ops {
		v = o.apply(v)
	}
	return Result{Type: "vector", Samples: []Sample{{Labels: Labels{}, Value: v}}}
}

// selected returns the live series plan's matchers select, in creation
// order. The labels of a series never change, so each series is matched
// once per change of the live set rather than at every evaluation.
func (s *Store) selected(plan *directPlan) []*series {
	if m, ok := s.matched[plan]; ok && m.version == s.version {
		return m.list
	}
	candidates := s.live
	if plan.name != "" {
		candidates = s.liveByName[plan.name]
	}
	if s.matched == nil {
		s.matched = map[*directPlan]*matchSet{}
	}
	m := s.matched[plan]
	if m == nil {
		m = &matchSet{}
		s.matched[plan] = m
	}
	m.version, m.list = s.version, m.list[:0]
	for _, sr := range candidates {
		if matches(sr.lbls, plan.matchers) {
			m.list = append(m.list, sr)
		}
	}
	return m.list
}
