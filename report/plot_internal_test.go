package report

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// TestMetricInTargetUnit: each metric is drawn in the unit of its target.
// The HPA divides an External or Object AverageValue metric by the pods, so
// it is drawn per ready pod; Pods averages, Value targets and utilization
// are drawn as read. Drawing the sum against a per-pod target is the
// mistake this guards against.
func TestMetricInTargetUnit(t *testing.T) {
	sample := sim.Sample{ReadyReplicas: 5, Replicas: 6, Metrics: []float64{200}}
	tests := []struct {
		source, target string
		want           float64
	}{
		{"External", "AverageValue", 40},
		{"Object", "AverageValue", 40},
		{"External", "Value", 200},
		{"Pods", "AverageValue", 200},
		{"Resource", "Utilization", 200},
	}
	for _, tt := range tests {
		t.Run(tt.source+"/"+tt.target, func(t *testing.T) {
			r := &sim.Result{Metrics: []sim.MetricInfo{{Name: "m", Target: 40, SourceType: tt.source, TargetType: tt.target}}}
			v := viewOf(r, 0)
			require.InDelta(t, tt.want, v.value(sample), 0)
			noPod := sample
			noPod.ReadyReplicas = 0
			if v.perPod {
				require.True(t, math.IsNaN(v.value(noPod)), "no per-pod value without a ready pod")
			} else {
				require.InDelta(t, 200, v.value(noPod), 0)
			}
		})
	}
	// Only the per-pod kind gets a second panel, the query result with
	// the activation threshold.
	r := &sim.Result{Metrics: []sim.MetricInfo{
		{Name: "a", Target: 40, ActivationTarget: 5, SourceType: "External", TargetType: "AverageValue"},
		{Name: "b", Target: 40, ActivationTarget: 5, SourceType: "External", TargetType: "Value"},
	}}
	a, b := metricPanels(r, 0), metricPanels(r, 1)
	require.Len(t, a, 2)
	require.Len(t, b, 1)
	require.Equal(t, []panelLabel{{v: 40, text: "target 40", color: metricColors[0]}}, a[0].labels)
	require.Equal(t, []panelLabel{{v: 5, text: "activation 5", color: black}}, a[1].labels)
	require.Len(t, b[0].labels, 2, "a Value target and its activation share the unit and the panel")
}

func TestToleranceBand(t *testing.T) {
	r := &sim.Result{Tolerances: hpa.Tolerances{ScaleDown: 0.05, ScaleUp: 0.2}}
	lo, hi, label := tolerance(r, 40)
	require.InDelta(t, 38, lo, 1e-12)
	require.InDelta(t, 48, hi, 1e-12)
	require.Equal(t, "−5% / +20%", label)
	// Before Kubernetes 1.33 the test is |1 - ratio| <= tolerance: symmetric.
	r.Tolerances.Legacy = true
	lo, hi, label = tolerance(r, 40)
	require.InDelta(t, 32, lo, 1e-12)
	require.InDelta(t, 48, hi, 1e-12)
	require.Equal(t, "±20%", label)
}

// TestBoundsAtZero: minReplicaCount 0 is a line of its own above the axis,
// labelled, distinct from the maximum in style.
func TestBoundsAtZero(t *testing.T) {
	r := &sim.Result{Autoscaler: "keda", MinReplicas: 0, MaxReplicas: 10, Duration: time.Minute}
	p := replicaPanel(r)
	f := frame{y: 0, h: 100, ys: p.ys}
	require.Less(t, f.py(0), f.y+f.h-2, "the 0 line is above the axis")
	require.Equal(t, "min 0", p.labels[0].text)
	require.Equal(t, "max 10", p.labels[1].text)
	require.Equal(t, "minReplicaCount 0", p.legend[2].label)
	require.NotEqual(t, p.legend[2].stroke, p.legend[3].stroke, "min and max are drawn differently")
}

func TestPlaceMarginLabels(t *testing.T) {
	got := placeMarginLabels([]marginLabel{{y: 50, text: "max 2"}, {y: 52, text: "min 1"}, {y: 99, text: "c"}}, 0, 100, 10)
	require.Len(t, got, 3)
	for i := 1; i < len(got); i++ {
		require.GreaterOrEqual(t, got[i].y-got[i-1].y, 10.0, "no two labels overlap")
	}
	require.LessOrEqual(t, got[2].y, 100.0, "inside the panel")
	require.Equal(t, 50.0, got[0].y, "a label that has room stays at its line")
}

func TestGroupLabels(t *testing.T) {
	steps := func(to int32) []sim.Event { return []sim.Event{{T: time.Minute, From: 1, To: to}} }
	mk := func(th, cd string, to int32) Variant {
		return Variant{Settings: []Setting{{"threshold", th}, {"cooldownPeriod", cd}}, Initial: 1, Changes: steps(to), Duration: time.Hour}
	}
	axes := []Axis{{"threshold", []string{"20", "40", "60"}}, {"cooldownPeriod", []string{"30", "300"}}}
	vs := []Variant{mk("20", "30", 5), mk("20", "300", 5), mk("40", "30", 5), mk("40", "300", 5), mk("60", "30", 4), mk("60", "300", 3)}
	gs := groupVariants(vs)
	require.Len(t, gs, 3)
	require.Equal(t, "threshold=20 or 40, any cooldownPeriod (4 identical runs)", groupLabel(vs, gs[0], axes))
	require.Equal(t, "threshold=60 cooldownPeriod=30", groupLabel(vs, gs[1], axes))
	// Not every combination of the values: the runs are listed.
	odd := []Variant{mk("20", "30", 5), mk("40", "300", 5), mk("40", "30", 4)}
	gs = groupVariants(odd)
	require.Equal(t, "threshold=20 cooldownPeriod=30; threshold=40 cooldownPeriod=300", groupLabel(odd, gs[0], axes))
	// A comparison names both runs.
	cmp := []Variant{{Label: "A a.yaml", Initial: 1, Duration: time.Hour}, {Label: "B b.yaml", Initial: 1, Duration: time.Hour}}
	require.Equal(t, "A a.yaml = B b.yaml (identical)", groupLabel(cmp, groupVariants(cmp)[0], nil))
}

func TestEnvelope(t *testing.T) {
	vs := []Variant{
		{Initial: 1, Duration: 10 * time.Minute, Changes: []sim.Event{{T: time.Minute, To: 4}, {T: 5 * time.Minute, To: 2}}},
		{Initial: 2, Duration: 10 * time.Minute, Changes: []sim.Event{{T: 3 * time.Minute, To: 6}}},
	}
	got := envelope(vs)
	require.Equal(t, []envStep{
		{t: 0, lo: 1, hi: 2},
		{t: time.Minute, lo: 2, hi: 4},
		{t: 3 * time.Minute, lo: 4, hi: 6},
		{t: 5 * time.Minute, lo: 2, hi: 6},
		{t: 10 * time.Minute, lo: 2, hi: 6},
	}, got)
}

func TestSimplify(t *testing.T) {
	in := []pt{{0, 1}, {1, 1}, {2, 1}, {2, 3}, {2, 5}, {3, 5}, {4, 6}}
	require.Equal(t, []pt{{0, 1}, {2, 1}, {2, 5}, {3, 5}, {4, 6}}, simplify(in))
}
