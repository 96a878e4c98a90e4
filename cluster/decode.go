package cluster

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
	"github.com/autoscale-sim/autoscale-sim/internal/closest"
)

// Problem is one thing wrong with a pool spec: file, line, field path and
// what is wrong and allowed.
type Problem struct {
	File    string
	Line    int
	Path    string
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File + ":")
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d:", p.Line)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Error lists every problem found, one per line, in line order.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

type problems struct {
	file string
	list []Problem
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sorted := append([]Problem(nil), ps.list...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Line < sorted[j].Line })
	return &Error{Problems: sorted}
}

// node is a YAML node (nil for a Go value) with its field path.
type node struct {
	n    *yaml.Node
	path string
	ps   *problems
}

func (n node) line() int {
	if n.n == nil {
		return 0
	}
	return n.n.Line
}

func (n node) fail(format string, args ...any) {
	n.ps.list = append(n.ps.list, Problem{File: n.ps.file, Line: n.line(), Path: n.path, Message: fmt.Sprintf(format, args...)})
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

func kind(v *yaml.Node) string {
	switch v.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if v.Tag == "!!null" {
		return "null"
	}
	return fmt.Sprintf("%q", v.Value)
}

// fields walks a mapping strictly: unknown keys are reported with the
// closest allowed key, duplicates too.
func (n node) fields(allowed []string, visit func(key string, v node)) {
	if n.n.Kind != yaml.MappingNode {
		n.fail("must be a mapping, got %s", kind(n.n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.n.Content); i += 2 {
		k, v := n.n.Content[i], n.n.Content[i+1]
		c := n.child(k.Value, v)
		c.n = v
		if seen[k.Value] {
			n.ps.list = append(n.ps.list, Problem{File: n.ps.file, Line: k.Line, Path: c.path, Message: "duplicate field"})
			continue
		}
		seen[k.Value] = true
		if !contains(allowed, k.Value) {
			hint := ""
			if s, ok := closest.Match(k.Value, allowed); ok {
				hint = fmt.Sprintf(" did you mean %s?", s)
			}
			n.ps.list = append(n.ps.list, Problem{File: n.ps.file, Line: k.Line, Path: c.path,
				Message: fmt.Sprintf("unknown field %q;%s allowed: %s", k.Value, hint, strings.Join(allowed, ", "))})
			continue
		}
		visit(k.Value, c)
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
	if n.n.Kind != yaml.ScalarNode || n.n.Tag == "!!null" {
		n.fail("must be a value, got %s", kind(n.n))
		return "", false
	}
	return n.n.Value, true
}

func (n node) str() string {
	s, _ := n.scalar()
	return s
}

func (n node) integer(min int) int {
	s, ok := n.scalar()
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		n.fail("%q is not an integer", s)
		return 0
	}
	if v < min {
		n.fail("%d: must be %d or more", v, min)
		return min
	}
	return v
}

func (n node) boolean() bool {
	s, ok := n.scalar()
	if !ok {
		return false
	}
	switch s {
	case "true":
		return true
	case "false":
		return false
	}
	n.fail("%q: must be true or false", s)
	return false
}

func (n node) float(lo, hi float64) float64 {
	s, ok := n.scalar()
	if !ok {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < lo || v > hi || v != v {
		n.fail("%q: must be a number between %g and %g", s, lo, hi)
		return 0
	}
	return v
}

// duration reads a Go duration ("10s", "2m30s"), as the autoscaler's
// flags are; 0 needs no unit.
func (n node) duration() time.Duration {
	d, _ := n.durationOK()
	return d
}

func (n node) durationOK() (time.Duration, bool) {
	s, ok := n.scalar()
	if !ok {
		return 0, false
	}
	if s == "0" {
		return 0, true
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		n.fail("%q is not a duration; use e.g. 10s, 2m or 1m30s", s)
		return 0, false
	}
	if d < 0 {
		n.fail("%s: must be zero or more", s)
		return 0, false
	}
	return d, true
}

func (n node) quantity() resource.Quantity {
	s, ok := n.scalar()
	if !ok {
		return resource.Quantity{}
	}
	q, err := resource.ParseQuantity(s)
	if err != nil {
		n.fail("%q is not a quantity; use e.g. 4, 3500m or 16Gi", s)
		return resource.Quantity{}
	}
	if q.Sign() <= 0 {
		n.fail("%s: must be positive", s)
		return resource.Quantity{}
	}
	return q
}

// DecodePool reads a node pool spec. file and path locate the errors
// ("scenario.yaml:12: spec.nodePool.allocatable.cpu: ..."); every problem
// is reported, not only the first. Missing autoscaler flags take the
// cluster-autoscaler defaults (autoscaler.DefaultOptions); a missing
// provisioning delay is 3 to 4 minutes, the FAQ's report for GCE.
func DecodePool(file string, v *yaml.Node, path string) (Pool, error) {
	ps := &problems{file: file}
	root := node{n: v, path: path, ps: ps}
	if v == nil {
		root.fail("must be a mapping")
		return Pool{}, ps.err()
	}
	if v.Kind == yaml.DocumentNode && len(v.Content) == 1 {
		root.n = v.Content[0]
	}
	p := Pool{Scheduler: scheduler.DefaultOptions()}
	root.fields([]string{"name", "nodes", "allocatable", "capacity", "labels", "taints", "scheduler", "autoscaler"}, func(key string, c node) {
		switch key {
		case "name":
			p.Name = c.str()
		case "nodes":
			p.Nodes = c.integer(0)
		case "allocatable":
			c.fields([]string{"cpu", "memory", "pods"}, func(key string, c node) {
				switch key {
				case "cpu":
					p.CPU = c.quantity()
				case "memory":
					p.Memory = c.quantity()
				case "pods":
					p.Pods = int64(c.integer(1))
				}
			})
		case "capacity":
			p.Capacity = corev1.ResourceList{}
			c.fields([]string{"cpu", "memory"}, func(key string, c node) {
				if q := c.quantity(); q.Sign() > 0 {
					p.Capacity[corev1.ResourceName(key)] = q
				}
			})
		case "labels":
			p.Labels = map[string]string{}
			if c.n.Kind != yaml.MappingNode {
				c.fail("must be a mapping of label to value, got %s", kind(c.n))
				return
			}
			for i := 0; i+1 < len(c.n.Content); i += 2 {
				k, v := c.n.Content[i], c.n.Content[i+1]
				vn := c.child(k.Value, v)
				vn.n = v
				if _, dup := p.Labels[k.Value]; dup {
					vn.fail("duplicate label")
				}
				p.Labels[k.Value] = vn.str()
			}
		case "taints":
			if c.n.Kind != yaml.SequenceNode {
				c.fail("must be a list, got %s", kind(c.n))
				return
			}
			for i, item := range c.n.Content {
				tn := c.index(i, item)
				var t corev1.Taint
				tn.fields([]string{"key", "value", "effect"}, func(key string, c node) {
					switch key {
					case "key":
						t.Key = c.str()
					case "value":
						t.Value = c.str()
					case "effect":
						t.Effect = corev1.TaintEffect(c.str())
					}
				})
				p.Taints = append(p.Taints, t)
			}
		case "scheduler":
			c.fields([]string{"dynamicResources", "balancedAllocation"}, func(key string, c node) {
				if key == "dynamicResources" {
					p.Scheduler.DynamicResources = c.boolean()
				} else {
					p.Scheduler.BalancedAllocation = c.boolean()
				}
			})
		case "autoscaler":
			p.Autoscaling = decodeAutoscaling(c)
		}
	})
	if len(ps.list) > 0 {
		return Pool{}, ps.err()
	}
	// Semantic checks, located at the deepest node of the field's path
	// that the document has.
	at := func(p string) node {
		n := root.child(p, nil)
		n.n = deepest(root.n, p)
		return n
	}
	check := &problems{file: file}
	p.validate(check, node{path: "", ps: check})
	for _, pr := range check.list {
		n := at(pr.Path)
		n.fail("%s", pr.Message)
	}
	if err := ps.err(); err != nil {
		return Pool{}, err
	}
	return p, nil
}

// deepest follows a path like "autoscaler.maxNodes" or "taints[0].effect"
// from v and returns the last node found on the way.
func deepest(v *yaml.Node, path string) *yaml.Node {
	for _, seg := range strings.Split(strings.ReplaceAll(path, "[", ".["), ".") {
		if seg == "" {
			continue
		}
		var next *yaml.Node
		if strings.HasPrefix(seg, "[") {
			i, err := strconv.Atoi(strings.Trim(seg, "[]"))
			if err == nil && v.Kind == yaml.SequenceNode && i < len(v.Content) {
				next = v.Content[i]
			}
		} else if v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				if v.Content[j].Value == seg {
					next = v.Content[j+1]
				}
			}
		}
		if next == nil {
			return v
		}
		v = next
	}
	return v
}

func decodeAutoscaling(c node) *Autoscaling {
	a := &Autoscaling{Provisioning: defaultProvisioning, Options: autoscaler.DefaultOptions()}
	o := &a.Options
	c.fields([]string{"minNodes", "maxNodes", "provisioning", "scanInterval", "scaleDownUtilizationThreshold",
		"scaleDownUnneededTime", "scaleDownDelayAfterAdd", "scaleDownDelayAfterDelete", "maxNodesTotal",
		"expander", "newPodScaleUpDelay", "scaleDownEnabled", "maxNodesPerScaleUp", "maxScaleDownParallelism",
		"maxDrainParallelism", "unremovableNodeRecheckTimeout"}, func(key string, c node) {
		switch key {
		case "minNodes":
			a.MinNodes = c.integer(0)
		case "maxNodes":
			a.MaxNodes = c.integer(1)
		case "provisioning":
			if c.n.Kind == yaml.ScalarNode {
				d := c.duration()
				a.Provisioning = autoscaler.Delay{Min: d, Max: d}
				return
			}
			var got autoscaler.Delay
			seen := 0
			c.fields([]string{"min", "max"}, func(key string, c node) {
				seen++
				if key == "min" {
					got.Min = c.duration()
				} else {
					got.Max = c.duration()
				}
			})
			if seen != 2 && c.n.Kind == yaml.MappingNode {
				c.fail("needs both min and max, or one duration for a fixed delay")
			}
			a.Provisioning = got
		case "scanInterval":
			d, ok := c.durationOK()
			if ok && d == 0 {
				c.fail("must be positive")
			}
			if d > 0 {
				o.ScanInterval = d
			}
		case "scaleDownUtilizationThreshold":
			o.ScaleDownUtilizationThreshold = c.float(0, 1)
		case "scaleDownUnneededTime":
			o.ScaleDownUnneededTime = c.duration()
		case "scaleDownDelayAfterAdd":
			o.ScaleDownDelayAfterAdd = c.duration()
		case "scaleDownDelayAfterDelete":
			o.ScaleDownDelayAfterDelete = c.duration()
		case "maxNodesTotal":
			o.MaxNodesTotal = c.integer(0)
		case "expander":
			o.Expander = c.str()
			switch o.Expander {
			case autoscaler.ExpanderLeastWaste, autoscaler.ExpanderRandom, autoscaler.ExpanderMostPods:
			default:
				c.fail("%q is not modelled; allowed: least-waste, random, most-pods", o.Expander)
				o.Expander = autoscaler.ExpanderLeastWaste
			}
		case "newPodScaleUpDelay":
			o.NewPodScaleUpDelay = c.duration()
		case "scaleDownEnabled":
			o.ScaleDownEnabled = c.boolean()
		case "maxNodesPerScaleUp":
			o.MaxNodesPerScaleUp = c.integer(1)
		case "maxScaleDownParallelism":
			o.MaxScaleDownParallelism = c.integer(1)
		case "maxDrainParallelism":
			o.MaxDrainParallelism = c.integer(1)
		case "unremovableNodeRecheckTimeout":
			o.UnremovableNodeRecheckTimeout = c.duration()
		}
	})
	return a
}
