package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// SchemaID is the $id of the Scenario kind's JSON Schema, the address of
// schema/scenario.schema.json in the repository.
const SchemaID = "https://raw.githubusercontent.com/autoscale-sim/autoscale-sim/main/schema/scenario.schema.json"

// durationPattern is what model.ParseDuration accepts: whole numbers with
// the units y, w, d, h, m, s, ms, largest first, or a lone 0.
const durationPattern = `^(0|([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$`

// quantityPattern is the Kubernetes API's pattern of a resource.Quantity.
const quantityPattern = `^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$`

// JSONSchema returns the JSON Schema (draft 2020-12) of the Scenario kind,
// generated from the sections the loader walks, so that editors complete
// and check scenario files with what the loader accepts. The loader stays
// the judge of what the schema cannot say (exactly one shape per load,
// windows that end after they start, manifests that exist); a file the
// loader accepts is valid against the schema.
func JSONSchema() []byte {
	defs := newObj()
	defs.set("duration", newObj().
		set("description", "A duration as Prometheus writes it: 30s, 5m, 1h30m, 1d, 1w (units y, w, d, h, m, s, ms, largest first).").
		set("anyOf", []any{
			newObj().set("type", "string").set("minLength", 1).set("pattern", durationPattern),
			newObj().set("const", 0),
		}))
	defs.set("quantity", newObj().
		set("description", "A Kubernetes quantity: 40, 500m, 1.5k, 256Mi.").
		set("anyOf", []any{
			newObj().set("type", "string").set("pattern", quantityPattern),
			newObj().set("type", "number"),
		}))
	seen := map[string]bool{}
	var add func(s *section)
	add = func(s *section) {
		if seen[s.name] {
			return
		}
		seen[s.name] = true
		d := newObj().set("type", "object")
		if s.doc != "" {
			d.set("description", s.doc)
		}
		props := newObj()
		var nested []*section
		for _, f := range s.fields {
			props.set(f.name, fieldSchema(f))
			if f.section != nil {
				nested = append(nested, f.section)
			}
		}
		d.set("properties", props)
		if len(s.required) > 0 {
			d.set("required", s.required)
		}
		d.set("additionalProperties", false)
		defs.set(s.name, d)
		for _, n := range nested {
			add(n)
		}
	}
	add(rootSection)
	root := newObj().
		set("$schema", "https://json-schema.org/draft/2020-12/schema").
		set("$id", SchemaID).
		set("title", "autoscale-sim Scenario ("+APIVersion+")").
		set("$ref", "#/$defs/"+rootSection.name).
		set("$defs", defs)
	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("scenarios: the schema does not encode: %v", err)) // a bug: every value is plain data
	}
	return append(out, '\n')
}

// fieldSchema is the schema of one field's value.
func fieldSchema(f field) *obj {
	s := typeSchema(f.typ, f)
	if f.doc != "" {
		s.set("description", f.doc)
	}
	return s
}

func ref(name string) *obj { return newObj().set("$ref", "#/$defs/"+name) }

func typeSchema(t valueType, f field) *obj {
	switch t {
	case tString:
		s := newObj().set("type", "string")
		if len(f.enum) > 0 {
			s.set("enum", f.enum)
		}
		return s
	case tDuration:
		return ref("duration")
	case tInteger:
		s := newObj().set("type", "integer")
		if f.min != nil {
			s.set("minimum", *f.min)
		}
		return s
	case tNumber:
		s := newObj().set("type", "number")
		if f.min != nil {
			s.set("minimum", *f.min)
		}
		return s
	case tBoolean:
		return newObj().set("type", "boolean")
	case tQuantity:
		return ref("quantity")
	case tTime:
		return newObj().set("type", "string").set("format", "date-time")
	case tObject:
		return ref(f.section.name)
	case tList:
		var items *obj
		if f.section != nil {
			items = ref(f.section.name)
		} else {
			items = typeSchema(f.elem, field{})
		}
		return newObj().set("type", "array").set("items", items)
	case tStringOrList:
		return newObj().set("anyOf", []any{
			newObj().set("type", "string"),
			newObj().set("type", "array").set("items", newObj().set("type", "string")),
		})
	case tDurationOrObject:
		return newObj().set("anyOf", []any{ref("duration"), ref(f.section.name)})
	case tStringOrObject:
		return newObj().set("anyOf", []any{newObj().set("type", "string").set("enum", f.enum), ref(f.section.name)})
	case tStringMap:
		return newObj().set("type", "object").set("additionalProperties", newObj().set("type", "string"))
	case tDurationPair:
		return newObj().set("type", "array").set("items", ref("duration")).set("minItems", 2).set("maxItems", 2)
	}
	panic(fmt.Sprintf("scenarios: field %s has no schema type", f.name))
}

// obj is a JSON object that keeps its keys in the order they were set, so
// that the schema file is stable and reads in the order of the grammar.
type obj struct{ kvs []kv }

type kv struct {
	k string
	v any
}

func newObj() *obj { return &obj{} }

// set sets k (in place when it exists) and returns o, for chaining.
func (o *obj) set(k string, v any) *obj {
	for i := range o.kvs {
		if o.kvs[i].k == k {
			o.kvs[i].v = v
			return o
		}
	}
	o.kvs = append(o.kvs, kv{k, v})
	return o
}

func (o *obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o.kvs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(e.k)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
