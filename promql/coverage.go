package promql

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/autoscale-sim/autoscale-sim/internal/closest"
)

// Unmatched returns the vector selectors of query (those of range
// selectors and subqueries included) that match no series the store has
// ever held, in the order they appear. A query whose selectors match
// nothing answers from no data at all: `sum(x)` is empty, `sum(x) or
// vector(0)` a constant 0, and an autoscaler reading either would be
// simulated on nothing.
func (s *Store) Unmatched(query string) ([]string, error) {
	expr, err := parser.NewParser(parser.Options{}).ParseExpr(query)
	if err != nil {
		return nil, locate(query, 0, err)
	}
	var out []string
	parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		if !s.anyMatch(vs.LabelMatchers) {
			out = append(out, selectorString(vs))
		}
		return nil
	})
	return out, nil
}

// Selected returns the label sets of every series the store has ever
// held that some vector selector of query matches.
func (s *Store) Selected(query string) ([]Labels, error) {
	expr, err := parser.NewParser(parser.Options{}).ParseExpr(query)
	if err != nil {
		return nil, locate(query, 0, err)
	}
	seen := map[*series]bool{}
	var out []Labels
	parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		for _, sr := range s.series {
			if !seen[sr] && matches(sr.lbls, vs.LabelMatchers) {
				seen[sr] = true
				out = append(out, fromPromLabels(sr.lbls))
			}
		}
		return nil
	})
	return out, nil
}

// SeriesBetween returns the label sets of the series that match a series
// selector (as /api/v1/series takes it in match[]) and have a sample in
// [from, to], sorted.
func (s *Store) SeriesBetween(selector string, from, to time.Time) ([]Labels, error) {
	ms, err := parser.NewParser(parser.Options{}).ParseMetricSelector(selector)
	if err != nil {
		return nil, locate(selector, 0, err)
	}
	mint, maxt := from.UnixMilli(), to.UnixMilli()
	var found []*series
	for _, sr := range s.series {
		n := len(sr.ts)
		if n == 0 || sr.ts[n-1] < mint || sr.ts[0] > maxt || !matches(sr.lbls, ms) {
			continue
		}
		if lo, hi := window(sr.ts, mint, maxt); lo < hi {
			found = append(found, sr)
		}
	}
	sort.Slice(found, func(i, j int) bool { return labels.Compare(found[i].lbls, found[j].lbls) < 0 })
	out := make([]Labels, len(found))
	for i, sr := range found {
		out[i] = fromPromLabels(sr.lbls)
	}
	return out, nil
}

// Without returns a store holding the series of s for which drop is
// false, sharing their samples: what a query would read if those series
// had never existed.
func (s *Store) Without(drop func(Labels) bool) *Store {
	out := NewStore()
	for _, sr := range s.series {
		if drop(fromPromLabels(sr.lbls)) {
			continue
		}
		name := sr.lbls.Get(labels.MetricName)
		out.series = append(out.series, sr)
		out.byName[name] = append(out.byName[name], sr)
		if !sr.retired {
			out.live = append(out.live, sr)
			out.liveByName[name] = append(out.liveByName[name], sr)
		}
		out.n += len(sr.ts)
		out.appended += len(sr.ts)
	}
	return out
}

// selectorString writes a selector without its offset or @ modifier.
func selectorString(vs *parser.VectorSelector) string {
	c := *vs
	c.OriginalOffset, c.Offset, c.Timestamp, c.StartOrEnd = 0, 0, nil, 0
	return c.String()
}

func (s *Store) anyMatch(ms []*labels.Matcher) bool {
	candidates := s.series
	for _, m := range ms {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			candidates = s.byName[m.Value]
			break
		}
	}
	for _, sr := range candidates {
		if matches(sr.lbls, ms) {
			return true
		}
	}
	return false
}

