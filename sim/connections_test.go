package sim

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func readyPods(loads ...int64) []*pod {
	out := make([]*pod, len(loads))
	for i, l := range loads {
		out[i] = &pod{name: string(rune('a' + i)), seq: i, ready: true, load: []int64{l}}
	}
	return out
}

func podLoads(ps []*pod) []int64 {
	out := make([]int64, len(ps))
	for _, p := range ps {
		out[p.seq] = p.load[0]
	}
	return out
}

func TestBalanceConnections(t *testing.T) {
	tests := []struct {
		name  string
		loads []int64
		// notReady marks pods (by index) that left the endpoints.
		notReady []int
		want     int64
		expect   []int64
	}{
		{name: "new connections fill the least-loaded pods first", loads: []int64{10, 0, 4}, want: 20, expect: []int64{10, 5, 5}},
		{name: "remainder goes to the older pods", loads: []int64{0, 0, 0}, want: 8, expect: []int64{3, 3, 2}},
		{name: "existing connections stay where they are", loads: []int64{200, 0, 0, 0, 0}, want: 200, expect: []int64{200, 0, 0, 0, 0}},
		{name: "growth never moves existing connections", loads: []int64{200, 0, 0}, want: 230, expect: []int64{200, 15, 15}},
		{name: "closing takes from the busiest pods first", loads: []int64{10, 2, 6}, want: 12, expect: []int64{5, 2, 5}},
		{name: "closing everything", loads: []int64{10, 2, 6}, want: 0, expect: []int64{0, 0, 0}},
		{name: "a stopped pod's clients reconnect to the others", loads: []int64{30, 30, 30}, notReady: []int{2}, want: 90, expect: []int64{45, 45, 0}},
		{name: "no ready pod: clients wait", loads: []int64{5}, notReady: []int{0}, want: 10, expect: []int64{0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := readyPods(tc.loads...)
			for _, i := range tc.notReady {
				ps[i].ready = false
			}
			balanceConnections(ps, 0, tc.want)
			require.Equal(t, tc.expect, podLoads(ps))
		})
	}
}

func TestPodsToDelete(t *testing.T) {
	mk := func(name string, seq int, ready bool, readyAt int) *pod {
		return &pod{name: name, seq: seq, ready: ready, readyAt: sec(readyAt), created: sec(seq)}
	}
	active := []*pod{
		mk("old-ready", 0, true, 10),
		mk("new-ready", 1, true, 50),
		mk("starting", 2, false, 90),
		mk("mid-ready", 3, true, 30),
	}
	var names []string
	for _, p := range podsToDelete(active, 3) {
		names = append(names, p.name)
	}
	// Not-ready first, then the most recently ready.
	require.Equal(t, []string{"starting", "new-ready", "mid-ready"}, names)
}

func TestShapes(t *testing.T) {
	stages := Stages{Start: 0, Stages: []Stage{{Duration: sec(10), Target: 200}, {Duration: sec(20), Target: 200}, {Duration: sec(10), Target: 0}}}
	steps := Steps{Interval: sec(15), Values: []float64{0, 50, nan(), 200}}
	tests := []struct {
		name  string
		shape Shape
		at    int
		want  float64
	}{
		{"stages start", stages, 0, 0},
		{"stages ramp", stages, 5, 100},
		{"stages hold", stages, 20, 200},
		{"stages ramp down", stages, 35, 100},
		{"stages after the end", stages, 100, 0},
		{"steps first", steps, 0, 0},
		{"steps hold within interval", steps, 29, 50},
		{"steps omitted keeps previous", steps, 31, 50},
		{"steps last", steps, 45, 200},
		{"steps after the end", steps, 1000, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.InDelta(t, tc.want, tc.shape.At(sec(tc.at)), 1e-9)
		})
	}
}
