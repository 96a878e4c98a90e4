package report_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

func websocketResult(t *testing.T) *sim.Result {
	t.Helper()
	sc, err := scenarios.Load("../examples/websocket/scenario.yaml")
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	return res
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
		`<table id="timeline">`,
		"<td>12m</td><td>HPA</td><td>Normal</td><td>SuccessfulRescale</td><td>5 -&gt; 4</td>",
		"<svg",
		"<th scope=\"row\">Cost</th><td>4140 replica-seconds</td>",
	} {
		require.Contains(t, page, want)
	}
	// Self-contained: nothing is fetched when the page opens.
	for _, banned := range []string{"<script", "<link", "src=", "url(", "@import", "@font-face"} {
		require.NotContains(t, page, banned)
	}
	require.Equal(t, 5, strings.Count(page, `<tr class="event">`))
}

// TestHTMLInChromium renders the report in headless Chromium. It runs when
// AUTOSCALE_SIM_CHROMIUM names the binary (.ci/browser.sh installs it).
func TestHTMLInChromium(t *testing.T) {
	bin := os.Getenv("AUTOSCALE_SIM_CHROMIUM")
	if bin == "" {
		t.Skip("set AUTOSCALE_SIM_CHROMIUM=/usr/bin/chromium to render the report in a browser")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	require.NoError(t, err)
	require.NoError(t, report.WriteHTML(f, websocketResult(t)))
	require.NoError(t, f.Close())

	chromium := func(extra ...string) []byte {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		args := append([]string{
			"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + filepath.Join(dir, "profile"),
		}, extra...)
		args = append(args, "file://"+page)
		out, err := exec.CommandContext(ctx, bin, args...).Output()
		require.NoError(t, err, "chromium %v", args)
		return out
	}

	dom := string(chromium("--dump-dom"))
	require.Contains(t, dom, `<table id="timeline">`)
	require.Contains(t, dom, "<td>15m</td><td>HPA</td><td>Normal</td><td>SuccessfulRescale</td><td>2 -&gt; 1</td>")
	require.Contains(t, dom, "<svg")

	shot := filepath.Join(dir, "report.png")
	chromium("--screenshot="+shot, "--window-size=1200,1600", "--hide-scrollbars")
	png, err := os.ReadFile(shot)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")), "a PNG")
	require.Greater(t, len(png), 10000)
	if keep := os.Getenv("AUTOSCALE_SIM_SCREENSHOT"); keep != "" {
		require.NoError(t, os.WriteFile(keep, png, 0o644))
	}
}
