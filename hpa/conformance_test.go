package hpa_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/internal/hpaconformance"
)

// TestConformanceReproducers replays every case that a differential run
// against the upstream controller (conformance/hpa) once found diverging,
// minimized, with the upstream result it recorded. The upstream code is
// not needed: the recorded result is the expectation.
func TestConformanceReproducers(t *testing.T) {
	files, err := filepath.Glob("testdata/conformance/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := hpaconformance.ReadReproducer(f)
			require.NoError(t, err)
			require.NotEmpty(t, r.Note, "a reproducer says what upstream does")
			require.True(t, r.Result.Invalid != nil || len(r.Result.Steps) == len(r.Case.Steps), "the result covers every step")
			model, err := hpaconformance.RunModel(r.Case)
			require.NoError(t, err)
			require.Empty(t, hpaconformance.Compare(model, r.Result), "%s (%s, %s)", r.Note, r.Kind, r.Upstream)
		})
	}
}
