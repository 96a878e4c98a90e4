package sim_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// The examples of ScaledObject semantics: activation, rate windows and
// fallback, each asserted from the run against the upstream rule it shows.

// kedaExample loads and runs an example with overrides of its
// ScaledObject, and keeps the simulator so that the test can query the
// series the run wrote.
type kedaExample struct {
	sc  *scenarios.Scenario
	sim *sim.Simulator
	res *sim.Result
}

func runKEDAExample(t *testing.T, path string, overrides ...scenarios.Override) kedaExample {
	t.Helper()
	sc, err := scenarios.LoadWithOverrides(path, overrides...)
	require.NoError(t, err)
	require.NotNil(t, sc.Spec.KEDA, "%s simulates a ScaledObject", path)
	s, err := sim.New(sc.Spec)
	require.NoError(t, err)
	res, err := s.Run(context.Background())
	require.NoError(t, err)
	return kedaExample{sc: sc, sim: s, res: res}
}

// value is the trigger query's instant value at t, as Prometheus answers
// it (one sample expected).
func (e kedaExample) value(t *testing.T, query string, at time.Duration) float64 {
	t.Helper()
	r, err := e.sim.Query(context.Background(), query, at)
	require.NoError(t, err)
	require.Len(t, r.Samples, 1, "%s at %s", query, at)
	return r.Samples[0].Value
}

// polls lists the instants of KEDA's scale loop ticks in [0, Duration].
func (e kedaExample) polls() []time.Duration {
	every := e.sim.KEDA().PollingInterval()
	var out []time.Duration
	for p := time.Duration(0); p <= e.res.Duration; p += every {
		out = append(out, p)
	}
	return out
}

