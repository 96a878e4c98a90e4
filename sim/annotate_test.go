package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

func websocketWith(t *testing.T, changes ...sim.AnnotationChange) *sim.Result {
	t.Helper()
	sc, err := scenarios.Load("../examples/websocket/scenario.yaml")
	require.NoError(t, err)
	sc.Spec.Annotate = changes
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	return res
}

func hpaEvents(res *sim.Result, after time.Duration) []sim.Event {
	var out []sim.Event
	for _, e := range res.Events {
		if e.Source == "HPA" && e.T >= after {
			out = append(out, e)
		}
	}
	return out
}

func conditionAt(res *sim.Result, typ string, at time.Duration) (sim.ConditionChange, bool) {
	for _, c := range res.Conditions {
		if c.Type == typ && c.T == at {
			return c, true
		}
	}
	return sim.ConditionChange{}, false
}

// A full pause deletes KEDA's HPA; removing it creates a new one, which the
// HPA controller first syncs one resync period after its creation, not at
// the old 15 s grid, and a new scale loop, which polls at once.
func TestAnnotatePauseThenUnpause(t *testing.T) {
	pause := 3 * time.Minute
	unpause := 11*time.Minute + 7*time.Second
	res := websocketWith(t,
		sim.AnnotationChange{At: pause, Set: map[string]string{"autoscaling.keda.sh/paused": "true"}},
		sim.AnnotationChange{At: unpause, Remove: []string{"autoscaling.keda.sh/paused"}},
	)
	c, ok := conditionAt(res, "Paused", pause)
	require.True(t, ok, "Paused condition at the annotation: %+v", res.Conditions)
	require.Equal(t, "True", c.Status)
	require.Equal(t, "ScaledObjectPaused", c.Reason)
	c, ok = conditionAt(res, "Paused", unpause)
	require.True(t, ok)
	require.Equal(t, "False", c.Status)
	require.Equal(t, "ScaledObjectUnpaused", c.Reason)

	for _, e := range hpaEvents(res, pause) {
		require.GreaterOrEqual(t, e.T, unpause, "no HPA while paused: %+v", e)
	}
	after := hpaEvents(res, unpause)
	require.NotEmpty(t, after)
	// The new HPA syncs from unpause+15s (11m22s) every 15s; the old grid
	// (multiples of 15s from the start) would give 12m or 12m15s.
	require.Equal(t, time.Duration(0), (after[0].T-unpause-15*time.Second)%(15*time.Second), "rescale at %s is off the recreated HPA's grid", after[0].T)
	require.NotEqual(t, time.Duration(0), after[0].T%(15*time.Second), "rescale at %s is on the old grid", after[0].T)
	require.Equal(t, int32(5), after[0].From)

	var kubectl []sim.Event
	for _, e := range res.Events {
		if e.Source == "kubectl" {
			kubectl = append(kubectl, e)
		}
	}
	require.Len(t, kubectl, 2)
	require.Contains(t, kubectl[0].Message, "kubectl annotate scaledobject websocket-scaledobject autoscaling.keda.sh/paused=true")
	require.Contains(t, kubectl[1].Message, "autoscaling.keda.sh/paused-")
}

// paused-scale-in rewrites the HPA's behavior but keeps the HPA: no scale-in
// while it is set, and the scale-in resumes at the HPA's old sync grid when
// it is removed.
func TestAnnotatePauseScaleIn(t *testing.T) {
	set, remove := 5*time.Minute, 14*time.Minute+5*time.Second
	res := websocketWith(t,
		sim.AnnotationChange{At: set, Set: map[string]string{"autoscaling.keda.sh/paused-scale-in": "true"}},
		sim.AnnotationChange{At: remove, Remove: []string{"autoscaling.keda.sh/paused-scale-in"}},
	)
	c, ok := conditionAt(res, "Paused", set)
	require.True(t, ok)
	require.Equal(t, "True", c.Status)
	for _, e := range hpaEvents(res, set) {
		if e.To < e.From {
			require.Greater(t, e.T, remove, "scale-in while paused-scale-in: %+v", e)
		}
	}
	after := hpaEvents(res, remove)
	require.NotEmpty(t, after)
	require.Equal(t, 14*time.Minute+15*time.Second, after[0].T, "the HPA keeps its 15 s grid")
	require.Less(t, after[0].To, after[0].From)
	require.Equal(t, int32(1), res.Samples[len(res.Samples)-1].DesiredReplicas)
}
