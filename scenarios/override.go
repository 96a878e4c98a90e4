package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Override sets one field of the autoscaler manifest (the ScaledObject or
// HorizontalPodAutoscaler document the scenario simulates) or of the
// scenario itself before it is decoded, as `kubectl patch` would: Path is
// a field path such as "spec.cooldownPeriod",
// "spec.triggers[0].metadata.threshold" or "spec.workload.podStartup" and
// Value a YAML value ("30", "'40'", "{type: Pods, value: 1, periodSeconds: 60}").
// A path under spec whose first field is one of the scenario's spec
// (duration, workload, load, prometheus, ...) edits the scenario: no field
// of a ScaledObject's or an HPA's spec has one of those names.
// Missing mapping keys on the path are created; list indices must exist.
// The decoded result is validated exactly as the file itself.
type Override struct {
	Path  string
	Value string
}

func (o Override) String() string { return o.Path + "=" + o.Value }

// ParseOverride reads "path=value".
func ParseOverride(s string) (Override, error) {
	path, value, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(path) == "" {
		return Override{}, fmt.Errorf("%q: want path=value, e.g. spec.cooldownPeriod=30", s)
	}
	return Override{Path: strings.TrimSpace(path), Value: value}, nil
}

// ParseSet reads a sweep axis "path=v1,v2,...": one Override per value.
// A value holding commas (a flow mapping) cannot be swept this way; pass
// it with a single --set per value instead.
func ParseSet(s string) ([]Override, error) {
	o, err := ParseOverride(s)
	if err != nil {
		return nil, err
	}
	var out []Override
	for _, v := range strings.Split(o.Value, ",") {
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("%q: empty value in the list", s)
		}
		out = append(out, Override{Path: o.Path, Value: strings.TrimSpace(v)})
	}
	return out, nil
}

// LoadWithOverrides is Load with the overrides applied to the autoscaler
// manifest. Problems the overrides cause are reported at the line of the
// field in the original file, followed by the overrides in effect.
func LoadWithOverrides(path string, overrides ...Override) (*Scenario, error) {
	return LoadWith(path, Options{Overrides: overrides})
}

// ParseWithOverrides is Parse with the overrides applied to the autoscaler
// manifest.
func ParseWithOverrides(file string, data []byte, read ReadFunc, overrides ...Override) (*Scenario, error) {
	return ParseWith(file, data, read, Options{Overrides: overrides})
}

// scenario reports whether the override edits the scenario file rather
// than the autoscaler manifest.
func (o Override) scenario() bool {
	segs := splitPath(o.Path)
	return len(segs) >= 2 && segs[0].key == "spec" && specSection.field(segs[1].key) != nil
}

// applyScenarioSets edits the scenario document before it is walked; a
// problem the edit causes is located at the field's line in the file.
func applyScenarioSets(ps *problems, root *yaml.Node, sets []Override) {
	for _, o := range sets {
		applyOverride(ps, root, o)
	}
}

