package promql

import (
	"time"

	"github.com/prometheus/prometheus/promql/parser"
)

// Reach is how far back of its evaluation time an instant query of this
// engine can read samples: the lookback delta (instant selectors, and the
// extension of smoothed and anchored range selectors) plus, along the path
// from the query's root to each selector, every offset, range and
// subquery range with its step (a subquery's first step is aligned down
// to a multiple of it). ok is false when the query reaches an absolute
// time (the @ modifier) and so has no bound relative to its evaluation
// time, or does not parse.
func (e *Engine) Reach(query string) (reach time.Duration, ok bool, err error) {
	expr, err := parser.NewParser(parser.Options{}).ParseExpr(query)
	if err != nil {
		return 0, false, locate(query, 0, err)
	}
	lookback := time.Duration(e.lookbackMs) * time.Millisecond
	ok = true
	parser.Inspect(expr, func(n parser.Node, path []parser.Node) error {
		vs, isVS := n.(*parser.VectorSelector)
		if !isVS {
			return nil
		}
		if vs.Timestamp != nil || vs.StartOrEnd != 0 {
			ok = false
			return nil
		}
		r := lookback + max(vs.OriginalOffset, 0)
		for _, a := range path {
			switch a := a.(type) {
			case *parser.MatrixSelector:
				r += a.Range
			case *parser.SubqueryExpr:
				if a.Timestamp != nil || a.StartOrEnd != 0 {
					ok = false
				}
				step := a.Step
				if step == 0 {
					step = time.Minute // the engine's NoStepSubqueryIntervalFn
				}
				r += a.Range + step + max(a.OriginalOffset, 0)
			}
		}
		reach = max(reach, r)
		return nil
	})
	if !ok {
		return 0, false, nil
	}
	return reach, true, nil
}
