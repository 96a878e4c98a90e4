package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/output"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

type lintOptions struct {
	strict    bool
	manifests []string
	output    outputFlag
}

func newLintCommand(e *env) *cobra.Command {
	o := &lintOptions{}
	cmd := &cobra.Command{
		Use:   "lint [SCENARIO.yaml|DIR|GLOB...] [-f MANIFESTS]",
		Short: "Validate scenarios and review the autoscaler's design",
		Long: `Validate scenarios (exit 2 when invalid) and report settings that do
nothing or contradict each other, KEDA's own admission warnings included,
each at its line in the manifest. Arguments are files, globs or directories
(every scenario file of the tree); every file is reported and the last line
counts the files that passed and failed. With -f alone the manifests are
linted under ` + scenarios.DefaultScenarioName + `.

Exit codes: 0 no errors (warnings allowed), 1 warnings with --strict,
2 an invalid file or an error finding.

-o sarif writes a SARIF 2.1.0 log for code scanning; -o github writes
GitHub Actions annotations (::warning file=...,line=...::message).`,
		Example: `  autoscale-sim lint examples/websocket/scenario.yaml
  autoscale-sim lint examples/ --strict
  helm template . | autoscale-sim lint -f -
  autoscale-sim lint examples/ -o sarif > autoscale-sim.sarif
  autoscale-sim lint examples/ -o github`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && len(o.manifests) == 0 {
				return usageError{"lint needs at least one scenario file, or manifests with -f"}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return o.lint(e, args) },
	}
	cmd.Flags().BoolVar(&o.strict, "strict", false, "exit 1 when there are warnings")
	addManifestsFlag(cmd, &o.manifests, "manifests to lint (added to every scenario's); without a scenario file, "+scenarios.DefaultScenarioName+" is used")
	addOutputFlag(cmd, &o.output, "sarif", "github")
	return cmd
}

func (o *lintOptions) lint(e *env, args []string) error {
	if err := o.output.check(); err != nil {
		return err
	}
	inputs, err := scenarios.ReadInputs(e.stdin, o.manifests...)
	if err != nil {
		return err
	}
	text := o.output.text()
	say := func(format string, args ...any) {
		if text {
			fmt.Fprintf(e.stdout, format, args...)
		}
	}
	res := output.LintResult{TypeMeta: output.Meta(output.KindLintResult), Files: []output.LintFile{}}
	targets := expandScenarios(args)
	if len(args) == 0 {
		targets = []scenarioArg{{}}
	}
	for _, t := range targets {
		lf := output.LintFile{File: t.file, Status: output.Passed, Findings: []output.Finding{}}
		sc, err := t.load(e, inputs, say)
		var findings []check.Finding
		if err == nil {
			findings, err = lintScenario(e, sc)
		}
		if err != nil {
			lf.Status = output.Invalid
			for _, p := range output.ProblemsOf(err) {
				fd := output.ProblemFinding(scenarios.Problem(p), check.Error, t.file)
				lf.Findings = append(lf.Findings, fd)
				say("%s\n", problemLine(scenarios.Problem(p), "error", t.file))
			}
		} else {
			for _, w := range sc.Warnings {
				lf.Findings = append(lf.Findings, output.ProblemFinding(w, check.Warning, sc.File))
				say("%s\n", problemLine(w, "warning", sc.File))
			}
			for _, fd := range findings {
				// Located in the manifest, as a compiler would, when known.
				where := sc.File
				if fd.File != "" {
					where = fmt.Sprintf("%s:%d", fd.File, fd.Line)
				}
				say("%s: %s: %s\n", where, fd.Severity, strings.ReplaceAll(fd.String(), "\n", "\n    "))
				lf.Findings = append(lf.Findings, output.FindingOf(fd, sc.File))
			}
		}
		for _, fd := range lf.Findings {
			switch fd.Severity {
			case string(check.Error):
				res.Errors++
				if lf.Status == output.Passed {
					lf.Status = output.Failed
				}
			case string(check.Warning):
				res.Warnings++
				if o.strict && lf.Status == output.Passed {
					lf.Status = output.Failed
				}
			default:
				res.Infos++
			}
		}
		if lf.Status == output.Passed {
			res.Passed++
		} else {
			res.Failed++
		}
		res.Files = append(res.Files, lf)
	}
	switch {
	case res.Errors > 0:
		say("%d error(s), %d warning(s)\n", res.Errors, res.Warnings)
	case res.Warnings == 0:
		say("no warnings\n")
	default:
		say("%d warning(s)\n", res.Warnings)
	}
	say("%d passed, %d failed\n", res.Passed, res.Failed)
	var werr error
	switch o.output.format {
	case "sarif":
		werr = output.WriteSARIF(e.stdout, res, moduleVersion())
	case "github":
		werr = output.WriteGitHub(e.stdout, res)
	case "json", "yaml":
		werr = output.Write(e.stdout, o.output.format, res)
	}
	if werr != nil {
		return werr
	}
	switch {
	case res.Errors > 0:
		return invalidError{fmt.Sprintf("%d error(s): the simulation cannot answer for these inputs", res.Errors)}
	case o.strict && res.Warnings > 0:
		return failedError{}
	}
	return nil
}

