// Command autoscale-sim simulates KEDA ScaledObjects and Kubernetes
// HorizontalPodAutoscalers against synthetic Prometheus metrics on a
// virtual clock. See the README for the scenario format.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1 // expectations failed
	exitInvalid = 2 // bad usage or invalid input
)

func main() {
	os.Exit(runWithInput(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is runWithInput with nothing on standard input.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runWithInput(ctx, args, strings.NewReader(""), stdout, stderr)
}

const usage = `autoscale-sim simulates Kubernetes autoscaling (KEDA ScaledObjects and
autoscaling/v2 HPAs on Prometheus metrics) on a virtual clock.

Usage:
  autoscale-sim run SCENARIO.yaml [--out DIR]   run a scenario, print the timeline, write outputs
  autoscale-sim test SCENARIO.yaml...           check the expect: entries of scenarios
  autoscale-sim lint SCENARIO.yaml              validate and review the autoscaler's design
  autoscale-sim explain SCENARIO.yaml --at T    break down the decisions in force at T
  autoscale-sim sweep SCENARIO.yaml --set PATH=V1,V2...
                                                run every combination of settings
  autoscale-sim compare A.yaml B.yaml           compare two scenarios side by side
  autoscale-sim help                            show this help

Run "autoscale-sim COMMAND -h" for the flags of a command.
Exit codes: 0 success, 1 expectations failed (or lint --strict found warnings),
2 invalid usage or input.
`

// usageError is bad usage: the message is followed by a hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// invalidError is input the tool cannot answer for (exit 2); its details
// were already written to stdout.
type invalidError struct{ msg string }

func (e invalidError) Error() string { return e.msg }

// failedError is a check that ran and failed (exit 1); its details were
// already written to stdout.
type failedError struct{ msg string }

func (e failedError) Error() string { return e.msg }

// runWithInput is the whole command; main only maps its result to the
// process. stdin is read by -f -.
func runWithInput(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitInvalid
	}
	var err error
	switch args[0] {
	case "run":
		err = runCommand(ctx, args[1:], stdin, stdout, stderr)
	case "test":
		err = testCommand(ctx, args[1:], stdin, stdout, stderr)
	case "lint":
		err = lintCommand(ctx, args[1:], stdin, stdout, stderr)
	case "explain":
		err = explainCommand(ctx, args[1:], stdin, stdout, stderr)
	case "sweep":
		err = sweepCommand(ctx, args[1:], stdout, stderr)
	case "compare":
		err = compareCommand(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var fe failedError
	if errors.As(err, &fe) {
		if fe.msg != "" {
			fmt.Fprintf(stderr, "autoscale-sim: %s\n", fe.msg)
		}
		return exitFailed
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "autoscale-sim: %s\nTry: autoscale-sim help\n", ue.msg)
		return exitInvalid
	}
	fmt.Fprintf(stderr, "autoscale-sim: %s\n", indentAfterFirst(err.Error()))
	return exitInvalid
}

// indentAfterFirst keeps multi-problem errors readable: one problem a line.
func indentAfterFirst(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	return "invalid input:\n  " + strings.ReplaceAll(s, "\n", "\n  ")
}

func runCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory for trace.csv, trace.json, plot.png and plot.svg (none when empty)")
	quiet := fs.Bool("quiet", false, "do not print the timeline")
	html := fs.String("html", "", "write a self-contained HTML report to this file")
	promURL := fs.String("prometheus-url", "", "Prometheus to read live replays from when the scenario names none (e.g. http://127.0.0.1:9090)")
	var manifests manifestFiles
	fs.Var(&manifests, "f", "manifests to add to the scenario's: a file, a directory, a glob, or - for standard input (repeatable)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: autoscale-sim run SCENARIO.yaml [-f MANIFESTS]... [--out DIR] [--html FILE] [--quiet]\n\n")
		fs.PrintDefaults()
	}
	file, rest := splitPositional(args)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if file == "" || fs.NArg() > 0 {
		if file == "" && len(manifests) > 0 {
			return usageError{"run needs a scenario file for the load; -f only adds manifests to it (lint -f alone uses " + scenarios.DefaultScenarioName + ")"}
		}
		return usageError{"run needs exactly one scenario file"}
	}
	inputs, err := scenarios.ReadInputs(stdin, manifests...)
	if err != nil {
		return err
	}
	sc, err := scenarios.LoadWith(file, scenarios.Options{PrometheusURL: *promURL, Context: ctx, Manifests: inputs})
	if err != nil {
		return err
	}
	res, err := sim.Run(ctx, sc.Spec)
	if err != nil {
		return sc.LocateError(err)
	}
	if !*quiet {
		if err := report.WriteTimeline(stdout, res); err != nil {
			return err
		}
	}
	if *html != "" {
		rv, err := reviewOf(ctx, &check.Run{Scenario: sc, Spec: sc.Spec, Result: res})
		if err != nil {
			return err
		}
		if err := writeFile(*html, func(w io.Writer) error { return report.WriteReviewHTML(w, rv) }); err != nil {
			return err
		}
		if !*quiet {
			fmt.Fprintf(stdout, "wrote %s\n", *html)
		}
	}
	if *out != "" {
		if err := writeOutputs(*out, res); err != nil {
			return err
		}
		if !*quiet {
			fmt.Fprintf(stdout, "wrote %s\n", strings.Join([]string{
				filepath.Join(*out, "trace.csv"), filepath.Join(*out, "trace.json"),
				filepath.Join(*out, "plot.png"), filepath.Join(*out, "plot.svg"),
			}, ", "))
		}
	}
	return nil
}

