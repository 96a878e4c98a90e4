package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

func kafkaSpec(partitions, replicas int, rate float64) sim.Spec {
	min := int32(replicas)
	return sim.Spec{
		Duration: 10 * time.Minute,
		Workload: sim.Workload{Name: "consumer", Namespace: "demo", InitialReplicas: int32(replicas)},
		Loads: []sim.Load{{Metric: "orders", Model: sim.KafkaModel, ServiceRate: 10, Shape: sim.Step{To: rate},
			Kafka: &sim.Kafka{Partitions: partitions}}},
		HPA: &sim.HPA{
			Spec: hpa.Spec{Name: "c", MinReplicas: &min, MaxReplicas: int32(replicas), Metrics: []hpa.MetricSpec{{
				Type: hpa.ExternalMetricSourceType, Name: "lag", Target: hpa.MetricTarget{Type: hpa.AverageValueMetricType, AverageValueMilli: ptr(int64(1000_000))}}}},
			Rules: []sim.AdapterRule{{Name: "lag", Query: `sum(kafka_consumergroup_lag{topic="orders"})`}},
		},
	}
}

func ptr[T any](v T) *T { return &v }

// TestKafkaPartitionsLimitConsumers: 4 consumers read 3 partitions, so one
// idles and the group reads 30 msg/s, not 40: at 35 msg/s the lag grows by
// about 5 msg/s; with 4 partitions it does not.
func TestKafkaPartitionsLimitConsumers(t *testing.T) {
	lagAt := func(t *testing.T, partitions int) float64 {
		s, err := sim.New(kafkaSpec(partitions, 4, 35))
		require.NoError(t, err)
		require.NoError(t, s.RunUntil(context.Background(), 5*time.Minute))
		return instant(t, s, `sum(kafka_consumergroup_lag{topic="orders",consumergroup="consumer"})`, 5*time.Minute)
	}
	require.InDelta(t, 5*300, lagAt(t, 3), 60, "one consumer idles: 35 - 30 msg/s for 300 s")
	require.Less(t, lagAt(t, 4), 60.0, "4 consumers keep up with 35 msg/s")
}

// TestKafkaCommitsInSteps: KEDA and kafka-exporter read committed
// offsets, which move every auto.commit.interval (5 s), so even a group
// that keeps up shows a lag of up to 5 s of messages.
func TestKafkaCommitsInSteps(t *testing.T) {
	s, err := sim.New(kafkaSpec(4, 4, 20))
	require.NoError(t, err)
	require.NoError(t, s.RunUntil(context.Background(), 2*time.Minute))
	lag := instant(t, s, `sum(kafka_consumergroup_lag)`, 2*time.Minute)
	require.LessOrEqual(t, lag, 20*5.0+1)
	require.Equal(t, 4.0, instant(t, s, `count(kafka_topic_partition_current_offset{topic="orders"})`, 2*time.Minute))
}

// TestKafkaCrashedConsumerHoldsPartitions: a consumer that crashes sends
// no LeaveGroup, so its partitions stay assigned to it, unread, until the
// coordinator's session timeout; the survivor, which has room to read
// them, only gets them then. Modelled as an immediate rebalance the lag
// would stay near zero.
func TestKafkaCrashedConsumerHoldsPartitions(t *testing.T) {
	crashAt := 2 * time.Minute
	lagAfter := func(t *testing.T, session time.Duration, after time.Duration) float64 {
		spec := kafkaSpec(4, 2, 10)
		spec.Loads[0].Kafka.SessionTimeout = session
		spec.Workload.PodStartup = 10 * time.Minute // the replacement never joins
		spec.Workload.Crashes = []sim.Crash{{At: crashAt, Pod: 0}}
		s, err := sim.New(spec)
		require.NoError(t, err)
		require.NoError(t, s.RunUntil(context.Background(), crashAt+after))
		return instant(t, s, `sum(kafka_consumergroup_lag)`, crashAt+after)
	}
	// The crashed consumer's 2 of 4 partitions get 5 msg/s between them
	// until the session expires; then the rebalance stops all four for
	// 3 s (10 msg/s); the survivor reads as fast as they fill, so the lag
	// stays where it is.
	require.InDelta(t, 5*45+3*10, lagAfter(t, 0, time.Minute), 15, "Java client default: 45 s session")
	require.InDelta(t, 5*10+3*10, lagAfter(t, 10*time.Second, time.Minute), 15, "sarama's 10 s session")
}
