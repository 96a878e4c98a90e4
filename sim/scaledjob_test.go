package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

func i32p(v int32) *int32 { return &v }

// jobSpec is a queue of messages, 2.4 a minute and a burst of 20 at 10m,
// each taken by one Job pod that works 3 minutes on it; KEDA polls every
// 10s and may run 10 Jobs.
func jobSpec(strategy string) sim.Spec {
	sj := &keda.ScaledJob{
		Name: "worker", Namespace: "demo", PollingInterval: i32p(10), MaxReplicaCount: i32p(10),
		ScalingStrategy: keda.ScalingStrategy{Strategy: strategy},
		Triggers: []keda.Trigger{{Type: "prometheus", Metadata: map[string]string{
			"serverAddress": "http://prometheus:9090", "query": `sum(queue_messages{namespace="demo"})`, "threshold": "1"}}},
	}
	return sim.Spec{
		Duration: 30 * time.Minute,
		Workload: sim.Workload{Name: "worker", Namespace: "demo", PodStartup: 20 * time.Second},
		Loads: []sim.Load{{Metric: "queue_messages", Model: sim.Queue, Shape: sim.Sum{
			sim.Step{To: 0.04},
			sim.Spike{Time: 10 * time.Minute, Duration: 20 * time.Second, Peak: 1},
		}}},
		ScaledJob: &sim.ScaledJob{Object: sj, Model: sim.JobModel{Queue: 0, MessagesPerPod: 1, Duration: 3 * time.Minute}},
	}
}

// TestScaledJobStrategies: with Jobs still working on messages they took,
// the default strategy counts them against the queue (maxScale - running)
// and leaves new messages waiting; accurate and eager create Jobs for
// what waits, and custom with 50 % of the running Jobs counted creates
// more still. Measured as the mean wait of a message for a Job.
func TestScaledJobStrategies(t *testing.T) {
	waited := map[string]float64{}
	for _, st := range []string{"default", "accurate", "eager", "custom"} {
		spec := jobSpec(st)
		if st == "custom" {
			spec.ScaledJob.Object.ScalingStrategy.CustomScalingRunningJobPercentage = "0.5"
			spec.ScaledJob.Object.ScalingStrategy.CustomScalingQueueLengthDeduction = i32p(0)
		}
		res, err := sim.Run(context.Background(), spec)
		require.NoError(t, err, st)
		waited[st] = res.MessageWaitSeconds / float64(res.MessagesTaken)
		last := res.Samples[len(res.Samples)-1].Jobs
		require.NotNil(t, last)
		require.Positive(t, last.Succeeded, st)
		require.LessOrEqual(t, int32(0), last.Running)
		peak := int32(0)
		for _, smp := range res.Samples {
			peak = max(peak, smp.Jobs.Running)
		}
		if st == "custom" {
			// min(maxScale - deduction - running x 50 %, max) caps the Jobs
			// created per poll, not those running: half of the running
			// Jobs are not counted, so more than maxReplicaCount run.
			require.Greater(t, peak, int32(10), st)
		} else {
			require.LessOrEqual(t, peak, int32(10), "%s: maxReplicaCount bounds the running Jobs", st)
		}
	}
	require.Greater(t, waited["default"], 1.5*waited["accurate"], "%v", waited)
	require.Greater(t, waited["default"], 1.5*waited["eager"], "%v", waited)
	require.Greater(t, waited["accurate"], waited["custom"], "%v", waited)
}
