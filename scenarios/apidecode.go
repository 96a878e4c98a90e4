package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
	kjson "sigs.k8s.io/json"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/autoscale-sim/autoscale-sim/internal/closest"
)

// decodeAPIObject decodes one manifest document into obj, a pointer to a
// Kubernetes API type (apps/v1 Deployment, monitoring.coreos.com/v1
// ServiceMonitor, ...), the way `kubectl apply --validate=strict` has the
// API server decode it: YAML is read as sigs.k8s.io/yaml reads it (YAML
// 1.1 scalars, as kubectl), field names are case-sensitive, unknown fields
// are errors. Unlike a JSON decoder, which stops at the first problem, it
// reports every unknown field and every ill-typed value at its own line.
// It reports false when the document has problems.
func decodeAPIObject(root node, obj any) bool {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(root.n); err != nil {
		root.fail("cannot re-encode the document: %v", err)
		return false
	}
	data, err := sigsyaml.YAMLToJSON(buf.Bytes())
	if err != nil {
		root.fail("%v", err)
		return false
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		root.fail("%v", err)
		return false
	}
	before := len(root.ps.list)
	checkAPIValue(root, reflect.TypeOf(obj).Elem(), tree)
	if len(root.ps.list) > before {
		return false
	}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(data, obj); err != nil {
		root.fail("%v", err)
		return false
	}
	return true
}

var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

// checkAPIValue checks v (a JSON value) against Go type t, following the
// yaml node n for lines and paths.
func checkAPIValue(n node, t reflect.Type, v any) {
	if v == nil {
		return // null means unset, for any field
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		// Quantities, IntOrString, times, raw extensions: the type's own
		// decoder is the judge.
		raw, _ := json.Marshal(v)
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			n.fail("invalid value %s: %s", shortJSON(raw), unmarshalMessage(err))
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			n.fail("must be a mapping, got %s", jsonKind(v))
			return
		}
		fields := jsonFields(t)
		for _, key := range sortedKeys(m) {
			child := n.child(key, mappingValue(n.n, key))
			ft, ok := fields[key]
			if !ok {
				msg := fmt.Sprintf("unknown field %q", key)
				if s, ok := closest.Match(key, keysOf(fields)); ok {
					msg += fmt.Sprintf("; did you mean %s?", s)
				}
				n.ps.add(keyLine(n.n, key), child.path, "%s", msg)
				continue
			}
			checkAPIValue(child, ft, m[key])
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			n.fail("must be a mapping, got %s", jsonKind(v))
			return
		}
		for _, key := range sortedKeys(m) {
			checkAPIValue(n.child(key, mappingValue(n.n, key)), t.Elem(), m[key])
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			if _, ok := v.(string); !ok {
				n.fail("must be a base64 string, got %s", jsonKind(v))
			}
			return
		}
		items, ok := v.([]any)
		if !ok {
			n.fail("must be a list, got %s", jsonKind(v))
			return
		}
		for i, item := range items {
			var in *yaml.Node
			if n.n.Kind == yaml.SequenceNode && i < len(n.n.Content) {
				in = n.n.Content[i]
			}
			checkAPIValue(n.index(i, orSelf(in, n.n)), t.Elem(), item)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			n.fail("must be a string, got %s", jsonKind(v))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			n.fail("must be true or false, got %s", jsonKind(v))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		num, ok := v.(json.Number)
		if !ok {
			n.fail("must be an integer, got %s", jsonKind(v))
			return
		}
		i, err := num.Int64()
		lo, hi := intRange(t)
		if err != nil || float64(i) < lo || float64(i) > hi {
			n.fail("must be an integer between %.0f and %.0f, got %s", lo, hi, num)
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			n.fail("must be a number, got %s", jsonKind(v))
		}
	}
}

func intRange(t reflect.Type) (float64, float64) {
	switch t.Kind() {
	case reflect.Int8:
		return math.MinInt8, math.MaxInt8
	case reflect.Int16:
		return math.MinInt16, math.MaxInt16
	case reflect.Int32:
		return math.MinInt32, math.MaxInt32
	case reflect.Uint8:
		return 0, math.MaxUint8
	case reflect.Uint16:
		return 0, math.MaxUint16
	case reflect.Uint32:
		return 0, math.MaxUint32
	case reflect.Uint, reflect.Uint64:
		return 0, math.MaxInt64
	}
	return math.MinInt64, math.MaxInt64
}

// jsonFields maps the JSON names of a struct's fields (inline members
// included) to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		inline := strings.Contains(opts, "inline") || (f.Anonymous && name == "")
		if inline {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// mappingValue is the value node of key in a mapping node, nil if absent.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return m
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return m
}

// keyLine is the line of key in a mapping node (the mapping's own line if
// the key is not found, as for a key YAML 1.1 spells differently).
func keyLine(m *yaml.Node, key string) int {
	if m != nil && m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i].Line
			}
		}
	}
	if m == nil {
		return 0
	}
	return m.Line
}

func orSelf(n, self *yaml.Node) *yaml.Node {
	if n == nil {
		return self
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	out := keysOf(m)
	sort.Strings(out)
	return out
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case string:
		return fmt.Sprintf("the string %q", excerpt(x))
	case bool:
		return fmt.Sprintf("the boolean %t", x)
	case json.Number:
		return "the number " + x.String()
	}
	return fmt.Sprintf("%v", v)
}

// shortJSON quotes at most a short excerpt of a value.
func shortJSON(raw []byte) string { return excerpt(string(raw)) }

func excerpt(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// unmarshalMessage drops the Go type names a JSON decoder puts in its
// errors, which mean nothing to a user.
func unmarshalMessage(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return msg
}
