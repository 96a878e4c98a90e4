package hpa

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
)

// FormatLabelSelector renders a metric selector, given in its string form
// ("a=b,c in (d,e)"), the way the controller prints a *metav1.LabelSelector
// with %+v (its generated String method), e.g.
// "&LabelSelector{MatchLabels:map[string]string{a: b,},MatchExpressions:[]LabelSelectorRequirement{},}".
// An empty selector is a nil pointer and prints "nil".
func FormatLabelSelector(selector string) string {
	if strings.TrimSpace(selector) == "" {
		return "nil"
	}
	sel := parseSelector(selector)
	var b strings.Builder
	b.WriteString("&LabelSelector{MatchLabels:map[string]string{")
	for _, k := range sel.keys {
		fmt.Fprintf(&b, "%s: %s,", k, sel.labels[k])
	}
	b.WriteString("},MatchExpressions:[]LabelSelectorRequirement{")
	for _, e := range sel.exprs {
		b.WriteString(requirement(e.key, e.op, e.values))
		b.WriteString(",")
	}
	b.WriteString("},}")
	return b.String()
}

// labelSelector is a metav1.LabelSelector read back from its string form.
type labelSelector struct {
	labels map[string]string
	keys   []string // sorted
	exprs  []selectorExpr
}

type selectorExpr struct {
	key, op string
	values  []string
}

func parseSelector(selector string) labelSelector {
	sel := labelSelector{labels: map[string]string{}}
	for _, term := range splitSelector(selector) {
		term = strings.TrimSpace(term)
		switch {
		case term == "":
		case strings.HasPrefix(term, "!"):
			sel.exprs = append(sel.exprs, selectorExpr{strings.TrimSpace(term[1:]), "DoesNotExist", nil})
		case strings.Contains(term, " in (") || strings.Contains(term, " notin ("):
			op, sep := "In", " in ("
			if strings.Contains(term, " notin (") {
				op, sep = "NotIn", " notin ("
			}
			i := strings.Index(term, sep)
			key := strings.TrimSpace(term[:i])
			vals := strings.TrimSuffix(strings.TrimSpace(term[i+len(sep):]), ")")
			var values []string
			for _, v := range strings.Split(vals, ",") {
				if v = strings.TrimSpace(v); v != "" {
					values = append(values, v)
				}
			}
			sel.exprs = append(sel.exprs, selectorExpr{key, op, values})
		case strings.Contains(term, "="):
			i := strings.Index(term, "=")
			k := strings.TrimSpace(term[:i])
			v := strings.TrimSpace(strings.TrimPrefix(term[i+1:], "="))
			if _, dup := sel.labels[k]; !dup {
				sel.keys = append(sel.keys, k)
			}
			sel.labels[k] = v
		default:
			sel.exprs = append(sel.exprs, selectorExpr{term, "Exists", nil})
		}
	}
	sort.Strings(sel.keys)
	return sel
}

// selectorError is the error metav1.LabelSelectorAsSelector returns for
// the selector (nil if it is usable). The API server does not validate
// metric selectors, so an HPA may carry one the controller cannot turn
// into a query; that metric then fails at every sync.
func selectorError(selector string) error {
	if strings.TrimSpace(selector) == "" {
		return nil
	}
	sel := parseSelector(selector)
	for _, k := range sel.keys {
		if _, err := labels.NewRequirement(k, selection.Equals, []string{sel.labels[k]}); err != nil {
			return err
		}
	}
	ops := map[string]selection.Operator{"In": selection.In, "NotIn": selection.NotIn, "Exists": selection.Exists, "DoesNotExist": selection.DoesNotExist}
	for _, e := range sel.exprs {
		if _, err := labels.NewRequirement(e.key, ops[e.op], append([]string(nil), e.values...)); err != nil {
			return err
		}
	}
	return nil
}

func requirement(key, op string, values []string) string {
	return fmt.Sprintf("LabelSelectorRequirement{Key:%s,Operator:%s,Values:%v,}", key, op, values)
}

// splitSelector splits on commas outside parentheses.
func splitSelector(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// FormatMilli renders a milli-unit value as a DecimalSI quantity the way
// kubectl shows metric values: "250m", "5", "15k".
func FormatMilli(v int64) string {
	if v%1000 != 0 {
		return fmt.Sprintf("%dm", v)
	}
	n := v / 1000
	suffixes := []string{"", "k", "M", "G", "T", "P", "E"}
	i := 0
	for n != 0 && n%1000 == 0 && i < len(suffixes)-1 {
		n /= 1000
		i++
	}
	return fmt.Sprintf("%d%s", n, suffixes[i])
}
