package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/output"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// runNamespace runs a scenario with spec.workloads once (run takes
// --runs first): each workload's timeline and figures as for one
// workload, then the namespace's.
func (o *runOptions) runNamespace(e *env, sc *scenarios.Scenario) error {
	run, err := check.RunNamespace(e.ctx, sc)
	if err != nil {
		return err
	}
	text := o.output.text() && !o.quiet
	if text {
		writeNamespace(e.stdout, run)
	}
	if o.html != "" {
		page, err := namespaceReview(e, run)
		if err != nil {
			return err
		}
		if err := e.guards.writeFile(o.html, func(w io.Writer) error { return report.WriteNamespaceHTML(w, page) }); err != nil {
			return err
		}
		if text {
			fmt.Fprintf(e.stdout, "wrote %s\n", o.html)
		}
	}
	if o.openMetrics != "" {
		x, _, err := openmetrics.SimulateNamespace(e.ctx, sc.Namespace.Spec(sc.Name))
		if err != nil {
			return sc.Namespace.LocateError(err)
		}
		if err := e.guards.writeFile(o.openMetrics, x.Write); err != nil {
			return err
		}
		if text {
			fmt.Fprintf(e.stdout, "wrote %s\n", o.openMetrics)
		}
	}
	if o.out != "" {
		// The namespace as one (replicas summed, the pool's nodes) at the
		// top, each workload in a directory of its own.
		total, _ := run.Total()
		if err := writeOutputs(e.guards, o.out, total.Result); err != nil {
			return err
		}
		wrote := []string{filepath.Join(o.out, "{trace.csv,trace.json,plot.png,plot.svg}")}
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

// namespaceReview is the review of each workload (linted) and the
// namespace as one.
func namespaceReview(e *env, run *check.NamespaceRun) (report.Namespace, error) {
	total, _ := run.Total()
	page := report.Namespace{Title: "autoscale-sim: namespace " + run.Scenario.Name, Names: run.Scenario.Namespace.Names, Total: total.Result}
	for _, w := range run.Workloads {
		rv, err := reviewOf(e.ctx, w)
		if err != nil {
			return report.Namespace{}, err
		}
		page.Workloads = append(page.Workloads, rv)
	}
	return page, nil
}
