package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/backtest"
	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/internal/safeio"
	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/output"
	"github.com/autoscale-sim/autoscale-sim/replay"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

type backtestOptions struct {
	promURL, httpConfig, from, to, input string
	plot, save                           string
	recorded, manifests                  []string
	minAgreement                         float64
	maxLag, warmup                       time.Duration
	output                               outputFlag
}

func newBacktestCommand(e *env) *cobra.Command {
	o := &backtestOptions{input: backtest.InputQuery, maxLag: backtest.DefaultMaxLag, minAgreement: -1}
	cmd := &cobra.Command{
		Use:   "backtest SCENARIO.yaml (--prometheus-url URL --from T --to T | --recorded FILE...)",
		Short: "Replay what the cluster's autoscaler saw and compare its decisions with the simulated ones",
		Long: `Replay the recorded metric input of each trigger over a window (the
answers of the trigger's own query, or keda_scaler_metrics_value with
--input keda), simulate the manifests from the replica count the cluster
had at the start, and compare the HPA's desired replicas at every sync
with kube-state-metrics' kube_horizontalpodautoscaler_status_desired_replicas:
agreement, replica-seconds of both, mean absolute error, the lag that
aligns them best, and each disagreement beside the simulated decision.

A plain autoscaling/v2 HPA's Pods, Object and External metrics are
replayed from the answers of their adapter rule's query, or the raw
series of the prometheus-adapter configuration's seriesQuery (--input
query), or from kube_horizontalpodautoscaler_status_target_metric
(--input status); a Pods metric's recorded average is given to every
Ready simulated pod. Resource metrics cannot be replayed.

The recording comes from a live Prometheus (--prometheus-url, with
--http-config for its credentials) or from saved answers of its HTTP API
(--recorded, repeatable: query_range or instant answers, for example of
kube_horizontalpodautoscaler_status_desired_replicas{...}[2h]).`,
		Example: `  autoscale-sim backtest examples/backtest/scenario.yaml --recorded examples/backtest/trigger.json \
    --recorded examples/backtest/kube-state-metrics.json --plot backtest.png
  autoscale-sim backtest examples/backtest-hpa/scenario.yaml --recorded examples/backtest-hpa/kube-state-metrics.json --input status
  autoscale-sim backtest scenario.yaml --prometheus-url https://prometheus:9090 --http-config http.yaml \
    --from 2026-11-30T12:00:00Z --to 2026-11-30T14:00:00Z --min-agreement 0.9`,
		Args:         exactArgs(1, "backtest needs exactly one scenario file"),
		RunE:         func(cmd *cobra.Command, args []string) error { return o.run(e, args[0]) },
		SilenceUsage: true,
	}
	f := cmd.Flags()
	f.StringVar(&o.promURL, "prometheus-url", "", "Prometheus that recorded the cluster (e.g. http://127.0.0.1:9090)")
	f.StringVar(&o.httpConfig, "http-config", "", "HTTP client configuration of the Prometheus, in Prometheus' http_config format (bearer token, basic auth, TLS, headers)")
	f.StringVar(&o.from, "from", "", "start of the window: RFC 3339 or Unix seconds (with --recorded: default the recording's first sample)")
	f.StringVar(&o.to, "to", "", "end of the window: RFC 3339 or Unix seconds (with --recorded: default the recording's last sample)")
	f.StringArrayVar(&o.recorded, "recorded", nil, "saved answer of the Prometheus HTTP API (query_range or query) holding the recording (repeatable)")
	f.StringVar(&o.input, "input", o.input, "each trigger's metric input: query (the trigger's own query) or keda (keda_scaler_metrics_value); of a plain HPA's metric: query (its adapter query, or the raw series of the adapter's rules) or status (kube_horizontalpodautoscaler_status_target_metric)")
	f.Var(&fractionValue{f: &o.minAgreement}, "min-agreement", "exit 1 when the agreement (0 to 1) is below this (default: no bound)")
	f.StringVar(&o.save, "save-recording", "", "with --prometheus-url: also write what was read to this file, a query_range answer that --recorded reads back (for offline runs and CI)")
	f.StringVar(&o.plot, "plot", "", "write the simulated and the recorded desired replicas over time to this .png or .svg file")
	f.Var(&durationValue{d: &o.warmup}, "warmup", "replay this long before --from without comparing it, so that the HPA's stabilization window and KEDA's state are filled at --from (default 0s)")
	f.Var(&durationValue{d: &o.maxLag}, "max-lag", "largest shift either way tried to align the traces (default 5m)")
	addManifestsFlag(cmd, &o.manifests, "manifests to add to the scenario's")
	addOutputFlag(cmd, &o.output)
	return cmd
}

