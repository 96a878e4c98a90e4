package report_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// svgNode is an SVG element as encoding/xml reads it.
type svgNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []svgNode  `xml:",any"`
}

func (n svgNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// parseSVG reads an SVG document with encoding/xml: it must be well formed
// and be an <svg> in the SVG namespace.
func parseSVG(t *testing.T, data []byte) svgNode {
	t.Helper()
	var root svgNode
	require.NoError(t, xml.Unmarshal(data, &root))
	require.Equal(t, "svg", root.XMLName.Local)
	require.Equal(t, "http://www.w3.org/2000/svg", root.XMLName.Space)
	return root
}

// walk visits n and its descendants, with the classes of the groups that
// hold each.
func walk(n svgNode, groups []string, visit func(n svgNode, groups []string)) {
	visit(n, groups)
	if n.XMLName.Local == "g" {
		groups = append(append([]string(nil), groups...), n.attr("class"))
	}
	for _, c := range n.Children {
		walk(c, groups, visit)
	}
}

// outline is the structure of an SVG without its coordinates: one line
// per element with its class and its text, runs of identical lines
// folded. It is a golden that no change of layout arithmetic or font
// rounding alters, only a change of what the figure shows.
func outline(n svgNode) string {
	var lines []string
	var rec func(n svgNode, depth int)
	rec = func(n svgNode, depth int) {
		line := strings.Repeat("  ", depth) + n.XMLName.Local
		if c := n.attr("class"); c != "" {
			line += "." + strings.ReplaceAll(c, " ", ".")
		}
		switch n.XMLName.Local {
		case "text", "title":
			line += fmt.Sprintf(" %q", n.Text)
		case "polyline", "polygon":
			if d := n.attr("stroke-dasharray"); d != "" {
				line += " dashed"
			}
		}
		lines = append(lines, line)
		for _, c := range n.Children {
			rec(c, depth+1)
		}
	}
	rec(n, 0)
	var b strings.Builder
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && lines[j] == lines[i] {
			j++
		}
		b.WriteString(lines[i])
		if j-i > 1 {
			fmt.Fprintf(&b, " ×%d", j-i)
		}
		b.WriteString("\n")
		i = j
	}
	return b.String()
}

func svgOf(t *testing.T, write func(io.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, write(&b))
	return b.Bytes()
}

// multiMetricResult is an HPA with two metrics of different kinds, a
// fault window and a warning: a panel per metric, the usage ratios, the
// fault strip.
func multiMetricResult() *sim.Result {
	r := hourResult()
	r.Name, r.Autoscaler = "two-metrics", "hpa"
	r.Metrics = []sim.MetricInfo{
		{Name: "external/queue_depth", Query: "sum(queue_depth)", Target: 30, TargetType: "AverageValue", SourceType: "External"},
		{Name: "resource/cpu", Target: 60, TargetType: "Utilization", SourceType: "Resource"},
	}
	for i := range r.Samples {
		s := &r.Samples[i]
		s.Metrics = []float64{s.Load / 5, 40 + 30*math.Sin(float64(i)/20)}
	}
	r.Faults = []sim.Fault{{Kind: sim.MetricsDown, From: 20 * time.Minute, To: 25 * time.Minute}, {Kind: sim.ControllerRestart, From: 40 * time.Minute}}
	r.Events = append(r.Events, sim.Event{T: 21 * time.Minute, Source: "HPA", Type: "Warning", Reason: "FailedGetExternalMetric", From: 4, To: 4, Message: "unable to get external metric"})
	r.Tolerances.ScaleDown, r.Tolerances.ScaleUp = 0.05, 0.1
	return r
}

