package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/output"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// runNamespace runs a scenario with spec.workloads: each workload's
// timeline and figures as for one workload, then the namespace's.
func (o *runOptions) runNamespace(e *env, sc *scenarios.Scenario) error {
	for flag, set := range map[string]bool{"--html": o.html != "", "--openmetrics": o.openMetrics != "", "--runs": o.runs > 1 || sc.Runs > 1, "--shard": o.shard != ""} {
		if set {
			return usageError{fmt.Sprintf("%s: %s is not yet available for a scenario with spec.workloads (run it without, or simulate one workload at a time)", sc.File, flag)}
		}
	}
	run, err := check.RunNamespace(e.ctx, sc)
	if err != nil {
		return err
	}
	text := o.output.text() && !o.quiet
	if text {
		writeNamespace(e.stdout, run)
	}
	if o.out != "" {
		var wrote []string
		for i, w := range run.Workloads {
			dir := filepath.Join(o.out, sc.Namespace.Names[i])
			if err := writeOutputs(e.guards, dir, w.Result); err != nil {
				return err
			}
			wrote = append(wrote, filepath.Join(dir, "{trace.csv,trace.json,plot.png,plot.svg}"))
		}
		if text {
			fmt.Fprintf(e.stdout, "wrote %s\n", strings.Join(wrote, ", "))
		}
	}
	if !o.output.text() && !o.quiet {
		return output.Write(e.stdout, o.output.format, output.NamespaceResultOf(run))
	}
	return nil
}

// writeNamespace prints each workload's timeline and figures, then the
// namespace's sums and the pool's figures.
func writeNamespace(w io.Writer, run *check.NamespaceRun) {
	names := run.Scenario.Namespace.Names
	for i, wr := range run.Workloads {
		fmt.Fprintf(w, "== workload %s ==\n", names[i])
		// Errors come from the writer only.
		_ = report.WriteTimeline(w, wr.Result)
		writeFigures(w, wr.Figures())
		fmt.Fprintln(w)
	}
	f := run.Figures()
	fmt.Fprintf(w, "== namespace %s: %s (%s) ==\n", run.Scenario.Name, plural(len(run.Workloads), "workload"), strings.Join(names, ", "))
	fmt.Fprintf(w, "Figures: cost %s replica-seconds, overloaded %s in all\n",
		formatFloat(f.ReplicaSeconds), check.Duration(seconds(f.OverloadedSeconds)))
	if n := f.Nodes; n != nil {
		writeNodeFigures(w, n)
	}
}