// Diagnose explains why selector (as Unmatched returns it) matches no
// series: which metric name or label is missing and what the store holds
// instead, with the closest names, so that a typo or a label the
// monitoring stack does not attach can be told at a glance. It returns
// one line per finding, then up to maxSeries of the series that exist.
func (s *Store) Diagnose(selector string, maxSeries int) []string {
	expr, err := parser.NewParser(parser.Options{}).ParseExpr(selector)
	if err != nil {
		return nil
	}
	vs, ok := expr.(*parser.VectorSelector)
	if !ok {
		return nil
	}
	var out []string
	pool := s.series
	name := ""
	for _, m := range vs.LabelMatchers {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			name = m.Value
		}
	}
	if name != "" {
		pool = s.byName[name]
		if len(pool) == 0 {
			names := s.metricNames()
			msg := fmt.Sprintf("no simulated series is named %s", name)
			if c, ok := closest.Match(name, names); ok {
				msg += fmt.Sprintf("; did you mean %s?", c)
			}
			out = append(out, msg)
			if len(names) == 0 {
				return append(out, "no series was scraped at all")
			}
			out = append(out, fmt.Sprintf("the simulated metrics are %s", strings.Join(names, ", ")))
			return append(out, s.sample(s.series, maxSeries)...)
		}
	}
	names := labelNames(pool)
	for _, m := range vs.LabelMatchers {
		if m.Name == labels.MetricName {
			continue
		}
		if !contains(names, m.Name) {
			if m.Matches("") {
				continue // a matcher an absent label satisfies
			}
			msg := fmt.Sprintf("the simulated series%s carry %s; %s is not among them", of(name), strings.Join(names, ", "), m.Name)
			if c, ok := closest.Match(m.Name, names); ok {
				msg += fmt.Sprintf(" (did you mean %s?)", c)
			}
			out = append(out, msg)
			continue
		}
		values := labelValues(pool, m.Name)
		hit := false
		for _, v := range values {
			hit = hit || m.Matches(v)
		}
		if !hit {
			msg := fmt.Sprintf("%s matches no simulated series%s: %s takes the values %s", m, of(name), m.Name, quoteList(values, 8))
			if m.Type == labels.MatchEqual {
				if c, ok := closest.Match(m.Value, values); ok {
					msg += fmt.Sprintf(" (did you mean %q?)", c)
				}
			}
			out = append(out, msg)
		}
	}
	if len(out) == 0 {
		out = append(out, "no single series satisfies all the matchers together")
	}
	return append(out, s.sample(pool, maxSeries)...)
}

func of(name string) string {
	if name == "" {
		return ""
	}
	return " of " + name
}

// sample lists up to n series, sorted, and says how many there are.
func (s *Store) sample(pool []*series, n int) []string {
	if len(pool) == 0 || n <= 0 {
		return nil
	}
	list := make([]string, len(pool))
	for i, sr := range pool {
		list[i] = seriesString(sr.lbls)
	}
	sort.Strings(list)
	out := []string{fmt.Sprintf("series that exist (%d):", len(list))}
	for i, l := range list {
		if i == n {
			out = append(out, fmt.Sprintf("  ... and %d more", len(list)-n))
			break
		}
		out = append(out, "  "+l)
	}
	return out
}

func (s *Store) metricNames() []string {
	out := make([]string, 0, len(s.byName))
	for n := range s.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func labelNames(pool []*series) []string {
	seen := map[string]bool{}
	for _, sr := range pool {
		sr.lbls.Range(func(l labels.Label) {
			if l.Name != labels.MetricName {
				seen[l.Name] = true
			}
		})
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func labelValues(pool []*series, name string) []string {
	seen := map[string]bool{}
	for _, sr := range pool {
		if v := sr.lbls.Get(name); v != "" {
			seen[v] = true
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

func quoteList(vs []string, n int) string {
	var parts []string
	for i, v := range vs {
		if i == n {
			parts = append(parts, fmt.Sprintf("... (%d in all)", len(vs)))
			break
		}
		parts = append(parts, fmt.Sprintf("%q", v))
	}
	return strings.Join(parts, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// seriesString writes a series as it is written in a query: name{labels}.
func seriesString(ls labels.Labels) string {
	var b strings.Builder
	b.WriteString(ls.Get(labels.MetricName))
	b.WriteByte('{')
	first := true
	ls.Range(func(l labels.Label) {
		if l.Name == labels.MetricName {
			return
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		fmt.Fprintf(&b, "%s=%q", l.Name, l.Value)
	})
	b.WriteByte('}')
	return b.String()
}