func TestSVGStructureGolden(t *testing.T) {
	tests := []struct {
		name   string
		result func(t *testing.T) *sim.Result
	}{
		{"small", func(*testing.T) *sim.Result { return smallResult() }},
		{"websocket", websocketResult},
		{"activation", func(t *testing.T) *sim.Result { return exampleRun(t, "../examples/activation/scenario.yaml").Result }},
		{"fallback", func(t *testing.T) *sim.Result { return exampleRun(t, "../examples/fallback/scenario.yaml").Result }},
		{"two-metrics", func(*testing.T) *sim.Result { return multiMetricResult() }},
		{"degenerate", func(*testing.T) *sim.Result { return degenerateResult() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.result(t)
			data := svgOf(t, func(w io.Writer) error { return report.WritePlot(w, r, "svg") })
			checkGolden(t, "plot-"+tt.name+".outline", []byte(outline(parseSVG(t, data))))
		})
	}
}

func TestOverviewStructureGolden(t *testing.T) {
	vs, axes := sweepVariants(t)
	many := manyVariants(12)
	tests := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"overlay", func(w io.Writer) error { return report.WriteOverlay(w, "svg", "Sweep", vs, axes) }},
		{"small-multiples", func(w io.Writer) error { return report.WriteOverlay(w, "svg", "Many", many, nil) }},
		{"range", func(w io.Writer) error { return report.WriteOverlay(w, "svg", "Too many", manyVariants(60), nil) }},
		{"heatmap", func(w io.Writer) error { return report.WriteHeatmap(w, "svg", "Sweep", vs, axes, "cost") }},
		{"heatmap-facets", func(w io.Writer) error {
			vs, axes := facetVariants()
			return report.WriteHeatmap(w, "svg", "Three axes", vs, axes, "first-scale-up")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := svgOf(t, tt.write)
			checkGolden(t, tt.name+".outline", []byte(outline(parseSVG(t, data))))
		})
	}
}

// manyVariants are n runs that each scale to a different peak at a
// different time, so none is identical to another.
func manyVariants(n int) []report.Variant {
	var vs []report.Variant
	for i := range n {
		up := time.Duration(i+1) * 30 * time.Second
		vs = append(vs, report.Variant{
			Label: fmt.Sprintf("run %d", i), Initial: 1, Duration: 20 * time.Minute, MinReplicas: 1, MaxReplicas: 10,
			Changes: []sim.Event{{T: up, From: 1, To: int32(2 + i%8)}, {T: up + 10*time.Minute, From: int32(2 + i%8), To: 1}},
			Figures: check.Figures{Figures: sim.Figures{ReplicaSeconds: float64(1000 + 37*i), MaxReplicas: int32(2 + i%8)}},
		})
	}
	return vs
}

// facetVariants is a 2 × 3 × 2 sweep in sweep order; runs with an odd
// index never scale up after the load rises.
func facetVariants() ([]report.Variant, []report.Axis) {
	axes := []report.Axis{{Name: "a", Values: []string{"1", "2"}}, {Name: "b", Values: []string{"x", "y", "z"}}, {Name: "c", Values: []string{"p", "q"}}}
	var vs []report.Variant
	for i := range 12 {
		f := check.Figures{Figures: sim.Figures{TimeToFirstScaleUp: time.Duration(15*(i+1)) * time.Second, ScaledUpAfterRise: i%2 == 0}}
		vs = append(vs, report.Variant{
			Settings: []report.Setting{{Name: "a", Value: axes[0].Values[i/6]}, {Name: "b", Value: axes[1].Values[i/2%3]}, {Name: "c", Value: axes[2].Values[i%2]}},
			Initial:  1, Duration: 10 * time.Minute, Figures: f,
		})
	}
	return vs, axes
}

