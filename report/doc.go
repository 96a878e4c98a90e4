// Package report writes the outputs of a simulation run (a sim.Result): a
// CSV trace, a JSON document, a human-readable event timeline, plots in PNG
// or SVG and HTML review pages, for one run and for many.
//
// # Determinism
//
// Every writer is a pure function of the Result: no wall clock, no map
// iteration, no randomness. Identical Results produce byte-identical
// outputs, plots included, so every output can be checked into a golden
// file. Times are offsets from Result.Start, written from the exact
// time.Duration (never through a float), and Result.Start is written in
// UTC.
//
// # Validation
//
// All writers first check the Result and return an error, writing
// nothing, when it is nil, when a metric name is empty or used twice, or
// when a sample does not carry exactly one value per metric.
//
// # Numbers
//
// Times in CSV and JSON are seconds: a whole number when the offset is a
// whole number of seconds ("750"), otherwise an exact decimal ("90.5").
// Floats use the shortest form that parses back to the same value
// (strconv 'g' with precision -1: "0.1", "350.5", "1e+21"). A metric that
// was not read yet, or whose read failed, is NaN: an empty field in CSV and
// null in JSON. JSON has no spelling for ±Inf either, so they are null
// there too; CSV writes "+Inf" and "-Inf".
//
// # CSV (WriteCSV)
//
// RFC 4180 with "\n" line endings, one header row then one row per
// sample, in this column order:
//
//	time_seconds      Sample.T, seconds since Result.Start
//	desired_replicas  Sample.DesiredReplicas: the workload's spec.replicas
//	replicas          Sample.Replicas: pods that exist and are not terminating
//	ready_replicas    Sample.ReadyReplicas: pods that are Ready
//	load              Sample.Load: the offered load, in the workload's unit
//	<metric name>...  one column per Result.Metrics entry, in order: the value
//	                  the autoscaler last read (empty when NaN)
//
// A metric name that contains a comma or a quote is quoted as RFC 4180 says.
//
// # JSON (WriteJSON)
//
// One document indented by two spaces, fields in this order:
//
//	name, start (RFC 3339, UTC), durationSeconds, seed, autoscaler,
//	workload, initialReplicas, minReplicas, maxReplicas,
//	metrics: [{name, query, target, targetType, activationTarget}],
//	samples: [{t, desiredReplicas, replicas, readyReplicas, load,
//	           metrics: {<name>: value or null, ...}}],
//	events:  [{t, source, type, reason, from, to, message}]
//
// The keys of each sample's metrics object follow the order of the
// metrics array. Empty lists are written as [], never null. Characters
// such as '<', '>' and '&' are not escaped, so queries stay readable.
//
// # Timeline (WriteTimeline)
//
// Text for a terminal, modelled on the Events section of
// `kubectl describe hpa`:
//
//	Scenario cpu-spike: hpa on Deployment/web, min 2, max 8 replicas, seed 7, 20m simulated
//	  TIME    SOURCE  TYPE     REASON               REPLICAS  MESSAGE
//	  45s     HPA     Normal   SuccessfulRescale    2 -> 5    New size: 5; reason: ...
//	  2m      HPA     Warning  FailedGetPodsMetric  -         no metrics returned ...
//	  12m30s  HPA     Normal   SuccessfulRescale    5 -> 4    New size: 4; reason: ...
//	Summary: peak 5 replicas at 45s, final 4 replicas (4 ready), 2 scale events (1 up, 1 down)
//
// TIME is the offset from the start, largest unit first with trailing zero
// units dropped (0s, 45s, 2m, 12m30s, 1h, 1h2m3s). REPLICAS is "from -> to",
// or "-" for an event that did not change the scale. Columns are aligned
// with spaces; line breaks and tabs inside a message become spaces.
// "  <no events>" replaces the table when there are none. The summary gives
// the peak of the desired replicas (over the samples, the scale events and
// InitialReplicas) with the first time it was reached, the last sample's
// desired and ready replicas, and the number of events that changed the
// scale.
//
// # Plot (WritePlot, SavePlots)
//
// A figure 780 pt (1040 px in PNG, at 96 dpi) wide, as tall as its panels
// need, titled with the scenario name, the autoscaler, the workload and
// its bounds, with panels that share the time axis (minutes, or hours
// beyond three hours):
//
//   - strips: the fault windows (each also shaded lightly across every
//     panel, and listed with its window in the legend), and KEDA's state
//     poll by poll from Result.KEDA: active, inactive, cooldown (waiting
//     for cooldownPeriod to scale in) and paused, with fallback on a strip
//     of its own; each period has a hover title with its start and end;
//   - "Offered load" (when the run has one, in the load model's unit) with
//     what the ready pods serve when a pod's capacity is known; a run
//     without load says so in a note under the title;
//   - one panel per metric, in the unit of its target, with the target
//     (dashed, and labelled in the right margin), the HPA's tolerance band
//     around it (Result.Tolerances, lightly filled) and, where KEDA
//     compares it, the activation threshold (dotted). An External or
//     Object metric with an AverageValue target, which the HPA divides by
//     the pods, is drawn per ready pod (the comparison of
//     check.Figures.AboveTarget; no value without a ready pod), and its
//     query result gets a panel of its own with the activation threshold,
//     which KEDA compares with the query result itself. Utilization is in
//     percent of the requests; Pods averages and Value targets are drawn
//     as read. A panel whose series has no value says why in the panel;
//   - "Usage ratio" when there are several metrics: each metric divided
//     by its target on one axis with the tolerance band around 1, since
//     the HPA scales for the highest;
//   - "Replicas": spec.replicas from the timeline (exact, not sampled),
//     the ready pods, minReplicas and maxReplicas in two styles and
//     labelled in the margin (the axis starts a little below 0, so a bound
//     at 0 stays visible), a marker at every scale event and warning whose
//     SVG <title> is the event's timeline line.
//
// Legends sit in a column to the right and labels in a margin between
// the data and the legends, so nothing covers the data; long names are
// wrapped, never cut. Tick labels carry only the decimals the step needs
// ("1750", "0.25", "20k"). SavePlots writes plot.png and plot.svg into a
// directory, creating it if needed; both are exactly what WritePlot
// writes.
//
// # Fonts
//
// Text is measured with Liberation Sans (embedded in the PNG renderer).
// The SVG names it first, then the faces with its metrics (Arimo, Arial,
// Helvetica) and the generic sans-serif, and gives every text element its
// measured width as textLength: in a browser without any of these faces
// the text keeps its laid-out width, so no label is clipped or overlaps.
// The package's Chromium test measures every text in the browser and logs
// the face it drew with; .ci/browser.sh installs Chromium without its
// recommended fonts-liberation, so CI checks a fallback face.
//
// # Many runs (WriteOverlay, WriteHeatmap)
//
// WriteOverlay draws spec.replicas over time of the runs of a sweep or a
// comparison in the style of the main plot. Runs with identical replicas
// over time share one line, named by the values they share ("threshold=20
// or 40, any cooldownPeriod (4 identical runs)") or, when they are not
// every combination of those values, by the list of runs. Up to 8 lines
// go on one panel; up to 48 get a small panel each, with the range of all
// runs behind; beyond that one panel shows the range with the cheapest
// and the dearest run, and a note says what is not shown.
//
// WriteHeatmap colours one figure (cost, overloaded, above-target,
// first-scale-up, max, events, flaps) of every run over the first two
// axes, the first down and the second across, each cell labelled with its
// value and a hover title naming the run; further axes give one grid per
// combination of their values. Low values are light, high values dark.
//
// # HTML (WriteHTML, WriteReviewHTML, WriteSweepHTML, WriteCompareHTML)
//
// One self-contained file without scripts, stylesheets, fonts or images to
// load. The review of a run (Review: the check.Run and its lint findings)
// has a verdict line, the policy summary (bounds, triggers or metrics
// with thresholds and activation, polling, cooldown, fallback, behavior
// with the API defaults applied, tolerance, controller settings, the
// Kubernetes and KEDA versions modelled), the figures (time to first
// scale-up included), every expectation with its line and, for a failure,
// what was wanted and the timeline around it, the lint findings at their
// manifest lines, the plot as inline SVG, the settings and assumptions,
// the timeline and the trace. WriteHTML writes it from a Result alone and
// says what it cannot show. The sweep page has the policy and lint
// findings of the scenario as written, heatmaps, the overlay and a row per
// run with its figures and expectations; the comparison page puts the
// policies and figures side by side, marking the rows that differ, then
// each run's review.
package report