// parseInstant reads --from and --to as promtool does: RFC 3339 or Unix
// seconds.
func parseInstant(flag, s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) && math.Abs(v) < 1e11 {
		sec, frac := math.Modf(v)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
	}
	return time.Time{}, usageError{fmt.Sprintf("--%s %q: want an RFC 3339 time (2026-11-30T12:00:00Z) or Unix seconds", flag, s)}
}

func (o *backtestOptions) run(e *env, file string) error {
	if err := o.output.check(); err != nil {
		return err
	}
	switch {
	case o.input != backtest.InputQuery && o.input != backtest.InputKEDA && o.input != backtest.InputStatus:
		return usageError{fmt.Sprintf("--input %q: want query, keda or status", o.input)}
	case o.minAgreement > 1:
		return usageError{fmt.Sprintf("--min-agreement %g: the agreement is a fraction from 0 to 1 (0.9 is 90%%)", o.minAgreement)}
	case (o.promURL == "") == (len(o.recorded) == 0):
		return usageError{"backtest needs the recording: --prometheus-url URL --from T --to T, or --recorded FILE"}
	case o.promURL != "" && (o.from == "" || o.to == ""):
		return usageError{"--prometheus-url needs the window: --from T --to T"}
	case o.httpConfig != "" && o.promURL == "":
		return usageError{"--http-config applies to --prometheus-url"}
	case o.save != "" && o.promURL == "":
		return usageError{"--save-recording applies to --prometheus-url"}
	case o.maxLag <= 0:
		return usageError{"--max-lag must be positive"}
	case o.warmup < 0:
		return usageError{"--warmup must not be negative"}
	}
	var from, to time.Time
	var err error
	if o.from != "" {
		if from, err = parseInstant("from", o.from); err != nil {
			return err
		}
	}
	if o.to != "" {
		if to, err = parseInstant("to", o.to); err != nil {
			return err
		}
	}
	inputs, err := scenarios.ReadInputs(e.stdin, o.manifests...)
	if err != nil {
		return err
	}
	opts := e.guards.options(scenarios.Options{Context: e.ctx, Manifests: inputs})
	if err := withHTTPConfig(&opts, o.httpConfig); err != nil {
		return err
	}
	sc, err := scenarios.LoadWith(file, opts)
	if err != nil {
		return err
	}
	e.guards.protect(sc, inputs...)
	if sc.Namespace != nil {
		return usageError{fmt.Sprintf("%s: backtest replays one workload; a scenario with spec.workloads is not yet backtested (backtest each workload's own scenario)", sc.File)}
	}
	target, err := backtest.TargetOf(sc.Spec)
	if err == nil {
		err = target.CheckInput(o.input)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	// The window's cost is bounded before anything is fetched.
	if spec := sc.Spec.Defaulted(); !from.IsZero() && !to.IsZero() && spec.Tick > 0 {
		if steps := int64((to.Sub(from) + o.warmup) / spec.Tick); spec.Limits.MaxSteps > 0 && steps > spec.Limits.MaxSteps {
			return fmt.Errorf("the window --from %s --to %s at a tick of %s is %d steps; at most %d are allowed; raise the limit with --max-steps if you mean it",
				o.from, o.to, spec.Tick, steps, spec.Limits.MaxSteps)
		}
	}
	var rec *backtest.Recording
	var notes []string
	if o.promURL != "" {
		ctx := e.ctx
		if e.guards.replayTimeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, e.guards.replayTimeout*time.Duration(3+len(target.Triggers)))
			defer cancel()
		}
		c := &replay.Client{BaseURL: o.promURL, HTTP: opts.HTTP}
		spec := sc.Spec.Defaulted()
		rec, err = backtest.Fetch(ctx, c, target, from.Add(-o.warmup), to, openmetrics.Step(spec), spec.Prometheus.LookbackDelta, o.input)
		if err != nil {
			return err
		}
		rec.From = from
		if o.save != "" {
			series, err := rec.Series(target)
			if err != nil {
				return fmt.Errorf("--save-recording: %w", err)
			}
			if err := e.guards.writeFile(o.save, func(w io.Writer) error { return backtest.WriteRecording(w, series) }); err != nil {
				return err
			}
		}
	} else {
		var series []replay.Series
		for _, f := range o.recorded {
			data, err := safeio.ReadFile(f, 0)
			if err != nil {
				return err
			}
			s, err := replay.ReadQueryRange(bytes.NewReader(data))
			if err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			series = append(series, s...)
		}
		rec, notes, err = backtest.Classify(target, series, o.input)
		if err != nil {
			return fmt.Errorf("%s: %w", strings.Join(o.recorded, ", "), err)
		}
		first, last, ok := rec.Span()
		if !ok {
			return fmt.Errorf("%s: no %s of HPA %s/%s nor %s of Deployment %s/%s in the recording", strings.Join(o.recorded, ", "),
				openmetrics.HPADesiredReplicas, target.Namespace, target.HPA, openmetrics.DeploymentSpecReplicas, target.Namespace, target.Deployment)
		}
		if from.IsZero() {
			from = first.Add(o.warmup)
		}
		if to.IsZero() {
			to = last
		}
		rec.From, rec.To = from, to
	}
	r, err := backtest.Run(e.ctx, sc.Spec, target, rec, backtest.Options{MaxLag: o.maxLag, Warmup: o.warmup})
	if err != nil {
		return sc.LocateError(err)
	}
	r.Notes = append(notes, r.Notes...)
	var bound *float64
	if o.minAgreement >= 0 {
		bound = &o.minAgreement
	}
	if o.plot != "" {
		name := r.ScaledObject
		if r.Kind == backtest.KindHPA {
			name = r.HPA
		}
		title := fmt.Sprintf("Backtest of %s/%s, %s to %s", r.Namespace, name, r.From.UTC().Format(time.RFC3339), r.To.UTC().Format(time.RFC3339))
		if err := savePlot(e.guards, o.plot, func(w io.Writer, format string) error {
			return report.WriteOverlay(w, format, title, backtestVariants(r), nil)
		}); err != nil {
			return err
		}
	}
	if o.output.text() {
		if err := writeBacktest(e.stdout, r, bound); err != nil {
			return err
		}
		for _, f := range []string{o.save, o.plot} {
			if f != "" {
				fmt.Fprintf(e.stdout, "wrote %s\n", f)
			}
		}
	} else if err := output.Write(e.stdout, o.output.format, output.BacktestResultOf(r, file, bound)); err != nil {
		return err
	}
	if bound != nil && r.Agreement < *bound {
		return failedError{}
	}
	return nil
}

