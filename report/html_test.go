package report_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

func websocketResult(t *testing.T) *sim.Result {
	t.Helper()
	return exampleRun(t, "../examples/websocket/scenario.yaml").Result
}

// exampleRun loads and runs a scenario.
func exampleRun(t *testing.T, path string) *check.Run {
	t.Helper()
	sc, err := scenarios.Load(path)
	require.NoError(t, err)
	run, err := check.RunScenario(context.Background(), sc)
	require.NoError(t, err)
	return run
}

// exampleReview is a run with its lint findings, as `run --html` writes it.
func exampleReview(t *testing.T, path string) report.Review {
	t.Helper()
	run := exampleRun(t, path)
	findings, err := check.Lint(context.Background(), run.Scenario)
	require.NoError(t, err)
	return report.Review{Run: run, Linted: true, Findings: findings}
}

// selfContained: nothing is fetched when the page opens, and nothing runs.
func selfContained(t *testing.T, page string) {
	t.Helper()
	for _, banned := range []string{"<script", "<link", "src=", "href=\"http", "url(", "@import", "@font-face", "<iframe", "<object", "<embed", " on"} {
		if banned == " on" {
			// no inline event handler attribute (onload=, onclick=, ...)
			for _, attr := range []string{" onload=", " onclick=", " onerror=", " onmouseover="} {
				require.NotContains(t, page, attr)
			}
			continue
		}
		require.NotContains(t, page, banned)
	}
}

func TestWriteHTML(t *testing.T) {
	res := websocketResult(t)
	var a, b bytes.Buffer
	require.NoError(t, report.WriteHTML(&a, res))
	require.NoError(t, report.WriteHTML(&b, res))
	require.Equal(t, a.String(), b.String(), "same result, same bytes")
	page := a.String()
	for _, want := range []string{
		"<!DOCTYPE html>",
		`<table class="timeline" id="timeline">`,
		"<td>12m</td><td>HPA</td><td>Normal</td><td>SuccessfulRescale</td><td>5 -&gt; 4</td>",
		"<svg",
		"<th scope=\"row\">Cost</th><td>4140 replica-seconds</td>",
		"<th scope=\"row\">Time to first scale-up</th><td>14s (load rises at 1m1s, first scale-up at 1m15s)</td>",
		// A result alone says what it cannot show.
		"<p>Not available: this report was written from a result alone, without the scenario and its manifests.</p>",
		"Not available: this report was written from a result alone, without the scenario's expect: entries.",
		"<p>Not run: write the report with the scenario",
	} {
		contains(t, page, want)
	}
	selfContained(t, page)
	// Five scale events and the ScaledObject's conditions as they change.
	require.Equal(t, 11, strings.Count(page, `<tr class="event">`))
}

