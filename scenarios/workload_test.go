package scenarios

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

const cpuScaledObject = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: web, namespace: demo}
spec:
  scaleTargetRef: {name: web}
  minReplicaCount: 1
  maxReplicaCount: 10
  triggers:
  - type: cpu
    metricType: Utilization
    metadata: {value: "50"}
`

const workloadScenario = `apiVersion: autoscale-sim.dev/v1alpha1
kind: Scenario
metadata: {name: cpu}
spec:
  duration: 10m
  autoscaler: {manifests: so.yaml}
  workload:
    replicas: 1
    podStartup: {mean: 20s, stddev: 5s}
    crashes: [{at: 8m, pod: 0}]
    resources:
      requests: {cpu: 500m}
      usage:
        cpu: {base: 50m, perUnit: 10m, load: http_requests_total}
  load:
  - metric: http_requests_total
    model: requests
    capacity: 50
    noise: {stddev: 1}
    diurnal: {min: 10, max: 100, phase: 12h}
  - metric: queue_depth
    model: queue
    serviceRate: 5
    replay: {file: rec.csv}
  series:
  - {series: 'queue_length{queue="orders"}', interval: 15s, values: "0+10x20"}
  - {replay: {file: rec.csv}}
  faults:
  - {kind: metricsDown, from: 2m, to: 3m}
  - {kind: controllerRestart, at: 5m}
