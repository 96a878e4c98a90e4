package report_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// FuzzReportNames writes every report of a run whose names and messages
// are fuzzed: the SVG stays well-formed XML and the terminal outputs
// carry no control character but newlines and tabs.
func FuzzReportNames(f *testing.F) {
	f.Add("websocket", "Deployment/demo", "s0-prometheus", "sum(x)", "New size: 3")
	f.Add(hostile, hostile, hostile, hostile, hostile)
	f.Add("\u202e\x00", "]]>", "<!--", "&amp;", "\xff\xfe")
	f.Fuzz(func(t *testing.T, name, workload, metric, query, message string) {
		if metric == "" || len(name)+len(workload)+len(metric)+len(query)+len(message) > 4096 {
			return
		}
		r := multiMetricResult()
		r.Name, r.Workload = name, workload
		r.Metrics[0].Name, r.Metrics[0].Query = metric, query
		if r.Metrics[1].Name == metric {
			return // two metrics may not share a name
		}
		r.Events = append(r.Events, sim.Event{T: 30, Source: "KEDA", Type: "Warning", Reason: message, Message: message})
		var svg, text, csv bytes.Buffer
		if err := report.WritePlot(&svg, r, "svg"); err != nil {
			return
		}
		var root struct{ XMLName xml.Name }
		if err := xml.Unmarshal(svg.Bytes(), &root); err != nil {
			t.Fatalf("the SVG is not XML: %v", err)
		}
		if err := report.WriteTimeline(&text, r); err != nil {
			t.Fatal(err)
		}
		if err := report.WriteCSV(&csv, r); err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{text.String(), csv.String()} {
			if i := strings.IndexFunc(out, func(c rune) bool {
				return c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0x7f || c >= 0x80 && c < 0xa0 || c >= 0x202a && c <= 0x202e
			}); i >= 0 {
				t.Fatalf("control character %q in %q", out[i:i+1], out)
			}
		}
	})
}