// load reads a scenario of lint, or the default scenario (file "").
func (t scenarioArg) load(e *env, inputs []scenarios.Input, say func(string, ...any)) (*scenarios.Scenario, error) {
	if t.err != nil {
		return nil, t.err
	}
	if t.file == "" {
		say("lint: using %s: rules that need a load are not run\n", scenarios.DefaultScenarioName)
		return scenarios.DefaultScenario(inputs, "")
	}
	return scenarios.LoadWith(t.file, e.guards.options(scenarios.Options{Manifests: inputs, Context: e.ctx}))
}

// problemLine writes a load problem as a compiler would.
func problemLine(p scenarios.Problem, severity, file string) string {
	where := p.File
	if where == "" {
		where = file
	}
	if p.Line > 0 {
		where = fmt.Sprintf("%s:%d", where, p.Line)
	}
	path := ""
	if p.Path != "" {
		path = p.Path + ": "
	}
	return fmt.Sprintf("%s: %s: %s%s", where, severity, path, p.Message)
}

type explainOptions struct {
	at        time.Duration
	sets      []string
	manifests []string
	output    outputFlag
	workload  string
}

func newExplainCommand(e *env) *cobra.Command {
	o := &explainOptions{at: -1}
	cmd := &cobra.Command{
		Use:   "explain SCENARIO.yaml --at DURATION",
		Short: "Break down the decisions in force at one instant",
		Long: `Simulate the scenario up to --at and break down the decisions in force
then: what KEDA last polled (activity, lastActiveTime, the cooldown clock)
and what the HPA last read and decided (each metric's value and usage
ratio against the tolerance, its proposal, the stabilization window, the
limiting policy, the conditions).`,
		Example: `  autoscale-sim explain examples/websocket/scenario.yaml --at 12m
  autoscale-sim explain examples/websocket/scenario.yaml --at 2m --set spec.minReplicaCount=0
  autoscale-sim explain examples/diurnal/scenario.yaml --at 1d -o json`,
		Args: exactArgs(1, "explain needs exactly one scenario file"),
		RunE: func(cmd *cobra.Command, args []string) error { return o.explain(e, args[0]) },
	}
	f := cmd.Flags()
	f.Var(&durationValue{d: &o.at}, "at", "the instant to explain, e.g. 12m, 1m15s or 1d (required)")
	f.StringArrayVar(&o.sets, "set", nil, "override a field, PATH=VALUE: of the autoscaler manifest (spec.cooldownPeriod) or of the scenario (scenario.spec.workload.podStartup) (repeatable)")
	f.StringVar(&o.workload, "workload", "", "with spec.workloads: the workload to explain, by name (default: each, in turn; -o json needs one)")
	addManifestsFlag(cmd, &o.manifests, "manifests to add to the scenario's")
	addOutputFlag(cmd, &o.output)
	return cmd
}

