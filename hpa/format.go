package hpa

import (
	"fmt"
	"sort"
	"strings"
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
	labels := map[string]string{}
	var keys []string
	var exprs []string
	for _, term := range splitSelector(selector) {
		term = strings.TrimSpace(term)
		switch {
		case term == "":
		case strings.HasPrefix(term, "!"):
			exprs = append(exprs, requirement(strings.TrimSpace(term[1:]), "DoesNotExist", nil))
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
			exprs = append(exprs, requirement(key, op, values))
		case strings.Contains(term, "="):
			i := strings.Index(term, "=")
			k := strings.TrimSpace(term[:i])
			v := strings.TrimSpace(strings.TrimPrefix(term[i+1:], "="))
			if _, dup := labels[k]; !dup {
				keys = append(keys, k)
			}
			labels[k] = v
		default:
			exprs = append(exprs, requirement(term, "Exists", nil))
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("&LabelSelector{MatchLabels:map[string]string{")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s,", k, labels[k])
	}
	b.WriteString("},MatchExpressions:[]LabelSelectorRequirement{")
	for _, e := range exprs {
		b.WriteString(e)
		b.WriteString(",")
	}
	b.WriteString("},}")
	return b.String()
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
