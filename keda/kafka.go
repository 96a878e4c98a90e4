package keda

import (
	"fmt"
	"strconv"
	"strings"
)

// KafkaTrigger is the parsed metadata of a "kafka" (sarama) or
// "apache-kafka" (kafka-go) trigger (pkg/scalers/kafka_scaler.go
// parseKafkaMetadata, apache_kafka_scaler.go). Connection and
// authentication settings are accepted and ignored: the simulation reads
// its own topic.
type KafkaTrigger struct {
	BootstrapServers string
	ConsumerGroup    string
	// Topic may be empty for the kafka type: every topic the group has
	// offsets for.
	Topic string
	// LagThreshold is the target lag per replica (default 10);
	// ActivationLagThreshold the lag above which the trigger is active
	// (default 0).
	LagThreshold, ActivationLagThreshold int64
	// OffsetResetPolicy is "latest" (default) or "earliest": how a
	// partition without a committed offset is counted.
	OffsetResetPolicy string
	// AllowIdleConsumers lets the metric ask for more replicas than the
	// topic has partitions.
	AllowIdleConsumers bool
	// ScaleToZeroOnInvalidOffset counts a partition without a committed
	// offset as no lag at all.
	ScaleToZeroOnInvalidOffset bool
	// ExcludePersistentLag ignores the lag of a partition whose committed
	// offset has not moved since the scaler last looked.
	ExcludePersistentLag bool
	// LimitToPartitionsWithLag caps the metric at the partitions that
	// have lag instead of all partitions.
	LimitToPartitionsWithLag bool
	// EnsureEvenDistributionOfPartitions rounds the metric up to a divisor
	// of the partition count times lagThreshold, so that the partitions
	// spread evenly over the consumers (v2.18.0+).
	EnsureEvenDistributionOfPartitions bool
	// PartitionLimitation lists the partitions the scaler reads (all when
	// empty).
	PartitionLimitation []int
	// earliestIgnoresScaleToZero is KEDA before v2.15.0 (#5689), where
	// scaleToZeroOnInvalidOffset only applied with offsetResetPolicy
	// latest. Loop sets it from the version.
	earliestIgnoresScaleToZero bool
}

// ParseKafkaTrigger reads kafka trigger metadata as parseKafkaMetadata
// does: bootstrapServers and consumerGroup required, lagThreshold a
// positive integer, activationLagThreshold not negative, booleans as
// strconv.ParseBool, and allowIdleConsumers and limitToPartitionsWithLag
// not together.
func ParseKafkaTrigger(metadata map[string]string) (*KafkaTrigger, []FieldError) {
	k := &KafkaTrigger{LagThreshold: 10, OffsetResetPolicy: "latest"}
	var errs []FieldError
	bad := func(key, format string, args ...any) {
		errs = append(errs, FieldError{key, fmt.Sprintf(format, args...)})
	}
	var ok bool
	if k.BootstrapServers, ok = metaValue(metadata, "bootstrapServers"); !ok {
		bad("bootstrapServers", "no bootstrapServers given")
	}
	if k.ConsumerGroup, ok = metaValue(metadata, "consumerGroup"); !ok {
		bad("consumerGroup", "no consumer group given")
	}
	k.Topic, _ = metaValue(metadata, "topic")
	if v, ok := metaValue(metadata, "lagThreshold"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil:
			bad("lagThreshold", "error parsing %q: %v", v, err)
		case n <= 0:
			bad("lagThreshold", "%q must be positive number", "lagThreshold")
		default:
			k.LagThreshold = n
		}
	}
	if v, ok := metaValue(metadata, "activationLagThreshold"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil:
			bad("activationLagThreshold", "error parsing %q: %v", v, err)
		case n < 0:
			bad("activationLagThreshold", "%q must be a non-negative number", "activationLagThreshold")
		default:
			k.ActivationLagThreshold = n
		}
	}
	if v, ok := metaValue(metadata, "offsetResetPolicy"); ok {
		if v != "latest" && v != "earliest" {
			bad("offsetResetPolicy", "parameter \"offsetResetPolicy\" value %q must be one of [latest earliest]", v)
		}
		k.OffsetResetPolicy = v
	}
	boolean := func(key string, dst *bool) {
		if v, ok := metaValue(metadata, key); ok {
			b, err := strconv.ParseBool(v)
			if err != nil {
				bad(key, "error parsing %s: %v", key, err)
				return
			}
			*dst = b
		}
	}
	boolean("allowIdleConsumers", &k.AllowIdleConsumers)
	boolean("scaleToZeroOnInvalidOffset", &k.ScaleToZeroOnInvalidOffset)
	boolean("excludePersistentLag", &k.ExcludePersistentLag)
	boolean("limitToPartitionsWithLag", &k.LimitToPartitionsWithLag)
	boolean("ensureEvenDistributionOfPartitions", &k.EnsureEvenDistributionOfPartitions)
	if v, ok := metaValue(metadata, "partitionLimitation"); ok {
		parts, err := parsePartitionList(v)
		if err != nil {
			bad("partitionLimitation", "%v", err)
		}
		k.PartitionLimitation = parts
	}
	if k.AllowIdleConsumers && k.LimitToPartitionsWithLag {
		bad("limitToPartitionsWithLag", "allowIdleConsumers and limitToPartitionsWithLag cannot be set simultaneously")
	}
	if k.LimitToPartitionsWithLag && k.Topic == "" {
		bad("topic", "topic must be specified when using limitToPartitionsWithLag")
	}
	if k.EnsureEvenDistributionOfPartitions && k.LimitToPartitionsWithLag {
		bad("ensureEvenDistributionOfPartitions", "limitToPartitionsWithLag and ensureEvenDistributionOfPartitions cannot be set simultaneously")
	}
	if k.EnsureEvenDistributionOfPartitions && k.Topic == "" {
		bad("topic", "topic must be specified when using ensureEvenDistributionOfPartitions")
	}
	for i := range errs {
		// The scaler wraps the typed-config error once more
		// (NewKafkaScaler, v2.20.0+).
		errs[i].Message = "error parsing kafka metadata: " + errs[i].Message
	}
	return k, errs
}