// parseOverridden parses twice: the first parse tells which document is
// the autoscaler; the second decodes that document edited.
func parseOverridden(file string, data []byte, read ReadFunc, opts Options) (*Scenario, error) {
	var overrides []Override
	opts.scenarioSets = nil
	for _, o := range opts.Overrides {
		if o.scenario() {
			opts.scenarioSets = append(opts.scenarioSets, o)
		} else {
			overrides = append(overrides, o)
		}
	}
	opts.Overrides = nil
	if len(overrides) == 0 {
		return ParseWith(file, data, read, opts)
	}
	sc, err := ParseWith(file, data, read, opts)
	if err != nil {
		return sc, err
	}
	// The autoscalers to edit, each with its overrides: the scenario's
	// one, or, with spec.workloads, the workload each path names
	// (websocket/spec.cooldownPeriod).
	type target struct {
		kind, name string
		overrides  []Override
		edited     bool
	}
	var targets []*target
	if ns := sc.Namespace; ns != nil {
		byName := map[string]*target{}
		for _, o := range overrides {
			w, path, ok := strings.Cut(o.Path, "/")
			i := slices.Index(ns.Names, w)
			if !ok || i < 0 {
				return nil, &Error{Problems: []Problem{{File: file, Path: o.Path,
					Message: fmt.Sprintf("--set of a manifest field with spec.workloads names the workload first: WORKLOAD/PATH, e.g. %s/spec.cooldownPeriod=30 (workloads: %s); a scenario field is spec.workloads[0]...", ns.Names[0], strings.Join(ns.Names, ", "))}}}
			}
			t := byName[w]
			if t == nil {
				t = &target{}
				t.kind, t.name = autoscalerOf(ns.Workloads[i].Spec)
				byName[w] = t
				targets = append(targets, t)
			}
			t.overrides = append(t.overrides, Override{Path: path, Value: o.Value})
		}
	} else {
		t := &target{overrides: overrides}
		t.kind, t.name = autoscalerOf(sc.Spec)
		targets = append(targets, t)
	}
	var edits []*editedFile
	var editErr error
	wrapped := func(ref string) ([]byte, error) {
		raw, err := read(ref)
		if err != nil {
			return nil, err
		}
		for _, t := range targets {
			ef, err := editManifests(displayPath(file, ref), raw, t.kind, t.name, t.overrides)
			if err != nil {
				editErr = errors.Join(editErr, err)
				continue
			}
			if ef != nil {
				edits = append(edits, ef)
				t.edited = true
				raw = ef.data
			}
		}
		return raw, nil
	}
	sc, err = ParseWith(file, data, wrapped, opts)
	if editErr != nil {
		return nil, editErr
	}
	for _, t := range targets {
		if !t.edited {
			// The autoscaler came from -f input or the files hold it
			// under another name: the values would silently not be set.
			return nil, fmt.Errorf("--set %s: no manifest file the scenario names holds %s/%s, so the value cannot be set; name its file in spec.autoscaler.manifests", t.overrides[0], t.kind, t.name)
		}
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			for _, ef := range edits {
				ef.relocate(e.Problems, overrides)
			}
		}
		return nil, err
	}
	return sc, nil
}

// autoscalerOf is the kind and name of a spec's autoscaler.
func autoscalerOf(spec sim.Spec) (kind, name string) {
	switch {
	case spec.KEDA != nil:
		return "ScaledObject", spec.KEDA.Object.Name
	case spec.ScaledJob != nil:
		return "ScaledJob", spec.ScaledJob.Object.Name
	case spec.HPA != nil:
		return "HorizontalPodAutoscaler", spec.HPA.Spec.Name
	}
	return "HorizontalPodAutoscaler", ""
}

// editedFile is a manifest file re-encoded after editing, with what is
// needed to map lines of the new text back to the original.
type editedFile struct {
	name string
	data []byte
	docs []*yaml.Node // original documents, edited in place
	// starts is the first line of each document in data.
	starts []int
}

