package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/output"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

type testOptions struct {
	run, junit string
	manifests  []string
	output     outputFlag
}

func newTestCommand(e *env) *cobra.Command {
	o := &testOptions{}
	cmd := &cobra.Command{
		Use:   "test SCENARIO.yaml|DIR|GLOB...",
		Short: "Check the expect: entries of scenarios, as promtool test rules checks rule tests",
		Long: `Check the expect: entries of every scenario named, as promtool test rules
checks rule test files. Arguments are files, globs, or directories (every
scenario file of the tree). Every file is reported, an invalid one
included; the last line counts the files that passed and failed. The exit
code is the worst of all files: 0 all pass, 1 an expectation failed, 2 a
file is invalid.`,
		Example: `  autoscale-sim test examples/websocket/scenario.yaml
  autoscale-sim test examples/ --junit junit.xml
  autoscale-sim test 'examples/*/scenario.yaml' --run '^scales' -o json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"test needs at least one scenario file"}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return o.runTests(e, args) },
	}
	f := cmd.Flags()
	f.StringVar(&o.run, "run", "", "check only the expectations whose name matches this regular expression")
	f.StringVar(&o.junit, "junit", "", "write the results as JUnit XML to this file")
	addManifestsFlag(cmd, &o.manifests, "manifests to add to every scenario's")
	addOutputFlag(cmd, &o.output)
	return cmd
}

func (o *testOptions) runTests(e *env, args []string) error {
	if err := o.output.check(); err != nil {
		return err
	}
	var filter *regexp.Regexp
	if o.run != "" {
		var err error
		if filter, err = regexp.Compile(o.run); err != nil {
			return usageError{fmt.Sprintf("--run: %v", err)}
		}
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
	res := output.TestResult{TypeMeta: output.Meta(output.KindTestResult), Files: []output.TestFile{}}
	var suites junitSuites
	failed, total, invalid := 0, 0, 0
	for _, arg := range expandScenarios(args) {
		say("Testing %s\n", arg.file)
		tf := output.TestFile{File: arg.file, Status: output.Passed, Problems: []output.Problem{}, Expectations: []output.Expectation{}}
		suite := junitSuite{Name: arg.file}
		var sc *scenarios.Scenario
		var run *check.Run
		err := arg.err
		if err == nil {
			sc, err = scenarios.LoadWith(arg.file, e.guards.options(scenarios.Options{Manifests: inputs, Context: e.ctx}))
			e.guards.protect(sc, inputs...)
		}
		var verdicts []check.Verdict
		if err == nil && sc.Runs > 1 {
			// spec.runs: each claim is judged over the runs, in the
			// share its quantile asks for.
			verdicts, err = runVerdicts(e, sc)
		}
		// The claims to judge: the scenario's, or each workload's of a
		// namespace, named after it.
		type judged struct {
			prefix string
			sc     *scenarios.Scenario
			run    *check.Run
		}
		var targets []judged
		if err == nil && sc.Namespace != nil {
			var nr *check.NamespaceRun
			if nr, err = check.RunNamespace(e.ctx, sc); err == nil {
				for i, w := range nr.Workloads {
					targets = append(targets, judged{sc.Namespace.Names[i] + ": ", w.Scenario, w})
				}
			}
		} else if err == nil {
			run, err = check.RunScenario(e.ctx, sc)
			targets = append(targets, judged{"", sc, run})
		}
		if err != nil {
			invalid++
			tf.Status, tf.Problems = output.Invalid, output.ProblemsOf(err)
			say("  INVALID  the file cannot be tested:\n        %s\n", strings.ReplaceAll(err.Error(), "\n", "\n        "))
			suite.Errors, suite.Tests = 1, 1
			suite.Cases = append(suite.Cases, junitCase{Name: "load", Classname: arg.file, Error: &junitFailure{Message: firstLine(err.Error()), Text: err.Error()}})
			suites.Suites = append(suites.Suites, suite)
			res.Files = append(res.Files, tf)
			continue
		}
		claims := 0
		for _, t := range targets {
			claims += len(t.sc.Expect)
		}
		if claims == 0 {
			say("  no expectations (add an expect: list to the spec)\n")
		}
		offset := 0
		for _, t := range targets {
			run := t.run
			for i, a := range run.Expectations() {
				ex := t.sc.Expect[i]
				verdict := offset + i
				ex.Name = t.prefix + ex.Name
				if filter != nil && !filter.MatchString(ex.Name) {
					continue
				}
				total++
				tc := junitCase{Name: ex.Name, Classname: sc.File}
				r := output.Expectation{Name: ex.Name, File: ex.File, Line: ex.Line, Status: output.Passed}
				err := a.Check(run.Result)
				if verdicts != nil {
					err = verdicts[verdict].Err()
				}
				if err != nil {
					failed++
					tf.Status, r.Status, r.Message = output.Failed, output.Failed, err.Error()
					say("  FAIL  %s\n", ex.Name)
					say("        %s\n", strings.ReplaceAll(err.Error(), "\n", "\n        "))
					tc.Failure = &junitFailure{Message: firstLine(err.Error()), Text: err.Error()}
					suite.Failures++
				} else {
					say("  PASS  %s\n", ex.Name)
				}
				tf.Expectations = append(tf.Expectations, r)
				suite.Tests++
				suite.Cases = append(suite.Cases, tc)
			}
			offset += len(t.sc.Expect)
		}
		suites.Suites = append(suites.Suites, suite)
		res.Files = append(res.Files, tf)
	}
	for _, f := range res.Files {
		if f.Status == output.Passed {
			res.Passed++
		} else {
			res.Failed++
		}
	}
	if o.junit != "" {
		if err := e.guards.writeFile(o.junit, func(w io.Writer) error { return writeJUnit(w, suites) }); err != nil {
			return err
		}
	}
	if filter != nil && total == 0 && invalid == 0 {
		return usageError{fmt.Sprintf("--run %q matches no expectation", o.run)}
	}
	switch {
	case failed > 0:
		say("FAILED: %d of %d expectations\n", failed, total)
	case total > 0:
		say("SUCCESS: %d expectations\n", total)
	}
	say("%d passed, %d failed\n", res.Passed, res.Failed)
	if !text {
		if err := output.Write(e.stdout, o.output.format, res); err != nil {
			return err
		}
	}
	switch {
	case invalid > 0:
		return invalidError{fmt.Sprintf("%d of %d files invalid", invalid, len(res.Files))}
	case failed > 0:
		return failedError{}
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// The JUnit XML layout CI systems read (the one promtool writes).
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr,omitempty"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	// Error is a file that could not be tested.
	Error *junitFailure `xml:"error,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, s junitSuites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// runVerdicts runs a scenario's spec.runs seeded variants and judges its
// expect: entries over them.
func runVerdicts(e *env, sc *scenarios.Scenario) ([]check.Verdict, error) {
	if err := e.guards.checkRuns(sc, sc.Runs); err != nil {
		return nil, err
	}
	d, err := distributionOf(e, sc, sc.Runs, 0, check.Shard{})
	if err != nil {
		return nil, err
	}
	return d.Verdicts(), nil
}
