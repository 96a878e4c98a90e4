package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/internal/safeio"
	"github.com/autoscale-sim/autoscale-sim/output"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// runMany is `run --runs N` (or a scenario's spec.runs): N seeded variants
// on every core, their figures as median, p95 and max and each expect:
// entry judged over the runs. With --shard K/N it runs only its part and
// writes it as JSON for `merge`.
func (o *runOptions) runMany(e *env, sc *scenarios.Scenario, n int) error {
	if !o.output.text() && o.shard != "" {
		return usageError{"--shard writes a mergeable JSON shard; -o json is for the whole distribution (run without --shard, or merge the shards)"}
	}
	var shard check.Shard
	if o.shard != "" {
		var err error
		if shard, err = check.ParseShard(o.shard); err != nil {
			return usageError{err.Error()}
		}
	}
	if err := e.guards.checkRuns(sc, n); err != nil {
		return err
	}
	d, err := distributionOf(e, sc, n, o.workers, shard)
	if err != nil {
		return err
	}
	if o.shard != "" {
		write := func(w io.Writer) error {
			enc := json.NewEncoder(w)
			return enc.Encode(d)
		}
		if o.shardOut == "" || o.shardOut == "-" {
			return write(e.stdout)
		}
		return e.guards.writeFile(o.shardOut, write)
	}
	return writeDistribution(e, d, o.output.format, o.out, o.quiet)
}

// writeDistribution prints a distribution (a run of --runs, or merged
// shards) as text or as a RunsResult document, and writes its band under
// out.
func writeDistribution(e *env, d *check.Distribution, format, out string, quiet bool) error {
	switch {
	case format != "text":
		if err := output.Write(e.stdout, format, output.RunsResultOf(d)); err != nil {
			return err
		}
		quiet = true // the document is the whole of stdout
	case !quiet:
		if err := d.WriteText(e.stdout); err != nil {
			return err
		}
	}
	if out != "" {
		band := d.Band(bandStep(d.Duration))
		files := []string{filepath.Join(out, "band.csv"), filepath.Join(out, "band.png"), filepath.Join(out, "band.svg")}
		if err := e.guards.writeFile(files[0], func(w io.Writer) error { return writeBandCSV(w, band) }); err != nil {
			return err
		}
		for _, f := range files[1:] {
			format := strings.TrimPrefix(filepath.Ext(f), ".")
			if err := e.guards.writeFile(f, func(w io.Writer) error { return report.WriteBand(w, format, d, band) }); err != nil {
				return err
			}
		}
		if !quiet {
			fmt.Fprintf(e.stdout, "wrote %s\n", strings.Join(files, ", "))
		}
	}
	if d.Failing() {
		return failedError{}
	}
	return nil
}

// bandStep samples the band at about 600 instants, in whole seconds.
func bandStep(d time.Duration) time.Duration {
	return max(time.Second, (d / 600).Truncate(time.Second))
}

func writeBandCSV(w io.Writer, b check.Band) error {
	if _, err := fmt.Fprintln(w, "t,min,p5,median,p95,max"); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for i, t := range b.T {
		if _, err := fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s\n", f(t.Seconds()), f(b.Min[i]), f(b.P5[i]), f(b.Median[i]), f(b.P95[i]), f(b.Max[i])); err != nil {
			return err
		}
	}
	return nil
}

type mergeOptions struct {
	out   string
	quiet bool
	sweep sweepOptions
}