// editManifests applies the overrides to the document kind/name of a
// manifest file. It returns nil when the file does not hold it.
func editManifests(file string, data []byte, kind, name string, overrides []Override) (*editedFile, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	target := -1
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, nil // the normal parse reports the syntax error
		}
		if len(doc.Content) == 0 {
			continue
		}
		_, k, n := header(node{n: doc.Content[0]})
		if k == kind && n == name && target < 0 {
			target = len(docs)
		}
		docs = append(docs, &doc)
	}
	if target < 0 {
		return nil, nil
	}
	ps := &problems{file: file}
	for _, o := range overrides {
		applyOverride(ps, docs[target].Content[0], o)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	ef := &editedFile{name: file, docs: docs}
	var buf bytes.Buffer
	for i, d := range docs {
		if i > 0 {
			buf.WriteString("---\n")
		}
		ef.starts = append(ef.starts, bytes.Count(buf.Bytes(), []byte("\n"))+1)
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(d); err != nil {
			return nil, fmt.Errorf("%s: re-encoding after --set: %w", file, err)
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
	}
	ef.data = buf.Bytes()
	return ef, nil
}

// relocate maps the lines of problems found in the edited text back to
// the original file, through the field path, and names the overrides.
func (ef *editedFile) relocate(ps []Problem, overrides []Override) {
	sets := make([]string, len(overrides))
	for i, o := range overrides {
		sets[i] = "--set " + o.String()
	}
	for i := range ps {
		p := &ps[i]
		if p.File != ef.name {
			continue
		}
		doc := 0
		for j, s := range ef.starts {
			if p.Line >= s {
				doc = j
			}
		}
		root := node{n: ef.docs[doc].Content[0]}
		if p.Path != "" {
			p.Line = lineOf(root, p.Path)
		} else {
			p.Line = root.n.Line
		}
		p.Message += " (with " + strings.Join(sets, ", ") + ")"
	}
}

// applyOverride walks o.Path from root, creating missing mapping keys,
// and replaces the value. Problems are located at the deepest existing
// node of the path.
func applyOverride(ps *problems, root *yaml.Node, o Override) {
	segs := splitPath(o.Path)
	if len(segs) == 0 {
		ps.add(root.Line, "", "--set %s: empty field path", o)
		return
	}
	cur, line, walked := root, root.Line, ""
	for i, seg := range segs {
		last := i == len(segs)-1
		if seg.index >= 0 {
			if cur.Kind != yaml.SequenceNode {
				ps.add(line, walked, "--set %s: %s is %s, not a list", o, orRoot(walked), kindName(cur))
				return
			}
			if seg.index >= len(cur.Content) {
				ps.add(line, walked, "--set %s: %s has %s; indices start at 0", o, orRoot(walked), plural(len(cur.Content), "item"))
				return
			}
			walked = fmt.Sprintf("%s[%d]", walked, seg.index)
			if last {
				setValue(ps, line, walked, o, cur.Content[seg.index], cur.Content[seg.index])
				return
			}
			cur = cur.Content[seg.index]
			line = cur.Line
			continue
		}
		if cur.Kind != yaml.MappingNode {
			ps.add(line, walked, "--set %s: %s is %s, not a mapping", o, orRoot(walked), kindName(cur))
			return
		}
		if walked != "" {
			walked += "."
		}
		walked += seg.key
		var val *yaml.Node
		for j := 0; j+1 < len(cur.Content); j += 2 {
			if cur.Content[j].Value == seg.key {
				val = cur.Content[j+1]
				line = cur.Content[j].Line
			}
		}
		if val == nil {
			// A missing key is created: a mapping on the way, the value
			// at the end.
			key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg.key, Line: line}
			val = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
			if !last && segs[i+1].index >= 0 {
				ps.add(line, walked, "--set %s: %s does not exist; only existing list items can be set", o, walked)
				return
			}
			cur.Content = append(cur.Content, key, val)
		}
		if last {
			setValue(ps, line, walked, o, val, cur)
			return
		}
		cur = val
	}
}

// setValue replaces dst by the decoded value. A string stays a string (a
// trigger's metadata values are strings, so threshold=20 means '20').
func setValue(ps *problems, line int, path string, o Override, dst, parent *yaml.Node) {
	var v yaml.Node
	if err := yaml.Unmarshal([]byte(o.Value), &v); err != nil || len(v.Content) == 0 {
		if err == nil {
			v.Content = []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}}
		} else {
			ps.add(line, path, "--set %s: the value is not YAML: %v", o, err)
			return
		}
	}
	nv := v.Content[0]
	wantString := (dst.Kind == yaml.ScalarNode && dst.Tag == "!!str") || stringMapParent(path)
	if wantString && nv.Kind == yaml.ScalarNode && nv.Tag != "!!str" && nv.Tag != "!!null" {
		nv.Tag, nv.Style = "!!str", yaml.SingleQuotedStyle
	}
	setLines(nv, line)
	*dst = *nv
}

// stringMapParent reports whether path is inside a field whose values are
// all strings (a trigger's metadata, labels, annotations).
func stringMapParent(path string) bool {
	segs := splitPath(path)
	if len(segs) < 2 {
		return false
	}
	switch segs[len(segs)-2].key {
	case "metadata", "labels", "annotations":
		return len(segs) > 2 || segs[0].key != "metadata"
	}
	return false
}

func setLines(n *yaml.Node, line int) {
	n.Line = line
	for _, c := range n.Content {
		setLines(c, line)
	}
}

func orRoot(path string) string {
	if path == "" {
		return "the document"
	}
	return path
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
