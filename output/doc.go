// Package output defines the machine-readable documents autoscale-sim
// writes with -o json and -o yaml, and the SARIF and GitHub workflow
// annotation forms of lint's findings.
//
// Every document is versioned like a Kubernetes object: apiVersion
// autoscale-sim.dev/v1alpha1 and a kind per command:
//
//	run      RunResult     the figures, the events of the timeline, KEDA's states, the settings
//	test     TestResult    every file with its status and each expectation's result
//	lint     LintResult    every file with its findings (rule, severity, file, line)
//	explain  Explanation   the decisions in force at an instant
//	sweep    SweepResult   one row of figures per combination of --set values
//	compare  Comparison    the figures of two runs
//	version  Version       the build and the modelled Kubernetes and KEDA releases
//
// The shape is described by the JSON Schema schema/output.schema.json
// (Schema), which every document the CLI writes is tested against.
// Durations are numbers of seconds; a figure that does not exist (no
// scale-up after the load rose) is null. A field is only ever added
// within v1alpha1; a removal or a change of meaning is a new apiVersion.
//
// YAML output is the JSON document written as YAML, keys in the same
// order.
package output
