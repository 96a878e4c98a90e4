// Package schematest validates documents against JSON Schemas in tests,
// with a real validator (santhosh-tekuri/jsonschema, drafts 4 to 2020-12,
// formats asserted), so that a schema the project ships is checked the
// way editors and CI tools check it.
package schematest
