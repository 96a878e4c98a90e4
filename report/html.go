package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// WriteHTML writes a self-contained HTML report of r alone: the figures
// of the run, the plot as inline SVG, the settings, the timeline and the
// trace. Without the scenario it has no policy summary, expectations or
// lint findings, and says so; WriteReviewHTML writes the full review.
func WriteHTML(w io.Writer, r *sim.Result) error {
	if err := validate(r); err != nil {
		return err
	}
	return WriteReviewHTML(w, Review{Run: &check.Run{Result: r}})
}

// WriteReviewHTML writes the review document of one run: a verdict line,
// the policy summary, the figures (time to first scale-up included), every
// expectation with the timeline around each failure, the lint findings at
// their manifest lines, the plot, the settings, the timeline and the
// trace. It is one file that loads nothing (no scripts, stylesheets, fonts
// or images), so it can be attached to a CI run or a review and opened
// offline; the same input gives the same bytes.
func WriteReviewHTML(w io.Writer, rv Review) error {
	if rv.Run == nil {
		return fmt.Errorf("report: nil run")
	}
	if err := validate(rv.Run.Result); err != nil {
		return err
	}
	rv = printableReview(rv)
	sec, err := runSectionOf(rv, "", "")
	if err != nil {
		return err
	}
	return writePage(w, page{Title: "autoscale-sim: " + orDash(rv.Run.Result.Name), Runs: []runSection{sec}})
}

// printableReview is rv with its result made printable (see printable).
func printableReview(rv Review) Review {
	run := *rv.Run
	run.Result = printable(run.Result)
	rv.Run = &run
	return rv
}

// Sweep is what WriteSweepHTML shows of a sweep.
type Sweep struct {
	// Title heads the page, e.g. "Sweep of examples/websocket/scenario.yaml".
	Title string
	// Base is the scenario as written: its policy and lint findings.
	Base     Review
	Axes     []Axis
	Variants []Variant
	// Heatmaps names the figures drawn over the axes (see
	// HeatmapFigures and WriteHeatmap).
	Heatmaps []string
}

// WriteSweepHTML writes the review document of a sweep: the policy and
// lint findings of the scenario as written, a heatmap of each chosen
// figure over the axes, the replicas of every run (grouped, as
// WriteOverlay draws them) and one table row per run with its figures and
// expectations.
func WriteSweepHTML(w io.Writer, s Sweep) error {
	p := page{Title: s.Title, Heading: s.Title, Axes: s.Axes}
	if s.Base.Run != nil {
		sec, err := runSectionOf(s.Base, "base-", "The scenario as written")
		if err != nil {
			return err
		}
		sec.OnlyPolicy = true
		p.Runs = []runSection{sec}
	}
	for _, f := range s.Heatmaps {
		svg, err := svgOf(func(w io.Writer) error { return WriteHeatmap(w, "svg", s.Title+": "+f, s.Variants, s.Axes, f) })
		if err != nil {
			return err
		}
		p.Plots = append(p.Plots, svg)
	}
	svg, err := svgOf(func(w io.Writer) error { return WriteOverlay(w, "svg", s.Title, s.Variants, s.Axes) })
	if err != nil {
		return err
	}
	p.Plots = append(p.Plots, svg)
	p.VariantTable = variantTable(s.Variants, s.Axes)
	return writePage(w, p)
}

// Comparison is what WriteCompareHTML shows: runs side by side.
type Comparison struct {
	Title string
	// Labels name the runs ("A examples/x.yaml"), in the order of Runs.
	Labels []string
	Runs   []Review
}

// WriteCompareHTML writes the review document of a comparison: the policy
// summaries and figures side by side with the rows that differ marked,
// the replicas of both runs on one plot, then each run's full review.
func WriteCompareHTML(w io.Writer, c Comparison) error {
	if len(c.Labels) != len(c.Runs) {
		return fmt.Errorf("report: %d labels for %d runs", len(c.Labels), len(c.Runs))
	}
	p := page{Title: c.Title, Heading: c.Title}
	var vs []Variant
	for i, rv := range c.Runs {
		if rv.Run == nil {
			return fmt.Errorf("report: nil run")
		}
		if err := validate(rv.Run.Result); err != nil {
			return err
		}
		sec, err := runSectionOf(rv, fmt.Sprintf("run%d-", i+1), c.Labels[i])
		if err != nil {
			return err
		}
		p.Runs = append(p.Runs, sec)
		vs = append(vs, VariantOf(c.Labels[i], nil, rv.Run))
	}
	p.Side = sideBySide(c.Labels, p.Runs)
	svg, err := svgOf(func(w io.Writer) error { return WriteOverlay(w, "svg", c.Title, vs, nil) })
	if err != nil {
		return err
	}
	p.Plots = []template.HTML{svg}
	return writePage(w, p)
}

