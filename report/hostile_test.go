package report_test

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// hostile is a name as a pull request could write it: markup, an OSC
// title sequence, a screen clear, a forged output line and a
// right-to-left override.
const hostile = "x<script>alert(1)</script>&\"'\x1b]0;pwned\x07\x1b[2J\nPASS all\u202e\x00"

// TestOutputsOfHostileNames: whatever the names and messages hold, the
// SVG and HTML are well formed with the text escaped, and the terminal
// and CSV outputs carry no control character and no forged line.
func TestOutputsOfHostileNames(t *testing.T) {
	r := multiMetricResult()
	r.Name, r.Workload = hostile, "Deployment/"+hostile
	r.Metrics[0].Name, r.Metrics[0].Query = hostile, hostile
	r.Events = append(r.Events, sim.Event{T: 30, Source: "KEDA", Type: "Warning", Reason: hostile, Message: hostile})
	writers := map[string]func(io.Writer) error{
		"svg":      func(w io.Writer) error { return report.WritePlot(w, r, "svg") },
		"html":     func(w io.Writer) error { return report.WriteHTML(w, r) },
		"timeline": func(w io.Writer) error { return report.WriteTimeline(w, r) },
		"csv":      func(w io.Writer) error { return report.WriteCSV(w, r) },
		"json":     func(w io.Writer) error { return report.WriteJSON(w, r) },
	}
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, write(&b))
			out := b.String()
			switch name {
			case "svg":
				parseSVG(t, b.Bytes())
				require.NotContains(t, out, "<script>")
			case "html":
				require.NotContains(t, out, "<script>alert")
				require.NotContains(t, out, "\x1b")
			case "json":
				var v any
				require.NoError(t, json.Unmarshal(b.Bytes(), &v))
			default:
				for _, c := range out {
					if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u202e' {
						t.Fatalf("control character %U in the %s output", c, name)
					}
				}
				for _, line := range strings.Split(out, "\n") {
					require.False(t, strings.HasPrefix(line, "PASS all"), "a name forged a line:\n%s", out)
				}
			}
		})
	}
}