// kafkaMetricName is the External metric name of trigger i
// (GenerateMetricNameWithIndex of "kafka-<topic>", or "kafka-<group>-topics"
// when the trigger reads every topic of the group).
func kafkaMetricName(i int, k *KafkaTrigger) string {
	name := "kafka-" + k.Topic
	if k.Topic == "" {
		name = "kafka-" + k.ConsumerGroup + "-topics"
	}
	return fmt.Sprintf("s%d-%s", i, normalizeMetricName(name))
}

// normalizeMetricName is pkg/util normalize_string.go NormalizeString:
// / . : % ( and ) become dashes.
func normalizeMetricName(s string) string {
	return strings.NewReplacer("/", "-", ".", "-", ":", "-", "%", "-", "(", "-", ")", "-").Replace(s)
}

// KafkaPartition is what the scaler reads of one partition: the log end
// offset and the group's committed offset (-1 when the group has none).
type KafkaPartition struct {
	Partition         int
	LogEnd, Committed int64
}

// kafkaState is the scaler's memory: the committed offset of each
// partition when it last looked, for excludePersistentLag. KEDA keeps it in
// the scaler object, which the scale loop and the HPA's metric requests
// share through the scalers cache, so both update it.
type kafkaState struct {
	previous map[int]int64
}

// Lag is what the scaler reports for the partitions (kafka_scaler.go
// getTotalLag and getLagForPartition): the metric value (the total lag
// the HPA sees, capped at lagThreshold times the partitions, or the
// partitions with lag, unless idle consumers are allowed) and the lag that
// decides activity (persistent lag included).
func (k *KafkaTrigger) Lag(parts []KafkaPartition, st *kafkaState) (metric, activityLag int64) {
	var total, withPersistent, withLag, n int64
	for _, p := range parts {
		if len(k.PartitionLimitation) > 0 && !containsInt(k.PartitionLimitation, p.Partition) {
			continue
		}
		n++
		lag, actual := k.partitionLag(p, st)
		total += lag
		withPersistent += actual
		if lag > 0 {
			withLag++
		}
	}
	if !k.AllowIdleConsumers || k.LimitToPartitionsWithLag || k.EnsureEvenDistributionOfPartitions {
		// Not beyond the partitions (or those with lag): more consumers
		// than partitions would idle.
		upper := n
		if k.LimitToPartitionsWithLag {
			upper = withLag
		}
		if k.EnsureEvenDistributionOfPartitions {
			total = nextBalancedFactor(total, n, k.LagThreshold) * k.LagThreshold
		}
		// An integer division: a lag just above the cap is not capped,
		// so the HPA's ceil asks for one more replica than partitions.
		if total/k.LagThreshold > upper {
			total = upper * k.LagThreshold
		}
	}
	return total, withPersistent
}

// nextBalancedFactor is the smallest divisor f of the partitions with
// f x lagThreshold >= lag, else the partition count
// (getNextFactorThatBalancesConsumersToTopicPartitions, FindFactors).
func nextBalancedFactor(lag, partitions, threshold int64) int64 {
	for f := int64(1); f <= partitions; f++ {
		if partitions%f == 0 && f*threshold >= lag {
			return f
		}
	}
	return partitions
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// parsePartitionList reads partitionLimitation: numbers and ranges such
// as "1-4,8,10-12".
func parsePartitionList(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if a, b, ok := strings.Cut(part, "-"); ok {
			lo, err1 := strconv.Atoi(strings.TrimSpace(a))
			hi, err2 := strconv.Atoi(strings.TrimSpace(b))
			if err1 != nil || err2 != nil || lo > hi {
				return nil, fmt.Errorf("invalid partition limitation range: %s", part)
			}
			for i := lo; i <= hi; i++ {
				out = append(out, i)
			}
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, fmt.Errorf("invalid partition limitation: %s", part)
		}
		out = append(out, n)
	}
	return out, nil
}

// partitionLag is getLagForPartition: a partition without a committed
// offset counts 1 with offsetResetPolicy latest (0 with
// scaleToZeroOnInvalidOffset) and its whole log with earliest; with
// excludePersistentLag, a committed offset that has not moved since the
// last look counts 0 for the metric (but still for activity).
func (k *KafkaTrigger) partitionLag(p KafkaPartition, st *kafkaState) (lag, actual int64) {
	if p.Committed < 0 {
		switch {
		case k.OffsetResetPolicy == "latest" && k.ScaleToZeroOnInvalidOffset:
			return 0, 0
		case k.OffsetResetPolicy == "latest":
			return 1, 1
		case k.ScaleToZeroOnInvalidOffset && !k.earliestIgnoresScaleToZero:
			return 0, 0
		default:
			// The whole log end offset, not end minus start.
			return p.LogEnd, p.LogEnd
		}
	}
	lag = p.LogEnd - p.Committed
	if k.ExcludePersistentLag && st != nil {
		if st.previous == nil {
			st.previous = map[int]int64{}
		}
		prev, seen := st.previous[p.Partition]
		switch {
		case !seen:
			st.previous[p.Partition] = p.Committed
		case prev == p.Committed:
			return 0, lag
		default:
			st.previous[p.Partition] = p.Committed
		}
	}
	return lag, lag
}