type page struct {
	Title, Heading string
	Axes           []Axis
	Side           *sideTable
	Plots          []template.HTML
	VariantTable   *table
	Runs           []runSection
}

type table struct {
	Head []string
	Rows [][]cellT
}

type cellT struct {
	Text  string
	Class string
}

type sideTable struct {
	Labels []string
	Rows   []sideRow
}

type sideRow struct {
	Section, Name string
	Values        []string
	Differs       bool
}

// runSection is one run's part of a page; Prefix keeps the ids of
// several runs apart.
type runSection struct {
	Prefix, Heading   string
	Name, Summary     string
	Verdict           []string
	OnlyPolicy        bool
	Policy            []policyRow
	Figures           [][2]string
	HasScenario       bool
	Expect            []Expectation
	ExpectPassed      int
	Linted            bool
	Findings          [][4]string
	SVG               template.HTML
	Settings          [][3]string
	Assumptions       []string
	Events            [][]string
	TraceHead         []string
	Trace             [][]string
	Source            string
	PolicyUnavailable bool
}

func svgOf(write func(io.Writer) error) (template.HTML, error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return "", err
	}
	// The SVG is embedded as an element: drop the XML prolog.
	s := b.String()
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:]
	}
	return template.HTML(s), nil // produced by our own plot writer
}

func runSectionOf(rv Review, prefix, heading string) (runSection, error) {
	r := rv.Run.Result
	svg, err := svgOf(func(w io.Writer) error { return WritePlot(w, r, "svg") })
	if err != nil {
		return runSection{}, err
	}
	sec := runSection{
		Prefix: prefix, Heading: heading,
		Name:    orDash(r.Name),
		Summary: fmt.Sprintf("%s on %s, min %d, max %d replicas, seed %d, %s simulated", orDash(r.Autoscaler), orDash(r.Workload), r.MinReplicas, r.MaxReplicas, r.Seed, age(r.Duration)),
		SVG:     svg,
		Figures: figureRows(r),
		Policy:  policyOf(rv.Run),
		Linted:  rv.Linted,
	}
	if rv.Run.Scenario != nil {
		sec.Source = rv.Run.Scenario.File
		sec.HasScenario = true
		sec.Expect = ExpectationsOf(rv.Run)
		sec.ExpectPassed = passed(sec.Expect)
		switch {
		case len(sec.Expect) == 0:
			sec.Verdict = append(sec.Verdict, "no expectations")
		case sec.ExpectPassed == len(sec.Expect):
			sec.Verdict = append(sec.Verdict, fmt.Sprintf("all %d expectations hold", len(sec.Expect)))
		default:
			sec.Verdict = append(sec.Verdict, fmt.Sprintf("%d of %d expectations FAIL", len(sec.Expect)-sec.ExpectPassed, len(sec.Expect)))
		}
	}
	if rv.Linted {
		counts := map[check.Severity]int{}
		for _, f := range rv.Findings {
			sev := f.Severity
			if sev == "" {
				sev = check.Warning
			}
			counts[sev]++
			where := "-"
			if f.File != "" {
				where = fmt.Sprintf("%s:%d", f.File, f.Line)
			}
			sec.Findings = append(sec.Findings, [4]string{string(sev), where, f.Rule, strings.TrimSuffix(f.String(), " ["+f.Rule+"]")})
		}
		if len(rv.Findings) == 0 {
			sec.Verdict = append(sec.Verdict, "no lint findings")
		}
		for _, sev := range []check.Severity{check.Error, check.Warning, check.Info} {
			if n := counts[sev]; n > 0 {
				sec.Verdict = append(sec.Verdict, fmt.Sprintf("%d lint %s(s)", n, sev))
			}
		}
	}
	for _, st := range r.Settings {
		from := st.Source
		if st.Note != "" {
			from += "; " + st.Note
		}
		sec.Settings = append(sec.Settings, [3]string{st.Name, st.Value, from})
	}
	for _, a := range r.Assumptions {
		sec.Assumptions = append(sec.Assumptions, a.Message+" ("+a.Hint+")")
	}
	for _, e := range r.Events {
		sec.Events = append(sec.Events, []string{age(e.T), e.Source, e.Type, e.Reason, change(e.From, e.To), oneLine(e.Message)})
	}
	sec.TraceHead = []string{"time", "desired", "replicas", "ready", "load"}
	for _, m := range r.Metrics {
		sec.TraceHead = append(sec.TraceHead, m.Name)
	}
	for _, smp := range r.Samples {
		row := []string{age(smp.T), strconv.Itoa(int(smp.DesiredReplicas)), strconv.Itoa(int(smp.Replicas)), strconv.Itoa(int(smp.ReadyReplicas)), csvNumber(smp.Load)}
		for _, v := range smp.Metrics {
			row = append(row, csvNumber(v))
		}
		sec.Trace = append(sec.Trace, row)
	}
	return sec, nil
}

