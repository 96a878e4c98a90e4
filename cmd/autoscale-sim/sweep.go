package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/output"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// variant is one run of a sweep or a comparison: its figures and
// replicas over time (report.Variant, all the overview plots need: a
// sweep keeps them rather than the whole trace, which at a sample per
// second is megabytes per simulated day and variant).
type variant struct {
	report.Variant
	File      string
	Overrides []scenarios.Override
	// keep asks for the whole run (compare --html shows each in full).
	keep bool
	run  *check.Run
	Err  error
	// values are the axis values of a variant read from a shard.
	values []string
}

type sweepOptions struct {
	sets                                       []string
	csv, plot, heatmap, figure, html, scenario string
	parallel                                   int
	// shard and shardOut are --shard K/N and --shard-out.
	shard, shardOut string
	output          outputFlag
	guards          *guards
}

func newSweepCommand(e *env) *cobra.Command {
	o := &sweepOptions{guards: e.guards}
	cmd := &cobra.Command{
		Use:   "sweep SCENARIO.yaml --set PATH=V1,V2,... [--set ...]",
		Short: "Run every combination of settings and compare their figures",
		Long: `Run every combination of the --set axes in parallel on all cores and
print one row of figures per combination, in the order of the axes (the
first axis varies slowest). A path names a field of the autoscaler manifest
(spec.cooldownPeriod, spec.triggers[0].metadata.threshold) or of the
scenario (spec.workload.podStartup, spec.load[0].capacity,
spec.prometheus.scrapeInterval): the fields of a scenario's spec and of a
ScaledObject's or HPA's spec have no name in common. A progress bar is
drawn on stderr when it is a terminal.`,
		Example: `  autoscale-sim sweep examples/websocket/scenario.yaml --set 'spec.triggers[0].metadata.threshold=20,40,60' --set spec.cooldownPeriod=30,300
  autoscale-sim sweep examples/websocket/scenario.yaml --set spec.workload.podStartup=10s,1m,2m -o json
  autoscale-sim sweep examples/http-rate/scenario.yaml --set 'spec.load[0].capacity=4,8' --csv sweep.csv --plot sweep.svg`,
		Args: exactArgs(1, "sweep needs exactly one scenario file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.scenario = args[0]
			return sweepCommand(e.ctx, o, e.stdout, e.stderr)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.sets, "set", nil, "an axis PATH=V1,V2,... on the autoscaler manifest or the scenario (repeatable; every combination runs)")
	f.StringVar(&o.csv, "csv", "", "write the summary as CSV to this file")
	f.StringVar(&o.plot, "plot", "", "write the replicas over time of every run to this .png or .svg file")
	f.StringVar(&o.heatmap, "heatmap", "", "write a heatmap of --figure over the first two axes to this .png or .svg file")
	f.StringVar(&o.figure, "figure", "cost", "the figure of --heatmap: "+strings.Join(report.HeatmapFigures(), ", "))
	f.StringVar(&o.html, "html", "", "write a self-contained HTML review of the sweep to this file")
	f.IntVar(&o.parallel, "parallel", runtime.NumCPU(), "runs at once")
	f.StringVar(&o.shard, "shard", "", "run only part K/N of the combinations (those whose index is K modulo N) and write it as JSON for merge")
	f.StringVar(&o.shardOut, "shard-out", "", "file for the --shard JSON (default: standard output)")
	addOutputFlag(cmd, &o.output)
	return cmd
}

// sweepShardKind marks the JSON of sweep --shard.
const sweepShardKind = "SweepShard"

// sweepShard is part of a sweep: the figures and replica changes of its
// combinations, and what merge needs to write the whole sweep's outputs.
type sweepShard struct {
	Kind     string         `json:"kind"`
	Scenario string         `json:"scenario"`
	Headers  []string       `json:"headers"`
	Names    []string       `json:"names"`
	Axes     []report.Axis  `json:"axes"`
	Total    int            `json:"total"`
	Shard    check.Shard    `json:"shard"`
	Variants []shardVariant `json:"variants"`
}

type shardVariant struct {
	Index   int            `json:"index"`
	Values  []string       `json:"values"`
	Variant report.Variant `json:"variant"`
}

// mergeSweep writes the outputs of the whole sweep from its shards.
func mergeSweep(ctx context.Context, o *sweepOptions, stdout io.Writer, shards []sweepShard) error {
	first := shards[0]
	n, axes := 0, len(first.Axes)
	if len(first.Headers) != axes || len(first.Names) != axes || axes == 0 {
		return invalidError{fmt.Sprintf("shard 0 (%d/%d): its axes, headers and names do not match", first.Shard.K, first.Shard.N)}
	}
	for si, sh := range shards {
		n += len(sh.Variants)
		for _, v := range sh.Variants {
			if len(v.Values) != axes || len(v.Variant.Settings) != axes {
				return invalidError{fmt.Sprintf("shard %d (%d/%d): combination %d has %d values for %d axes", si, sh.Shard.K, sh.Shard.N, v.Index, len(v.Values), axes)}
			}
			for i, st := range v.Variant.Settings {
				if st.Value != v.Values[i] || !slices.Contains(first.Axes[i].Values, st.Value) {
					return invalidError{fmt.Sprintf("shard %d (%d/%d): combination %d: %s=%s is not a value of the sweep's axis", si, sh.Shard.K, sh.Shard.N, v.Index, st.Name, st.Value)}
				}
			}
		}
	}
	switch {
	case n > first.Total:
		return invalidError{fmt.Sprintf("the shards hold %d combinations of a sweep of %d: not the shards of one sweep", n, first.Total)}
	case n < first.Total:
		return invalidError{fmt.Sprintf("the shards hold %d of the %d combinations: some combination is in no shard; give every shard of the sweep", n, first.Total)}
	}
	vs := make([]*variant, first.Total)
	for si, sh := range shards {
		if sh.Scenario != first.Scenario || sh.Total != first.Total || !slices.Equal(sh.Headers, first.Headers) {
			return fmt.Errorf("shard %d (%d/%d) is not of the same sweep as shard 0 (%s, %d combinations)", si, sh.Shard.K, sh.Shard.N, first.Scenario, first.Total)
		}
		for _, v := range sh.Variants {
			if v.Index < 0 || v.Index >= first.Total || vs[v.Index] != nil {
				return fmt.Errorf("shard %d (%d/%d): combination %d is out of range or given twice", si, sh.Shard.K, sh.Shard.N, v.Index)
			}
			vs[v.Index] = &variant{Variant: v.Variant, File: first.Scenario, values: v.Values}
		}
	}
	for i, v := range vs {
		if v == nil {
			return fmt.Errorf("combination %d of %d is in no shard: give every shard of the sweep", i, first.Total)
		}
	}
	if o.html != "" {
		return usageError{"merge writes no --html (it needs the scenario's own run); run sweep --html on one machine"}
	}
	o.scenario = first.Scenario
	out := stdout
	if !o.output.text() {
		stdout = io.Discard
	}
	return writeSweep(ctx, o, stdout, out, first.Headers, first.Names, first.Axes, vs)
}

// sweepCommand runs every combination of the --set axes in parallel and
// prints one row per combination, in the order of the axes.
func sweepCommand(ctx context.Context, o *sweepOptions, stdout, stderr io.Writer) error {
	if err := o.output.check(); err != nil {
		return err
	}
	var axes [][]scenarios.Override
	for _, s := range o.sets {
		vals, err := scenarios.ParseSet(s)
		if err != nil {
			return usageError{"--set " + err.Error()}
		}
		axes = append(axes, vals)
	}
	files := []string{o.scenario}
	csvFile, plotFile, heatmapFile, figure, htmlFile, parallel := &o.csv, &o.plot, &o.heatmap, &o.figure, &o.html, &o.parallel
	// With -o json or yaml the document is all stdout holds.
	out := stdout
	if !o.output.text() {
		stdout = io.Discard
	}
	if len(axes) == 0 {
		return usageError{"sweep needs at least one --set PATH=V1,V2,..."}
	}
	if *parallel < 1 {
		return usageError{"--parallel must be at least 1"}
	}
	if err := checkPlotName("--plot", *plotFile); err != nil {
		return err
	}
	if err := checkPlotName("--heatmap", *heatmapFile); err != nil {
		return err
	}
	if !slices.Contains(report.HeatmapFigures(), *figure) {
		return usageError{fmt.Sprintf("--figure %q: want one of %s", *figure, strings.Join(report.HeatmapFigures(), ", "))}
	}
	headers := make([]string, len(axes))
	for i, a := range axes {
		headers[i] = a[0].Path
	}
	names := shortHeaders(headers)
	// The product is counted before any combination is built.
	total := 1
	for _, a := range axes {
		total *= len(a)
		if total > o.guards.maxRuns {
			return usageError{fmt.Sprintf("the --set lists make more than %d runs (--max-runs); raise --max-runs or sweep fewer values", o.guards.maxRuns)}
		}
	}
	var vs []*variant
	for _, combo := range combinations(axes) {
		parts := make([]string, len(combo))
		settings := make([]report.Setting, len(combo))
		for i, o := range combo {
			parts[i] = names[i] + "=" + o.Value
			settings[i] = report.Setting{Name: names[i], Value: o.Value}
		}
		vs = append(vs, &variant{Variant: report.Variant{Label: strings.Join(parts, " "), Settings: settings}, File: files[0], Overrides: combo})
	}
	raxes := make([]report.Axis, len(axes))
	for i, a := range axes {
		raxes[i] = report.Axis{Name: names[i]}
		for _, o := range a {
			raxes[i].Values = append(raxes[i].Values, o.Value)
		}
	}
	if o.shard != "" {
		shard, err := check.ParseShard(o.shard)
		if err != nil {
			return usageError{err.Error()}
		}
		if *htmlFile != "" || *csvFile != "" || *plotFile != "" || *heatmapFile != "" {
			return usageError{"--shard writes a shard for merge; give --csv, --plot, --heatmap to merge"}
		}
		var part []*variant
		for i, v := range vs {
			if shard.Has(i) {
				part = append(part, v)
			}
		}
		runVariants(ctx, o.guards, part, *parallel, progressTo(stderr))
		doc := sweepShard{Kind: sweepShardKind, Scenario: o.scenario, Headers: headers, Names: names, Axes: raxes, Total: len(vs), Shard: shard}
		for i, v := range vs {
			if !shard.Has(i) {
				continue
			}
			if v.Err != nil {
				return fmt.Errorf("%s: %w", v.Label, v.Err)
			}
			doc.Variants = append(doc.Variants, shardVariant{Index: i, Values: axisValues(v), Variant: v.Variant})
		}
		write := func(w io.Writer) error { return json.NewEncoder(w).Encode(doc) }
		if o.shardOut == "" || o.shardOut == "-" {
			return write(out)
		}
		return o.guards.writeFile(o.shardOut, write)
	}
	runVariants(ctx, o.guards, vs, *parallel, progressTo(stderr))
	for _, v := range vs {
		if v.Err != nil {
			return fmt.Errorf("%s: %w", v.Label, v.Err)
		}
	}
	return writeSweep(ctx, o, stdout, out, headers, names, raxes, vs)
}

// writeSweep prints and writes the outputs of a finished sweep (or of
// merged shards, which have no --html).
func writeSweep(ctx context.Context, o *sweepOptions, stdout, out io.Writer, headers, names []string, raxes []report.Axis, vs []*variant) error {
	files := []string{o.scenario}
	csvFile, plotFile, heatmapFile, figure, htmlFile := &o.csv, &o.plot, &o.heatmap, &o.figure, &o.html
	if err := writeSummary(stdout, names, vs); err != nil {
		return err
	}
	if *csvFile != "" {
		if err := o.guards.writeFile(*csvFile, func(w io.Writer) error { return writeSummaryCSV(w, headers, vs) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *csvFile)
	}
	title := "Sweep of " + files[0]
	rvs := reportVariants(vs)
	if *plotFile != "" {
		if err := savePlot(o.guards, *plotFile, func(w io.Writer, format string) error {
			return report.WriteOverlay(w, format, title, rvs, raxes)
		}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *plotFile)
	}
	if *heatmapFile != "" {
		if err := savePlot(o.guards, *heatmapFile, func(w io.Writer, format string) error {
			return report.WriteHeatmap(w, format, title, rvs, raxes, *figure)
		}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *heatmapFile)
	}
	if *htmlFile != "" {
		base, err := scenarios.LoadWith(files[0], o.guards.options(scenarios.Options{Context: ctx}))
		if err != nil {
			return err
		}
		if base.Namespace != nil {
			return usageError{fmt.Sprintf("%s: --html is not yet available for a scenario with spec.workloads (the table, --csv, --plot and --heatmap are)", base.File)}
		}
		run, err := check.RunScenario(ctx, base)
		if err != nil {
			return err
		}
		rv, err := reviewOf(ctx, run)
		if err != nil {
			return err
		}
		heatmaps := []string{"cost", "overloaded"}
		if !slices.Contains(heatmaps, *figure) {
			heatmaps = append(heatmaps, *figure)
		}
		sw := report.Sweep{Title: title, Base: rv, Axes: raxes, Variants: rvs, Heatmaps: heatmaps}
		if err := o.guards.writeFile(*htmlFile, func(w io.Writer) error { return report.WriteSweepHTML(w, sw) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *htmlFile)
	}
	if !o.output.text() {
		doc := output.SweepResult{TypeMeta: output.Meta(output.KindSweepResult), Scenario: o.scenario, Axes: headers, Rows: []output.Row{}}
		for _, v := range vs {
			doc.Rows = append(doc.Rows, output.Row{Values: axisValues(v), Figures: output.FiguresOf(v.Figures)})
		}
		return output.Write(out, o.output.format, doc)
	}
	return nil
}

func reportVariants(vs []*variant) []report.Variant {
	out := make([]report.Variant, len(vs))
	for i, v := range vs {
		out[i] = v.Variant
	}
	return out
}

// combinations is the cartesian product of the axes, the first axis
// varying slowest.
func combinations(axes [][]scenarios.Override) [][]scenarios.Override {
	out := [][]scenarios.Override{nil}
	for _, axis := range axes {
		var next [][]scenarios.Override
		for _, prefix := range out {
			for _, o := range axis {
				next = append(next, append(append([]scenarios.Override(nil), prefix...), o))
			}
		}
		out = next
	}
	return out
}

// runVariants runs every variant on up to n goroutines. Each writes only
// its own variant, so the order of the results is the order of vs.
func runVariants(ctx context.Context, g *guards, vs []*variant, n int, progress func(done, total int)) {
	jobs := make(chan *variant)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range min(n, len(vs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range jobs {
				sc, err := scenarios.LoadWith(v.File, g.options(scenarios.Options{Overrides: v.Overrides, Context: ctx}))
				if err == nil {
					g.protect(sc)
					var run *check.Run
					if sc.Namespace != nil {
						v.Variant, err = namespaceVariant(ctx, v, sc)
					} else if run, err = check.RunScenario(ctx, sc); err == nil {
						v.Variant = report.VariantOf(v.Label, v.Settings, run)
						if v.keep {
							v.run = run
						}
					}
				}
				v.Err = err
				mu.Lock()
				done++
				progress(done, len(vs))
				mu.Unlock()
			}
		}()
	}
	for _, v := range vs {
		jobs <- v
	}
	close(jobs)
	wg.Wait()
}

// progressTo draws a progress bar on stderr when it is a terminal, and
// nothing otherwise (logs and pipes stay clean).
func progressTo(w io.Writer) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok {
		return func(int, int) {}
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func(int, int) {}
	}
	return func(done, total int) {
		const width = 30
		filled := width * done / total
		fmt.Fprintf(f, "\r[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), done, total)
		if done == total {
			fmt.Fprint(f, "\r\033[K")
		}
	}
}

// shortHeaders names the table columns by their last field, unless two
// axes would then share a name.
func shortHeaders(paths []string) []string {
	out := make([]string, len(paths))
	seen := map[string]bool{}
	for i, p := range paths {
		out[i] = shortPath(p)
		if seen[out[i]] {
			return paths
		}
		seen[out[i]] = true
	}
	return out
}

// shortPath keeps the last field of a path for labels:
// spec.triggers[0].metadata.threshold -> threshold.
func shortPath(p string) string {
	if i := strings.LastIndexAny(p, ".]"); i >= 0 && i+1 < len(p) {
		return p[i+1:]
	}
	return p
}

var summaryColumns = []string{"REPLICA-SECONDS", "ABOVE-TARGET", "OVERLOADED", "MAX", "FINAL", "EVENTS", "FLAPS"}

func summaryCells(v *variant) []string {
	f := v.Figures
	return []string{
		strconv.FormatFloat(f.ReplicaSeconds, 'f', 0, 64),
		check.Duration(f.AboveTarget),
		check.Duration(time.Duration(f.OverloadedSeconds * float64(time.Second))),
		strconv.Itoa(int(f.MaxReplicas)),
		strconv.Itoa(int(f.FinalReplicas)),
		strconv.Itoa(f.ScaleEvents),
		strconv.Itoa(f.DirectionChanges),
	}
}

func axisValues(v *variant) []string {
	if v.Overrides == nil && v.values != nil {
		return v.values
	}
	out := make([]string, len(v.Overrides))
	for i, o := range v.Overrides {
		out[i] = o.Value
	}
	return out
}

// jobColumns are the columns added for ScaledJob runs.
var jobColumns = []string{"JOBS", "MEAN-WAIT", "PEAK-RUNNING"}

func hasJobs(vs []*variant) bool {
	for _, v := range vs {
		if v.Figures.Jobs != nil {
			return true
		}
	}
	return false
}

func jobCells(v *variant) []string {
	j := v.Figures.Jobs
	if j == nil {
		return []string{"-", "-", "-"}
	}
	return []string{strconv.Itoa(j.JobsCreated), check.Duration(j.MeanMessageWait), strconv.Itoa(j.PeakRunning)}
}

// nodeColumns are the columns added for runs on a node pool.
var nodeColumns = []string{"PEAK-NODES", "NODE-SECONDS", "LONGEST-PENDING"}

func hasNodes(vs []*variant) bool {
	for _, v := range vs {
		if v.Figures.Nodes != nil {
			return true
		}
	}
	return false
}

func nodeCells(v *variant) []string {
	n := v.Figures.Nodes
	if n == nil {
		return []string{"-", "-", "-"}
	}
	return []string{strconv.Itoa(n.PeakNodes), strconv.FormatFloat(math.Round(n.NodeSeconds), 'f', -1, 64), check.Duration(n.LongestWait)}
}

func writeSummary(w io.Writer, headers []string, vs []*variant) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	jobs, nodes := hasJobs(vs), hasNodes(vs)
	cols := append(append([]string(nil), headers...), summaryColumns...)
	if jobs {
		cols = append(cols, jobColumns...)
	}
	if nodes {
		cols = append(cols, nodeColumns...)
	}
	fmt.Fprintln(tw, strings.Join(cols, "\t"))
	for _, v := range vs {
		cells := append(axisValues(v), summaryCells(v)...)
		if jobs {
			cells = append(cells, jobCells(v)...)
		}
		if nodes {
			cells = append(cells, nodeCells(v)...)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

func writeSummaryCSV(w io.Writer, headers []string, vs []*variant) error {
	cw := csv.NewWriter(w)
	cols := append(append([]string(nil), headers...), "replica_seconds", "above_target_seconds", "overloaded_seconds", "max_replicas", "final_replicas", "scale_events", "direction_changes")
	jobs, nodes := hasJobs(vs), hasNodes(vs)
	if jobs {
		cols = append(cols, "jobs_created", "mean_message_wait_seconds", "peak_running_jobs")
	}
	if nodes {
		cols = append(cols, "peak_nodes", "node_seconds", "longest_pending_seconds", "pending_pod_seconds")
	}
	if err := cw.Write(cols); err != nil {
		return err
	}
	for _, v := range vs {
		f := v.Figures
		row := append(axisValues(v),
			strconv.FormatFloat(f.ReplicaSeconds, 'f', -1, 64),
			strconv.FormatFloat(f.AboveTarget.Seconds(), 'f', -1, 64),
			strconv.FormatFloat(f.OverloadedSeconds, 'f', -1, 64),
			strconv.Itoa(int(f.MaxReplicas)), strconv.Itoa(int(f.FinalReplicas)),
			strconv.Itoa(f.ScaleEvents), strconv.Itoa(f.DirectionChanges))
		if j := f.Jobs; jobs && j != nil {
			row = append(row, strconv.Itoa(j.JobsCreated), strconv.FormatFloat(j.MeanMessageWait.Seconds(), 'f', -1, 64), strconv.Itoa(j.PeakRunning))
		} else if jobs {
			row = append(row, "", "", "")
		}
		if n := f.Nodes; nodes && n != nil {
			row = append(row, strconv.Itoa(n.PeakNodes), strconv.FormatFloat(n.NodeSeconds, 'f', -1, 64),
				strconv.FormatFloat(n.LongestWait.Seconds(), 'f', -1, 64), strconv.FormatFloat(n.PendingSeconds, 'f', -1, 64))
		} else if nodes {
			row = append(row, "", "", "", "")
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

type compareOptions struct {
	plot, html string
	output     outputFlag
	guards     *guards
}

func newCompareCommand(e *env) *cobra.Command {
	o := &compareOptions{guards: e.guards}
	cmd := &cobra.Command{
		Use:   "compare A.yaml B.yaml",
		Short: "Run two scenarios and print their figures side by side",
		Example: `  autoscale-sim compare examples/websocket/scenario.yaml examples/prometheus-adapter-websocket/scenario.yaml
  autoscale-sim compare a.yaml b.yaml --plot compare.svg --html compare.html
  autoscale-sim compare a.yaml b.yaml -o json`,
		Args: exactArgs(2, "compare needs exactly two scenario files"),
		RunE: func(cmd *cobra.Command, args []string) error { return compareCommand(e.ctx, args, o, e.stdout) },
	}
	cmd.Flags().StringVar(&o.plot, "plot", "", "write the replicas over time of both runs to this .png or .svg file")
	cmd.Flags().StringVar(&o.html, "html", "", "write a self-contained HTML review of both runs to this file")
	addOutputFlag(cmd, &o.output)
	return cmd
}

// compareCommand runs two scenarios and prints their figures side by side.
func compareCommand(ctx context.Context, files []string, o *compareOptions, stdout io.Writer) error {
	if err := o.output.check(); err != nil {
		return err
	}
	plotFile, htmlFile := &o.plot, &o.html
	out := stdout
	if !o.output.text() {
		stdout = io.Discard
	}
	if err := checkPlotName("--plot", *plotFile); err != nil {
		return err
	}
	vs := []*variant{
		{Variant: report.Variant{Label: "A " + files[0]}, File: files[0], keep: *htmlFile != ""},
		{Variant: report.Variant{Label: "B " + files[1]}, File: files[1], keep: *htmlFile != ""},
	}
	runVariants(ctx, o.guards, vs, 2, func(int, int) {})
	for _, v := range vs {
		if v.Err != nil {
			return v.Err
		}
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\tA\tB\n\t%s\t%s\n", files[0], files[1])
	a, b := summaryCells(vs[0]), summaryCells(vs[1])
	for i, c := range summaryColumns {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c, a[i], b[i])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	title := "A: " + files[0] + "  B: " + files[1]
	if *plotFile != "" {
		if err := savePlot(o.guards, *plotFile, func(w io.Writer, format string) error {
			return report.WriteOverlay(w, format, title, reportVariants(vs), nil)
		}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *plotFile)
	}
	if *htmlFile != "" {
		c := report.Comparison{Title: "Comparison of " + files[0] + " and " + files[1]}
		for _, v := range vs {
			rv, err := reviewOf(ctx, v.run)
			if err != nil {
				return err
			}
			c.Labels = append(c.Labels, v.Label)
			c.Runs = append(c.Runs, rv)
		}
		if err := o.guards.writeFile(*htmlFile, func(w io.Writer) error { return report.WriteCompareHTML(w, c) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *htmlFile)
	}
	if !o.output.text() {
		return output.Write(out, o.output.format, output.Comparison{TypeMeta: output.Meta(output.KindComparison),
			A: output.Compared{Scenario: files[0], Figures: output.FiguresOf(vs[0].Figures)},
			B: output.Compared{Scenario: files[1], Figures: output.FiguresOf(vs[1].Figures)}})
	}
	return nil
}

// namespaceVariant is a sweep's row for a scenario with spec.workloads:
// the namespace as one run (check.NamespaceRun.Total), with every
// workload's expectations named after it.
func namespaceVariant(ctx context.Context, v *variant, sc *scenarios.Scenario) (report.Variant, error) {
	nr, err := check.RunNamespace(ctx, sc)
	if err != nil {
		return report.Variant{}, err
	}
	total, f := nr.Total()
	out := report.VariantOf(v.Label, v.Settings, total)
	out.Figures = f
	for i, w := range nr.Workloads {
		for _, x := range report.ExpectationsOf(w) {
			x.Name = sc.Namespace.Names[i] + ": " + x.Name
			out.Expectations = append(out.Expectations, x)
		}
	}
	return out, nil
}
