package hpaconformance

import (
	"github.com/autoscale-sim/autoscale-sim/internal/jsonfile"
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
func ReadReproducer(path string) (Reproducer, error) { return jsonfile.Read[Reproducer](path) }

// Write stores the reproducer as indented JSON.
func (r Reproducer) Write(path string) error { return jsonfile.Write(path, r) }