// sideBySide lines up the policy and figures of runs, marking the rows
// whose values differ.
func sideBySide(labels []string, runs []runSection) *sideTable {
	t := &sideTable{Labels: labels}
	type key struct{ section, name string }
	var order []key
	values := map[key][]string{}
	addRow := func(run int, k key, v string) {
		if _, ok := values[k]; !ok {
			order = append(order, k)
			values[k] = make([]string, len(runs))
			for j := range values[k] {
				values[k][j] = "-" // the row does not apply to that run
			}
		}
		values[k][run] = v
	}
	for i, r := range runs {
		for _, p := range r.Policy {
			addRow(i, key{"Policy", p.Name}, p.Value)
		}
	}
	for i, r := range runs {
		for _, f := range r.Figures {
			addRow(i, key{"Figures", f[0]}, f[1])
		}
		switch {
		case len(r.Expect) > 0:
			addRow(i, key{"Figures", "Expectations"}, fmt.Sprintf("%d of %d hold", r.ExpectPassed, len(r.Expect)))
		case r.HasScenario:
			addRow(i, key{"Figures", "Expectations"}, "none stated")
		}
	}
	for _, k := range order {
		vs := values[k]
		differs := false
		for _, v := range vs[1:] {
			differs = differs || v != vs[0]
		}
		t.Rows = append(t.Rows, sideRow{Section: k.section, Name: k.name, Values: vs, Differs: differs})
	}
	return t
}

func variantTable(vs []Variant, axes []Axis) *table {
	t := &table{}
	for _, a := range axes {
		t.Head = append(t.Head, a.Name)
	}
	if len(axes) == 0 {
		t.Head = append(t.Head, "run")
	}
	for _, d := range figureDefs {
		t.Head = append(t.Head, d.title)
	}
	t.Head = append(t.Head, "expectations")
	for _, v := range vs {
		var row []cellT
		if len(axes) == 0 {
			row = append(row, cellT{Text: v.Name()})
		}
		for _, s := range v.Settings {
			row = append(row, cellT{Text: s.Value})
		}
		for _, d := range figureDefs {
			text := "none"
			if x, ok := d.value(v.Figures); ok {
				text = d.format(x)
			}
			row = append(row, cellT{Text: text, Class: "num"})
		}
		ex := cellT{Text: "-"}
		if len(v.Expectations) > 0 {
			ok := passed(v.Expectations)
			ex.Text = fmt.Sprintf("%d of %d hold", ok, len(v.Expectations))
			if ok < len(v.Expectations) {
				var failed []string
				for _, e := range v.Expectations {
					if e.Failure != "" {
						failed = append(failed, e.Name)
					}
				}
				ex.Text += "; failed: " + strings.Join(failed, ", ")
				ex.Class = "fail"
			}
		}
		t.Rows = append(t.Rows, append(row, ex))
	}
	return t
}

func writePage(w io.Writer, p page) error {
	var b bytes.Buffer
	if err := htmlPage.Execute(&b, p); err != nil {
		return fmt.Errorf("report: writing HTML: %w", err)
	}
	if _, err := b.WriteTo(w); err != nil {
		return fmt.Errorf("report: writing HTML: %w", err)
	}
	return nil
}