// TestActivationExample: activationThreshold 50 above threshold 10 with
// minReplicaCount 0.
//
// Activity is "value > activationThreshold" (pkg/scalers/prometheus_scaler.go
// GetMetricsAndActivity: `val > s.metadata.ActivationThreshold`); only KEDA
// moves a workload from or to 0 (pkg/scaling/executor/scale_scaledobjects.go
// RequestScale, scaleFromZeroOrIdle to max(minReplicaCount, 1)), the HPA
// does nothing at 0 replicas (pkg/controller/podautoscaler/horizontal.go
// reconcileAutoscaler: "scaling is disabled since the replica count of the
// target is zero"), and the move to 0 waits until
// status.lastActiveTime + cooldownPeriod is before now
// (scale_scaledobjects.go scaleToZeroOrIdle:
// `LastActiveTime.Add(cooldownPeriod).Before(time.Now())`).
func TestActivationExample(t *testing.T) {
	const path = "../examples/activation/scenario.yaml"
	ex := runKEDAExample(t, path)
	res, so := ex.res, ex.sc.Spec.KEDA.Object
	require.Equal(t, int32(0), res.InitialReplicas)
	require.Equal(t, int32(0), so.MinReplicas())
	m := res.Metrics[0]
	threshold, activation := m.Target, m.ActivationTarget
	require.Greater(t, activation, threshold, "the example is about an activation threshold above the threshold")
	cooldown := time.Duration(so.CooldownPeriodSeconds()) * time.Second

	// The value KEDA sees at each poll, and from it when the ScaledObject
	// is active.
	type poll struct {
		at     time.Duration
		value  float64
		active bool
	}
	var polls []poll
	for _, p := range ex.polls() {
		v := ex.value(t, m.Query, p)
		polls = append(polls, poll{p, v, v > activation})
	}
	firstActive, lastActive := -1, -1
	for i, p := range polls {
		if p.active {
			if firstActive < 0 {
				firstActive = i
			}
			lastActive = i
		}
	}
	require.Positive(t, firstActive, "the metric starts inactive and rises above the activation threshold")
	require.Less(t, lastActive, len(polls)-1, "and falls back below it before the end")

	// Phase 1: inactive although the HPA alone would want replicas.
	held := polls[firstActive-1]
	hpaWants := int32(math.Ceil(held.value / threshold))
	require.Equal(t, int32(4), hpaWants, "40 messages / threshold 10 (the OpenShift documentation's example)")
	lo, hi := res.DesiredRange(0, held.at)
	require.Equal(t, [2]int32{0, 0}, [2]int32{lo, hi}, "the workload stays at 0 while %g <= activationThreshold %g", held.value, activation)
	for _, p := range polls[:firstActive] {
		require.False(t, p.active, "poll at %s", p.at)
	}

	// Without the activation threshold the same metric activates at once
	// and the HPA scales to ceil(40 / 10).
	plain := runKEDAExample(t, path, scenarios.Override{Path: "spec.triggers[0].metadata.activationThreshold", Value: "'0'"})
	require.Equal(t, hpaWants, plain.res.DesiredAt(held.at), "activationThreshold 0: the HPA decides")

	// Phase 2: KEDA activates 0 -> 1 at the first active poll, then the
	// HPA scales to ceil(value / threshold), capped by maxReplicaCount.
	changes := res.ScaleEvents(-1, res.Duration)
	require.NotEmpty(t, changes)
	up := changes[0]
	require.Equal(t, polls[firstActive].at, up.T)
	require.Equal(t, "KEDA", up.Source)
	require.Equal(t, "KEDAScaleTargetActivated", up.Reason)
	require.Equal(t, int32(0), up.From)
	require.Equal(t, max(so.MinReplicas(), 1), up.To)
	peak := min(int32(math.Ceil(polls[firstActive].value/threshold)), so.MaxReplicas())
	require.Equal(t, int32(10), peak, "ceil(120 / 10) = 12, capped at maxReplicaCount 10")
	require.Equal(t, peak, res.Figures().MaxReplicas)
	for _, e := range res.ScaleEvents(up.T, polls[lastActive].at) {
		require.Equal(t, "HPA", e.Source, "above 0 the HPA owns replicas: %+v", e)
	}

	// Phase 3: below the activation threshold but above 0. KEDA scales to
	// 0 at the first poll at or after lastActiveTime + cooldownPeriod (see
	// TestCooldownEndingOnAPoll); until then the HPA holds
	// ceil(value / threshold) replicas.
	last := polls[lastActive]
	deadline := last.at + cooldown
	zeroAt := time.Duration(-1)
	for _, p := range polls {
		if p.at >= deadline {
			zeroAt = p.at
			break
		}
	}
	require.Positive(t, zeroAt)
	require.Equal(t, 22*time.Minute+20*time.Second, zeroAt, "14m40s + 7m30s = 22m10s, the next 20s poll")
	var down *sim.Event
	for _, e := range res.ScaleEvents(last.at, res.Duration) {
		if e.To == 0 {
			down = &e
			break
		}
	}
	require.NotNil(t, down, "the workload returns to 0")
	require.Equal(t, zeroAt, down.T)
	require.Equal(t, "KEDA", down.Source)
	require.Equal(t, "KEDAScaleTargetDeactivated", down.Reason)
	low := ex.value(t, m.Query, zeroAt)
	require.Greater(t, low, 0.0)
	require.LessOrEqual(t, low, activation)
	lo, _ = res.DesiredRange(last.at, zeroAt-time.Second)
	require.Equal(t, int32(math.Ceil(low/threshold)), lo, "the HPA still holds ceil(%g / %g) replicas while KEDA cools down", low, threshold)
	require.Equal(t, down.From, lo)
	lo, hi = res.DesiredRange(zeroAt, res.Duration)
	require.Equal(t, [2]int32{0, 0}, [2]int32{lo, hi}, "and it stays at 0 below the activation threshold")
}

