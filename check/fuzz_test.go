package check_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// FuzzRunScenario drives the whole path on fuzzed scenarios: load (with
// the bundled examples' manifests), simulate within small limits, check
// the expectations, lint, and write every report. Any input may be
// refused; none may panic or run unbounded.
func FuzzRunScenario(f *testing.F) {
	paths, _ := filepath.Glob("../examples/*/*scenario*.yaml")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(filepath.Dir(p), string(data))
		}
	}
	f.Fuzz(func(t *testing.T, dir, text string) {
		if len(text) > 1<<13 {
			return
		}
		read := func(name string) ([]byte, error) {
			if filepath.IsAbs(name) || len(name) > 200 {
				return nil, os.ErrNotExist
			}
			clean := filepath.Clean("/" + name)
			data, err := os.ReadFile(filepath.Join("../examples", filepath.Base(dir), clean))
			if err != nil && strings.HasPrefix(name, "../") {
				// A sibling example's manifest (examples/node-pool reads
				// examples/websocket's), still within examples/.
				data, err = os.ReadFile(filepath.Join("../examples", clean))
			}
			return data, err
		}
		opts := scenarios.Options{Limits: sim.Limits{MaxSteps: 2 * 3600, MaxPods: 200, MaxMetrics: 10}, ReplayTimeout: time.Millisecond}
		sc, err := scenarios.ParseWith("scenario.yaml", []byte(text), read, opts)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		run, err := check.RunScenario(ctx, sc)
		if err != nil {
			return
		}
		_, _ = check.Lint(ctx, sc)
		r := run.Result
		_ = report.WriteTimeline(io.Discard, r)
		_ = report.WriteCSV(io.Discard, r)
		_ = report.WriteJSON(io.Discard, r)
		_ = report.WritePlot(io.Discard, r, "svg")
	})
}
