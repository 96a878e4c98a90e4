package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// WriteHTML writes a self-contained HTML report of r: the figures of the
// run, the plot as inline SVG, the timeline and the trace. It loads
// nothing from anywhere (no scripts, stylesheets, fonts or images), so it
// can be attached to a CI run or a review and opened offline. The same
// Result gives the same bytes.
func WriteHTML(w io.Writer, r *sim.Result) error {
	if err := validate(r); err != nil {
		return err
	}
	var svg bytes.Buffer
	if err := WritePlot(&svg, r, "svg"); err != nil {
		return err
	}
	// The SVG is embedded as an element: drop the XML prolog.
	s := svg.String()
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:]
	}
	f := check.FiguresOf(r)
	d := htmlData{
		Title:   "autoscale-sim: " + orDash(r.Name),
		Name:    orDash(r.Name),
		Summary: fmt.Sprintf("%s on %s, min %d, max %d replicas, seed %d, %s simulated", orDash(r.Autoscaler), orDash(r.Workload), r.MinReplicas, r.MaxReplicas, r.Seed, age(r.Duration)),
		SVG:     template.HTML(s), // produced by our own plot writer
		Figures: [][2]string{
			{"Cost", strconv.FormatFloat(f.ReplicaSeconds, 'f', 0, 64) + " replica-seconds"},
			{"Peak replicas", strconv.Itoa(int(f.MaxReplicas))},
			{"Lowest replicas", strconv.Itoa(int(f.MinReplicas))},
			{"Final replicas", strconv.Itoa(int(f.FinalReplicas))},
			{"Scale events", fmt.Sprintf("%d (%d up, %d down)", f.ScaleEvents, f.ScaleUps, f.ScaleDowns)},
			{"Direction changes (flaps)", strconv.Itoa(f.DirectionChanges)},
			{"Above target", check.Duration(f.AboveTarget) + " with a metric per ready pod above its target"},
			{"Overloaded", check.Duration(time.Duration(f.OverloadedSeconds*float64(time.Second))) + " with the load above what the ready pods serve"},
		},
	}
	for _, e := range r.Events {
		d.Events = append(d.Events, []string{age(e.T), e.Source, e.Type, e.Reason, change(e.From, e.To), oneLine(e.Message)})
	}
	d.TraceHead = []string{"time", "desired", "replicas", "ready", "load"}
	for _, m := range r.Metrics {
		d.TraceHead = append(d.TraceHead, m.Name)
	}
	for _, smp := range r.Samples {
		row := []string{age(smp.T), strconv.Itoa(int(smp.DesiredReplicas)), strconv.Itoa(int(smp.Replicas)), strconv.Itoa(int(smp.ReadyReplicas)), csvNumber(smp.Load)}
		for _, v := range smp.Metrics {
			row = append(row, csvNumber(v))
		}
		d.Trace = append(d.Trace, row)
	}
	return htmlPage.Execute(w, d)
}

type htmlData struct {
	Title, Name, Summary string
	SVG                  template.HTML
	Figures              [][2]string
	Events               [][]string
	TraceHead            []string
	Trace                [][]string
}

var htmlPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { text-align: left; padding: 0.25em 0.8em 0.25em 0; vertical-align: top; }
th { border-bottom: 1px solid #bbb; }
#timeline td:nth-child(5), #trace td { font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.warning td { color: #a40; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; }
</style>
</head>
<body>
<h1>Scenario {{.Name}}</h1>
<p id="summary">{{.Summary}}</p>
<h2>Figures</h2>
<table id="figures">
{{- range .Figures}}
<tr><th scope="row">{{index . 0}}</th><td>{{index . 1}}</td></tr>
{{- end}}
</table>
<h2>Replicas and metrics</h2>
<figure id="plot">
{{.SVG}}
</figure>
<h2>Timeline</h2>
<table id="timeline">
<thead><tr><th>Time</th><th>Source</th><th>Type</th><th>Reason</th><th>Replicas</th><th>Message</th></tr></thead>
<tbody>
{{- range .Events}}
<tr class="event{{if eq (index . 2) "Warning"}} warning{{end}}">{{range .}}<td>{{.}}</td>{{end}}</tr>
{{- else}}
<tr><td colspan="6">no events</td></tr>
{{- end}}
</tbody>
</table>
<h2>Trace</h2>
<details>
<summary>{{len .Trace}} rows</summary>
<table id="trace">
<thead><tr>{{range .TraceHead}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Trace}}
<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</details>
</body>
</html>
`))
