package report

import (
	"github.com/autoscale-sim/autoscale-sim/check"
)

// Review is what the HTML report shows of one run besides its Result:
// the scenario it came from (for the policy summary and the
// expectations) and the design findings of check.Lint.
type Review struct {
	// Run is the run; Run.Scenario is nil for a Spec built in code, and
	// Run.Spec is empty for a Result alone (WriteHTML).
	Run *check.Run
	// Linted says Findings are check.Lint's answer (maybe none); when
	// false the page says lint was not run.
	Linted   bool
	Findings []check.Finding
}

// Expectation is the result of one expect: entry of a scenario.
type Expectation struct {
	Name string
	// File and Line locate the entry in the scenario.
	File string
	Line int
	// Failure is empty when the expectation holds; otherwise what was
	// wanted, what happened and the timeline around it.
	Failure string
}

// ExpectationsOf checks the expect: entries of a run's scenario.
func ExpectationsOf(run *check.Run) []Expectation {
	if run == nil || run.Scenario == nil {
		return nil
	}
	var out []Expectation
	for i, a := range run.Expectations() {
		e := run.Scenario.Expect[i]
		x := Expectation{Name: e.Name, File: e.File, Line: e.Line}
		if err := a.Check(run.Result); err != nil {
			x.Failure = err.Error()
		}
		out = append(out, x)
	}
	return out
}

// passed counts the expectations that hold.
func passed(es []Expectation) int {
	n := 0
	for _, e := range es {
		if e.Failure == "" {
			n++
		}
	}
	return n
}
