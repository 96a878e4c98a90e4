// Package report writes the outputs of a simulation run (a sim.Result): a
// CSV trace, a JSON document, a human-readable event timeline and a
// two-panel plot in PNG or SVG.
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
// A 10 × 6 in figure (960 × 576 px at 96 dpi for PNG) titled with the
// scenario name, autoscaler and workload, with two panels that share the
// time axis, in minutes:
//
//   - "metric vs target": each metric as a step line (the value holds until
//     the next read; NaN stretches are gaps), its Target as a dashed line of
//     the same colour and, when ActivationTarget > 0, the activation
//     threshold as a dotted line. All metrics share one y axis, in their own
//     units. Load is added as a thin grey line only when it is on a
//     comparable scale: when its peak is within a factor of 3 of the peak of
//     the metric lines and targets (typically a "Value" target on the total
//     load), or when there is no metric at all. Otherwise, for example with
//     a per-pod "AverageValue" target, it would flatten the metric lines.
//   - "replicas": desired replicas as a wide step line, ready replicas as a
//     narrower step line drawn over it, and the autoscaler's MinReplicas and
//     MaxReplicas as dashed lines. The y axis has integer ticks.
//
// Legends sit in a column to the right of the panels, so they never cover
// data; metric names longer than 24 characters are shortened there with an
// ellipsis in the middle. Tick labels carry only the decimals the step needs ("1750", "0.25",
// "20k"). SavePlots writes plot.png and plot.svg into a directory, creating
// it if needed; both are exactly what WritePlot writes.
package report
