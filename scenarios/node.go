package scenarios

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/internal/closest"
)

// Problem is one thing wrong with an input file, located by line and by
// field path, like the messages of `kubectl --validate=strict` and KEDA's
// admission webhook.
type Problem struct {
	File    string
	Line    int
	Path    string
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(":")
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d:", p.Line)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Error lists every problem found in the input, one per line, sorted by
// file and line. Loading never stops at the first problem.
type Error struct {
	Problems []Problem
	// Cause is the run's error the problems locate (see
	// Scenario.LocateError), nil for a load error.
	Cause error
}

// Unwrap returns the located cause, so that errors.As finds it.
func (e *Error) Unwrap() error { return e.Cause }

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// problems collects Problems while a document is walked.
type problems struct {
	file string
	list []Problem
}

func (ps *problems) add(line int, path, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: ps.file, Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sorted := append([]Problem(nil), ps.list...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].File != sorted[j].File {
			return sorted[i].File < sorted[j].File
		}
		return sorted[i].Line < sorted[j].Line
	})
	return &Error{Problems: sorted}
}

// node is a YAML node with the field path that led to it. Every accessor
// reports type errors through ps and returns a zero value, so that a walk
// continues and collects all problems at once.
type node struct {
	n    *yaml.Node
	path string
	ps   *problems
}

func (n node) line() int { return n.n.Line }

func (n node) fail(format string, args ...any) {
	n.ps.add(n.n.Line, n.path, format, args...)
}

func (n node) child(key string, v *yaml.Node) node {
	p := key
	if n.path != "" {
		p = n.path + "." + key
	}
	return node{n: v, path: p, ps: n.ps}
}

func (n node) index(i int, v *yaml.Node) node {
	return node{n: v, path: fmt.Sprintf("%s[%d]", n.path, i), ps: n.ps}
}

func (n node) isNull() bool {
	return n.n.Kind == yaml.ScalarNode && n.n.Tag == "!!null"
}

// kindName names a node kind in user terms.
func kindName(v *yaml.Node) string {
	switch v.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch v.Tag {
	case "!!null":
		return "null"
	case "!!str":
		return fmt.Sprintf("the string %q", v.Value)
	case "!!int", "!!float":
		return "the number " + v.Value
	case "!!bool":
		return "the boolean " + v.Value
	}
	return fmt.Sprintf("%q", v.Value)
}

// fields walks a mapping, calling visit for every key in allowed order of
// appearance, and reports unknown and duplicate keys. allowed lists the
// keys that may appear.
func (n node) fields(allowed []string, visit func(key string, v node)) {
	if n.n.Kind != yaml.MappingNode {
		if !n.isNull() {
			n.fail("must be a mapping, got %s", kindName(n.n))
		}
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.n.Content); i += 2 {
		k, v := n.n.Content[i], n.n.Content[i+1]
		key := k.Value
		c := n.child(key, v)
		if seen[key] {
			n.ps.add(k.Line, c.path, "duplicate field")
			continue
		}
		seen[key] = true
		if !contains(allowed, key) {
			hint := ""
			if s, ok := closest.Match(key, allowed); ok {
				hint = fmt.Sprintf(" did you mean %s?", s)
			}
			n.ps.add(k.Line, c.path, "unknown field %q;%s allowed: %s", key, hint, strings.Join(allowed, ", "))
			continue
		}
		visit(key, c)
	}
}

