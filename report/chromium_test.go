package report_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// The figures and pages are laid out with Liberation Sans metrics; a
// browser may draw them with another face. These tests open them in the
// real headless Chromium (AUTOSCALE_SIM_CHROMIUM, installed by
// .ci/browser.sh), ask it through the DevTools protocol where every text
// landed, and fail when a text leaves its figure, a legend or margin label
// covers a data area, or two texts overlap.

// devtools is a DevTools protocol connection over --remote-debugging-pipe:
// JSON messages separated by NUL bytes on file descriptors 3 (to the
// browser) and 4 (from it).
type devtools struct {
	t       *testing.T
	w       io.Writer
	r       *bufio.Reader
	id      int
	session string
}

func (d *devtools) call(method string, params any, result any) {
	d.t.Helper()
	d.id++
	msg := map[string]any{"id": d.id, "method": method, "params": params}
	if d.session != "" {
		msg["sessionId"] = d.session
	}
	data, err := json.Marshal(msg)
	require.NoError(d.t, err)
	_, err = d.w.Write(append(data, 0))
	require.NoError(d.t, err)
	for {
		line, err := d.r.ReadBytes(0)
		require.NoError(d.t, err, "reading the answer to %s", method)
		var reply struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		require.NoError(d.t, json.Unmarshal(bytes.TrimSuffix(line, []byte{0}), &reply))
		if reply.ID != d.id {
			continue // an event, or the answer to another session
		}
		require.Nil(d.t, reply.Error, "%s: %+v", method, reply.Error)
		if result != nil {
			require.NoError(d.t, json.Unmarshal(reply.Result, result))
		}
		return
	}
}

// evaluate runs a JavaScript expression in the page (never in the files
// under test, which hold no script) and decodes its value.
func (d *devtools) evaluate(expr string, out any) {
	d.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	d.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	require.Nil(d.t, res.ExceptionDetails, "%s", expr)
	require.NoError(d.t, json.Unmarshal(res.Result.Value, out))
}

// open shows file at the given viewport width and waits until it and its
// fonts are loaded.
func (d *devtools) open(file string, width int) {
	d.t.Helper()
	d.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false}, nil)
	url := "file://" + file
	d.call("Page.navigate", map[string]any{"url": url}, nil)
	deadline := time.Now().Add(30 * time.Second)
	for {
		var ready bool
		d.evaluate(fmt.Sprintf(`document.readyState === "complete" && location.href === %q`, url), &ready)
		if ready {
			break
		}
		require.True(d.t, time.Now().Before(deadline), "%s did not load", file)
		time.Sleep(20 * time.Millisecond)
	}
	var ok bool
	d.evaluate(`document.fonts.ready.then(() => true)`, &ok)
}

// platformFont is the face the browser really uses for the first node
// that matches selector (the fallback the font list led to).
func (d *devtools) platformFont(selector string) string {
	d.t.Helper()
	d.call("DOM.enable", map[string]any{}, nil)
	d.call("CSS.enable", map[string]any{}, nil)
	var doc struct {
		Root struct {
			NodeID int `json:"nodeId"`
		} `json:"root"`
	}
	d.call("DOM.getDocument", map[string]any{}, &doc)
	var node struct {
		NodeID int `json:"nodeId"`
	}
	d.call("DOM.querySelector", map[string]any{"nodeId": doc.Root.NodeID, "selector": selector}, &node)
	var fonts struct {
		Fonts []struct {
			FamilyName string `json:"familyName"`
		} `json:"fonts"`
	}
	d.call("CSS.getPlatformFontsForNode", map[string]any{"nodeId": node.NodeID}, &fonts)
	var names []string
	for _, f := range fonts.Fonts {
		names = append(names, f.FamilyName)
	}
	return strings.Join(names, ", ")
}

