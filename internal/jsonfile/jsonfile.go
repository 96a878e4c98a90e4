// Package jsonfile reads and writes the small JSON files the conformance
// reproducers are kept in: indented, one trailing newline, and a read error
// that names the file.
package jsonfile

import (
	"encoding/json"
	"fmt"
	"os"
)

// Read decodes the JSON file at path into a T.
func Read[T any](path string) (T, error) {
	var v T
	b, err := os.ReadFile(path)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("%s: %v", path, err)
	}
	return v, nil
}

// Write stores v at path as indented JSON with a trailing newline.
func Write(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
