package main

import (
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// testCommand checks the expect: entries of scenario files, as
// `promtool test rules` checks rule test files.
func testCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runRE := fs.String("run", "", "check only the expectations whose name matches this regular expression")
	junit := fs.String("junit", "", "write the results as JUnit XML to this file")
	var manifests manifestFiles
	fs.Var(&manifests, "f", "manifests to add to every scenario's: a file, a directory, a glob, or - for standard input (repeatable)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: autoscale-sim test SCENARIO.yaml... [--run REGEX] [--junit FILE]\n\n")
		fs.PrintDefaults()
	}
	files, rest := splitArgs(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError{"test needs at least one scenario file"}
	}
	var filter *regexp.Regexp
	if *runRE != "" {
		var err error
		if filter, err = regexp.Compile(*runRE); err != nil {
			return usageError{fmt.Sprintf("--run: %v", err)}
		}
	}
	// Every file is loaded first: invalid input is exit 2 whatever the
	// results of the others.
	inputs, err := scenarios.ReadInputs(stdin, manifests...)
	if err != nil {
		return err
	}
	var scs []*scenarios.Scenario
	var loadErrs []string
	for _, f := range files {
		sc, err := scenarios.LoadWith(f, scenarios.Options{Manifests: inputs})
		if err != nil {
			loadErrs = append(loadErrs, err.Error())
			continue
		}
		scs = append(scs, sc)
	}
	if len(loadErrs) > 0 {
		return fmt.Errorf("%s", strings.Join(loadErrs, "\n"))
	}
	var suites junitSuites
	failed, total := 0, 0
	for _, sc := range scs {
		fmt.Fprintf(stdout, "Testing %s\n", sc.File)
		run, err := check.RunScenario(ctx, sc)
		if err != nil {
			return err
		}
		suite := junitSuite{Name: sc.File}
		if len(sc.Expect) == 0 {
			fmt.Fprintln(stdout, "  no expectations (add an expect: list to the spec)")
		}
		for i, a := range run.Expectations() {
			e := sc.Expect[i]
			if filter != nil && !filter.MatchString(e.Name) {
				continue
			}
			total++
			tc := junitCase{Name: e.Name, Classname: sc.File}
			if err := a.Check(run.Result); err != nil {
				failed++
				fmt.Fprintf(stdout, "  FAIL  %s\n", e.Name)
				fmt.Fprintf(stdout, "        %s\n", strings.ReplaceAll(err.Error(), "\n", "\n        "))
				tc.Failure = &junitFailure{Message: firstLine(err.Error()), Text: err.Error()}
				suite.Failures++
			} else {
				fmt.Fprintf(stdout, "  PASS  %s\n", e.Name)
			}
			suite.Tests++
			suite.Cases = append(suite.Cases, tc)
		}
		suites.Suites = append(suites.Suites, suite)
	}
	if *junit != "" {
		if err := writeFile(*junit, func(w io.Writer) error { return writeJUnit(w, suites) }); err != nil {
			return err
		}
	}
	if filter != nil && total == 0 {
		return usageError{fmt.Sprintf("--run %q matches no expectation", *runRE)}
	}
	if failed > 0 {
		fmt.Fprintf(stdout, "FAILED: %d of %d expectations\n", failed, total)
		return failedError{}
	}
	fmt.Fprintf(stdout, "SUCCESS: %d expectations\n", total)
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
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
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