`

func TestWorkloadLoadsSeriesFaults(t *testing.T) {
	files := files(map[string]string{"so.yaml": cpuScaledObject, "rec.csv": "time_seconds,jobs_waiting\n0,1\n60,9\n"})
	sc, err := Parse("scenario.yaml", []byte(workloadScenario), files)
	require.NoError(t, err)
	s := sc.Spec
	require.Equal(t, &sim.Distribution{Mean: 20 * time.Second, Stddev: 5 * time.Second}, s.Workload.PodStartupDist)
	require.Equal(t, []sim.Crash{{At: 8 * time.Minute}}, s.Workload.Crashes)
	require.Equal(t, map[string]int64{"cpu": 500}, s.Workload.Resources.RequestsMilli)
	require.Equal(t, sim.Usage{BaseMilli: 50, PerUnitMilli: 10}, s.Workload.Resources.Usage["cpu"])
	require.Equal(t, sim.Sine{Period: 24 * time.Hour, Phase: 12 * time.Hour, Min: 10, Max: 100}, s.Loads[0].Shape)
	require.Equal(t, sim.Points{T: []time.Duration{0, time.Minute}, V: []float64{1, 9}}, s.Loads[1].Shape)
	require.Len(t, s.Series, 2)
	require.Equal(t, map[string]string{"__name__": "queue_length", "queue": "orders"}, s.Series[0].Labels)
	require.Len(t, s.Series[0].Points, 21)
	require.Equal(t, "jobs_waiting", s.Series[1].Labels["__name__"])
	require.Equal(t, []sim.Fault{{Kind: sim.MetricsDown, From: 2 * time.Minute, To: 3 * time.Minute}, {Kind: sim.ControllerRestart, From: 5 * time.Minute}}, s.Faults)

	// The cpu trigger becomes a Resource metric of the generated HPA, fed
	// by the usage model: 100 req/s at the diurnal peak is 1050m, 210 % of
	// the request, so the HPA scales out.
	res, err := sim.Run(context.Background(), s)
	require.NoError(t, err)
	require.Equal(t, "resource/cpu", res.Metrics[0].Name)
	require.Greater(t, res.Figures().MaxReplicas, int32(1))
}

func TestPrometheusEvaluation(t *testing.T) {
	for name, want := range map[string]promql.Evaluation{"": promql.Direct, "direct": promql.Direct, "engine": promql.EngineOnly, "crossCheck": promql.CrossCheck} {
		scen := "apiVersion: autoscale-sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nspec:\n  duration: 10m\n  autoscaler: {manifests: so.yaml}\n"
		if name != "" {
			scen += "  prometheus: {evaluation: " + name + "}\n"
		}
		sc, err := Parse("scenario.yaml", []byte(scen), files(map[string]string{"so.yaml": cpuScaledObject}))
		require.NoError(t, err, name)
		require.Equal(t, want, sc.Spec.Prometheus.Evaluation, name)
	}
}

func TestFaultForms(t *testing.T) {
	scen := "apiVersion: autoscale-sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nspec:\n  duration: 10m\n  autoscaler: {manifests: so.yaml}\n" +
		"  faults:\n  - {kind: nanResult, from: 1m, to: 2m, metric: 0}\n  - {kind: metricsServerDown, from: 3m, to: 4m}\n"
	sc, err := Parse("scenario.yaml", []byte(scen), files(map[string]string{"so.yaml": cpuScaledObject}))
	require.NoError(t, err)
	zero := 0
	require.Equal(t, []sim.Fault{
		{Kind: sim.NaNResult, From: time.Minute, To: 2 * time.Minute, Metric: &zero},
		{Kind: sim.MetricsServerDown, From: 3 * time.Minute, To: 4 * time.Minute},
	}, sc.Spec.Faults)
}

func TestWorkloadErrors(t *testing.T) {
	tests := []struct{ name, spec, want string }{
		{"startup both kinds", "  workload: {podStartup: {min: 1s, max: 2s, mean: 1s}}\n", "spec.workload.podStartup: give {min, max} (uniform) or {mean, stddev} (normal), not both"},
		{"crash without at", "  workload: {crashes: [{pod: 1}]}\n", "spec.workload.crashes[0]: at must be set"},
		{"unknown fault", "  faults: [{kind: dnsDown, from: 1m, to: 2m}]\n", `spec.faults[0].kind: unsupported value "dnsDown"`},
		{"fault metric out of range", "  faults: [{kind: metricsDown, from: 1m, to: 2m, metric: 3}]\n", "scenario.yaml:7: spec.faults[0].metric: 3 is out of range: the ScaledObject's spec.triggers has 1 entries (0 to 0)"},
		{"fault metric on a scrape gap", "  faults: [{kind: scrapeGap, from: 1m, to: 2m, metric: 0}]\n", "scenario.yaml:7: spec.faults[0].metric: only the query faults metricsDown, emptyResult and nanResult can be limited to one metric"},
		{"restart with to", "  faults: [{kind: controllerRestart, from: 1m, to: 2m}]\n", "spec.faults[0]: a controllerRestart happens at an instant"},
		{"queue without rate", "  load: [{metric: q, model: queue, step: {at: 1m, to: 5}}]\n", "spec.load[0]: the queue model needs serviceRate"},
		{"two shapes", "  load: [{metric: q, step: {at: 1m, to: 5}, sine: {period: 1h, min: 1, max: 2}}]\n", "spec.load[0]: give one shape"},
		{"bad series", "  series: [{series: 'q{', interval: 15s, values: '1'}]\n", "spec.series[0].series: must be a series"},
		{"missing recording", "  series: [{replay: {file: nope.csv}}]\n", "spec.series[0].replay: cannot read recording"},
		{"live without url", "  series: [{replay: {query: up, start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z', step: 1m}}]\n", "needs prometheusURL here or the --prometheus-url flag"},
		{"unknown evaluation", "  prometheus: {evaluation: fast}\n", `scenario.yaml:7: spec.prometheus.evaluation: unsupported value "fast"; allowed: direct, engine, crossCheck`},
		{"kafka without topic", "  load: [{metric: q, model: kafka, serviceRate: 10, step: {at: 1m, to: 5}}]\n", "spec.load[0]: the kafka model needs kafka: {partitions: N}"},
		{"kafka without partitions", "  load: [{metric: q, model: kafka, serviceRate: 10, kafka: {topic: q}, step: {at: 1m, to: 5}}]\n", "scenario.yaml:7: spec.load[0].kafka: partitions must be set, e.g. {partitions: 6}"},
		{"kafka zero commit interval", "  load: [{metric: q, model: kafka, serviceRate: 10, kafka: {partitions: 3, commitInterval: 0s}, step: {at: 1m, to: 5}}]\n", "spec.load[0].kafka.commitInterval: must be positive, e.g. 5s"},
		{"kafka unknown assignor", "  load: [{metric: q, model: kafka, serviceRate: 10, kafka: {partitions: 3, assignor: roundrobin}, step: {at: 1m, to: 5}}]\n", `spec.load[0].kafka.assignor: unsupported value "roundrobin"; allowed: range, cooperative-sticky`},
		{"kafka block on a queue", "  load: [{metric: q, model: queue, serviceRate: 3, kafka: {partitions: 3}, step: {at: 1m, to: 5}}]\n", "spec.load[0].kafka: kafka goes with model: kafka"},
		{"unsupported KEDA release", "  versions: {keda: \"2.13\"}\n", `scenario.yaml:7: spec.versions.keda: unsupported KEDA version "2.13": supported are 2.14.0`},
		{"unknown phases", "  phases: best\n", `scenario.yaml:7: spec.phases: unsupported value "best"; allowed: aligned`},
		{"unknown phases mode", "  phases: {mode: shuffled}\n", `scenario.yaml:7: spec.phases.mode: unsupported value "shuffled"; allowed: aligned, random`},
		{"negative phase", "  phases: {sync: -1s}\n", `scenario.yaml:7: spec.phases.sync: must not be negative`},
		{"phase typo", "  phases: {scarpe: 1s}\n", `spec.phases.scarpe: unknown field "scarpe"; did you mean scrape?`},
		{"usage of unknown load", "  workload: {resources: {usage: {cpu: {base: 1m, load: nope}}}}\n", `spec.workload.resources.usage.cpu.load: no load produces "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("scenario.yaml", []byte(tenMinutes+tt.spec), files(map[string]string{"so.yaml": cpuScaledObject}))
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestReplayedLoadValues: a recorded load of +Inf or below zero is an
// error at the replay; NaN points are gaps that keep the previous value,
// reported as a warning, never a load that silently reads as 0.
func TestReplayedLoadValues(t *testing.T) {
	for _, tc := range []struct {
		name, csv, err, warning string
	}{
		{"infinite", "time_seconds,jobs_waiting\n0,1\n60,+Inf\n", "scenario.yaml:24: spec.load[1].replay: the recorded value +Inf at 1m0s is not a load: a load is a finite number, 0 or more", ""},
		{"negative", "time_seconds,jobs_waiting\n0,1\n60,-3\n", "the recorded value -3 at 1m0s is not a load", ""},
		{"gaps", "time_seconds,jobs_waiting\n0,1\n60,NaN\n120,NaN\n180,4\n", "", "scenario.yaml:24: spec.load[1].replay: 2 of the 4 recorded points are NaN: gaps, where the load keeps its previous value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse("scenario.yaml", []byte(workloadScenario), files(map[string]string{"so.yaml": cpuScaledObject, "rec.csv": tc.csv}))
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			var warnings []string
			for _, w := range sc.Warnings {
				warnings = append(warnings, w.String())
			}
			require.Contains(t, warnings, tc.warning)
			require.Equal(t, 1.0, sc.Spec.Loads[1].Shape.At(90*time.Second), "a gap keeps the previous value")
		})
	}
}

