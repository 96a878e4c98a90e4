package schematest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// Compile compiles the schema in file; other files it refers to by $ref
// can be given in extra (their $id or file name is how the schema names
// them).
func Compile(file string, extra ...string) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	var id string
	for i, f := range append([]string{file}, extra...) {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		loc := f
		if m, ok := doc.(map[string]any); ok {
			if s, ok := m["$id"].(string); ok {
				loc = s
			} else if s, ok := m["id"].(string); ok { // draft 4
				loc = s
			}
		}
		if err := c.AddResource(loc, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if i == 0 {
			id = loc
		}
	}
	return c.Compile(id)
}

// ValidateJSON validates one JSON document.
func ValidateJSON(s *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

// ValidateYAML validates a YAML document as editors do: decoded, turned
// into JSON, validated.
func ValidateYAML(s *jsonschema.Schema, data []byte) error {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return ValidateJSON(s, j)
}
