package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/internal/safeio"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// runMany is `run --runs N` (or a scenario's spec.runs): N seeded variants
// on every core, their figures as median, p95 and max and each expect:
// entry judged over the runs. With --shard K/N it runs only its part and
// writes it as JSON for `merge`.
func (o *runOptions) runMany(e *env, sc *scenarios.Scenario, n int) error {
	if !o.output.text() {
		return usageError{"--runs prints text (and writes --out); -o json is for a single run; --shard writes a mergeable JSON shard"}
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
	as, qs := assertionsOf(sc)
	d, err := check.RunMany(e.ctx, sc.Spec, n, o.workers, as, qs, shard)
	if err != nil {
		return sc.LocateError(err)
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
	return writeDistribution(e, d, o.out, o.quiet)
}

// writeDistribution prints a distribution (a run of --runs, or merged
// shards) and writes its band under out.
func writeDistribution(e *env, d *check.Distribution, out string, quiet bool) error {
	if !quiet {
		if err := d.WriteText(e.stdout); err != nil {
			return err
		}
	}
	if out != "" {
		band := d.Band(bandStep(d.Duration))
		files := []string{filepath.Join(out, "band.csv"), filepath.Join(out, "band.svg")}
		if err := e.guards.writeFile(files[0], func(w io.Writer) error { return writeBandCSV(w, band) }); err != nil {
			return err
		}
		if err := e.guards.writeFile(files[1], func(w io.Writer) error { return writeBandSVG(w, d, band) }); err != nil {
			return err
		}
		if !quiet {
			fmt.Fprintf(e.stdout, "wrote %s, %s\n", files[0], files[1])
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

// writeBandSVG draws spec.replicas over the runs: the median as a step
// line over a light min-max band and a darker p5-p95 band.
func writeBandSVG(w io.Writer, d *check.Distribution, b check.Band) error {
	const width, height, left, right, top, bottom = 800.0, 300.0, 50.0, 20.0, 30.0, 40.0
	top5 := 1.0
	for _, v := range b.Max {
		top5 = math.Max(top5, v)
	}
	end := math.Max(d.Duration.Seconds(), 1)
	px := func(t time.Duration) float64 { return left + (width-left-right)*t.Seconds()/end }
	py := func(v float64) float64 { return height - bottom - (height-top-bottom)*v/top5 }
	area := func(lo, hi []float64) string {
		s := ""
		for i := range b.T {
			s += fmt.Sprintf("%.1f,%.1f ", px(b.T[i]), py(hi[i]))
		}
		for i := len(b.T) - 1; i >= 0; i-- {
			s += fmt.Sprintf("%.1f,%.1f ", px(b.T[i]), py(lo[i]))
		}
		return s
	}
	steps := ""
	for i := range b.T {
		if i > 0 {
			steps += fmt.Sprintf("%.1f,%.1f ", px(b.T[i]), py(b.Median[i-1]))
		}
		steps += fmt.Sprintf("%.1f,%.1f ", px(b.T[i]), py(b.Median[i]))
	}
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g">
<rect width="100%%" height="100%%" fill="white"/>
<text x="%g" y="18" font-family="sans-serif" font-size="13">%s: spec.replicas over %d runs (median, p5-p95, min-max)</text>
<polygon points="%s" fill="#1f77b4" fill-opacity="0.15"/>
<polygon points="%s" fill="#1f77b4" fill-opacity="0.35"/>
<polyline points="%s" fill="none" stroke="#1f77b4" stroke-width="2"/>
<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="black"/>
<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="black"/>
<text x="%g" y="%g" font-family="sans-serif" font-size="11" text-anchor="end">%g</text>
<text x="%g" y="%g" font-family="sans-serif" font-size="11" text-anchor="end">%s</text>
</svg>
`, width, height, width, height, left, xmlEscape(d.Name), len(d.Records),
		area(b.Min, b.Max), area(b.P5, b.P95), steps,
		left, height-bottom, width-right, height-bottom, left, top, left, height-bottom,
		left-4, py(top5)+4, top5, width-right, height-bottom+16, check.Duration(d.Duration))
	return err
}

func xmlEscape(s string) string {
	var b []byte
	for _, r := range s {
		switch r {
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '&':
			b = append(b, "&amp;"...)
		case '"':
			b = append(b, "&quot;"...)
		default:
			if r < 0x20 {
				continue
			}
			b = append(b, string(r)...)
		}
	}
	return string(b)
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
			if !o.sweep.output.text() {
				return usageError{"the shards of run --runs merge to text (and --out)"}
			}
			d, err := check.Merge(shards...)
			if err != nil {
				return err
			}
			return writeDistribution(e, d, o.out, o.quiet)
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
