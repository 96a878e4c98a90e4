// Command autoscale-sim simulates KEDA ScaledObjects and ScaledJobs and
// Kubernetes HorizontalPodAutoscalers on Prometheus metrics, on a virtual
// clock, from the manifests users apply and a scenario that describes the
// load.
//
// Commands: run (timeline, figures, traces, plots, HTML review), test
// (the scenario's expectations; JUnit), lint (design review; SARIF,
// GitHub annotations), explain (one decision in full), sweep and compare
// (figures side by side), backtest (a recorded window of a cluster against
// the simulated decisions), version. run --openmetrics writes the run as
// Prometheus data (package openmetrics). Every command takes -o text|json|yaml
// and the cost bounds --timeout, --max-steps, --max-pods, --max-metrics,
// --max-runs and --replay-timeout. Exit codes: 0 success, 1 expectations
// failed (or lint --strict found warnings), 2 invalid usage or input.
//
// The command only parses flags and prints: loading is package scenarios,
// simulation package sim, checks package check, backtests package
// backtest, outputs packages report, output and openmetrics. See the README for the scenario format.
package main