// TestCooldownEndingOnAPoll: with cooldownPeriod a multiple of
// pollingInterval the deadline lastActiveTime + cooldownPeriod falls on a
// poll. In a cluster that poll already scales to zero: lastActiveTime is
// stored with whole seconds and re-read before every check
// (pkg/scaling/scale_handler.go checkScalers), while the loop's clock runs
// a fraction of a second late (startScaleLoop), so the strict Before in
// executor/scale_scaledobjects.go scaleToZeroOrIdle holds there.
func TestCooldownEndingOnAPoll(t *testing.T) {
	ex := runKEDAExample(t, "../examples/activation/scenario.yaml",
		scenarios.Override{Path: "spec.pollingInterval", Value: "15"},
		scenarios.Override{Path: "spec.cooldownPeriod", Value: "450"})
	m := ex.res.Metrics[0]
	var lastActive time.Duration = -1
	for _, p := range ex.polls() {
		if ex.value(t, m.Query, p) > m.ActivationTarget {
			lastActive = p
		}
	}
	require.Equal(t, 14*time.Minute+45*time.Second, lastActive, "the 120 messages end at 15m; the last 15s poll that sees them")
	var down *sim.Event
	for _, e := range ex.res.ScaleEvents(lastActive, ex.res.Duration) {
		if e.To == 0 {
			down = &e
			break
		}
	}
	require.NotNil(t, down)
	require.Equal(t, lastActive+450*time.Second, down.T, "the poll at lastActiveTime + cooldownPeriod, not the one after")
	require.Equal(t, "KEDAScaleTargetDeactivated", down.Reason)
}