// TestWriteReviewHTML: the review of a scenario whose expectations fail
// shows the policy, each expectation with the timeline around a failure,
// and the lint findings at their manifest lines.
func TestWriteReviewHTML(t *testing.T) {
	rv := exampleReview(t, "../testdata/expect/websocket-failing.yaml")
	var a, b bytes.Buffer
	require.NoError(t, report.WriteReviewHTML(&a, rv))
	require.NoError(t, report.WriteReviewHTML(&b, rv))
	require.Equal(t, a.String(), b.String(), "same input, same bytes")
	page := a.String()
	selfContained(t, page)

	// Policy: bounds, the trigger with threshold and activation, polling,
	// the cooldown that cannot act, behavior, tolerance and versions.
	for _, want := range []string{
		`<tr><th scope="row">Replicas</th><td>minReplicaCount 1, maxReplicaCount 5</td></tr>`,
		`threshold 40 (AverageValue target: the query result divided by the pods against it); activationThreshold 0 (the default)`,
		`<tr><th scope="row">Polling</th><td>pollingInterval 15s: KEDA checks activity every 15s`,
		`<tr><th scope="row">Cooldown</th><td>cooldownPeriod 45s: no effect, minReplicaCount is 1 so KEDA never scales in by itself</td></tr>`,
		`<tr><th scope="row">Scale down</th><td>stabilizationWindowSeconds 60, policies 20% per 1m (selectPolicy Max)</td></tr>`,
		`<tr><th scope="row">Scale up</th><td>stabilizationWindowSeconds 0, policies 4 pods per 15s, 100% per 15s (selectPolicy Max)</td></tr>`,
		`<tr><th scope="row">Tolerance</th><td>keep replicas while the usage ratio is within [0.9, 1.1]`,
		`<tr><th scope="row">Versions modelled</th><td>Kubernetes 1.35 (the default: the newest release modelled), KEDA 2.20.2 (the default)</td></tr>`,
	} {
		contains(t, page, want)
	}

	// Expectations: every entry with its result and line; each failure
	// with what was wanted and the timeline around it.
	n := len(rv.Run.Scenario.Expect)
	held := 0
	for _, e := range report.ExpectationsOf(rv.Run) {
		if e.Failure == "" {
			held++
			continue
		}
		require.Contains(t, e.Failure, "timeline around")
		contains(t, page, "<pre>"+htmlEscape(e.Failure)+"</pre>")
	}
	require.Less(t, held, n, "the fixture has failing expectations")
	contains(t, page, "<p>"+itoa(held)+" of "+itoa(n)+" hold.</p>")
	require.Equal(t, n-held, strings.Count(page, `<span class="failed">FAIL</span>`))
	require.Equal(t, held, strings.Count(page, `<span class="pass">PASS</span>`))
	contains(t, page, "<td>three replicas at 12m</td><td>../testdata/expect/websocket-failing.yaml:27</td>")
	contains(t, page, "expectations FAIL")

	// Lint: each finding at its manifest line.
	require.NotEmpty(t, rv.Findings)
	for _, f := range rv.Findings {
		contains(t, page, "<td>"+htmlEscape(f.File)+":"+itoa(f.Line)+"</td><td>"+f.Rule+"</td>")
	}
}

// A ScaledJob's review has no HPA: its policy is the scaling strategy and
// the Job template, its figures the messages' wait and the Jobs.
func TestWriteReviewHTMLScaledJob(t *testing.T) {
	rv := exampleReview(t, "../examples/scaledjob-burst/scenario-custom.yaml")
	var b bytes.Buffer
	require.NoError(t, report.WriteReviewHTML(&b, rv))
	page := b.String()
	selfContained(t, page)
	f := check.FiguresOf(rv.Run.Result)
	require.NotNil(t, f.Jobs)
	for _, want := range []string{
		`<tr><th scope="row">Autoscaler</th><td>ScaledJob render-custom: KEDA creates Jobs at its polls, no HPA</td></tr>`,
		`<tr><th scope="row">Scaling strategy</th><td>custom, customScalingQueueLengthDeduction`,
		`<tr><th scope="row">Mean message wait</th><td>` + check.Duration(f.Jobs.MeanMessageWait) + ` from arrival`,
		`<tr><th scope="row">Jobs</th><td>` + itoa(f.Jobs.JobsCreated) + ` created`,
	} {
		contains(t, page, want)
	}
	for _, absent := range []string{">Tolerance<", ">Scale down<", ">Above target<", ">Direction changes (flaps)<", "HPA controller"} {
		require.NotContains(t, page, absent)
	}
}

func TestWriteReviewHTMLRejectsNil(t *testing.T) {
	require.EqualError(t, report.WriteReviewHTML(&bytes.Buffer{}, report.Review{}), "report: nil run")
	require.EqualError(t, report.WriteReviewHTML(&bytes.Buffer{}, report.Review{Run: &check.Run{}}), "report: nil result")
}

func TestWriteCompareHTML(t *testing.T) {
	a := exampleReview(t, "../examples/websocket/scenario.yaml")
	b := exampleReview(t, "../examples/prometheus-adapter-websocket/scenario.yaml")
	c := report.Comparison{Title: "Comparison", Labels: []string{"A websocket", "B adapter"}, Runs: []report.Review{a, b}}
	var buf bytes.Buffer
	require.NoError(t, report.WriteCompareHTML(&buf, c))
	page := buf.String()
	selfContained(t, page)
	contains(t, page, `<tr class="differs"><th scope="row">Cost</th><td>4140 replica-seconds</td>`)
	contains(t, page, `<tr><th scope="row">Tolerance</th>`, "equal rows are not marked")
	// Each run in full, with ids of its own.
	for _, id := range []string{`id="run1-timeline"`, `id="run2-timeline"`, `id="run1-policy-table"`, `id="run2-findings"`} {
		require.Equal(t, 1, strings.Count(page, id), id)
	}
	require.Equal(t, 3, strings.Count(page, "<svg"), "the overlay and each run's plot")

	c.Labels = c.Labels[:1]
	require.EqualError(t, report.WriteCompareHTML(&buf, c), "report: 1 labels for 2 runs")
}

