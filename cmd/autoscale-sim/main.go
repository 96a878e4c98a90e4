package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/internal/textsafe"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1 // expectations failed, or lint --strict found warnings
	exitInvalid = 2 // bad usage or invalid input
)

func main() {
	os.Exit(runWithInput(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is runWithInput with nothing on standard input.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runWithInput(ctx, args, strings.NewReader(""), stdout, stderr)
}

// usageError is bad usage: the message is followed by a hint naming the
// command's help.
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

// env is what a command reads and writes besides its flags.
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	// guards bound what the command may cost (--timeout, --max-*).
	guards *guards
}

// runWithInput is the whole command; main only maps its result to the
// process. stdin is read by -f -.
func runWithInput(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Names, messages and server texts come from inputs: what reaches a
	// terminal carries no control character it would obey.
	safeOut := textsafe.NewWriter(stdout)
	defer safeOut.Flush()
	stdout = safeOut
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCommand(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	e.guards.stop()
	return exitCode(stderr, cmd, e.guards.timedOut(err))
}

// exitCode prints err once, with a hint for bad usage, and maps it to the
// exit code.
func exitCode(stderr io.Writer, cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	err = safeError{err}
	var fe failedError
	if errors.As(err, &fe) {
		if fe.msg != "" {
			fmt.Fprintf(stderr, "autoscale-sim: %s\n", textsafe.Text(fe.msg))
		}
		return exitFailed
	}
	var ie invalidError
	if errors.As(err, &ie) {
		if ie.msg != "" {
			fmt.Fprintf(stderr, "autoscale-sim: %s\n", textsafe.Text(ie.msg))
		}
		return exitInvalid
	}
	var ue usageError
	isUsage := errors.As(err, &ue)
	if !isUsage && strings.HasPrefix(err.Error(), "unknown command ") {
		// Cobra's own: the command name is wrong (its message suggests the
		// closest one).
		ue, isUsage = usageError{strings.TrimSpace(err.Error())}, true
	}
	if isUsage {
		path := "autoscale-sim"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(stderr, "autoscale-sim: %s\nRun '%s --help' for usage and examples.\n", textsafe.Text(ue.msg), path)
		return exitInvalid
	}
	fmt.Fprintf(stderr, "autoscale-sim: %s\n", indentAfterFirst(err.Error()))
	return exitInvalid
}

// safeError is err with its text made safe for a terminal
// (textsafe.Text); errors.As still sees the error inside.
type safeError struct{ err error }

func (e safeError) Error() string { return textsafe.Text(e.err.Error()) }
func (e safeError) Unwrap() error { return e.err }

// indentAfterFirst keeps multi-problem errors readable: one problem a line.
func indentAfterFirst(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	return "invalid input:\n  " + strings.ReplaceAll(s, "\n", "\n  ")
}

const rootLong = `autoscale-sim simulates Kubernetes autoscaling (KEDA ScaledObjects and
autoscaling/v2 HPAs on Prometheus metrics) on a virtual clock, from the
manifests you kubectl apply and a scenario that describes the load.

Exit codes: 0 success, 1 expectations failed (or lint --strict found
warnings), 2 invalid usage or input.`

const rootExample = `  # Simulate the WebSocket example and write traces and plots
  autoscale-sim run examples/websocket/scenario.yaml --out out/

  # Check the expect: entries of every scenario under examples/
  autoscale-sim test examples/

  # Review the autoscaler's design, for code scanning
  autoscale-sim lint examples/ -o sarif > lint.sarif`

func newRootCommand(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "autoscale-sim",
		Short:         "Test Kubernetes autoscaling policies without a cluster",
		Long:          rootLong,
		Example:       rootExample,
		Version:       versionText(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Without a command: the help, on stderr, and exit 2 (as go does).
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SetOut(e.stderr)
			if err := cmd.Help(); err != nil {
				return err
			}
			return invalidError{}
		},
	}
	e.guards = &guards{}
	addGuardFlags(root, e.guards)
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if err := e.guards.check(); err != nil {
			return err
		}
		e.guards.start(e)
		return nil
	}
	root.SetVersionTemplate("{{.Version}}")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{err.Error()}
	})
	root.AddCommand(
		newRunCommand(e),
		newTestCommand(e),
		newLintCommand(e),
		newExplainCommand(e),
		newSweepCommand(e),
		newCompareCommand(e),
		newMergeCommand(e),
		newBacktestCommand(e),
		newVersionCommand(e),
	)
	return root
}

// exactArgs requires n arguments, with the command's own message.
func exactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{msg}
		}
		return nil
	}
}

// writeOutputs writes trace.csv, trace.json, plot.png and plot.svg into
// dir, each whole or not at all.
func writeOutputs(g *guards, dir string, res *sim.Result) error {
	// The four files are independent: written at once, on every core, so
	// that the PNG's rasterization and compression (most of the time) run
	// beside the others. Each file is whole or absent, and the first
	// error in this order is returned, as when they were written in turn.
	writers := []struct {
		name string
		f    func(io.Writer) error
	}{
		{"trace.csv", func(w io.Writer) error { return report.WriteCSV(w, res) }},
		{"trace.json", func(w io.Writer) error { return report.WriteJSON(w, res) }},
		{"plot.png", func(w io.Writer) error { return report.WritePlot(w, res, "png") }},
		{"plot.svg", func(w io.Writer) error { return report.WritePlot(w, res, "svg") }},
	}
	errs := make([]error, len(writers))
	var wg sync.WaitGroup
	for i, wr := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = g.writeFile(filepath.Join(dir, wr.name), wr.f)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
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
