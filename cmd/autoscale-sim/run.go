package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/output"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

type runOptions struct {
	out, html, promURL, httpConfig string
	openMetrics                    string
	quiet                          bool
	manifests                      []string
	// runs, workers and shard are --runs, --workers and --shard (see
	// runMany), shardOut --shard-out.
	runs, workers   int
	shard, shardOut string
	output          outputFlag
}

func newRunCommand(e *env) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run SCENARIO.yaml",
		Short: "Run a scenario: print the timeline and the figures, write traces and plots",
		Long: `Run a scenario on the virtual clock and print the timeline of scale
events (as kubectl describe hpa words them), then the figures of the run:
cost (replica-seconds), time overloaded, time above target, time to the
first scale-up after the load rises, scale events and flaps.`,
		Example: `  autoscale-sim run examples/websocket/scenario.yaml --out out/
  autoscale-sim run examples/websocket/scenario.yaml -o json
  autoscale-sim run scenario.yaml -f deploy/ --html report.html
  autoscale-sim run examples/queue/scenario.yaml --openmetrics queue.om
  autoscale-sim run scenario.yaml --prometheus-url https://thanos:9091 --http-config http.yaml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && len(o.manifests) > 0 {
				return usageError{"run needs a scenario file for the load; -f only adds manifests to it (lint -f alone uses " + scenarios.DefaultScenarioName + ")"}
			}
			return exactArgs(1, "run needs exactly one scenario file")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error { return o.run(e, args[0]) },
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "directory for trace.csv, trace.json, plot.png and plot.svg (none when empty)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors (outputs are still written)")
	f.StringVar(&o.html, "html", "", "write a self-contained HTML review of the run to this file")
	f.StringVar(&o.openMetrics, "openmetrics", "", "write the simulated series (the workload's, and kube-state-metrics' and KEDA's for the HPA, Deployment and ScaledObject) to this file in OpenMetrics text, for promtool tsdb create-blocks-from openmetrics")
	f.StringVar(&o.promURL, "prometheus-url", "", "Prometheus to read live replays from when the scenario names none (e.g. http://127.0.0.1:9090)")
	f.StringVar(&o.httpConfig, "http-config", "", "HTTP client configuration of the Prometheus, in Prometheus' http_config format (bearer token, basic auth, TLS, headers)")
	f.IntVar(&o.runs, "runs", 0, "run N seeded variants (seed, seed+1, ...) in parallel and report each figure as median, p95 and max (default: the scenario's spec.runs, else 1)")
	f.IntVar(&o.workers, "workers", 0, "runs simulated at once with --runs (default: every core); the output does not depend on it")
	f.StringVar(&o.shard, "shard", "", "with --runs: run only part K/N (the runs whose index is K modulo N) and write it as JSON for merge")
	f.StringVar(&o.shardOut, "shard-out", "", "file for the --shard JSON (default: standard output)")
	addManifestsFlag(cmd, &o.manifests, "manifests to add to the scenario's")
	addOutputFlag(cmd, &o.output)
	return cmd
}

func (o *runOptions) run(e *env, file string) error {
	if err := o.output.check(); err != nil {
		return err
	}
	inputs, err := scenarios.ReadInputs(e.stdin, o.manifests...)
	if err != nil {
		return err
	}
	opts := e.guards.options(scenarios.Options{PrometheusURL: o.promURL, Context: e.ctx, Manifests: inputs})
	if err := withHTTPConfig(&opts, o.httpConfig); err != nil {
		return err
	}
	sc, err := scenarios.LoadWith(file, opts)
	if err != nil {
		return err
	}
	e.guards.protect(sc, inputs...)
	n := o.runs
	if n == 0 {
		n = sc.Runs
	}
	if n < 0 {
		return usageError{fmt.Sprintf("--runs %d: want at least 1", n)}
	}
	if n > 1 || o.shard != "" {
		// A namespace's runs too (distributionOf).
		return o.runMany(e, sc, max(n, 1))
	}
	if sc.Namespace != nil {
		return o.runNamespace(e, sc)
	}
	run, err := check.RunScenario(e.ctx, sc)
	if err != nil {
		return err
	}
	res := run.Result
	text := o.output.text() && !o.quiet
	if text {
		if err := report.WriteTimeline(e.stdout, res); err != nil {
			return err
		}
		writeFigures(e.stdout, run.Figures())
	}
	if o.html != "" {
		rv, err := reviewOf(e.ctx, run)
		if err != nil {
			return err
		}
		if err := e.guards.writeFile(o.html, func(w io.Writer) error { return report.WriteReviewHTML(w, rv) }); err != nil {
			return err
		}
		if text {
			fmt.Fprintf(e.stdout, "wrote %s\n", o.html)
		}
	}
	if o.openMetrics != "" {
		x, err := openmetrics.Simulate(e.ctx, sc.Spec)
		if err != nil {
			return sc.LocateError(err)
		}
		if err := e.guards.writeFile(o.openMetrics, x.Write); err != nil {
			return err
		}
		if text {
			fmt.Fprintf(e.stdout, "wrote %s\n", o.openMetrics)
		}
	}
	if o.out != "" {
		if err := writeOutputs(e.guards, o.out, res); err != nil {
			return err
		}
		if text {
			fmt.Fprintf(e.stdout, "wrote %s\n", strings.Join([]string{
				filepath.Join(o.out, "trace.csv"), filepath.Join(o.out, "trace.json"),
				filepath.Join(o.out, "plot.png"), filepath.Join(o.out, "plot.svg"),
			}, ", "))
		}
	}
	if !o.output.text() && !o.quiet {
		return output.Write(e.stdout, o.output.format, output.RunResultOf(run))
	}
	return nil
}

// writeFigures prints the figures a design review compares, after the
// timeline.
func writeFigures(w io.Writer, f check.Figures) {
	first := "no scale-up after the load rises"
	if f.ScaledUpAfterRise {
		first = "first scale-up " + check.Duration(f.TimeToFirstScaleUp) + " after the load rises"
	}
	fmt.Fprintf(w, "Figures: cost %s replica-seconds, overloaded %s, above target %s, %s, %s, %s\n",
		formatFloat(f.ReplicaSeconds), check.Duration(seconds(f.OverloadedSeconds)), check.Duration(f.AboveTarget), first,
		plural(f.ScaleEvents, "scale event"), plural(f.DirectionChanges, "flap"))
	if n := f.Nodes; n != nil {
		writeNodeFigures(w, n)
	}
	if j := f.Jobs; j != nil {
		fmt.Fprintf(w, "Jobs: %s created (%d succeeded, %d failed), at most %d running; messages waited %s on average (%d taken, %d still waiting)\n",
			fmt.Sprint(j.JobsCreated), j.JobsSucceeded, j.JobsFailed, j.PeakRunning, check.Duration(j.MeanMessageWait), j.MessagesTaken, j.MessagesWaiting)
	}
}

// writeNodeFigures prints the figures of a run on a node pool.
func writeNodeFigures(w io.Writer, n *sim.NodeFigures) {
	fmt.Fprintf(w, "Nodes: peak %d Ready at %s, %d added, %d removed; cost %s node-seconds (%s Ready); pods waited %s Pending in all (%s, longest %s)\n",
		n.PeakNodes, check.Duration(n.PeakNodesAt), n.NodesAdded, n.NodesRemoved, formatFloat(n.NodeSeconds), formatFloat(n.ReadyNodeSeconds),
		check.Duration(seconds(n.PendingSeconds)), plural(n.PodsWaited, "pod"), check.Duration(n.LongestWait))
	if so := n.ScaleOut; so != nil {
		ready, without := "never before the end", ""
		if so.Reached {
			ready = check.Duration(so.Ready-so.At) + " later"
			// With capacity there, the pods' wait is theirs alone.
			without = ": " + check.Duration(max(so.Ready-so.At-n.ScaleOutNodeWait, 0)) + " without the wait"
		}
		fmt.Fprintf(w, "Scale-out: %d replicas asked at %s, all Ready %s, of which %s waiting for a node%s\n",
			so.To, check.Duration(so.At), ready, check.Duration(n.ScaleOutNodeWait), without)
	}
}