func newMergeCommand(e *env) *cobra.Command {
	o := &mergeOptions{}
	cmd := &cobra.Command{
		Use:   "merge SHARD.json...",
		Short: "Combine the shards of sweep or run --runs into the output of one unsharded run",
		Long: `Combine the JSON shards that sweep --shard K/N or run --runs N --shard K/N
wrote (on one machine or on many, such as the pods of a Kubernetes
Indexed Job, deploy/sweep-job.yaml) into exactly what the command prints
and writes without --shard. Every shard must be given, each once, in
any order.`,
		Example: `  autoscale-sim merge shards/*.json --csv sweep.csv --plot sweep.svg
  autoscale-sim merge shard-0.json shard-1.json shard-2.json shard-3.json --out out/`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"merge needs the shard files"}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var shards []*check.Distribution
			var sweeps []sweepShard
			for _, path := range args {
				// As every input: a regular file, within the size limit.
				b, err := safeio.ReadFile(path, 0)
				if err != nil {
					return invalidError{err.Error()}
				}
				var kind struct {
					Kind string `json:"kind"`
				}
				_ = json.Unmarshal(b, &kind)
				if kind.Kind == sweepShardKind {
					var sh sweepShard
					if err := json.Unmarshal(b, &sh); err != nil {
						return fmt.Errorf("%s: not a shard of sweep --shard: %w", path, err)
					}
					sweeps = append(sweeps, sh)
					continue
				}
				if len(sweeps) > 0 {
					return usageError{fmt.Sprintf("%s is not a sweep shard: merge the shards of one sweep or of one run --runs", path)}
				}
				d := &check.Distribution{}
				if err := json.Unmarshal(b, d); err != nil {
					return fmt.Errorf("%s: not a shard of run --runs --shard: %w", path, err)
				}
				shards = append(shards, d)
			}
			if len(sweeps) > 0 {
				if len(shards) > 0 {
					return usageError{"merge the shards of one sweep or of one run --runs, not both"}
				}
				o.sweep.guards = e.guards
				if err := o.sweep.output.check(); err != nil {
					return err
				}
				if !slices.Contains(report.HeatmapFigures(), o.sweep.figure) {
					return usageError{fmt.Sprintf("--figure %q: want one of %s", o.sweep.figure, strings.Join(report.HeatmapFigures(), ", "))}
				}
				return mergeSweep(e.ctx, &o.sweep, e.stdout, sweeps)
			}
			if err := o.sweep.output.check(); err != nil {
				return err
			}
			d, err := check.Merge(shards...)
			if err != nil {
				return err
			}
			return writeDistribution(e, d, o.sweep.output.format, o.out, o.quiet)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "runs: directory for band.csv and band.svg (none when empty)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "runs: print nothing but errors")
	f.StringVar(&o.sweep.csv, "csv", "", "sweep: write the summary as CSV to this file")
	f.StringVar(&o.sweep.plot, "plot", "", "sweep: write the replicas over time of every run to this .png or .svg file")
	f.StringVar(&o.sweep.heatmap, "heatmap", "", "sweep: write a heatmap of --figure over the first two axes to this .png or .svg file")
	f.StringVar(&o.sweep.figure, "figure", "cost", "sweep: the figure of --heatmap: "+strings.Join(report.HeatmapFigures(), ", "))
	addOutputFlag(cmd, &o.sweep.output)
	return cmd
}

// assertionsOf is a scenario's expect: entries with their quantiles.
// distributionOf runs n seeded variants of a scenario, or of a namespace
// (its claims named after their workloads, its figures the namespace's
// as one).
func distributionOf(e *env, sc *scenarios.Scenario, n, workers int, shard check.Shard) (*check.Distribution, error) {
	var d *check.Distribution
	var err error
	if ns := sc.Namespace; ns != nil {
		var as []check.WorkloadAssertion
		var qs []float64
		for i, w := range ns.Workloads {
			was, wqs := assertionsOf(w)
			for k, a := range was {
				as = append(as, check.WorkloadAssertion{Workload: i, Assertion: named{a, ns.Names[i] + ": "}})
				qs = append(qs, wqs[k])
			}
		}
		if d, err = check.RunManyNamespace(e.ctx, ns.Spec(sc.Name), n, workers, as, qs, shard); err != nil {
			return nil, ns.LocateError(err)
		}
	} else {
		as, qs := assertionsOf(sc)
		if d, err = check.RunMany(e.ctx, sc.Spec, n, workers, as, qs, shard); err != nil {
			return nil, sc.LocateError(err)
		}
	}
	d.File = sc.File
	return d, nil
}

// named is an assertion named after its workload.
type named struct {
	check.Assertion
	prefix string
}

func (a named) Name() string { return a.prefix + a.Assertion.Name() }

func assertionsOf(sc *scenarios.Scenario) ([]check.Assertion, []float64) {
	as := make([]check.Assertion, len(sc.Expect))
	qs := make([]float64, len(sc.Expect))
	for i, x := range sc.Expect {
		as[i] = check.FromExpectation(x)
		if x.Quantile != nil {
			qs[i] = *x.Quantile
		}
	}
	return as, qs
}

// checkRuns bounds the runs of a distribution as those of a sweep: a
// scenario from a pull request cannot ask for more than --max-runs.
func (g *guards) checkRuns(sc *scenarios.Scenario, n int) error {
	if n > g.maxRuns {
		return invalidError{fmt.Sprintf("%s: spec.runs (or --runs): %d runs is more than --max-runs (%d); raise --max-runs or run fewer", sc.File, n, g.maxRuns)}
	}
	return nil
}
