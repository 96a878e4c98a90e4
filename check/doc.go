// Package check is the Go API for policy checks: run a scenario (loaded
// from a file, with overrides, or built in code), then assert what the
// autoscaler did, in ordinary table-driven `go test` functions.
//
//	run, err := check.File("examples/websocket/scenario.yaml",
//		scenarios.Override{Path: "spec.cooldownPeriod", Value: "30"})
//	require.NoError(t, err)
//	require.NoError(t, run.Check(
//		check.Reaches(5, 90*time.Second),
//		check.Between(2*time.Minute, 11*time.Minute, 5, 5),
//		check.MaxScaleEventsPerHour(12),
//	))
//
// Every Assertion reads spec.replicas from the timeline of the run (see
// sim.Result.DesiredAt), so claims are exact at any instant, not only at
// trace rows. A failure is an error whose message says what was wanted,
// what happened and shows the timeline around the instant in question:
//
//	replicas at 12m: want 5, got 4
//	  timeline around 12m:
//	      11m  5 replicas
//	    > 12m  5 -> 4  HPA SuccessfulRescale: New size: 4; reason: All metrics below target
//	      13m  4 -> 3  HPA SuccessfulRescale: ...
//
// The `expect:` entries of a scenario file (scenarios.Expectation) become
// Assertions with FromExpectation, which is how `autoscale-sim test` runs
// them.
//
// RunMany runs seeded variants of a spec (random phases, startup delays,
// noise) on every core and returns a Distribution: every run's figures
// and replica steps, the figures as median, p95 and max (Summaries), the
// band of the replicas (Band), and each assertion judged by the share of
// runs it must hold in (Verdicts). The result does not depend on the
// number of workers; with a Shard it runs part K of N, and Merge puts the
// shards back together into the unsharded Distribution.
//
// Lint reports design problems of a policy (settings that have no effect,
// an unreachable maxReplicaCount, Value/AverageValue confusion) together
// with KEDA's own admission warnings; Explain breaks down the decision in
// force at one instant.
package check
