package keda_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/internal/kedaconformance"
)

// TestConformanceReproducers replays the cases that a differential run
// against KEDA's own code (conformance/keda) once found diverging, with
// the upstream result it recorded: Prometheus triggers through the scaler,
// and ScaledObjects through the scale handler.
func TestConformanceReproducers(t *testing.T) {
	files, err := filepath.Glob("testdata/conformance/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := kedaconformance.ReadReproducer(f)
			require.NoError(t, err)
			require.NotEmpty(t, r.Note)
			if r.Case.Loop != nil {
				// A ScaledObject through KEDA's scale handler.
				require.NotNil(t, r.LoopResult)
				require.Len(t, r.LoopResult.Steps, len(r.Case.Loop.Steps), "the result covers every step")
				require.Empty(t, kedaconformance.CompareLoop(kedaconformance.RunLoop(r.Case.Loop), *r.LoopResult), "%s (%s)", r.Note, r.Upstream)
				return
			}
			require.Equal(t, len(r.Case.Answers), len(r.Result.Queries)+boolInt(r.Result.Error != "")*len(r.Case.Answers), "the result covers every answer")
			require.Empty(t, kedaconformance.Compare(kedaconformance.RunModel(r.Case), r.Result), "%s (%s)", r.Note, r.Upstream)
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
