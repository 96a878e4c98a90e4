package hpaconformance

import (
	"encoding/json"
	"fmt"
	"os"
)

// Reproducer is a minimized case with the upstream controller's result,
// kept under testdata so that the hpa package's tests replay it without
// the upstream code.
type Reproducer struct {
	// Kind is the divergence the case was minimized for.
	Kind string `json:"kind"`
	// Note says in a sentence what upstream does.
	Note string `json:"note,omitempty"`
	// Upstream names the release that produced the result, e.g.
	// "k8s.io/kubernetes v1.37.2".
	Upstream string `json:"upstream"`
	Case     Case   `json:"case"`
	Result   Result `json:"result"`
}

// ReadReproducer loads a reproducer file.
func ReadReproducer(path string) (Reproducer, error) {
	var r Reproducer
	b, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("%s: %v", path, err)
	}
	return r, nil
}

// Write stores the reproducer as indented JSON.
func (r Reproducer) Write(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