func percent(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

// writeBacktest prints the report: what was compared, the figures, the
// disagreements with the simulated decision, the notes.
func writeBacktest(w io.Writer, r *backtest.Report, bound *float64) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	if r.Kind == backtest.KindHPA {
		p("Backtest of HorizontalPodAutoscaler %s/%s, %s to %s (%s)\n", r.Namespace, r.HPA,
			r.From.UTC().Format(time.RFC3339), r.To.UTC().Format(time.RFC3339), check.Duration(r.To.Sub(r.From)))
	} else {
		p("Backtest of ScaledObject %s/%s (HPA %s), %s to %s (%s)\n", r.Namespace, r.ScaledObject, r.HPA,
			r.From.UTC().Format(time.RFC3339), r.To.UTC().Format(time.RFC3339), check.Duration(r.To.Sub(r.From)))
	}
	if r.Warmup > 0 {
		p("  warm-up: %s before the window, replayed and not compared\n", check.Duration(r.Warmup))
	}
	p("  start: %s (%s)\n", plural(int(r.Start), "replica"), r.StartFrom)
	for _, in := range r.Inputs {
		what := map[string]string{backtest.InputQuery: "answers of the trigger's query", backtest.InputKEDA: openmetrics.KEDAScalerMetricsValue,
			"raw": "the trigger's query over the recorded series"}[in.Source]
		of := fmt.Sprintf("trigger %d (%s)", in.Trigger, in.Metric)
		if in.Type != "" {
			what = map[string]string{backtest.InputQuery: "answers of its adapter query", backtest.InputStatus: openmetrics.HPAStatusTarget,
				"raw": "the adapter's query over the recorded series"}[in.Source]
			of = fmt.Sprintf("metric %d (%s %s)", in.Trigger, strings.ToLower(string(in.Type)), in.Metric)
		}
		p("  input of %s: %s, %d series, %d points", of, what, in.Series, in.Points)
		if in.FailedFor > 0 {
			p("; its reads fail for %s (%s)", check.Duration(in.FailedFor), openmetrics.KEDAScalerErrors)
		}
		p("\n")
	}
	p("  compared with: %s at %d HPA syncs, every %s\n", r.Compared, r.Syncs, check.Duration(r.SyncPeriod))
	p("Agreement: %s (%d of %d syncs", percent(r.Agreement), r.Agreeing, r.Syncs)
	if r.Missing > 0 {
		p("; %d without a recorded value", r.Missing)
	}
	p(")")
	if bound != nil {
		verdict := "at least"
		if r.Agreement < *bound {
			verdict = "BELOW"
		}
		p(", %s --min-agreement %s", verdict, percent(*bound))
	}
	p("\n")
	rel := ""
	if r.RecordedReplicaSeconds > 0 {
		rel = fmt.Sprintf(" (%+.1f%%)", 100*r.ReplicaSecondsError/r.RecordedReplicaSeconds)
	}
	p("Replica-seconds: simulated %s, recorded %s, difference %+g%s\n", strconv.FormatFloat(r.SimulatedReplicaSeconds, 'f', -1, 64),
		strconv.FormatFloat(r.RecordedReplicaSeconds, 'f', -1, 64), r.ReplicaSecondsError, rel)
	p("Mean absolute error: %.2f replicas\n", r.MeanAbsoluteError)
	lag := check.Duration(r.Lag)
	if r.Lag > 0 {
		lag += " (the cluster after the simulation)"
	} else if r.Lag < 0 {
		lag += " (the cluster before the simulation)"
	}
	p("Best lag: %s (%s of the syncs with a recorded value agree at that shift)\n", lag, percent(r.LagAgreement))
	if len(r.Disagreement) == 0 {
		p("Disagreements: none\n")
	} else {
		p("Disagreements (%d):\n", len(r.Disagreement))
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  AT\tOFFSET\tRECORDED\tSIMULATED\tSIMULATED DECISION")
		for _, d := range r.Disagreement {
			rv := "none"
			if d.Recorded != nil {
				rv = strconv.Itoa(int(*d.Recorded))
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\n", d.At.UTC().Format("15:04:05"), check.Duration(d.Offset), rv, d.Simulated, d.Why)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	p("Notes:\n")
	for _, n := range r.Notes {
		p("  - %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// backtestVariants are the two traces of a backtest as runs of an
// overlay: the simulated desired replicas and the recorded ones (a
// missing sample holds the previous value), identical traces drawn as one
// line.
func backtestVariants(r *backtest.Report) []report.Variant {
	trace := func(label string, value func(backtest.Point) (int32, bool)) report.Variant {
		v := report.Variant{Label: label, Duration: r.To.Sub(r.From)}
		started := false
		var cur int32
		for _, p := range r.Points {
			x, ok := value(p)
			if !ok {
				continue
			}
			switch {
			case !started:
				v.Initial, cur, started = x, x, true
			case x != cur:
				v.Changes = append(v.Changes, sim.Event{T: p.T.Sub(r.From), From: cur, To: x})
				cur = x
			}
			v.Figures.MaxReplicas = max(v.Figures.MaxReplicas, x)
		}
		v.MaxReplicas = v.Figures.MaxReplicas
		return v
	}
	return []report.Variant{
		trace("simulated", func(p backtest.Point) (int32, bool) { return p.Simulated, true }),
		trace("recorded ("+r.Compared+")", func(p backtest.Point) (int32, bool) {
			if p.Recorded == nil {
				return 0, false
			}
			return *p.Recorded, true
		}),
	}
}

// fractionValue is --min-agreement: a number, unset (negative) by
// default, so that help shows no default.
type fractionValue struct{ f *float64 }

func (v *fractionValue) String() string {
	if v.f == nil || *v.f < 0 {
		return ""
	}
	return strconv.FormatFloat(*v.f, 'g', -1, 64)
}

func (v *fractionValue) Set(s string) error {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 0 {
		return errors.New("want a fraction from 0 to 1, such as 0.9")
	}
	*v.f = f
	return nil
}

func (v *fractionValue) Type() string { return "fraction" }
