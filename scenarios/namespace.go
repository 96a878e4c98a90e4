package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/autoscale-sim/autoscale-sim/internal/closest"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Namespace is a scenario with spec.workloads: several workloads
// simulated together (sim.NamespaceSpec says what they share).
type Namespace struct {
	// Workloads are the workloads, each a scenario of its own as if
	// spec held only it (its Spec, Expect, Locate), in spec.workloads'
	// order.
	Workloads []*Scenario
	// Names are their names: spec.workloads[i].name, or the scaled
	// workload's name.
	Names []string
	// Feeds are the loads given by arrivalsFrom.
	Feeds []sim.Feed
	// Warnings are the namespace's own (Scenario.Warnings adds the
	// workloads').
	Warnings []Problem
}

// arrival is a load's arrivalsFrom, resolved once every workload is known.
type arrival struct {
	load, from int
	workload   string
	factor     float64
	n, wn      node
}

// namespaceShared are the keys of spec that one cluster has once: with
// spec.workloads they stay under spec.
var namespaceShared = []string{"duration", "versions", "controller", "prometheus", "nodePool", "sim", "runs"}

// workloadOnly are the keys of spec that, with spec.workloads, each
// workload gives for itself.
var workloadOnly = []string{"load", "jobs", "expect", "series", "annotate"}

// mergedKeys are the mappings of spec that are the workloads' defaults,
// merged key by key (a workload's key wins).
var mergedKeys = []string{"autoscaler", "workload", "adapter"}

// Spec is the namespace to simulate.
func (ns *Namespace) Spec(name string) sim.NamespaceSpec {
	out := sim.NamespaceSpec{Name: name, Feeds: slices.Clone(ns.Feeds)}
	for _, w := range ns.Workloads {
		out.Workloads = append(out.Workloads, w.Spec)
	}
	return out
}

// LocateError locates a namespace run's error in the workload's files
// (Scenario.LocateError), or returns it as it is.
func (ns *Namespace) LocateError(err error) error {
	var we *sim.WorkloadError
	if errors.As(err, &we) && we.Index >= 0 && we.Index < len(ns.Workloads) {
		located := ns.Workloads[we.Index].LocateError(we.Err)
		if located != we.Err {
			return located
		}
	}
	return err
}