var htmlPage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1em; margin-top: 1.2em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { text-align: left; padding: 0.25em 0.8em 0.25em 0; vertical-align: top; }
th { border-bottom: 1px solid #bbb; }
th[scope=row] { border-bottom: none; white-space: nowrap; }
td.num, .trace td, .timeline td:nth-child(5) { font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.warning td, .fail { color: #a40; }
tr.differs th, tr.differs td { background: #fff4d6; }
.verdict { font-weight: 600; }
.pass { color: #2c7f2c; font-weight: 600; }
.failed { color: #b00; font-weight: 600; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.85em; white-space: pre-wrap; }
figure { margin: 0 0 1em 0; }
figure svg { width: 100%; height: auto; }
nav a { margin-right: 1em; }
</style>
</head>
<body>
{{- if .Heading}}
<h1>{{.Heading}}</h1>
{{- end}}
{{- with .Axes}}
<p id="axes">Axes: {{range $i, $a := .}}{{if $i}}; {{end}}{{$a.Name}} = {{range $j, $v := $a.Values}}{{if $j}}, {{end}}{{$v}}{{end}}{{end}}</p>
{{- end}}
{{- with .Side}}
<h2 id="side-by-side">Side by side</h2>
<table id="compare">
<thead><tr><th></th>{{range .Labels}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr{{if .Differs}} class="differs"{{end}}><th scope="row">{{.Name}}</th>{{range .Values}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
<p>Rows whose values differ are highlighted.</p>
{{- end}}
{{- range .Runs}}{{if .OnlyPolicy}}{{template "run" .}}{{end}}{{end}}
{{- if .Plots}}
<h2 id="plots">Plots</h2>
{{- range .Plots}}
<figure>
{{.}}
</figure>
{{- end}}
{{- end}}
{{- with .VariantTable}}
<h2 id="runs">Runs</h2>
<table id="variants">
<thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range .}}<td{{if .Class}} class="{{.Class}}"{{end}}>{{.Text}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- range .Runs}}{{if not .OnlyPolicy}}{{template "run" .}}{{end}}{{end}}
</body>
</html>
{{define "run"}}
{{- if .Heading}}
<h2 id="{{.Prefix}}run">{{.Heading}}</h2>
<h3>Scenario {{.Name}}</h3>
{{- else}}
<h1>Scenario {{.Name}}</h1>
{{- end}}
<p id="{{.Prefix}}summary">{{.Summary}}{{with .Source}} ({{.}}){{end}}</p>
{{- with .Verdict}}
<p class="verdict" id="{{$.Prefix}}verdict">{{range $i, $v := .}}{{if $i}} · {{end}}{{$v}}{{end}}</p>
{{- end}}
<h2 id="{{.Prefix}}policy">Policy</h2>
{{- if .Policy}}
<table class="policy" id="{{.Prefix}}policy-table">
{{- range .Policy}}
<tr><th scope="row">{{.Name}}</th><td>{{.Value}}</td></tr>
{{- end}}
</table>
{{- else}}
<p>Not available: this report was written from a result alone, without the scenario and its manifests.</p>
{{- end}}
{{- if not .OnlyPolicy}}
<h2 id="{{.Prefix}}figures-heading">Figures</h2>
<table id="{{.Prefix}}figures">
{{- range .Figures}}
<tr><th scope="row">{{index . 0}}</th><td>{{index . 1}}</td></tr>
{{- end}}
</table>
<h2 id="{{.Prefix}}expectations">Expectations</h2>
{{- if not .HasScenario}}
<p>Not available: this report was written from a result alone, without the scenario's expect: entries.</p>
{{- else if .Expect}}
<p>{{.ExpectPassed}} of {{len .Expect}} hold.</p>
<table class="expectations">
<thead><tr><th>Result</th><th>Expectation</th><th>Where</th></tr></thead>
<tbody>
{{- range .Expect}}
<tr><td>{{if .Failure}}<span class="failed">FAIL</span>{{else}}<span class="pass">PASS</span>{{end}}</td><td>{{.Name}}</td><td>{{.File}}:{{.Line}}</td></tr>
{{- if .Failure}}
<tr><td></td><td colspan="2"><pre>{{.Failure}}</pre></td></tr>
{{- end}}
{{- end}}
</tbody>
</table>
{{- else}}
<p>The scenario states none (add an expect: list to its spec).</p>
{{- end}}
{{- end}}
<h2 id="{{.Prefix}}lint">Lint findings</h2>
{{- if not .Linted}}
<p>Not run: write the report with the scenario (autoscale-sim run --html) to include them.</p>
{{- else if .Findings}}
<table class="findings" id="{{.Prefix}}findings">
<thead><tr><th>Severity</th><th>Where</th><th>Rule</th><th>Finding</th></tr></thead>
<tbody>
{{- range .Findings}}
<tr class="{{index . 0}}"><td>{{index . 0}}</td><td>{{index . 1}}</td><td>{{index . 2}}</td><td>{{index . 3}}</td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p>No findings.</p>
{{- end}}
{{- if not .OnlyPolicy}}
<h2 id="{{.Prefix}}plot-heading">Replicas and metrics</h2>
<figure id="{{.Prefix}}plot">
{{.SVG}}
</figure>
{{- if or .Settings .Assumptions}}
<h2 id="{{.Prefix}}settings-heading">Settings and assumptions</h2>
{{- if .Settings}}
<table id="{{.Prefix}}settings">
<thead><tr><th>Setting</th><th>Value</th><th>From</th></tr></thead>
<tbody>
{{- range .Settings}}
<tr><td>{{index . 0}}</td><td>{{index . 1}}</td><td>{{index . 2}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- range .Assumptions}}
<p class="assumption">Assumed: {{.}}</p>
{{- end}}
{{- end}}
<h2 id="{{.Prefix}}timeline-heading">Timeline</h2>
<table class="timeline" id="{{.Prefix}}timeline">
<thead><tr><th>Time</th><th>Source</th><th>Type</th><th>Reason</th><th>Replicas</th><th>Message</th></tr></thead>
<tbody>
{{- range .Events}}
<tr class="event{{if eq (index . 2) "Warning"}} warning{{end}}">{{range .}}<td>{{.}}</td>{{end}}</tr>
{{- else}}
<tr><td colspan="6">no events</td></tr>
{{- end}}
</tbody>
</table>
<h2 id="{{.Prefix}}trace-heading">Trace</h2>
<details>
<summary>{{len .Trace}} rows</summary>
<table class="trace" id="{{.Prefix}}trace">
<thead><tr>{{range .TraceHead}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Trace}}
<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</details>
{{- end}}
{{- end}}
`))

// Namespace is what WriteNamespaceHTML shows: the namespace as one (its
// replicas summed and its pool, check.NamespaceRun.Total) and each
// workload's review.
type Namespace struct {
	Title string
	// Names name the workloads, in the order of Workloads.
	Names     []string
	Total     *sim.Result
	Workloads []Review
}

// WriteNamespaceHTML writes the review document of a namespace: the
// workloads' policies and figures side by side, the plot of the
// namespace as one (replicas summed, the pool's Ready nodes and Pending
// pods), then each workload's full review.
func WriteNamespaceHTML(w io.Writer, n Namespace) error {
	if len(n.Names) != len(n.Workloads) {
		return fmt.Errorf("report: %d names for %d workloads", len(n.Names), len(n.Workloads))
	}
	if n.Total == nil {
		return fmt.Errorf("report: nil namespace total")
	}
	if err := validate(n.Total); err != nil {
		return err
	}
	p := page{Title: n.Title, Heading: n.Title}
	for i, rv := range n.Workloads {
		if rv.Run == nil {
			return fmt.Errorf("report: nil run")
		}
		if err := validate(rv.Run.Result); err != nil {
			return err
		}
		sec, err := runSectionOf(printableReview(rv), fmt.Sprintf("w%d-", i+1), "Workload "+n.Names[i])
		if err != nil {
			return err
		}
		p.Runs = append(p.Runs, sec)
	}
	p.Side = sideBySide(n.Names, p.Runs)
	total := printable(n.Total)
	svg, err := svgOf(func(w io.Writer) error { return WritePlot(w, total, "svg") })
	if err != nil {
		return err
	}
	p.Plots = []template.HTML{svg}
	return writePage(w, p)
}