func TestKafkaLoad(t *testing.T) {
	scen := "apiVersion: autoscale-sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nspec:\n  duration: 10m\n  autoscaler: {manifests: so.yaml}\n" +
		"  load: [{metric: orders, model: kafka, serviceRate: 40, step: {at: 1m, to: 5}, kafka: {partitions: 6, assignor: cooperative-sticky, commitInterval: 1s, sessionTimeout: 10s, rebalancePause: 2s, initialLag: 100, consumerGroup: g}}]\n"
	sc, err := Parse("scenario.yaml", []byte(scen), files(map[string]string{"so.yaml": cpuScaledObject}))
	require.NoError(t, err)
	require.Equal(t, &sim.Kafka{Partitions: 6, ConsumerGroup: "g", Assignor: sim.CooperativeStickyAssignor, RebalancePause: 2 * time.Second,
		CommitInterval: time.Second, SessionTimeout: 10 * time.Second, InitialLag: 100}, sc.Spec.Loads[0].Kafka)
}

func TestPhasesForms(t *testing.T) {
	five, three := 5*time.Second, 3*time.Second
	for text, want := range map[string]sim.Phases{
		"":                    {},
		"  phases: aligned\n": {},
		"  phases: random\n":  {Random: true},
		"  phases: {mode: random, sync: 5s, probePeriod: 10s, metricsResolution: 15s, metricsOffset: 3s}\n": {Random: true, Sync: &five, ProbePeriod: 10 * time.Second, MetricsResolution: 15 * time.Second, MetricsOffset: &three},
		"  phases: {scrape: 3s, poll: 5s}\n": {Scrape: &three, Poll: &five},
	} {
		scen := "apiVersion: autoscale-sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nspec:\n  duration: 10m\n  autoscaler: {manifests: so.yaml}\n" + text + "  runs: 7\n"
		sc, err := Parse("scenario.yaml", []byte(scen), files(map[string]string{"so.yaml": cpuScaledObject}))
		require.NoError(t, err, text)
		require.Equal(t, want, sc.Spec.Phases, text)
		require.Equal(t, 7, sc.Runs)
	}
}