// parseNamespace decodes a scenario with spec.workloads: each workload is
// parsed as the scenario it would be alone (spec's shared keys, its
// defaults merged under its own keys), and problems in its lines are
// reported at spec.workloads[i].
func parseNamespace(file string, rootN *yaml.Node, read ReadFunc, opts Options, ps *problems) (*Scenario, error) {
	specN := mappingValue(rootN, "spec")
	root := node{n: rootN, ps: ps}
	spec := root.child("spec", specN)
	items := spec.child("workloads", mappingValue(specN, "workloads"))
	if items.n.Kind != yaml.SequenceNode || len(items.n.Content) == 0 {
		items.fail("must list at least one workload: {autoscaler, workload, load}")
		return nil, ps.err()
	}
	var shared [][2]*yaml.Node
	for i := 0; i+1 < len(specN.Content); i += 2 {
		k, v := specN.Content[i], specN.Content[i+1]
		if k.Value == "workloads" {
			continue
		}
		if slices.Contains(workloadOnly, k.Value) {
			ps.add(k.Line, "spec."+k.Value, "with spec.workloads each workload gives its own %s: move it to spec.workloads[i].%s", k.Value, k.Value)
			continue
		}
		shared = append(shared, [2]*yaml.Node{k, v})
	}
	ns := &Namespace{}
	var subs []*Scenario
	var ranges [][2]int
	items.items(func(i int, item node) {
		if item.n.Kind != yaml.MappingNode {
			item.fail("must be a mapping: {name, autoscaler, workload, load, expect}")
			return
		}
		own := &yaml.Node{Kind: yaml.MappingNode, Line: item.n.Line, Column: item.n.Column}
		name := ""
		for j := 0; j+1 < len(item.n.Content); j += 2 {
			k, v := item.n.Content[j], item.n.Content[j+1]
			switch {
			case slices.Contains(namespaceShared, k.Value):
				ps.add(k.Line, item.path+"."+k.Value, "%s is the namespace's, set once under spec.%s", k.Value, k.Value)
			case k.Value == "name":
				name = v.Value
			default:
				own.Content = append(own.Content, k, v)
			}
		}
		// Unknown keys, with the item's own allowed list (the shared
		// ones have their own message).
		rest := &yaml.Node{Kind: yaml.MappingNode, Line: item.n.Line, Column: item.n.Column}
		for j := 0; j+1 < len(item.n.Content); j += 2 {
			if !slices.Contains(namespaceShared, item.n.Content[j].Value) {
				rest.Content = append(rest.Content, item.n.Content[j], item.n.Content[j+1])
			}
		}
		node{n: rest, path: item.path, ps: ps}.walk(workloadItemSection, func(string, node) {})
		if !hasKey(item.n, "load") {
			item.fail("load must be set: each workload serves its own load (or arrivalsFrom another's)")
		}
		merged := mergeWorkload(shared, own)
		doc := *rootN
		doc.Content = slices.Clone(rootN.Content)
		for j := 0; j+1 < len(doc.Content); j += 2 {
			if doc.Content[j].Value == "spec" {
				doc.Content[j+1] = merged
			}
		}
		wps := &problems{file: file}
		o := opts
		o.inNamespace = true
		sub, _ := parseDocument(file, &doc, read, o, wps)
		lo, hi := lineRange(item.n)
		for _, p := range wps.list {
			if p.File == file && p.Line >= lo && p.Line <= hi {
				if rest, ok := strings.CutPrefix(p.Path, "spec."); ok {
					p.Path = fmt.Sprintf("spec.workloads[%d].%s", i, rest)
				} else if p.Path == "spec" || p.Path == "" {
					p.Path = fmt.Sprintf("spec.workloads[%d]", i)
				}
			}
			if !slices.Contains(ps.list, p) {
				ps.list = append(ps.list, p)
			}
		}
		if sub == nil {
			return
		}
		if name == "" {
			name = sub.Spec.Workload.Name
		}
		sub.Name = name
		subs = append(subs, sub)
		ns.Names = append(ns.Names, name)
		ranges = append(ranges, [2]int{i, item.n.Line})
	})
	if err := ps.err(); err != nil {
		return nil, err
	}
	// Every workload's parse read the same metadata; its Spec.Name is
	// still metadata.name here.
	sc := &Scenario{File: file, Namespace: ns, Name: subs[0].Spec.Name, Description: subs[0].Description}
	ns.Workloads = subs
	for k, sub := range subs {
		i := ranges[k][0]
		for j := range k {
			if subs[j].Spec.Workload.Kind == sub.Spec.Workload.Kind && subs[j].Spec.Workload.Name == sub.Spec.Workload.Name {
				ps.add(ranges[k][1], fmt.Sprintf("spec.workloads[%d]", i), "scales %s/%s, which spec.workloads[%d] scales too; each workload of a namespace has one autoscaler", sub.Spec.Workload.Kind, sub.Spec.Workload.Name, ranges[j][0])
			} else if ns.Names[j] == ns.Names[k] || subs[j].Spec.Workload.Name == sub.Spec.Workload.Name {
				ps.add(ranges[k][1], fmt.Sprintf("spec.workloads[%d].name", i), "%q is also spec.workloads[%d]'s name; pods are named after their workload, so names must differ", ns.Names[k], ranges[j][0])
			}
		}
		sub.Spec.Name = sc.Name + "/" + ns.Names[k]
		sc.Files = appendNew(sc.Files, sub.Files...)
		sc.Warnings = append(sc.Warnings, sub.Warnings...)
		sc.Runs = max(sc.Runs, sub.Runs)
		if sub.KubernetesVersion != "" {
			sc.KubernetesVersion = sub.KubernetesVersion
		}
	}
	// The autoscalers of the manifests no workload simulates: their pods
	// would be on the pool in the cluster.
	var chosen, left []string
	for _, sub := range subs {
		chosen = append(chosen, sub.chosen)
	}
	for _, sub := range subs {
		for _, a := range sub.inManifests {
			if !slices.Contains(chosen, a) && !slices.Contains(left, a) {
				left = append(left, a)
			}
		}
	}
	for _, a := range left {
		kind, name, _ := strings.Cut(a, "/")
		ns.Warnings = append(ns.Warnings, Problem{File: file, Line: items.n.Line, Path: "spec.workloads",
			Message: fmt.Sprintf("the manifests hold %s, which no workload simulates: it does not scale in this run and its pods take no room on the pool; add a workload with autoscaler: {kind: %s, name: %s} to simulate it", a, kind, name)})
	}
	sc.Warnings = append(sc.Warnings, ns.Warnings...)
	for k, sub := range subs {
		for _, a := range sub.arrivals {
			a.n.ps, a.wn.ps = ps, ps
			from := slices.Index(ns.Names, a.workload)
			if from < 0 {
				hint := ""
				if s, ok := closest.Match(a.workload, ns.Names); ok {
					hint = fmt.Sprintf(" did you mean %s?", s)
				}
				a.wn.fail("no workload named %q in spec.workloads;%s have: %s", a.workload, hint, strings.Join(ns.Names, ", "))
				continue
			}
			if from == k {
				a.wn.fail("a workload's arrivals cannot be what it serves itself")
				continue
			}
			src := subs[from].Spec
			if a.from >= len(src.Loads) {
				a.n.fail("workload %s has %d loads; load %d is not one of them", a.workload, len(src.Loads), a.from)
				continue
			}
			if m := src.Loads[a.from].Model; m != sim.Requests && m != sim.Queue {
				a.n.fail("workload %s's load %d is a %s load, which serves no requests; arrivalsFrom reads a requests or queue load", a.workload, a.from, m)
				continue
			}
			ns.Feeds = append(ns.Feeds, sim.Feed{From: from, FromLoad: a.from, To: k, ToLoad: a.load, Factor: a.factor})
		}
	}
	if err := ps.err(); err != nil {
		return nil, relocateWorkloads(err, file, items.n)
	}
	if _, err := sim.NewNamespace(ns.Spec(sc.Name)); err != nil {
		p := Problem{File: file, Line: items.n.Line, Path: "spec.workloads", Message: err.Error()}
		var we *sim.WorkloadError
		if errors.As(err, &we) && we.Index < len(ranges) {
			// At the workload's item, which every workload has.
			p.Line, p.Path = ranges[we.Index][1], fmt.Sprintf("spec.workloads[%d]", ranges[we.Index][0])
		}
		return nil, &Error{Problems: []Problem{p}}
	}
	return sc, nil
}

