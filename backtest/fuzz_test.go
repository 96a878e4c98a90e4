package backtest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/autoscale-sim/autoscale-sim/backtest"
	"github.com/autoscale-sim/autoscale-sim/replay"
)

// recordingJSON is a query_range answer of the example's HPA, Deployment
// and trigger over n samples 15 s apart.
func recordingJSON(n int, desired, input func(i int) string) string {
	var d, c, q []string
	for i := 0; i < n; i++ {
		t := 1796040000 + 15*i
		d = append(d, fmt.Sprintf(`[%d,"%s"]`, t, desired(i)))
		c = append(c, fmt.Sprintf(`[%d,"1"]`, t))
		q = append(q, fmt.Sprintf(`[%d,"%s"]`, t, input(i)))
	}
	return `{"status":"success","data":{"resultType":"matrix","result":[` +
		`{"metric":{"__name__":"kube_horizontalpodautoscaler_status_desired_replicas","namespace":"demo","horizontalpodautoscaler":"keda-hpa-queue-workers"},"values":[` + strings.Join(d, ",") + `]},` +
		`{"metric":{"__name__":"kube_horizontalpodautoscaler_status_current_replicas","namespace":"demo","horizontalpodautoscaler":"keda-hpa-queue-workers"},"values":[` + strings.Join(c, ",") + `]},` +
		`{"metric":{},"values":[` + strings.Join(q, ",") + `]}]}}`
}

// FuzzBacktest: whatever a recording holds, a backtest answers with an
// error or with figures that add up, never a panic.
func FuzzBacktest(f *testing.F) {
	f.Add(recordingJSON(8, func(int) string { return "1" }, func(i int) string { return fmt.Sprint(100 * i) }))
	f.Add(recordingJSON(8, func(i int) string { return fmt.Sprint(i % 3) }, func(int) string { return "NaN" }))
	f.Add(recordingJSON(3, func(int) string { return "1e300" }, func(int) string { return "+Inf" }))
	f.Add(recordingJSON(4, func(int) string { return "-1" }, func(int) string { return "-5" }))
	f.Add(recordingJSON(2, func(int) string { return "2.5" }, func(int) string { return "1" }))
	spec := load(f, "../examples/backtest/scenario.yaml")
	target, err := backtest.TargetOf(spec)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		series, err := replay.ReadQueryRange(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, input := range []string{backtest.InputQuery, backtest.InputKEDA} {
			rec, _, err := backtest.Classify(target, series, input)
			if err != nil {
				continue
			}
			from, to, ok := rec.Span()
			if !ok {
				continue
			}
			// Bound the cost of one input: at most ten minutes.
			if to.Sub(from) > 10*time.Minute {
				to = from.Add(10 * time.Minute)
			}
			rec.From, rec.To = from, to
			r, err := backtest.Run(context.Background(), spec, target, rec, backtest.Options{MaxLag: time.Minute})
			if err != nil {
				continue
			}
			if r.Agreement < 0 || r.Agreement > 1 || r.LagAgreement < 0 || r.LagAgreement > 1 {
				t.Fatalf("agreement %g, at the lag %g", r.Agreement, r.LagAgreement)
			}
			if r.Agreeing+len(r.Disagreement) != r.Syncs || r.Missing > len(r.Disagreement) {
				t.Fatalf("%d agreeing and %d disagreements (%d missing) of %d syncs", r.Agreeing, len(r.Disagreement), r.Missing, r.Syncs)
			}
		}
	})
}
