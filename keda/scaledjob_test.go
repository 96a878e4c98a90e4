package keda

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestJobStrategies: scale_jobs_test.go TestDefaultScalingStrategy,
// TestCustomScalingStrategy, TestAccurateScalingStrategy and
// TestEagerScalingStrategy (S = maxScale, r = running, p = pending, M =
// maxReplicaCount).
func TestJobStrategies(t *testing.T) {
	d1, d2, dm2 := int32(1), int32(2), int32(-2)
	for _, tc := range []struct {
		ss         ScalingStrategy
		version    string
		S, r, p, M int64
		e, to      int64
	}{
		{ScalingStrategy{}, "", 3, 2, 0, 5, 1, 3},
		{ScalingStrategy{}, "", 2, 0, 0, 5, 2, 2},
		{ScalingStrategy{Strategy: "custom", CustomScalingQueueLengthDeduction: &d1, CustomScalingRunningJobPercentage: "0.5"}, "", 3, 2, 0, 5, 1, 3},
		{ScalingStrategy{Strategy: "custom", CustomScalingQueueLengthDeduction: &d1, CustomScalingRunningJobPercentage: "0.5"}, "", 10, 0, 0, 10, 9, 10},
		{ScalingStrategy{Strategy: "custom", CustomScalingQueueLengthDeduction: &d2, CustomScalingRunningJobPercentage: "0"}, "", 3, 2, 0, 5, 1, 3},
		{ScalingStrategy{Strategy: "custom", CustomScalingQueueLengthDeduction: &dm2, CustomScalingRunningJobPercentage: "0"}, "", 3, 2, 0, 4, 4, 3},
		{ScalingStrategy{Strategy: "custom", CustomScalingRunningJobPercentage: "0.5"}, "", 10, 2, 0, 100, 9, 10},
		{ScalingStrategy{Strategy: "custom", CustomScalingRunningJobPercentage: "50%"}, "", 3, 2, 0, 5, 1, 3}, // unparsable: default
		{ScalingStrategy{Strategy: "accurate"}, "", 3, 2, 0, 5, 3, 3},
		{ScalingStrategy{Strategy: "accurate"}, "", 5, 2, 0, 5, 3, 5},
		{ScalingStrategy{Strategy: "accurate"}, "", 3, 4, 2, 10, 1, 3},
		{ScalingStrategy{Strategy: "accurate"}, "", 5, 4, 2, 5, 1, 5},
		{ScalingStrategy{Strategy: "accurate"}, "", 3, 3, 3, 5, 0, 3},
		{ScalingStrategy{Strategy: "accurate"}, "", 20, 15, 10, 20, 5, 20},
		// The notes' derived case: v2.19 subtracts pending in the test.
		{ScalingStrategy{Strategy: "accurate"}, "2.19.0", 4, 4, 2, 7, 2, 4},
		{ScalingStrategy{Strategy: "accurate"}, "2.18.1", 4, 4, 2, 7, 3, 4},
		{ScalingStrategy{Strategy: "eager"}, "", 4, 3, 0, 10, 4, 10},
		{ScalingStrategy{Strategy: "eager"}, "", 4, 0, 3, 10, 4, 10},
		{ScalingStrategy{Strategy: "eager"}, "", 4, 7, 0, 10, 3, 10},
		{ScalingStrategy{Strategy: "eager"}, "", 4, 1, 6, 10, 3, 10},
		{ScalingStrategy{Strategy: "eager"}, "", 15, 0, 0, 10, 10, 10},
		// v2.14 has no eager strategy: the value selects default.
		{ScalingStrategy{Strategy: "eager"}, "2.14.1", 4, 3, 0, 10, 1, 4},
	} {
		sj := &ScaledJob{ScalingStrategy: tc.ss}
		_, f, err := lookupVersion(tc.version)
		require.NoError(t, err)
		_, e, to, reason := sj.strategy(f, tc.S, tc.r, tc.p, tc.M, tc.S)
		require.Equal(t, tc.e, e, "%+v %s: %s", tc.ss, tc.version, reason)
		require.Equal(t, tc.to, to, "%+v %s", tc.ss, tc.version)
	}
}

// TestCombineJobMetrics: scale_handler_test.go TestGetScaledJobState.
func TestCombineJobMetrics(t *testing.T) {
	four := func(budget int64) []JobMetric {
		return []JobMetric{
			JobMetricOf("a", 20, 1, true, budget), JobMetricOf("b", 10, 2, true, budget),
			JobMetricOf("c", 5, 3, true, budget), JobMetricOf("d", 7, 4, false, budget),
		}
	}
	for _, tc := range []struct {
		calc       string
		budget     int64
		queue, max int64
	}{
		{"max", 100, 20, 20}, {"min", 100, 5, 2}, {"avg", 100, 12, 9}, {"sum", 100, 35, 27}, {"sum", 25, 35, 25},
	} {
		got := CombineJobMetrics(four(tc.budget), tc.calc, 0, tc.budget)
		require.True(t, got.Active)
		require.Equal(t, tc.queue, got.ScaleTo, tc.calc)
		require.Equal(t, tc.max, got.MaxScale, tc.calc)
	}
	one := CombineJobMetrics([]JobMetric{JobMetricOf("q", 20, 2, true, 99)}, "", 1, 99)
	require.Equal(t, JobScale{Active: true, ScaleTo: 20, MaxScale: 10, Triggers: []string{"q"}}, one)
	empty := CombineJobMetrics([]JobMetric{JobMetricOf("q", 0, 1, false, 99)}, "", 1, 99)
	require.True(t, empty.Active, "minReplicaCount > 0 forces active")
	require.Zero(t, empty.ScaleTo)
}