// relocateWorkloads puts problems found in a workload's lines after its
// parse (its arrivalsFrom) at spec.workloads[i].
func relocateWorkloads(err error, file string, items *yaml.Node) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	for k := range e.Problems {
		p := &e.Problems[k]
		if p.File != file || strings.HasPrefix(p.Path, "spec.workloads") {
			continue
		}
		for i, item := range items.Content {
			lo, hi := lineRange(item)
			if p.Line >= lo && p.Line <= hi {
				if rest, ok := strings.CutPrefix(p.Path, "spec."); ok {
					p.Path = fmt.Sprintf("spec.workloads[%d].%s", i, rest)
				}
			}
		}
	}
	return e
}

// mergeWorkload is the spec of one workload: the shared keys, with the
// workload's own over them (mergedKeys key by key, faults added to the
// shared ones, anything else replaced).
func mergeWorkload(shared [][2]*yaml.Node, own *yaml.Node) *yaml.Node {
	out := &yaml.Node{Kind: yaml.MappingNode, Line: own.Line, Column: own.Column}
	for _, kv := range shared {
		k, v := kv[0], kv[1]
		if !hasKey(own, k.Value) {
			out.Content = append(out.Content, k, v)
			continue
		}
		mine := mappingValue(own, k.Value)
		switch {
		case slices.Contains(mergedKeys, k.Value) && v.Kind == yaml.MappingNode && mine.Kind == yaml.MappingNode:
			m := &yaml.Node{Kind: yaml.MappingNode, Line: mine.Line, Column: mine.Column}
			for j := 0; j+1 < len(v.Content); j += 2 {
				if !hasKey(mine, v.Content[j].Value) {
					m.Content = append(m.Content, v.Content[j], v.Content[j+1])
				}
			}
			m.Content = append(m.Content, mine.Content...)
			out.Content = append(out.Content, k, m)
		case k.Value == "faults" && v.Kind == yaml.SequenceNode && mine.Kind == yaml.SequenceNode:
			l := &yaml.Node{Kind: yaml.SequenceNode, Line: v.Line, Column: v.Column}
			l.Content = append(slices.Clone(v.Content), mine.Content...)
			out.Content = append(out.Content, k, l)
		default:
			out.Content = append(out.Content, k, mine)
		}
	}
	for j := 0; j+1 < len(own.Content); j += 2 {
		if !hasKey(out, own.Content[j].Value) {
			out.Content = append(out.Content, own.Content[j], own.Content[j+1])
		}
	}
	return out
}

// lineRange is the first and last line of a node and its descendants.
func lineRange(n *yaml.Node) (lo, hi int) {
	lo, hi = n.Line, n.Line
	var visit func(*yaml.Node)
	visit = func(n *yaml.Node) {
		lo, hi = min(lo, n.Line), max(hi, n.Line)
		for _, c := range n.Content {
			visit(c)
		}
	}
	visit(n)
	return lo, hi
}

func appendNew(list []string, more ...string) []string {
	for _, s := range more {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
