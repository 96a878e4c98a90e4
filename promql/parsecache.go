package promql

import (
	"slices"
	"sync"

	"github.com/prometheus/prometheus/promql/parser"
)

// maxCachedQueries bounds the parse cache of one Engine. A simulation
// asks the same few queries thousands of times; a caller with more
// distinct queries than this simply parses the rest every time.
const maxCachedQueries = 256

// cachingParser is the engine's parser.Parser. The engine parses the
// query string of every query (there is no API to hand it an AST) and
// then writes into the tree: PreprocessExpr wraps step-invariant parts and
// resolves @ and offsets, and the evaluator stores the selected series in
// each VectorSelector. So a parsed tree can never be handed out twice;
// instead the cache keeps a pristine tree that the engine never sees and
// returns a deep copy of it, which is several times cheaper than lexing
// and parsing again. Trees holding a node type the copy does not know are
// not cached, and parse errors are never cached.
type cachingParser struct {
	parser.Parser

	mu    sync.Mutex
	exprs map[string]parser.Expr
	// plain holds the cached queries whose instant vector selectors read
	// only their latest sample (see lastSampleQueryable).
	plain map[string]bool
	// direct holds the plans of the cached queries of the direct subset
	// (nil for the others).
	direct map[string]*directPlan
	// tried holds inputs that directPlan parsed without caching (parse
	// errors, trees that are not cloneable), so that it parses them once.
	tried map[string]bool
}

func newCachingParser(p parser.Parser) *cachingParser {
	return &cachingParser{
		Parser: p,
		exprs:  map[string]parser.Expr{},
		plain:  map[string]bool{},
		direct: map[string]*directPlan{},
		tried:  map[string]bool{},
	}
}

// directPlan returns the direct plan of input, parsing and caching it on
// first sight; nil means the engine must answer.
func (p *cachingParser) directPlan(input string) *directPlan {
	p.mu.Lock()
	plan, cached := p.direct[input]
	tried := p.tried[input]
	p.mu.Unlock()
	if cached || tried {
		return plan
	}
	_, _ = p.ParseExpr(input)
	p.mu.Lock()
	defer p.mu.Unlock()
	plan, cached = p.direct[input]
	if !cached && len(p.tried) < maxCachedQueries {
		p.tried[input] = true
	}
	return plan
}

// lastSampleOnly reports whether input, already parsed, is a query whose
// instant vector selectors read only their latest sample: none is
// smoothed or anchored (those read around the evaluation time) and no
// info() call selects series itself. Unknown queries report false.
func (p *cachingParser) lastSampleOnly(input string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.plain[input]
}

func lastSampleOnly(e parser.Expr) bool {
	ok := true
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		switch n := n.(type) {
		case *parser.VectorSelector:
			if n.Smoothed || n.Anchored {
				ok = false
			}
		case *parser.Call:
			if n.Func == nil || n.Func.Name == "info" {
				ok = false
			}
		}
		return nil
	})
	return ok
}

func (p *cachingParser) ParseExpr(input string) (parser.Expr, error) {
	p.mu.Lock()
	cached, ok := p.exprs[input]
	p.mu.Unlock()
	if ok {
		return cloneExpr(cached), nil
	}
	expr, err := p.Parser.ParseExpr(input)
	if err != nil || !cloneable(expr) {
		return expr, err
	}
	// Keep a copy made before the engine touches expr.
	pristine := cloneExpr(expr)
	p.mu.Lock()
	if len(p.exprs) < maxCachedQueries {
		p.exprs[input] = pristine
		p.plain[input] = lastSampleOnly(pristine)
		p.direct[input] = compileDirect(pristine)
	}
	p.mu.Unlock()
	return expr, nil
}

// cloneable reports whether cloneExpr copies every node of e.
func cloneable(e parser.Expr) bool {
	switch n := e.(type) {
	case nil:
		return true
	case *parser.AggregateExpr:
		return cloneable(n.Expr) && cloneable(n.Param)
	case *parser.BinaryExpr:
		return cloneable(n.LHS) && cloneable(n.RHS)
	case *parser.Call:
		for _, a := range n.Args {
			if !cloneable(a) {
				return false
			}
		}
		return true
	case *parser.MatrixSelector:
		return n.RangeExpr == nil && cloneable(n.VectorSelector)
	case *parser.SubqueryExpr:
		return n.RangeExpr == nil && n.OriginalOffsetExpr == nil && n.StepExpr == nil && cloneable(n.Expr)
	case *parser.NumberLiteral, *parser.StringLiteral:
		return true
	case *parser.ParenExpr:
		return cloneable(n.Expr)
	case *parser.UnaryExpr:
		return cloneable(n.Expr)
	case *parser.VectorSelector:
		// Duration expressions (an experimental syntax) are left to the
		// parser; so are selectors the engine has already written into.
		return n.OriginalOffsetExpr == nil && n.Series == nil && n.UnexpandedSeriesSet == nil
	}
	return false
}

// cloneExpr deep-copies a tree for which cloneable holds: every node and
// every slice or pointer the engine may write through is copied; label
// matchers and function definitions, which nothing modifies, are shared.
func cloneExpr(e parser.Expr) parser.Expr {
	switch n := e.(type) {
	case nil:
		return nil
	case *parser.AggregateExpr:
		c := *n
		c.Expr = cloneExpr(n.Expr)
		c.Param = cloneExpr(n.Param)
		c.Grouping = slices.Clone(n.Grouping)
		return &c
	case *parser.BinaryExpr:
		c := *n
		c.LHS = cloneExpr(n.LHS)
		c.RHS = cloneExpr(n.RHS)
		if n.VectorMatching != nil {
			vm := *n.VectorMatching
			vm.MatchingLabels = slices.Clone(vm.MatchingLabels)
			vm.Include = slices.Clone(vm.Include)
			vm.FillValues.LHS = clonePtr(vm.FillValues.LHS)
			vm.FillValues.RHS = clonePtr(vm.FillValues.RHS)
			c.VectorMatching = &vm
		}
		return &c
	case *parser.Call:
		c := *n
		if n.Args != nil {
			c.Args = make(parser.Expressions, len(n.Args))
			for i, a := range n.Args {
				c.Args[i] = cloneExpr(a)
			}
		}
		return &c
	case *parser.MatrixSelector:
		c := *n
		c.VectorSelector = cloneExpr(n.VectorSelector)
		return &c
	case *parser.SubqueryExpr:
		c := *n
		c.Expr = cloneExpr(n.Expr)
		c.Timestamp = clonePtr(n.Timestamp)
		return &c
	case *parser.NumberLiteral:
		c := *n
		return &c
	case *parser.StringLiteral:
		c := *n
		return &c
	case *parser.ParenExpr:
		c := *n
		c.Expr = cloneExpr(n.Expr)
		return &c
	case *parser.UnaryExpr:
		c := *n
		c.Expr = cloneExpr(n.Expr)
		return &c
	case *parser.VectorSelector:
		c := *n
		c.Timestamp = clonePtr(n.Timestamp)
		c.LabelMatchers = slices.Clone(n.LabelMatchers)
		return &c
	}
	panic("promql: cloneExpr on a tree that is not cloneable")
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
