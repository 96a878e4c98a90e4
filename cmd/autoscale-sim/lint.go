package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// lintCommand validates a scenario (exit 2 when invalid) and prints the
// design warnings of check.Lint.
func lintCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	strict := fs.Bool("strict", false, "exit 1 when there are warnings")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: autoscale-sim lint SCENARIO.yaml... [--strict]\n\n")
		fs.PrintDefaults()
	}
	files, rest := splitArgs(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError{"lint needs at least one scenario file"}
	}
	warnings := 0
	for _, f := range files {
		sc, err := scenarios.Load(f)
		if err != nil {
			return err
		}
		findings, err := check.Lint(ctx, sc)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, fd := range findings {
			// Located in the manifest, as a compiler would, when known.
			where := f
			if fd.File != "" {
				where = fmt.Sprintf("%s:%d", fd.File, fd.Line)
			}
			fmt.Fprintf(stdout, "%s: warning: %s\n", where, fd)
		}
		warnings += len(findings)
	}
	if warnings == 0 {
		fmt.Fprintln(stdout, "no warnings")
		return nil
	}
	fmt.Fprintf(stdout, "%d warning(s)\n", warnings)
	if *strict {
		return failedError{}
	}
	return nil
}

// explainCommand prints check.Explain at --at.
func explainCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	at := fs.Duration("at", -1, "the instant to explain, e.g. 12m or 1m15s (required)")
	var sets []scenarios.Override
	fs.Func("set", "override a field of the autoscaler manifest, PATH=VALUE (repeatable)", func(s string) error {
		o, err := scenarios.ParseOverride(s)
		sets = append(sets, o)
		return err
	})
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: autoscale-sim explain SCENARIO.yaml --at DURATION [--set PATH=VALUE]...\n\n")
		fs.PrintDefaults()
	}
	files, rest := splitArgs(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError{"explain needs exactly one scenario file"}
	}
	if *at < 0 {
		return usageError{"explain needs --at, e.g. --at 12m"}
	}
	sc, err := scenarios.LoadWithOverrides(files[0], sets...)
	if err != nil {
		return err
	}
	if *at > sc.Spec.Duration {
		return usageError{fmt.Sprintf("--at %s is after the end of the scenario (%s)", check.Duration(*at), check.Duration(sc.Spec.Duration))}
	}
	if *at%time.Second != 0 {
		return usageError{"--at must be a whole number of seconds"}
	}
	return check.Explain(ctx, stdout, sc.Spec, *at)
}