// items walks a sequence.
func (n node) items(visit func(i int, v node)) {
	if n.n.Kind != yaml.SequenceNode {
		if !n.isNull() {
			n.fail("must be a list, got %s", kindName(n.n))
		}
		return
	}
	for i, v := range n.n.Content {
		visit(i, n.index(i, v))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (n node) scalar() (string, bool) {
	if n.n.Kind != yaml.ScalarNode || n.isNull() {
		n.fail("must be a value, got %s", kindName(n.n))
		return "", false
	}
	return n.n.Value, true
}

func (n node) str() string {
	if n.n.Kind != yaml.ScalarNode || n.n.Tag != "!!str" {
		n.fail("must be a string, got %s", kindName(n.n))
		return ""
	}
	return n.n.Value
}

func (n node) boolean() bool {
	if n.n.Kind != yaml.ScalarNode || n.n.Tag != "!!bool" {
		n.fail("must be true or false, got %s", kindName(n.n))
		return false
	}
	b, _ := strconv.ParseBool(strings.ToLower(n.n.Value))
	return b
}

// int32 reads an integer field as the Kubernetes API does: a JSON number
// without a fraction that fits in int32.
func (n node) int32() int32 {
	if n.n.Kind != yaml.ScalarNode || n.n.Tag != "!!int" {
		n.fail("must be an integer, got %s", kindName(n.n))
		return 0
	}
	v, err := strconv.ParseInt(n.n.Value, 0, 32)
	if err != nil {
		n.fail("must be an integer between %d and %d, got %s", math.MinInt32, math.MaxInt32, n.n.Value)
		return 0
	}
	return int32(v)
}

func (n node) int32p() *int32 {
	v := n.int32()
	return &v
}

func (n node) durationp() *time.Duration {
	v := n.duration()
	return &v
}

func (n node) float() float64 {
	if n.n.Kind != yaml.ScalarNode || (n.n.Tag != "!!int" && n.n.Tag != "!!float") {
		n.fail("must be a number, got %s", kindName(n.n))
		return 0
	}
	v, err := strconv.ParseFloat(n.n.Value, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		n.fail("must be a finite number, got %s", n.n.Value)
		return 0
	}
	return v
}

// duration reads a duration as Prometheus writes them (model.ParseDuration,
// the notation of promtool test files and of scrape intervals): "30s",
// "5m", "1h30m", "1d", "1w". A bare number other than 0 is rejected:
// seconds or minutes would be a guess.
func (n node) duration() time.Duration {
	s, ok := n.scalar()
	if !ok {
		return 0
	}
	if strings.HasPrefix(s, "-") {
		n.fail("must not be negative, got %s", s)
		return 0
	}
	d, err := ParseDuration(s)
	if err != nil {
		n.fail("%v", err)
		return 0
	}
	return d
}

// ParseDuration reads a duration in Prometheus' notation (a sequence of
// whole numbers with the units y, w, d, h, m, s, ms, largest first, as
// model.ParseDuration accepts them), the one every duration of a
// scenario and of the CLI is written in. Its error says what is allowed.
func ParseDuration(s string) (time.Duration, error) {
	d, err := model.ParseDuration(s)
	if err == nil {
		return time.Duration(d), nil
	}
	hint := ""
	if _, goErr := time.ParseDuration(s); goErr == nil {
		// Go accepts fractions and µs; Prometheus does not.
		hint = " (whole numbers only: write 1500ms for 1.5s, 90s for 1.5m)"
	}
	return 0, fmt.Errorf("must be a duration such as 15s, 5m, 1h30m or 1d (units y, w, d, h, m, s, ms), got %q%s", s, hint)
}

// quantity reads a Kubernetes resource.Quantity ("40", "500m", "1.5k") and
// returns it in milli-units with Quantity.MilliValue, which rounds up, as
// the HPA controller reads targets.
func (n node) quantity() int64 {
	s, ok := n.scalar()
	if !ok {
		return 0
	}
	q, err := resource.ParseQuantity(s)
	if err != nil {
		n.fail("must be a quantity such as 40, 500m or 1.5k, got %q", s)
		return 0
	}
	return q.MilliValue()
}

// quantityFloat reads a quantity as a float64 (for tolerances, which the
// controller reads with Quantity.AsApproximateFloat64).
func (n node) quantityFloat() float64 {
	s, ok := n.scalar()
	if !ok {
		return 0
	}
	q, err := resource.ParseQuantity(s)
	if err != nil {
		n.fail("must be a quantity such as 0.05 or 50m, got %q", s)
		return 0
	}
	return q.AsApproximateFloat64()
}

// stringMap reads a mapping of strings, as Kubernetes does for
// map[string]string fields: every value must be a YAML string (quote
// numbers).
func (n node) stringMap() map[string]string {
	out := map[string]string{}
	if n.n.Kind != yaml.MappingNode {
		if !n.isNull() {
			n.fail("must be a mapping of strings, got %s", kindName(n.n))
		}
		return out
	}
	for i := 0; i+1 < len(n.n.Content); i += 2 {
		k, v := n.n.Content[i], n.n.Content[i+1]
		c := n.child(k.Value, v)
		if _, dup := out[k.Value]; dup {
			n.ps.add(k.Line, c.path, "duplicate field")
			continue
		}
		if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
			if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
				c.fail("must be a string, got %s; quote it: %q", kindName(v), v.Value)
			} else {
				c.fail("must be a string, got %s", kindName(v))
			}
			continue
		}
		out[k.Value] = v.Value
	}
	return out
}
