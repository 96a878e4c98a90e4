package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// lintCommand validates a scenario (exit 2 when invalid) and prints the
// design warnings of check.Lint.
func lintCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	strict := fs.Bool("strict", false, "exit 1 when there are warnings")
	var manifests manifestFiles
	fs.Var(&manifests, "f", "manifests to lint: a file, a directory, a glob, or - for standard input (repeatable); without a scenario file, "+scenarios.DefaultScenarioName+" is used")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: autoscale-sim lint SCENARIO.yaml... [--strict]\n       autoscale-sim lint -f MANIFESTS [--strict]\n\n")
		fs.PrintDefaults()
	}
	files, rest := splitArgs(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if len(files) == 0 && len(manifests) == 0 {
		return usageError{"lint needs at least one scenario file, or manifests with -f"}
	}
	inputs, err := scenarios.ReadInputs(stdin, manifests...)
	if err != nil {
		return err
	}
	load := func(f string) (*scenarios.Scenario, error) {
		return scenarios.LoadWith(f, scenarios.Options{Manifests: inputs})
	}
	if len(files) == 0 {
		files = []string{""}
		load = func(string) (*scenarios.Scenario, error) {
			fmt.Fprintf(stdout, "lint: using %s: rules that need a load are not run\n", scenarios.DefaultScenarioName)
			return scenarios.DefaultScenario(inputs, "")
		}
	}
	warnings, errorsFound := 0, 0
	for _, f := range files {
		sc, err := load(f)
		if err != nil {
			return err
		}
		for _, w := range sc.Warnings {
			fmt.Fprintf(stdout, "%s\n", warningLine(w))
			warnings++
		}
		findings, err := check.Lint(ctx, sc)
		if err != nil {
			return err
		}
		for _, fd := range findings {
			// Located in the manifest, as a compiler would, when known.
			where := sc.File
			if fd.File != "" {
				where = fmt.Sprintf("%s:%d", fd.File, fd.Line)
			}
			fmt.Fprintf(stdout, "%s: %s: %s\n", where, fd.Severity, strings.ReplaceAll(fd.String(), "\n", "\n    "))
			switch fd.Severity {
			case check.Error:
				errorsFound++
			case check.Warning:
				warnings++
			}
		}
	}
	if errorsFound > 0 {
		fmt.Fprintf(stdout, "%d error(s), %d warning(s)\n", errorsFound, warnings)
		return invalidError{fmt.Sprintf("%d error(s): the simulation cannot answer for these inputs", errorsFound)}
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
func explainCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	at := fs.Duration("at", -1, "the instant to explain, e.g. 12m or 1m15s (required)")
	var sets []scenarios.Override
	fs.Func("set", "override a field of the autoscaler manifest, PATH=VALUE (repeatable)", func(s string) error {
		o, err := scenarios.ParseOverride(s)
		sets = append(sets, o)
		return err
	})
	var manifests manifestFiles
	fs.Var(&manifests, "f", "manifests to add to the scenario's: a file, a directory, a glob, or - for standard input (repeatable)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: autoscale-sim explain SCENARIO.yaml --at DURATION [-f MANIFESTS]... [--set PATH=VALUE]...\n\n")
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
	inputs, err := scenarios.ReadInputs(stdin, manifests...)
	if err != nil {
		return err
	}
	sc, err := scenarios.LoadWith(files[0], scenarios.Options{Overrides: sets, Manifests: inputs})
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

// warningLine writes a load warning as a compiler would.
func warningLine(p scenarios.Problem) string {
	where := p.File
	if p.Line > 0 {
		where = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	path := ""
	if p.Path != "" {
		path = p.Path + ": "
	}
	return fmt.Sprintf("%s: warning: %s%s", where, path, p.Message)
}