// startChromium runs the browser with a fresh profile and no network
// activity of its own, and returns a session on a blank page.
func startChromium(t *testing.T) *devtools {
	bin := os.Getenv("AUTOSCALE_SIM_CHROMIUM")
	if bin == "" {
		t.Skip("set AUTOSCALE_SIM_CHROMIUM=/usr/bin/chromium to render the figures in a browser")
	}
	toBrowser, ourEnd, err := os.Pipe()
	require.NoError(t, err)
	fromBrowser, browserEnd, err := os.Pipe()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--remote-debugging-pipe",
		"--user-data-dir="+filepath.Join(t.TempDir(), "profile"), "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowser, browserEnd}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	toBrowser.Close()
	browserEnd.Close()
	t.Cleanup(func() {
		ourEnd.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		cancel()
		fromBrowser.Close()
	})
	d := &devtools{t: t, w: ourEnd, r: bufio.NewReader(fromBrowser)}
	var target struct {
		TargetID string `json:"targetId"`
	}
	d.call("Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	d.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	d.session = attached.SessionID
	return d
}

// layoutCheck is run in the page: it measures every <text> of every SVG
// and reports each that leaves its SVG, each that lies on a data area
// without belonging to the data (legends, margin labels, axes, titles),
// and each pair that overlaps.
const layoutCheck = `(() => {
  const problems = [];
  let texts = 0;
  const svgs = [...document.querySelectorAll("svg")];
  const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  svgs.forEach((svg, si) => {
    const box = svg.getBoundingClientRect();
    const areas = [...svg.querySelectorAll("rect.data-area")].map(r => r.getBoundingClientRect());
    const items = [...svg.querySelectorAll("text")].map(t => ({
      text: t.textContent,
      box: t.getBoundingClientRect(),
      // texts that belong in the data: heatmap values, period names in
      // strips, a panel's "no value" note
      data: !!t.closest("g.value, g.note, g.fault, [class^='keda-']"),
    }));
    texts += items.length;
    for (const it of items) {
      if (it.box.width <= 0 || it.box.height <= 0) problems.push("svg " + si + ": empty box: " + it.text);
      if (!inside(it.box, box)) problems.push("svg " + si + ": leaves the figure: " + it.text);
      if (!it.data && areas.some(a => overlap(it.box, a))) problems.push("svg " + si + ": on a data area: " + it.text);
    }
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length; j++)
        if (overlap(items[i].box, items[j].box)) problems.push("svg " + si + ": overlap: " + items[i].text + " / " + items[j].text);
  });
  return {svgs: svgs.length, texts, problems, font: getComputedStyle(document.querySelector("svg text") || document.documentElement).fontFamily};
})()`

type layoutResult struct {
	SVGs     int      `json:"svgs"`
	Texts    int      `json:"texts"`
	Problems []string `json:"problems"`
	Font     string   `json:"font"`
}

// TestLayoutInChromium opens every figure kind and every page kind in the
// browser, at the figures' own width and at a narrow window, and checks
// that no text is clipped, covers data or overlaps another.
func TestLayoutInChromium(t *testing.T) {
	d := startChromium(t)
	dir := t.TempDir()
	vs, axes := sweepVariants(t)
	fvs, faxes := facetVariants()
	day := peakResult(24 * time.Hour)
	files := []struct {
		name  string
		write func(io.Writer) error
		svgs  int
	}{
		{"small.svg", func(w io.Writer) error { return report.WritePlot(w, smallResult(), "svg") }, 1},
		{"websocket.svg", func(w io.Writer) error { return report.WritePlot(w, websocketResult(t), "svg") }, 1},
		{"activation.svg", func(w io.Writer) error {
			return report.WritePlot(w, exampleRun(t, "../examples/activation/scenario.yaml").Result, "svg")
		}, 1},
		{"fallback.svg", func(w io.Writer) error {
			return report.WritePlot(w, exampleRun(t, "../examples/fallback/scenario.yaml").Result, "svg")
		}, 1},
		{"two-metrics.svg", func(w io.Writer) error { return report.WritePlot(w, multiMetricResult(), "svg") }, 1},
		{"degenerate.svg", func(w io.Writer) error { return report.WritePlot(w, degenerateResult(), "svg") }, 1},
		{"day.svg", func(w io.Writer) error { return report.WritePlot(w, day, "svg") }, 1},
		{"overlay.svg", func(w io.Writer) error { return report.WriteOverlay(w, "svg", "Sweep", vs, axes) }, 1},
		{"multiples.svg", func(w io.Writer) error { return report.WriteOverlay(w, "svg", "Many", manyVariants(12), nil) }, 1},
		{"multiples-30.svg", func(w io.Writer) error { return report.WriteOverlay(w, "svg", "Many more", manyVariants(30), nil) }, 1},
		{"range.svg", func(w io.Writer) error { return report.WriteOverlay(w, "svg", "Too many", manyVariants(60), nil) }, 1},
		{"heatmap.svg", func(w io.Writer) error { return report.WriteHeatmap(w, "svg", "Sweep", vs, axes, "cost") }, 1},
		{"facets.svg", func(w io.Writer) error {
			return report.WriteHeatmap(w, "svg", "Three axes", fvs, faxes, "first-scale-up")
		}, 1},
		{"review.html", func(w io.Writer) error {
			return report.WriteReviewHTML(w, exampleReview(t, "../testdata/expect/websocket-failing.yaml"))
		}, 1},
		{"sweep.html", func(w io.Writer) error {
			return report.WriteSweepHTML(w, report.Sweep{Title: "Sweep", Base: exampleReview(t, "../examples/websocket/scenario.yaml"),
				Axes: axes, Variants: vs, Heatmaps: []string{"cost", "overloaded"}})
		}, 3},
		{"compare.html", func(w io.Writer) error {
			return report.WriteCompareHTML(w, report.Comparison{Title: "Comparison", Labels: []string{"A", "B"},
				Runs: []report.Review{exampleReview(t, "../examples/websocket/scenario.yaml"), exampleReview(t, "../examples/prometheus-adapter-websocket/scenario.yaml")}})
		}, 3},
	}
	// The check itself: a legend label that runs out of its figure and
	// over the data, as Liberation Sans metrics drawn in a wider face
	// without textLength would, is reported.
	bad := filepath.Join(dir, "clipped.svg")
	require.NoError(t, os.WriteFile(bad, []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">`+
		`<rect class="data-area" x="10" y="10" width="120" height="40" fill="none"/>`+
		`<g class="legend"><text x="100" y="30" font-size="12">s0-prometheus target (40)</text><text x="100" y="34" font-size="12">overlapping</text></g></svg>`), 0o644))
	d.open(bad, 1200)
	var res layoutResult
	d.evaluate(layoutCheck, &res)
	require.Contains(t, res.Problems, "svg 0: leaves the figure: s0-prometheus target (40)")
	require.Contains(t, res.Problems, "svg 0: on a data area: s0-prometheus target (40)")
	require.Contains(t, res.Problems, "svg 0: overlap: s0-prometheus target (40) / overlapping")

	total := 0
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		var b bytes.Buffer
		require.NoError(t, f.write(&b))
		require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
		for _, width := range []int{1200, 700} {
			d.open(path, width)
			var res layoutResult
			d.evaluate(layoutCheck, &res)
			require.Equal(t, f.svgs, res.SVGs, "%s at %d px", f.name, width)
			require.NotZero(t, res.Texts, f.name)
			require.Empty(t, res.Problems, "%s at %d px", f.name, width)
			total += res.Texts
			if f.name == "websocket.svg" && width == 1200 {
				t.Logf("the figures ask for %s; the browser draws them in %s", res.Font, d.platformFont("svg text"))
			}
		}
	}
	t.Logf("%d files, %d text boxes checked", len(files), total)

	if keep := os.Getenv("AUTOSCALE_SIM_SCREENSHOT"); keep != "" {
		d.open(filepath.Join(dir, "review.html"), 1200)
		var shot struct {
			Data string `json:"data"`
		}
		d.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &shot)
		png, err := base64.StdEncoding.DecodeString(shot.Data)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(keep, png, 0o644))
	}
}