func TestWriteSweepHTML(t *testing.T) {
	base := exampleReview(t, "../examples/websocket/scenario.yaml")
	vs, axes := sweepVariants(t)
	var buf bytes.Buffer
	require.NoError(t, report.WriteSweepHTML(&buf, report.Sweep{Title: "Sweep", Base: base, Axes: axes, Variants: vs, Heatmaps: []string{"cost", "overloaded"}}))
	page := buf.String()
	selfContained(t, page)
	contains(t, page, `<p id="axes">Axes: threshold = 20, 40, 60; cooldownPeriod = 30, 300</p>`)
	require.Equal(t, 3, strings.Count(page, "<svg"), "two heatmaps and the overlay")
	require.Equal(t, len(vs), strings.Count(page, "<tr><td>")-strings.Count(page, "<tr><td>base"), "one row per run")
	contains(t, page, "<td>60</td><td>300</td><td class=\"num\">3315</td>")
	contains(t, page, "5 of 5 hold")
	contains(t, page, `class="fail">`, "a run whose expectations fail is marked")
}

// sweepVariants runs the README's sweep of the WebSocket example.
func sweepVariants(t *testing.T) ([]report.Variant, []report.Axis) {
	t.Helper()
	axes := []report.Axis{{Name: "threshold", Values: []string{"20", "40", "60"}}, {Name: "cooldownPeriod", Values: []string{"30", "300"}}}
	paths := []string{"spec.triggers[0].metadata.threshold", "spec.cooldownPeriod"}
	var vs []report.Variant
	for _, th := range axes[0].Values {
		for _, cd := range axes[1].Values {
			run, err := check.File("../examples/websocket/scenario.yaml",
				scenarios.Override{Path: paths[0], Value: th}, scenarios.Override{Path: paths[1], Value: cd})
			require.NoError(t, err)
			vs = append(vs, report.VariantOf("", []report.Setting{{Name: "threshold", Value: th}, {Name: "cooldownPeriod", Value: cd}}, run))
		}
	}
	return vs, axes
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func itoa(n int) string { return strconv.Itoa(n) }

// contains is require.Contains without the page in the message.
func contains(t *testing.T, page, want string, msg ...any) {
	t.Helper()
	require.True(t, strings.Contains(page, want), "missing %q %v", want, msg)
}

// namespaceReview is the page run --html writes for a namespace.
func namespaceReview(t *testing.T, sc *scenarios.Scenario) report.Namespace {
	t.Helper()
	run, err := check.RunNamespace(context.Background(), sc)
	require.NoError(t, err)
	total, _ := run.Total()
	page := report.Namespace{Title: "namespace " + sc.Name, Names: sc.Namespace.Names, Total: total.Result}
	for _, w := range run.Workloads {
		findings, err := check.Lint(context.Background(), w.Scenario)
		require.NoError(t, err)
		page.Workloads = append(page.Workloads, report.Review{Run: w, Linted: true, Findings: findings})
	}
	return page
}

// A namespace's page sets its workloads side by side, with the rows that
// differ marked, plots the namespace as one and then reviews each
// workload in full, each section's ids kept apart; it loads nothing.
func TestNamespaceHTML(t *testing.T) {
	sc, err := scenarios.Load("../examples/namespace/scenario.yaml")
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, report.WriteNamespaceHTML(&b, namespaceReview(t, sc)))
	page := b.String()
	selfContained(t, page)
	require.Contains(t, page, "Workload websocket")
	require.Contains(t, page, "Workload api")
	require.Contains(t, page, "The namespace as one")
	require.Contains(t, page, `id="w1-`)
	require.Contains(t, page, `id="w2-`)
	require.Equal(t, 3, strings.Count(page, "<svg"), "the namespace's plot and one per workload")
	var again strings.Builder
	require.NoError(t, report.WriteNamespaceHTML(&again, namespaceReview(t, sc)))
	require.Equal(t, page, again.String(), "the same input gives the same bytes")
	require.Error(t, report.WriteNamespaceHTML(&b, report.Namespace{Names: []string{"a"}}))
}