func (o *explainOptions) explain(e *env, file string) error {
	if err := o.output.check(); err != nil {
		return err
	}
	if o.at < 0 {
		return usageError{"explain needs --at, e.g. --at 12m"}
	}
	var sets []scenarios.Override
	for _, s := range o.sets {
		ov, err := scenarios.ParseOverride(s)
		if err != nil {
			return usageError{"--set " + err.Error()}
		}
		sets = append(sets, ov)
	}
	inputs, err := scenarios.ReadInputs(e.stdin, o.manifests...)
	if err != nil {
		return err
	}
	sc, err := scenarios.LoadWith(file, e.guards.options(scenarios.Options{Overrides: sets, Manifests: inputs, Context: e.ctx}))
	if err != nil {
		return err
	}
	if sc.Namespace != nil {
		return o.explainNamespace(e, sc)
	}
	if o.at > sc.Spec.Duration {
		return usageError{fmt.Sprintf("--at %s is after the end of the scenario (%s)", check.Duration(o.at), check.Duration(sc.Spec.Duration))}
	}
	if o.at%time.Second != 0 {
		return usageError{"--at must be a whole number of seconds"}
	}
	x, err := check.ExplainAt(e.ctx, sc.Spec, o.at)
	if err != nil {
		return err
	}
	if o.output.text() {
		return x.WriteText(e.stdout)
	}
	return output.Write(e.stdout, o.output.format, output.ExplanationOf(x, sc.File))
}

// lintScenario lints a scenario, or each workload of a namespace with its
// findings named after it.
func lintScenario(e *env, sc *scenarios.Scenario) ([]check.Finding, error) {
	if sc.Namespace == nil {
		return check.Lint(e.ctx, sc)
	}
	var out []check.Finding
	for i, w := range sc.Namespace.Workloads {
		fs, err := check.Lint(e.ctx, w)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			f.Message = "workload " + sc.Namespace.Names[i] + ": " + f.Message
			out = append(out, f)
		}
	}
	return out, nil
}

// explainNamespace explains the workloads of a namespace at --at: the
// one --workload names, or each in turn.
func (o *explainOptions) explainNamespace(e *env, sc *scenarios.Scenario) error {
	ns := sc.Namespace
	if d := ns.Workloads[0].Spec.Duration; o.at > d {
		return usageError{fmt.Sprintf("--at %s is after the end of the scenario (%s)", check.Duration(o.at), check.Duration(d))}
	}
	if o.at%time.Second != 0 {
		return usageError{"--at must be a whole number of seconds"}
	}
	which := make([]int, 0, len(ns.Names))
	if o.workload != "" {
		i := slices.Index(ns.Names, o.workload)
		if i < 0 {
			return usageError{fmt.Sprintf("--workload %q: no such workload in spec.workloads; have: %s", o.workload, strings.Join(ns.Names, ", "))}
		}
		which = append(which, i)
	} else {
		if !o.output.text() {
			return usageError{fmt.Sprintf("-o %s explains one workload: pick one with --workload (%s)", o.output.format, strings.Join(ns.Names, ", "))}
		}
		for i := range ns.Names {
			which = append(which, i)
		}
	}
	for k, i := range which {
		x, err := check.ExplainNamespaceAt(e.ctx, ns.Spec(sc.Name), i, o.at)
		if err != nil {
			return ns.LocateError(err)
		}
		if !o.output.text() {
			return output.Write(e.stdout, o.output.format, output.ExplanationOf(x, sc.File))
		}
		if k > 0 {
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprintf(e.stdout, "== workload %s ==\n", ns.Names[i])
		if err := x.WriteText(e.stdout); err != nil {
			return err
		}
	}
	return nil
}
