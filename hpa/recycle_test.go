package hpa

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestRecycleDecisions: an Autoscaler that recycles its decisions' slices
// decides exactly as one that does not, and each decision stays intact
// until the second Reconcile after it.
func TestRecycleDecisions(t *testing.T) {
	two := kedaSpec(&Behavior{})
	two.Metrics = append(two.Metrics, two.Metrics[0])
	two.Metrics[1].Name = "s1-prometheus"
	for _, spec := range []Spec{kedaSpec(nil), kedaSpec(&Behavior{}), two} {
		plain, recycled := newAS(t, spec, DefaultConfig()), newAS(t, spec, DefaultConfig())
		recycled.RecycleDecisions()
		r := rand.New(rand.NewPCG(3, 4))
		replicas := int32(1)
		var prev, prevCopy Decision
		for i := range 400 {
			now := t0.Add(time.Duration(i) * 15 * time.Second)
			in := Input{SpecReplicas: replicas, StatusReplicas: replicas, Metrics: []MetricInput{external(int64(r.IntN(400000))), external(int64(r.IntN(400000)))}}
			want, got := plain.Reconcile(now, in), recycled.Reconcile(now, in)
			require.Equal(t, want, got, "reconcile %d", i)
			if i > 0 {
				require.Equal(t, prevCopy, prev, "the previous decision, after reconcile %d", i)
			}
			prev, prevCopy = got, want
			replicas = got.DesiredReplicas
		}
	}
}
