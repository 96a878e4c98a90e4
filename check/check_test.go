package check_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

const websocket = "../examples/websocket/scenario.yaml"

func TestAssertions(t *testing.T) {
	run, err := check.File(websocket)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		a    check.Assertion
		// want is empty when the assertion holds, else fragments of the
		// failure message.
		want []string
	}{
		{"replicas at 5m", check.ReplicasAt(5*time.Minute, 5), nil},
		{"replicas at 12m, after the 12m decision", check.ReplicasAt(12*time.Minute, 4), nil},
		{"replicas at 12m wrong", check.ReplicasAt(12*time.Minute, 5), []string{
			"replicas at 12m: want 5, got 4", "timeline around 12m:", "  > ", "5 -> 4  HPA SuccessfulRescale"}},
		{"between", check.Between(2*time.Minute, 11*time.Minute, 5, 5), nil},
		{"between wrong", check.Between(10*time.Minute, 14*time.Minute, 4, 5), []string{"want 4..5, got 2..5"}},
		{"at most", check.AtMost(0, 20*time.Minute, 5), nil},
		{"at most wrong", check.AtMost(0, 20*time.Minute, 4), []string{"want at most 4, got 5"}},
		{"at least", check.AtLeast(0, 20*time.Minute, 1), nil},
		{"at least wrong", check.AtLeast(0, 20*time.Minute, 2), []string{"want at least 2, got 1"}},
		{"reaches", check.Reaches(5, 90*time.Second), nil},
		{"reaches late", check.Reaches(5, time.Minute), []string{"reaches 5 replicas by 1m: reached at 1m15s, 15s late"}},
		{"never reaches", check.Reaches(6, 20*time.Minute), []string{"never reached; peak 5 replicas"}},
		{"no change", check.NoChange(2*time.Minute, 11*time.Minute), nil},
		{"no change wrong", check.NoChange(11*time.Minute, 13*time.Minute), []string{"want none, got 2 changes"}},
		{"events per hour", check.MaxScaleEventsPerHour(5), nil},
		{"events per hour wrong", check.MaxScaleEventsPerHour(4), []string{"want at most 4, got 5 in [0s, 15m]"}},
		{"zero by", check.ZeroBy(20 * time.Minute), []string{"never scaled to zero; 1 replica at 20m"}},
		{"cost", check.MaxReplicaSeconds(4140), nil},
		{"cost wrong", check.MaxReplicaSeconds(3000), []string{"want at most 3000, got 4140 (38% over)"}},
		{"overload", check.MaxAboveTarget(time.Minute), nil},
		{"overload wrong", check.MaxAboveTarget(0), []string{"want at most 0s, got 15s (from 1m15s; peak 200 per ready pod)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run.Check(tc.a)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestFiguresWebsocket(t *testing.T) {
	run, err := check.File(websocket)
	require.NoError(t, err)
	f := run.Figures()
	require.Equal(t, int32(5), f.MaxReplicas)
	require.Equal(t, 5, f.ScaleEvents)
	require.Equal(t, 15*time.Second, f.AboveTarget)
	require.InDelta(t, 4140, f.ReplicaSeconds, 1e-9)
}

func TestOverrides(t *testing.T) {
	for _, tc := range []struct {
		name    string
		set     []string
		peak    int32
		wantErr string
	}{
		{"threshold as a number stays a string", []string{"spec.triggers[0].metadata.threshold=100"}, 2, ""},
		{"new key", []string{"spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies=[{type: Pods, value: 1, periodSeconds: 60}]"}, 5, ""},
		{"max", []string{"spec.maxReplicaCount=3"}, 3, ""},
		{"bad index", []string{"spec.triggers[2].metadata.threshold=1"}, 0,
			"examples/websocket/scaledobject.yaml:26: spec.triggers: --set spec.triggers[2].metadata.threshold=1: spec.triggers has 1 item; indices start at 0"},
		{"not a mapping", []string{"spec.maxReplicaCount.x=1"}, 0,
			"scaledobject.yaml:14: spec.maxReplicaCount: --set spec.maxReplicaCount.x=1: spec.maxReplicaCount is the number 5, not a mapping"},
		{"invalid value is located in the original file", []string{"spec.minReplicaCount=9"}, 0,
			"scaledobject.yaml:13: spec.minReplicaCount"},
		{"wrong type", []string{"spec.cooldownPeriod=soon"}, 0,
			"scaledobject.yaml:16: spec.cooldownPeriod: must be an integer, got the string \"soon\" (with --set spec.cooldownPeriod=soon)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ovs []scenarios.Override
			for _, s := range tc.set {
				o, err := scenarios.ParseOverride(s)
				require.NoError(t, err)
				ovs = append(ovs, o)
			}
			run, err := check.File(websocket, ovs...)
			if tc.wantErr != "" {
				require.Error(t, err)
				require.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.peak, run.Figures().MaxReplicas, strings.Join(tc.set, " "))
		})
	}
}

// TestMaxOverloaded: the http-rate example caps each pod at 8 req/s, so
// the step from 5 to 40 req/s overloads the pods until enough are ready.
func TestMaxOverloaded(t *testing.T) {
	run, err := check.File("../examples/http-rate/scenario.yaml")
	require.NoError(t, err)
	f := run.Figures()
	require.Positive(t, f.OverloadedSeconds)
	got := time.Duration(f.OverloadedSeconds * float64(time.Second))
	require.NoError(t, run.Check(check.MaxOverloaded(got)))
	err = run.Check(check.MaxOverloaded(got - time.Second))
	require.ErrorContains(t, err, "overloaded: want at most")
}

// TestAboveTargetUsesTheMetricUnit: orders-rate's query is
// sum(rate(product_order_total[5m])) * 300, orders per 5 minutes, while
// its load is in orders per second. The figure compares the metric, per
// ready pod, with the threshold in the metric's unit, so it sees the
// rise (the load per pod alone, 300 times smaller, never would).
func TestAboveTargetUsesTheMetricUnit(t *testing.T) {
	run, err := check.File("../examples/orders-rate/scenario.yaml")
	require.NoError(t, err)
	f := run.Figures()
	require.Positive(t, f.AboveTarget)
	target := run.Result.Metrics[0].Target
	require.Less(t, f.PeakLoadPerPod, target, "the load per pod is in another unit")
	// Every row counted is one where the metric per ready pod exceeds
	// the threshold.
	var counted time.Duration
	rows := run.Result.Samples
	for i, s := range rows {
		next := run.Result.Duration
		if i+1 < len(rows) {
			next = rows[i+1].T
		}
		if v := s.Metrics[0]; !math.IsNaN(v) && s.ReadyReplicas > 0 && v/float64(s.ReadyReplicas) > target {
			counted += next - s.T
		}
	}
	require.Equal(t, counted, f.AboveTarget)
}

// TestLintPollingInterval: the polling rule, located in the manifest, and
// its wording with fallback and with useCachedMetrics. When KEDA's own
// admission warning says the same, there is one finding, not two.
func TestLintPollingInterval(t *testing.T) {
	polling := func(t *testing.T, path string, overrides ...scenarios.Override) []check.Finding {
		t.Helper()
		sc, err := scenarios.LoadWithOverrides(path, overrides...)
		require.NoError(t, err)
		findings, err := check.Lint(context.Background(), sc)
		require.NoError(t, err)
		var out []check.Finding
		for _, f := range findings {
			if f.Path == "spec.pollingInterval" {
				out = append(out, f)
			}
		}
		if len(out) == 1 && !strings.Contains(out[0].Message, "does not pace the HPA") {
			return nil
		}
		return out
	}
	const websocket = "../examples/websocket/scenario.yaml"
	got := polling(t, websocket)
	require.Len(t, got, 1)
	require.Equal(t, "../examples/websocket/scaledobject.yaml", got[0].File)
	require.Equal(t, 15, got[0].Line, "the pollingInterval line")
	require.NotContains(t, got[0].Message, "fallback")

	got = polling(t, "../examples/fallback/scenario.yaml", scenarios.Override{Path: "spec.pollingInterval", Value: "30"})
	require.Len(t, got, 1)
	require.Contains(t, got[0].Message, "how often failures count toward fallback.failureThreshold")

	require.Empty(t, polling(t, websocket, scenarios.Override{Path: "spec.triggers[0].useCachedMetrics", Value: "true"}),
		"with useCachedMetrics the HPA reads the polled value, so polling does pace it")
}

// TestLintZeroWithoutWaker: minReplicaCount 0 with a metric only the
// workload's own pods expose is the trap; with a metric from outside the
// workload (raw series) it is not.
func TestLintZeroWithoutWaker(t *testing.T) {
	rules := func(t *testing.T, overrides ...scenarios.Override) []string {
		t.Helper()
		sc, err := scenarios.LoadWithOverrides("../examples/websocket/scenario.yaml", overrides...)
		require.NoError(t, err)
		findings, err := check.Lint(context.Background(), sc)
		require.NoError(t, err)
		var out []string
		for _, f := range findings {
			out = append(out, f.Rule)
		}
		return out
	}
	require.Contains(t, rules(t, scenarios.Override{Path: "spec.minReplicaCount", Value: "0"}), "zero-without-waker")
	require.NotContains(t, rules(t), "zero-without-waker", "minReplicaCount 1 never goes to zero")
	require.NotContains(t, rules(t, scenarios.Override{Path: "spec.minReplicaCount", Value: "0"},
		scenarios.Override{Path: "spec.triggers[0].metadata.query", Value: "sum(websocket_connection_count) or vector(1)"}),
		"zero-without-waker", "vector(1) does not come from the pods")
}

// TestLintNotSimulated: a trigger type the simulator cannot run does not
// stop lint: the static rules still apply and the trigger is named.
func TestLintNotSimulated(t *testing.T) {
	sc, err := scenarios.LoadWithOverrides("../examples/websocket/scenario.yaml",
		scenarios.Override{Path: "spec.triggers[0]", Value: "{type: rabbitmq, metadata: {host: amqp, queueName: q, bootstrapServers: 'kafka:9092', consumerGroup: g, topic: t, lagThreshold: '10'}}"})
	require.NoError(t, err)
	findings, err := check.Lint(context.Background(), sc)
	require.NoError(t, err)
	var rules []string
	for _, f := range findings {
		rules = append(rules, f.Rule)
		if f.Rule == "not-simulated" {
			require.Equal(t, check.Info, f.Severity)
			require.Contains(t, f.Message, `"rabbitmq" triggers cannot be simulated yet`)
			require.Equal(t, "spec.triggers[0].type", f.Path)
		}
	}
	require.Contains(t, rules, "not-simulated")
	require.Contains(t, rules, "keda-admission", "the static rules still ran")
	require.NotContains(t, rules, "max-unreachable")
}

// TestLintMaxUnreachableFromThePeak: a run that starts at maxReplicas and
// scales down has not reached its maximum; the initial replicas do not
// count as a peak.
func TestLintMaxUnreachableFromThePeak(t *testing.T) {
	sc, err := scenarios.LoadWithOverrides("../examples/websocket/scenario.yaml", scenarios.Override{Path: "spec.maxReplicaCount", Value: "8"})
	require.NoError(t, err)
	sc.Spec.Workload.InitialReplicas = 8
	findings, err := check.Lint(context.Background(), sc)
	require.NoError(t, err)
	found := false
	for _, f := range findings {
		if f.Rule == "max-unreachable" {
			found = true
			require.NotContains(t, f.Message, "the peak is 8", "the initial 8 is not a peak the autoscaler chose")
		}
	}
	require.True(t, found, "%v", findings)
}