// reviewOf completes a run with the lint findings of its scenario, for
// the HTML review.
func reviewOf(ctx context.Context, run *check.Run) (report.Review, error) {
	findings, err := check.Lint(ctx, run.Scenario)
	if err != nil {
		return report.Review{}, fmt.Errorf("%s: %w", run.Scenario.File, err)
	}
	return report.Review{Run: run, Linted: true, Findings: findings}, nil
}

// splitPositional lets flags follow the scenario path, as users type
// `autoscale-sim run scenario.yaml --out out/`.
func splitPositional(args []string) (string, []string) {
	var file string
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case strings.HasPrefix(a, "-"):
			rest = append(rest, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && flagTakesValue(a) {
				rest = append(rest, args[i+1])
				i++
			}
		case file == "":
			file = a
		default:
			rest = append(rest, a)
		}
	}
	return file, rest
}

// flagTakesValue lists the flags, of every command, that take a value, so
// that positional arguments can come before or after them.
func flagTakesValue(a string) bool {
	switch strings.TrimLeft(a, "-") {
	case "out", "html", "run", "junit", "at", "set", "csv", "plot", "heatmap", "figure", "parallel", "prometheus-url", "f":
		return true
	}
	return false
}

// splitArgs is splitPositional for commands taking several files.
func splitArgs(args []string) (files, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			files = append(files, args[i+1:]...)
			return files, rest
		case strings.HasPrefix(a, "-") && a != "-":
			rest = append(rest, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && flagTakesValue(a) {
				rest = append(rest, args[i+1])
				i++
			}
		default:
			files = append(files, a)
		}
	}
	return files, rest
}

// parseFlags parses rest, mapping errors to usage errors.
func parseFlags(fs *flag.FlagSet, rest []string) error {
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// writeFile creates path (and its directory) and writes it with f.
func writeFile(path string, f func(io.Writer) error) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f(fh); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

func writeOutputs(dir string, res *sim.Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	write := func(name string, f func(io.Writer, *sim.Result) error) error {
		fh, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := f(fh, res); err != nil {
			fh.Close()
			return err
		}
		return fh.Close()
	}
	if err := write("trace.csv", report.WriteCSV); err != nil {
		return err
	}
	if err := write("trace.json", report.WriteJSON); err != nil {
		return err
	}
	return report.SavePlots(dir, res)
}

// manifestFiles is the repeatable -f flag.
type manifestFiles []string

func (m *manifestFiles) String() string { return strings.Join(*m, ",") }

func (m *manifestFiles) Set(s string) error {
	*m = append(*m, s)
	return nil
}