// TestDecideJobs: getScalingDecision (min tops up) and the docs'
// maxReplicaCount table (keda-docs scaledjob-spec.md, default strategy).
func TestDecideJobs(t *testing.T) {
	min2 := &ScaledJob{MinReplicaCount: i32(2), MaxReplicaCount: i32(10)}
	d, err := min2.DecideJobs("", JobScale{Active: true, ScaleTo: 5, MaxScale: 5}, 0, 0)
	require.NoError(t, err)
	require.Equal(t, int64(2), d.Create, "running below min: top up to min, ignoring the queue")
	d, _ = min2.DecideJobs("", JobScale{Active: true, ScaleTo: 5, MaxScale: 5}, 1, 0)
	require.Equal(t, int64(1), d.Create)

	for _, tc := range []struct {
		queue, max, target, running, want int64
	}{
		{10, 3, 1, 0, 3}, {10, 3, 2, 0, 3}, {10, 3, 1, 1, 2}, {10, 100, 1, 0, 10}, {4, 3, 5, 0, 1},
	} {
		sj := &ScaledJob{MaxReplicaCount: i32(int32(tc.max))}
		_, budget := sj.Bounds()
		s := CombineJobMetrics([]JobMetric{JobMetricOf("q", float64(tc.queue), float64(tc.target), true, budget)}, "", 0, budget)
		d, _ := sj.DecideJobs("", s, tc.running, 0)
		require.Equal(t, tc.want, d.Create, "%+v: %s", tc, d.Reason)
	}
}

// TestCountJobs: scale_jobs_test.go TestGetPendingJobCount and the
// pendingPodConditions bug before v2.18.0.
func TestCountJobs(t *testing.T) {
	phase := func(ps ...string) JobPhase {
		var j JobPhase
		for _, p := range ps {
			j.Pods = append(j.Pods, JobPod{Phase: p})
		}
		return j
	}
	sj := &ScaledJob{}
	for p, want := range map[string]int64{"Succeeded": 0, "Running": 0, "Failed": 1, "Pending": 1, "Unknown": 1} {
		_, pending := sj.CountJobs("", []JobPhase{phase(p)})
		require.Equal(t, want, pending, p)
	}
	running, _ := sj.CountJobs("", []JobPhase{{Finished: true}, phase("Running")})
	require.Equal(t, int64(1), running, "finished Jobs do not count")

	conds := &ScaledJob{ScalingStrategy: ScalingStrategy{PendingPodConditions: []string{"Ready", "PodScheduled"}}}
	full := JobPod{Phase: "Running", Conditions: []string{"Ready", "PodScheduled"}}
	two := []JobPhase{{Pods: []JobPod{full, full}}}
	_, p := conds.CountJobs("", two)
	require.Equal(t, int64(0), p)
	_, p = conds.CountJobs("2.17.2", two)
	require.Equal(t, int64(1), p, "before v2.18 the matches are counted across pods: two full pods count 4, not 2")
	_, p = conds.CountJobs("", []JobPhase{{Pods: []JobPod{{Conditions: []string{"Ready"}}, {Conditions: []string{"PodScheduled"}}}}})
	require.Equal(t, int64(1), p, "complementary partial pods: pending")
}

func TestValidateScaledJob(t *testing.T) {
	base := func() *ScaledJob {
		return &ScaledJob{Name: "sj", Triggers: []Trigger{{Type: "prometheus", Metadata: map[string]string{"serverAddress": "http://p", "query": "q", "threshold": "1"}}}}
	}
	sj := base()
	sj.ScalingStrategy.Strategy = "default"
	errs, _ := sj.ValidateScaledJob("2.20.1")
	require.Len(t, errs, 1, "v2.20.0 and v2.20.1 lack default in the CRD enum")
	errs, _ = sj.ValidateScaledJob("2.20.2")
	require.Empty(t, errs)
	errs, _ = sj.ValidateScaledJob("2.19.0")
	require.Empty(t, errs, "no CRD enums before v2.20.0")

	sj = base()
	sj.Triggers[0].MetricType = "Value"
	errs, _ = sj.ValidateScaledJob("")
	require.Len(t, errs, 1)
	require.Contains(t, errs[0].Message, "Cannot set metricType in ScaledJob triggers")

	sj = base()
	sj.ScalingStrategy = ScalingStrategy{Strategy: "custom", CustomScalingRunningJobPercentage: "0.5"}
	errs, _ = sj.ValidateScaledJob("2.20.1")
	require.Len(t, errs, 1, "the operator crashes without a deduction before v2.20.2")
	errs, _ = sj.ValidateScaledJob("2.20.2")
	require.Empty(t, errs)

	min, budget := (&ScaledJob{MinReplicaCount: i32(10)}).Bounds()
	require.Equal(t, [2]int64{10, 100}, [2]int64{min, budget}, "max unset: the budget is 100, min not subtracted")
	min, budget = (&ScaledJob{MinReplicaCount: i32(10), MaxReplicaCount: i32(5)}).Bounds()
	require.Equal(t, [2]int64{5, 5}, [2]int64{min, budget})
}