func TestAnnotateErrors(t *testing.T) {
	tests := []struct{ name, spec, want string }{
		{"neither set nor remove", "  annotate: [{at: 1m}]\n", "scenario.yaml:7: spec.annotate[0]: set or remove must name at least one annotation"},
		{"set and removed", "  annotate: [{at: 1m, set: {a: \"1\"}, remove: [a]}]\n", `spec.annotate[0]: annotation "a" is both set and removed`},
		{"unquoted value", "  annotate: [{at: 1m, set: {autoscaling.keda.sh/paused-replicas: 2}}]\n", `spec.annotate[0].set.autoscaling.keda.sh/paused-replicas: must be a string, got the number 2; quote it: "2"`},
		{"after the end", "  annotate: [{at: 10m, set: {autoscaling.keda.sh/paused: \"true\"}}]\n", "scenario.yaml:7: spec.annotate[0].at: 10m0s is not before the end of the run (spec.duration 10m0s)"},
		{"out of order", "  annotate: [{at: 5m, set: {autoscaling.keda.sh/paused: \"true\"}}, {at: 2m, remove: [autoscaling.keda.sh/paused]}]\n", "spec.annotate[1].at: 2m0s is before spec.annotate[0] (5m0s): give the changes in time order"},
		{"a typo KEDA would ignore", "  annotate: [{at: 1m, set: {autoscaling.keda.sh/paused-replica: \"0\"}}]\n", `scenario.yaml:7: spec.annotate[0].set: KEDA reads no annotation "autoscaling.keda.sh/paused-replica" on a ScaledObject (did you mean autoscaling.keda.sh/paused-replicas?), so changing it changes nothing`},
		{"a removal KEDA would ignore", "  annotate: [{at: 1m, remove: [example.com/owner]}]\n", `spec.annotate[0].remove[0]: KEDA reads no annotation "example.com/owner" on a ScaledObject`},
		{"missing at", "  annotate: [{set: {a: \"1\"}}]\n", "scenario.yaml:7: spec.annotate[0]: at must be set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("scenario.yaml", []byte(tenMinutes+tt.spec), files(map[string]string{"so.yaml": cpuScaledObject}))
			require.ErrorContains(t, err, tt.want)
		})
	}
}

// tenMinutes starts a scenario of 10m on so.yaml; a test adds spec fields.
const tenMinutes = "apiVersion: autoscale-sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nspec:\n  duration: 10m\n  autoscaler: {manifests: so.yaml}\n"

func TestAnnotateNeedsAScaledObject(t *testing.T) {
	scen := "apiVersion: autoscale-sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nspec:\n  duration: 10m\n  autoscaler: {manifests: hpa.yaml}\n" +
		"  annotate: [{at: 1m, set: {autoscaling.keda.sh/paused: \"true\"}}]\n"
	cpuHPA := "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 10\n"
	_, err := Parse("scenario.yaml", []byte(scen), files(map[string]string{"hpa.yaml": cpuHPA}))
	require.ErrorContains(t, err, "scenario.yaml:7: spec.annotate: annotation changes during a run are modelled for a ScaledObject")
}
