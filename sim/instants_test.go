package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// An instant between ticks or after the end of the run would never come:
// the run would answer as if no crash or restart had been asked for.
func TestInstantsOffTheRunAreRefused(t *testing.T) {
	tests := []struct {
		name string
		edit func(*sim.Spec)
		want string
	}{
		{"crash between ticks", func(s *sim.Spec) {
			s.Workload.Crashes = []sim.Crash{{At: 5*time.Minute + 500*time.Millisecond, Count: 1}}
		}, "workload crashes[0]: at (5m0.5s) must be a multiple of the tick (1s)"},
		{"crash after the end", func(s *sim.Spec) {
			s.Workload.Crashes = []sim.Crash{{At: 25 * time.Minute, Count: 1}}
		}, "workload crashes[0]: at (25m0s) must be before the end of the run (20m0s)"},
		{"restart between ticks", func(s *sim.Spec) {
			s.Faults = []sim.Fault{{Kind: sim.ControllerRestart, From: 90*time.Second + time.Millisecond}}
		}, "faults[0]: from (1m30.001s) must be a multiple of the tick (1s)"},
		{"fault after the end", func(s *sim.Spec) {
			s.Faults = []sim.Fault{{Kind: sim.MetricsDown, From: 30 * time.Minute, To: 31 * time.Minute}}
		}, "faults[0]: from (30m0s) must be before the end of the run (20m0s)"},
		{"fault ending between ticks", func(s *sim.Spec) {
			s.Faults = []sim.Fault{{Kind: sim.MetricsDown, From: time.Minute, To: 2*time.Minute + 300*time.Millisecond}}
		}, "faults[0]: to (2m0.3s) must be a multiple of the tick (1s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := scenarios.Load("../examples/websocket/scenario.yaml")
			require.NoError(t, err)
			tt.edit(&sc.Spec)
			_, err = sim.Run(context.Background(), sc.Spec)
			require.ErrorContains(t, err, tt.want)
		})
	}
	// On the grid and within the run, the crash happens.
	sc, err := scenarios.Load("../examples/websocket/scenario.yaml")
	require.NoError(t, err)
	sc.Spec.Workload.Crashes = []sim.Crash{{At: 5 * time.Minute, Count: 1}}
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	crashed := 0
	for _, e := range res.Events {
		if e.Reason == "PodCrashed" {
			crashed++
		}
	}
	require.Equal(t, 1, crashed)
}