// TestHTMLInChromium: the browser reads the review as written (the DOM it
// builds has the timeline and the plot), and it loads nothing else.
func TestHTMLInChromium(t *testing.T) {
	d := startChromium(t)
	page := filepath.Join(t.TempDir(), "report.html")
	var b bytes.Buffer
	require.NoError(t, report.WriteReviewHTML(&b, exampleReview(t, "../examples/websocket/scenario.yaml")))
	require.NoError(t, os.WriteFile(page, b.Bytes(), 0o644))
	d.open(page, 1200)
	var got struct {
		Rows      []string `json:"rows"`
		Resources int      `json:"resources"`
		Titles    []string `json:"titles"`
	}
	d.evaluate(`({
	  rows: [...document.querySelectorAll("#timeline tbody tr")].map(r => [...r.cells].slice(0, 5).map(c => c.textContent).join(" ")),
	  resources: performance.getEntriesByType("resource").length,
	  titles: [...document.querySelectorAll("g.event > title")].map(t => t.textContent.split("  ").slice(0, 5).join(" ")),
	})`, &got)
	want := []string{
		"1m15s HPA Normal SuccessfulRescale 1 -> 5",
		"12m HPA Normal SuccessfulRescale 5 -> 4",
		"13m HPA Normal SuccessfulRescale 4 -> 3",
		"14m HPA Normal SuccessfulRescale 3 -> 2",
		"15m HPA Normal SuccessfulRescale 2 -> 1",
	}
	// The timeline also has the ScaledObject's conditions as they change.
	require.Equal(t, []string{
		"0s KEDA Normal ScaledObjectReady -", "0s KEDA Normal ScalerNotActive -", "0s KEDA Normal NoFallbackFound -",
		"15s KEDA Normal HPAActive -", "1m15s KEDA Normal ScalerActive -", want[0], "11m15s KEDA Normal ScalerNotActive -",
		want[1], want[2], want[3], want[4],
	}, got.Rows)
	require.Equal(t, want, got.Titles, "each scale event's marker has the timeline line as hover title")
	require.Zero(t, got.Resources, "the page fetches nothing")
	require.True(t, strings.HasSuffix(page, ".html"))
}

