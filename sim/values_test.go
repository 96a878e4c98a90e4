package sim_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// TestLoadValuesThatCannotBe: NaN, infinite and negative loads are
// refused; read as they are they would make a load of 0 and a calm
// answer.
func TestLoadValuesThatCannotBe(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name  string
		shape sim.Shape
		edit  func(*sim.Load)
		want  string
	}{
		{"NaN step", sim.Step{To: nan}, nil, "loads[0]: to is NaN: a load is a finite number, 0 or more"},
		{"infinite spike", sim.Spike{Base: 1, Peak: inf, Duration: time.Minute}, nil, "loads[0]: peak is +Inf"},
		{"negative sine", sim.Sine{Period: time.Hour, Min: -5, Max: 5}, nil, "loads[0]: min is -5"},
		{"infinite step value", sim.Steps{Interval: time.Minute, Values: []float64{1, nan, inf}}, nil, "loads[0]: values[2] is +Inf"},
		{"negative replayed point", sim.Points{T: []time.Duration{0, time.Minute}, V: []float64{1, -2}}, nil, "loads[0]: the point at 1m0s is -2"},
		{"infinite term of a sum", sim.Sum{sim.Step{To: 5}, sim.Spike{Peak: -inf, Duration: time.Minute}}, nil, "loads[0]: peak is -Inf"},
		{"zero-length stage", sim.Stages{Stages: []sim.Stage{{Target: 3}}}, nil, "loads[0]: stages[0].duration must be positive"},
		{"count beyond exact", sim.Step{To: 1e300}, nil, "loads[0]: to is 1e+300: above 9.007199254740992e+15, the largest load counted exactly"},
		{"NaN capacity", sim.Step{To: 1}, func(l *sim.Load) { l.Capacity = nan }, "loads[0]: capacity, serviceRate and noise must be finite numbers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := kafkaSpec(4, 2, 10)
			spec.Loads[0] = sim.Load{Metric: "x", Model: sim.Requests, Shape: tc.shape}
			if tc.edit != nil {
				tc.edit(&spec.Loads[0])
			}
			_, err := sim.New(spec)
			require.ErrorContains(t, err, tc.want)
		})
	}
	spec := kafkaSpec(4, 2, 10)
	spec.Loads[0] = sim.Load{Metric: "x", Model: sim.Requests,
		Shape: sim.Sum{sim.Sine{Period: time.Hour, Min: 10, Max: 20}, sim.Spike{Base: 0, Peak: -5, Duration: time.Minute}}}
	_, err := sim.New(spec)
	require.NoError(t, err, "a dip below a base is a negative term of a sum")
	spec.Loads[0].Shape = sim.Steps{Interval: time.Minute, Values: []float64{1, nan, 3}}
	_, err = sim.New(spec)
	require.NoError(t, err, "NaN in steps is a gap")
}
