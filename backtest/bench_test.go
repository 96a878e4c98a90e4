package backtest_test

import (
	"context"
	"io"
	"testing"

	"github.com/autoscale-sim/autoscale-sim/backtest"
	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// BenchmarkBacktestDay backtests a day of 15 s syncs (examples/diurnal,
// 5,761 syncs) against its own export, with the trigger's recorded
// keda_scaler_metrics_value as input; BenchmarkExportDay exports the same
// day as OpenMetrics text.
func BenchmarkBacktestDay(b *testing.B) {
	spec := load(b, "../examples/diurnal/scenario.yaml")
	x, err := openmetrics.Simulate(context.Background(), spec)
	if err != nil {
		b.Fatal(err)
	}
	target, err := backtest.TargetOf(spec)
	if err != nil {
		b.Fatal(err)
	}
	rec, _, err := backtest.Classify(target, recorded(x), backtest.InputKEDA)
	if err != nil {
		b.Fatal(err)
	}
	spec = spec.Defaulted()
	rec.From, rec.To = spec.Start, spec.Start.Add(spec.Duration)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := backtest.Run(context.Background(), spec, target, rec, backtest.Options{})
		if err != nil || r.Agreement != 1 {
			b.Fatal(err, r.Agreement)
		}
	}
}

func BenchmarkExportDay(b *testing.B) {
	spec := load(b, "../examples/diurnal/scenario.yaml")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		x, err := openmetrics.Simulate(context.Background(), spec)
		if err != nil {
			b.Fatal(err)
		}
		if err := x.Write(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunDay is the plain run of the same day, the baseline of the
// two above.
func BenchmarkRunDay(b *testing.B) {
	spec := load(b, "../examples/diurnal/scenario.yaml")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := sim.Run(context.Background(), spec); err != nil {
			b.Fatal(err)
		}
	}
}
