package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/internal/safeio"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Defaults of the cost bounds every command applies (see SECURITY.md):
// generous for real scenarios, far below what exhausts a CI runner.
const (
	defaultTimeout       = 10 * time.Minute
	defaultReplayTimeout = time.Minute
	defaultMaxRuns       = 10_000
)

// guards are the bounds on what one invocation may cost: simulated steps,
// pods and metrics per run (checked before the run starts), runs per
// sweep, wall-clock time, and the time of each live replay request.
type guards struct {
	limits        sim.Limits
	timeout       time.Duration
	replayTimeout time.Duration
	maxRuns       int
	cancel        context.CancelFunc
	// inputs are the files read so far; no output may overwrite them.
	mu     sync.Mutex
	inputs []string
}

// protect records the inputs of a loaded scenario (and -f files).
func (g *guards) protect(sc *scenarios.Scenario, extra ...scenarios.Input) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if sc != nil {
		g.inputs = append(g.inputs, sc.Files...)
	}
	for _, in := range extra {
		if in.Name != "<stdin>" {
			g.inputs = append(g.inputs, in.Name)
		}
	}
}

// writeFile writes an output whole or not at all, never through a
// symbolic link and never over an input (safeio.WriteFile).
func (g *guards) writeFile(path string, f func(io.Writer) error) error {
	g.mu.Lock()
	inputs := append([]string(nil), g.inputs...)
	g.mu.Unlock()
	return safeio.WriteFile(path, inputs, f)
}

func addGuardFlags(root *cobra.Command, g *guards) {
	f := root.PersistentFlags()
	g.limits = sim.DefaultLimits
	g.timeout, g.replayTimeout, g.maxRuns = defaultTimeout, defaultReplayTimeout, defaultMaxRuns
	f.Var(&durationValue{d: &g.timeout}, "timeout", "stop a command that runs longer than this, with exit 2 and where the simulation was (0: no limit; default 10m)")
	f.Var(&durationValue{d: &g.replayTimeout}, "replay-timeout", "bound on each request to a live Prometheus (default 1m)")
	f.Int64Var(&g.limits.MaxSteps, "max-steps", sim.DefaultLimits.MaxSteps, "most ticks one run may simulate (duration / tick)")
	f.Int32Var(&g.limits.MaxPods, "max-pods", sim.DefaultLimits.MaxPods, "most pods one run may create (initial replicas and the autoscaler's maximum)")
	f.IntVar(&g.limits.MaxMetrics, "max-metrics", sim.DefaultLimits.MaxMetrics, "most triggers or HPA metrics, loads and raw series one run may have")
	f.IntVar(&g.maxRuns, "max-runs", defaultMaxRuns, "most runs one sweep (the product of its --set lists) or one --runs distribution may make")
}

// check refuses bounds that would mean no bound at all.
func (g *guards) check() error {
	switch {
	case g.limits.MaxSteps < 1, g.limits.MaxPods < 1, g.limits.MaxMetrics < 1, g.maxRuns < 1:
		return usageError{"--max-steps, --max-pods, --max-metrics and --max-runs must be at least 1"}
	case g.timeout < 0, g.replayTimeout < 0:
		return usageError{"--timeout and --replay-timeout must not be negative"}
	}
	return nil
}

// start bounds e's context by --timeout.
func (g *guards) start(e *env) {
	if g.timeout > 0 {
		e.ctx, g.cancel = context.WithTimeout(e.ctx, g.timeout)
	}
}

func (g *guards) stop() {
	if g.cancel != nil {
		g.cancel()
	}
}

// options applies the bounds to a scenario's loading.
func (g *guards) options(o scenarios.Options) scenarios.Options {
	o.Limits, o.ReplayTimeout = g.limits, g.replayTimeout
	return o
}

// timedOut rewrites an error caused by --timeout into what happened and
// what to change: exit 2, never a partial answer.
func (g *guards) timedOut(err error) error {
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || g.timeout == 0 {
		return err
	}
	var ie *sim.InterruptedError
	if errors.As(err, &ie) {
		return fmt.Errorf("stopped by --timeout %s at simulated %s of %s; raise --timeout (0: no limit) or shorten spec.duration", g.timeout, ie.At, ie.Duration)
	}
	return fmt.Errorf("stopped by --timeout %s: %v; raise --timeout (0: no limit)", g.timeout, err)
}
