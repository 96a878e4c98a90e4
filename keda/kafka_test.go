package keda

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseKafkaTrigger(t *testing.T) {
	k, errs := ParseKafkaTrigger(map[string]string{"bootstrapServers": "kafka:9092", "consumerGroup": "g", "topic": "orders"})
	require.Empty(t, errs)
	require.Equal(t, int64(10), k.LagThreshold, "defaultKafkaLagThreshold")
	require.Equal(t, "latest", k.OffsetResetPolicy)
	require.Equal(t, "s0-kafka-orders", kafkaMetricName(0, k))

	for _, tc := range []struct {
		meta map[string]string
		want string
	}{
		{map[string]string{"consumerGroup": "g"}, "no bootstrapServers given"},
		{map[string]string{"bootstrapServers": "b", "consumerGroup": "g", "lagThreshold": "0"}, `"lagThreshold" must be positive number`},
		{map[string]string{"bootstrapServers": "b", "consumerGroup": "g", "offsetResetPolicy": "middle"}, `error parsing kafka metadata: parameter "offsetResetPolicy" value "middle" must be one of [latest earliest]`},
		{map[string]string{"bootstrapServers": "b", "consumerGroup": "g", "activationLagThreshold": "-1"}, `"activationLagThreshold" must be a non-negative number`},
		{map[string]string{"bootstrapServers": "b", "consumerGroup": "g", "partitionLimitation": "a,b"}, "invalid partition limitation: a"},
		{map[string]string{"bootstrapServers": "b", "consumerGroup": "g", "topic": "t", "ensureEvenDistributionOfPartitions": "true", "limitToPartitionsWithLag": "true"}, "cannot be set simultaneously"},
		{map[string]string{"bootstrapServers": "b", "consumerGroup": "g", "topic": "t", "allowIdleConsumers": "true", "limitToPartitionsWithLag": "true"}, "cannot be set simultaneously"},
		{map[string]string{"bootstrapServers": "b", "consumerGroup": "g", "limitToPartitionsWithLag": "true"}, "topic must be specified"},
	} {
		_, errs := ParseKafkaTrigger(tc.meta)
		require.NotEmpty(t, errs, tc.want)
		found := false
		for _, e := range errs {
			found = found || contains(e.Message, tc.want)
		}
		require.True(t, found, "%v does not say %q", errs, tc.want)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestKafkaLag follows kafka_scaler.go getTotalLag and getLagForPartition.
func TestKafkaLag(t *testing.T) {
	parts := func(lags ...int64) []KafkaPartition {
		var out []KafkaPartition
		for i, l := range lags {
			out = append(out, KafkaPartition{Partition: i, LogEnd: 1000, Committed: 1000 - l})
		}
		return out
	}
	base := KafkaTrigger{LagThreshold: 10, OffsetResetPolicy: "latest"}
	for _, tc := range []struct {
		name             string
		k                KafkaTrigger
		parts            []KafkaPartition
		metric, activity int64
	}{
		{"total lag", base, parts(5, 7, 0), 12, 12},
		{"capped at lagThreshold x partitions: no more consumers than partitions", base, parts(100, 100, 100), 30, 300},
		{"below the cap by integer division", base, parts(13, 13, 13), 39, 39},
		{"idle consumers allowed", KafkaTrigger{LagThreshold: 10, OffsetResetPolicy: "latest", AllowIdleConsumers: true}, parts(100, 100, 100), 300, 300},
		{"capped at the partitions with lag", KafkaTrigger{LagThreshold: 10, OffsetResetPolicy: "latest", LimitToPartitionsWithLag: true}, parts(100, 0, 0), 10, 100},
		{"no committed offset, latest: lag 1", base, []KafkaPartition{{LogEnd: 500, Committed: -1}}, 1, 1},
		{"no committed offset, latest, scaleToZeroOnInvalidOffset", KafkaTrigger{LagThreshold: 10, OffsetResetPolicy: "latest", ScaleToZeroOnInvalidOffset: true}, []KafkaPartition{{LogEnd: 500, Committed: -1}}, 0, 0},
		{"no committed offset, earliest: the whole log, capped", KafkaTrigger{LagThreshold: 10, OffsetResetPolicy: "earliest"}, []KafkaPartition{{LogEnd: 500, Committed: -1}}, 10, 500},
		// Derived in the notes of getTotalLag: the cap compares by integer
		// division, so 35 over 3 partitions at 10 is not capped (HPA: 4).
		{"just above the cap is not capped", base, parts(15, 10, 10), 35, 35},
		{"capped past the next multiple", base, parts(15, 15, 15), 30, 45},
		{"partitionLimitation", KafkaTrigger{LagThreshold: 10, OffsetResetPolicy: "latest", PartitionLimitation: []int{1}}, parts(5, 7, 9), 7, 7},
		// TestGetNextFactor: 100 partitions at 10: lag 40 -> 4 partitions' worth, 101 -> 20.
		{"ensureEven rounds up to a divisor", KafkaTrigger{LagThreshold: 10, OffsetResetPolicy: "latest", EnsureEvenDistributionOfPartitions: true, Topic: "t"}, parts(make100(101)...), 200, 101},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, a := tc.k.Lag(tc.parts, &kafkaState{})
			require.Equal(t, tc.metric, m)
			require.Equal(t, tc.activity, a)
		})
	}
}

// TestKafkaPersistentLag: with excludePersistentLag a committed offset
// that has not moved since the scaler's last look counts 0 for the
// metric but still for activity; the scale loop and the HPA share the
// scaler, so either's look counts.
func TestKafkaPersistentLag(t *testing.T) {
	k := KafkaTrigger{LagThreshold: 10, OffsetResetPolicy: "latest", ExcludePersistentLag: true, AllowIdleConsumers: true}
	st := &kafkaState{}
	stuck := []KafkaPartition{{Partition: 0, LogEnd: 100, Committed: 40}}
	m, a := k.Lag(stuck, st)
	require.Equal(t, int64(60), m, "first look: counted")
	m, a = k.Lag(stuck, st)
	require.Equal(t, int64(0), m, "no progress since the last look: excluded")
	require.Equal(t, int64(60), a, "activity still sees it")
	moved := []KafkaPartition{{Partition: 0, LogEnd: 120, Committed: 50}}
	m, _ = k.Lag(moved, st)
	require.Equal(t, int64(70), m)
}

// make100 spreads lag over 100 partitions (the first get one more).
func make100(lag int64) []int64 {
	out := make([]int64, 100)
	for i := range out {
		out[i] = lag / 100
		if int64(i) < lag%100 {
			out[i]++
		}
	}
	return out
}

func TestNextBalancedFactor(t *testing.T) {
	// kafka_scaler_test.go TestGetNextFactor (partitions 100, threshold 10).
	for lag, want := range map[int64]int64{10: 1, 20: 2, 40: 4, 50: 5, 99: 10, 100: 10, 101: 20} {
		require.Equal(t, want, nextBalancedFactor(lag, 100, 10), "lag %d", lag)
	}
}