// TestPlotShowsWhatTheReviewerChecks reads the SVG of real runs as a
// reviewer would: the metric in its target's unit, the threshold where
// KEDA compares it, the bounds even at 0, and a hover title on every
// scale event that is the timeline line.
func TestPlotShowsWhatTheReviewerChecks(t *testing.T) {
	t.Run("websocket", func(t *testing.T) {
		r := websocketResult(t)
		root := parseSVG(t, svgOf(t, func(w io.Writer) error { return report.WritePlot(w, r, "svg") }))
		texts := textsByGroup(root)
		// The per-pod panel carries the target and its tolerance band.
		require.Contains(t, texts["panel metric/line-labels"], "target 40")
		require.Contains(t, texts["panel metric/legend"], "tolerance ±10%: no scaling inside")
		require.NotContains(t, texts["panel metric-raw/line-labels"], "target 40", "the per-pod target is not drawn against the sum")
		require.Contains(t, texts["panel replicas/line-labels"], "min 1")
		require.Contains(t, texts["panel replicas/line-labels"], "max 5")
		require.Contains(t, texts["panel load/legend"], "offered load")
		titles := eventTitles(root)
		var want []string
		for _, e := range r.Events {
			if e.From != e.To {
				want = append(want, fmt.Sprintf("%s  %s  %s  %s  %d -> %d  %s", ageOf(e.T), e.Source, e.Type, e.Reason, e.From, e.To, e.Message))
			}
		}
		require.Equal(t, want, titles)
	})
	t.Run("activation", func(t *testing.T) {
		r := exampleRun(t, "../examples/activation/scenario.yaml").Result
		root := parseSVG(t, svgOf(t, func(w io.Writer) error { return report.WritePlot(w, r, "svg") }))
		texts := textsByGroup(root)
		// KEDA compares the query result with activationThreshold: the
		// line is on that panel, not on the per-pod one.
		require.Contains(t, texts["panel metric-raw/line-labels"], "activation 50")
		require.NotContains(t, texts["panel metric/line-labels"], "activation 50")
		require.Contains(t, texts["panel replicas/line-labels"], "min 0", "a bound at 0 is labelled")
		require.Contains(t, texts["heading"], "Not shown: offered load. The scenario has no load model; its metrics come from raw series.")
		require.Contains(t, texts["strips/strip keda/keda-cooldown"], "cooldown")
	})
	t.Run("scaledjob", func(t *testing.T) {
		r := exampleRun(t, "../examples/scaledjob-burst/scenario-eager.yaml").Result
		root := parseSVG(t, svgOf(t, func(w io.Writer) error { return report.WritePlot(w, r, "svg") }))
		texts := textsByGroup(root)
		// No HPA, so no tolerance band; the bounds are KEDA's names.
		require.Contains(t, texts["panel metric/legend"], "target 1")
		for _, l := range texts["panel metric/legend"] {
			require.NotContains(t, l, "tolerance")
		}
		require.Contains(t, texts["panel replicas/legend"], "unfinished Jobs")
		require.Contains(t, texts["panel replicas/legend"], "maxReplicaCount 20")
		require.Contains(t, texts["panel replicas/legend"], "Jobs created (hover: the poll)")
		// Job completions are the Jobs panel's; the markers are KEDA's
		// Job creations.
		titles := eventTitles(root)
		var want []string
		for _, e := range r.Events {
			if e.From != e.To && e.Source != "Job" {
				want = append(want, fmt.Sprintf("%s  %s  %s  %s  %d -> %d  %s", ageOf(e.T), e.Source, e.Type, e.Reason, e.From, e.To, e.Message))
			}
		}
		require.NotEmpty(t, want)
		require.Equal(t, want, titles)
	})
}

// textsByGroup lists the texts under each path of group classes ("panel
// metric/legend").
func textsByGroup(root svgNode) map[string][]string {
	out := map[string][]string{}
	walk(root, nil, func(n svgNode, groups []string) {
		if n.XMLName.Local != "text" {
			return
		}
		for i := range groups {
			key := strings.Join(groups[i:], "/")
			out[key] = append(out[key], n.Text)
		}
	})
	return out
}

func eventTitles(root svgNode) []string {
	var out []string
	walk(root, nil, func(n svgNode, _ []string) {
		if n.XMLName.Local == "g" && strings.HasPrefix(n.attr("class"), "event scale-") {
			for _, c := range n.Children {
				if c.XMLName.Local == "title" {
					out = append(out, c.Text)
				}
			}
		}
	})
	return out
}

// ageOf is the timeline's time column for the durations of the examples.
func ageOf(d time.Duration) string { return check.Duration(d) }
