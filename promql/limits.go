package promql

import (
	"fmt"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"
)

// Limits on what a query may ask for, so that a scenario from a pull
// request cannot make a run take unbounded time or memory. They are
// checked when a scenario is loaded (ParseQuery), with the position of
// the part that is too big.
const (
	// MaxQueryLength is the longest query accepted, in bytes.
	MaxQueryLength = 16 << 10
	// MaxDepth is the deepest nesting of expressions accepted.
	MaxDepth = 128
	// MaxPointsPerSeries bounds the points a subquery evaluates per
	// series: range / step. It is Prometheus' own limit on the points of
	// a range query (web/api/v1/api.go queryRange: "exceeded maximum
	// resolution of 11,000 points per timeseries").
	MaxPointsPerSeries = 11_000
	// MaxSamples is the engine's limit on the samples one query holds in
	// memory (Prometheus' --query.max-samples default).
	MaxSamples = 50_000_000
	// QueryTimeout bounds one query's evaluation; a trigger query that
	// takes this long is far from anything a cluster would run.
	QueryTimeout = 30 * time.Second
)

// checkLimits rejects a parsed query that exceeds the limits.
func checkLimits(query string, expr parser.Expr) error {
	if len(query) > MaxQueryLength {
		return &ParseError{Query: excerpt(query), Line: 1, Column: 1,
			Msg: fmt.Sprintf("the query is %d bytes long; at most %d are accepted", len(query), MaxQueryLength)}
	}
	var err error
	var walk func(n parser.Node, depth int)
	walk = func(n parser.Node, depth int) {
		if err != nil || n == nil {
			return
		}
		if depth > MaxDepth {
			err = newParseError(query, int(n.PositionRange().Start), fmt.Sprintf("expressions nest more than %d deep", MaxDepth))
			return
		}
		if sq, ok := n.(*parser.SubqueryExpr); ok {
			step := sq.Step
			if step == 0 {
				step = time.Minute // the engine's default subquery step (NoStepSubqueryIntervalFn)
			}
			if points := int64(sq.Range / step); points > MaxPointsPerSeries {
				err = newParseError(query, int(sq.PositionRange().Start), fmt.Sprintf("the subquery [%s:%s] evaluates %d points per series; at most %d (Prometheus' limit on points per series) are accepted: use a coarser step",
					model.Duration(sq.Range), model.Duration(step), points, MaxPointsPerSeries))
				return
			}
		}
		for _, c := range parser.Children(n) {
			walk(c, depth+1)
		}
	}
	walk(expr, 0)
	return err
}

func excerpt(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