// TestOrdersRateExample: sum(rate(product_order_total[5m])) * 300 with
// threshold 20, minReplicaCount 2, cooldownPeriod 30.
//
//   - `* 300` is a unit: Prometheus computes rate() as the extrapolated
//     increase divided by the range in seconds
//     (prometheus promql/functions.go extrapolatedRate: the one
//     difference between rate and increase is the division by
//     ms.Range.Seconds() when isRate), so rate(x[5m]) * 300 is
//     increase(x[5m]) and the run is the same;
//   - the 5 minute window sets the reaction time: with [1m] the workload
//     reaches maxReplicaCount minutes earlier;
//   - cooldownPeriod only governs the step to zero
//     (pkg/scaling/executor/scale_scaledobjects.go RequestScale calls
//     scaleToZeroOrIdle only when minReplicaCount is 0 or idleReplicaCount
//     is set), so with minReplicaCount 2 any value gives the same run, and
//     lint reports it (KEDA's webhook warning,
//     apis/keda/v1alpha1/scaledobject_webhook.go).
func TestOrdersRateExample(t *testing.T) {
	const path = "../examples/orders-rate/scenario.yaml"
	const query = "spec.triggers[0].metadata.query"
	base := runKEDAExample(t, path)
	res := base.res
	so := base.sc.Spec.KEDA.Object
	threshold := res.Metrics[0].Target
	require.True(t, res.LoadRises)
	rise := res.LoadRise
	require.Equal(t, 8*time.Minute, rise)

	// The metric reaches the new level only a full window after the step.
	q := res.Metrics[0].Query
	before := base.value(t, q, rise-time.Second)
	after := base.value(t, q, rise+6*time.Minute)
	// (Series of pods added within the window lose a little to
	// extrapolation, hence 3 %.)
	require.InEpsilon(t, 0.1*300, before, 0.03, "0.1 orders/s are 30 per 5 minutes")
	require.InEpsilon(t, 0.4*300, after, 0.03, "0.4 orders/s are 120 per 5 minutes")
	half := base.value(t, q, rise+150*time.Second)
	require.InDelta(t, (before+after)/2, half, 5, "half way through the window the metric is half way")
	need := min(int32(math.Ceil(after/threshold)), so.MaxReplicas())
	require.Equal(t, int32(6), need)

	f := res.Figures()
	require.True(t, f.ScaledUpAfterRise)
	require.LessOrEqual(t, f.TimeToFirstScaleUp, time.Minute, "the first replica comes quickly")
	full, ok := res.FirstReach(need)
	require.True(t, ok)
	require.Greater(t, full-rise, 4*time.Minute, "the last one almost a rate window later")
	for _, e := range res.ScaleEvents(rise, full) {
		require.Equal(t, e.From+1, e.To, "one replica at a time as the metric climbs: %+v", e)
	}

	for _, tc := range []struct {
		name      string
		overrides []scenarios.Override
		// same: the run is the base run, event for event.
		same bool
	}{
		{"increase over 5m is rate over 5m times 300", []scenarios.Override{{Path: query, Value: "sum(increase(product_order_total[5m]))"}}, true},
		{"cooldownPeriod 3600", []scenarios.Override{{Path: "spec.cooldownPeriod", Value: "3600"}}, true},
		{"cooldownPeriod 0", []scenarios.Override{{Path: "spec.cooldownPeriod", Value: "0"}}, true},
		{"a 1m window reacts sooner", []scenarios.Override{{Path: query, Value: "sum(rate(product_order_total[1m])) * 300"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := runKEDAExample(t, path, tc.overrides...)
			if tc.same {
				require.Equal(t, res.Events, v.res.Events)
				require.Equal(t, int32(2), v.res.Figures().MinReplicas)
				return
			}
			fast, ok := v.res.FirstReach(need)
			require.True(t, ok)
			require.Less(t, fast-rise, 2*time.Minute)
			require.Greater(t, full-fast, 2*time.Minute, "the window, not the * 300, sets the reaction time")
		})
	}

	findings, err := check.Lint(context.Background(), base.sc)
	require.NoError(t, err)
	var cooldown []check.Finding
	for _, f := range findings {
		if f.Path == "spec.cooldownPeriod" {
			cooldown = append(cooldown, f)
		}
	}
	require.Len(t, cooldown, 1, "lint warns that cooldownPeriod has no effect: %v", findings)
	require.Contains(t, cooldown[0].Message, "not relevant")
}

// TestFallbackExample: fallback {failureThreshold: 3, replicas: 6} while
// every Prometheus query fails from 10m to 15m.
//
// pkg/fallback/fallback.go GetMetricsWithFallback counts each failure of
// the metric in status.health (IncrementFailure) and resets the count on
// success; while the count is at most failureThreshold the error goes
// through, above it doFallback answers fallback.replicas x the target, so
// the HPA computes fallback.replicas. Both KEDA loops count: the scale
// loop's poll (pkg/scaling/scale_handler.go getScalerState) and every
// metric request of the HPA (GetScaledObjectMetrics), both through
// processMetricsWithFallback. After the recovery the HPA's downscale
// stabilization keeps the fallback recommendation for 5 minutes
// (pkg/controller/podautoscaler/horizontal.go stabilizeRecommendation,
// which drops recommendations Before now - window).
func TestFallbackExample(t *testing.T) {
	ex := runKEDAExample(t, "../examples/fallback/scenario.yaml")
	res, spec, so := ex.res, ex.sim.Spec(), ex.sc.Spec.KEDA.Object
	require.NotNil(t, so.Fallback)
	require.Len(t, spec.Faults, 1)
	fault := spec.Faults[0]
	require.Equal(t, sim.MetricsDown, fault.Kind)
	threshold, fallback := so.Fallback.FailureThreshold, so.Fallback.Replicas
	require.Equal(t, int32(3), threshold)
	require.Equal(t, int32(6), fallback)

	// Count the failures in the engine's order (poll, then HPA sync) and
	// find the first HPA sync that gets the fallback metric.
	poll, sync := ex.sim.KEDA().PollingInterval(), spec.Controller.SyncPeriod
	step := time.Second
	failures, first, lastFallback := int32(0), time.Duration(-1), time.Duration(-1)
	for t := fault.From; t < fault.To; t += step {
		if t%poll == 0 {
			failures++
		}
		if t%sync == 0 {
			failures++
			if failures > threshold {
				if first < 0 {
					first = t
				}
				lastFallback = t
			}
		}
	}
	require.Equal(t, 10*time.Minute+30*time.Second, first, "poll 10m, sync 10m, sync 10m15s, poll 10m30s: the fifth failure")

	steady := res.DesiredAt(fault.From)
	require.Equal(t, int32(3), steady, "ceil(12 req/s / 5)")
	lo, hi := res.DesiredRange(0, first-time.Second)
	require.Equal(t, [2]int32{steady, steady}, [2]int32{lo, hi}, "up to failureThreshold the HPA sees the error and keeps its replicas")

	changes := res.ScaleEvents(fault.From, res.Duration)
	require.Len(t, changes, 2, "out to the fallback, back after the recovery")
	out, back := changes[0], changes[1]
	require.Equal(t, first, out.T)
	require.Equal(t, "HPA", out.Source)
	require.Equal(t, steady, out.From)
	require.Equal(t, fallback, out.To)
	lo, hi = res.DesiredRange(first, fault.To)
	require.Equal(t, [2]int32{fallback, fallback}, [2]int32{lo, hi})

	// Back: the first sync after the last fallback recommendation has
	// left the downscale stabilization window.
	window := spec.Controller.DownscaleStabilization
	require.Equal(t, 5*time.Minute, window)
	want := (lastFallback+window)/sync*sync + sync
	require.Equal(t, 20*time.Minute, want)
	require.Equal(t, want, back.T)
	require.Equal(t, "HPA", back.Source)
	require.Equal(t, steady, back.To)
	require.Equal(t, steady, res.Figures().FinalReplicas)
}

// TestKEDAStates: Result.KEDA follows the Active condition poll by poll.
// Cooldown is the ScalerCooldown wait, which only exists when KEDA can
// scale in (minReplicaCount 0): the activation example waits from the
// first inactive poll after its last active one (15m) until the poll that
// scales to 0 (22m20s), while the WebSocket example, with
// minReplicaCount 1, goes straight from active to inactive. Fallback is a
// state of its own, entered at the first poll past failureThreshold.
func TestKEDAStates(t *testing.T) {
	tests := []struct {
		path string
		want []sim.KEDAState
	}{
		{"../examples/activation/scenario.yaml", []sim.KEDAState{
			{T: 0, Activity: sim.KEDAInactive},
			{T: 10 * time.Minute, Activity: sim.KEDAActive},
			{T: 15 * time.Minute, Activity: sim.KEDACooldown},
			{T: 22*time.Minute + 20*time.Second, Activity: sim.KEDAInactive},
		}},
		{"../examples/websocket/scenario.yaml", []sim.KEDAState{
			{T: 0, Activity: sim.KEDAInactive},
			{T: 75 * time.Second, Activity: sim.KEDAActive},
			{T: 11*time.Minute + 15*time.Second, Activity: sim.KEDAInactive},
		}},
		{"../examples/fallback/scenario.yaml", []sim.KEDAState{
			{T: 0, Activity: sim.KEDAInactive},
			{T: 30 * time.Second, Activity: sim.KEDAActive},
			{T: 10 * time.Minute, Activity: sim.KEDAInactive},
			{T: 10*time.Minute + 30*time.Second, Activity: sim.KEDAActive, Fallback: true},
			{T: 15 * time.Minute, Activity: sim.KEDAActive},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			e := runKEDAExample(t, tt.path)
			require.Equal(t, tt.want, e.res.KEDA)
			// The cooldown ends with KEDA's own scale-in event.
			for i, st := range e.res.KEDA {
				if st.Activity != sim.KEDACooldown {
					continue
				}
				end := e.res.KEDA[i+1].T
				require.Equal(t, int32(0), e.res.DesiredAt(end), "scaled in when the cooldown ends")
				require.NotZero(t, e.res.DesiredAt(end-time.Second), "not before")
			}
		})
	}
}

// TestResultDescribesTheRun: the fields plots read besides the trace.
func TestResultDescribesTheRun(t *testing.T) {
	e := runKEDAExample(t, "../examples/fallback/scenario.yaml")
	require.Equal(t, e.sc.Spec.Faults, e.res.Faults)
	require.Equal(t, sim.LoadInfo{Metric: "http_requests_total", Model: sim.Requests}, e.res.Load)
	require.InDelta(t, 0.1, e.res.Tolerances.ScaleUp, 0)

	q := runKEDAExample(t, "../examples/queue/scenario.yaml")
	require.Equal(t, sim.Queue, q.res.Load.Model)
	require.Equal(t, q.sc.Spec.Loads[0].ServiceRate, q.res.Load.PerPod, "a queue's per-pod capacity is its service rate")
	require.Nil(t, runHPAExample(t).KEDA, "a plain HPA has no KEDA states")
}

func runHPAExample(t *testing.T) *sim.Result {
	t.Helper()
	sc, err := scenarios.Load("../examples/prometheus-adapter-websocket/scenario.yaml")
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), sc.Spec)
	require.NoError(t, err)
	return res
}