// TestExamplesInChromium opens the review page of every bundled example,
// as `autoscale-sim run --html` writes it, and checks its layout.
func TestExamplesInChromium(t *testing.T) {
	d := startChromium(t)
	paths, err := filepath.Glob("../examples/*/*scenario*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(paths), 9)
	dir := t.TempDir()
	texts := 0
	for _, p := range paths {
		name := filepath.Base(filepath.Dir(p))
		page := filepath.Join(dir, name+".html")
		var b bytes.Buffer
		svgs := 1
		if sc, err := scenarios.Load(p); err == nil && sc.Namespace != nil {
			// The namespace's plot, then each workload's.
			require.NoError(t, report.WriteNamespaceHTML(&b, namespaceReview(t, sc)))
			svgs += len(sc.Namespace.Workloads)
		} else {
			require.NoError(t, report.WriteReviewHTML(&b, exampleReview(t, p)))
		}
		require.NoError(t, os.WriteFile(page, b.Bytes(), 0o644))
		d.open(page, 1200)
		var res layoutResult
		d.evaluate(layoutCheck, &res)
		require.Equal(t, svgs, res.SVGs, name)
		require.Empty(t, res.Problems, name)
		texts += res.Texts
	}
	t.Logf("%d example reviews, %d text boxes checked", len(paths), texts)
}
