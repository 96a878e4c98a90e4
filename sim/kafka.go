package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/promql"
)

// Kafka is a topic that the workload's pods read as one consumer group:
// the load of a Kafka load is the producers' rate (messages per second),
// spread evenly over the partitions, and each consumer (a ready pod) reads
// at most Load.ServiceRate messages per second from the partitions
// assigned to it.
type Kafka struct {
	// Topic and ConsumerGroup name them (defaults: the load's metric and
	// the workload's name).
	Topic, ConsumerGroup string
	// Partitions is the topic's partition count: consumers beyond it get
	// no partition and idle.
	Partitions int
	// Assignor is how the group leader assigns partitions: "range" (the
	// default of the Java client's RangeAssignor and of sarama's
	// BalanceStrategyRange) or "cooperative-sticky" (incremental: only the
	// partitions that move stop during a rebalance).
	Assignor string
	// RebalancePause is how long the partitions a rebalance reassigns are
	// not consumed: with range every partition, with cooperative-sticky
	// those that move (default DefaultRebalancePause).
	RebalancePause time.Duration
	// CommitInterval is how often consumers commit their position
	// (default DefaultCommitInterval, the Java client's
	// auto.commit.interval.ms); KEDA reads committed offsets, so lag is
	// seen in steps of it.
	CommitInterval time.Duration
	// InitialLag is the lag of every partition at t = 0 (default 0: the
	// group is caught up).
	InitialLag int64
	// SessionTimeout is how long the group coordinator waits for a
	// member's heartbeat before it drops the member (default
	// DefaultSessionTimeout). A pod that is deleted leaves the group at
	// once (its consumer closes and sends LeaveGroup on SIGTERM); one that
	// crashes stays a member, and its partitions unread, until the
	// timeout expires.
	SessionTimeout time.Duration
}

// Kafka defaults.
const (
	// DefaultRebalancePause is a typical stop of an eager rebalance: the
	// group coordinator waits for every member to rejoin, then syncs.
	DefaultRebalancePause = 3 * time.Second
	// DefaultCommitInterval is auto.commit.interval.ms of the Java client.
	DefaultCommitInterval = 5 * time.Second
	// DefaultSessionTimeout is session.timeout.ms of the Java client
	// since Kafka 3.0 (KIP-735); sarama's default is 10 s, kafka-go's 30 s.
	DefaultSessionTimeout = 45 * time.Second
)

// The assignors of Kafka.Assignor.
const (
	RangeAssignor             = "range"
	CooperativeStickyAssignor = "cooperative-sticky"
)

// kafkaState is a topic's partitions and its group's offsets.
type kafkaState struct {
	// logEnd, position and committed are per partition: messages
	// produced, consumed, and consumed and committed (offsets; logEnd
	// keeps the fraction of a message produced at a rate).
	logEnd, position []float64
	committed        []int64
	// owner is the consumer (pod name) of each partition, "" for none.
	owner []string
	// pausedUntil is when each partition's rebalance ends.
	pausedUntil []time.Duration
	// members is the group's membership at the last rebalance, sorted.
	members []string
	// refs are the kafka-exporter series per partition: lag, current
	// offset, consumer group offset.
	refs [][3]promql.SeriesRef
	// rebalances counts the group's rebalances, for the trace.
	rebalances int
	// lost are crashed consumers the coordinator still counts as
	// members, with when their session expires.
	lost map[string]time.Duration
}

func newKafkaState(k *Kafka) *kafkaState {
	n := k.Partitions
	st := &kafkaState{
		logEnd: make([]float64, n), position: make([]float64, n), committed: make([]int64, n),
		owner: make([]string, n), pausedUntil: make([]time.Duration, n), refs: make([][3]promql.SeriesRef, n),
		lost: map[string]time.Duration{},
	}
	for p := range n {
		st.logEnd[p] = float64(k.InitialLag)
	}
	return st
}

// kafkaDefaults fills a Kafka's defaults for load l of workload w.
func kafkaDefaults(k Kafka, l Load, w Workload) Kafka {
	if k.Topic == "" {
		k.Topic = l.Metric
	}
	if k.ConsumerGroup == "" {
		k.ConsumerGroup = w.Name
	}
	if k.Assignor == "" {
		k.Assignor = RangeAssignor
	}
	if k.RebalancePause == 0 {
		k.RebalancePause = DefaultRebalancePause
	}
	if k.CommitInterval == 0 {
		k.CommitInterval = DefaultCommitInterval
	}
	if k.SessionTimeout == 0 {
		k.SessionTimeout = DefaultSessionTimeout
	}
	return k
}

func (k Kafka) validate() error {
	switch {
	case k.Partitions < 1:
		return fmt.Errorf("kafka partitions must be at least 1, got %d", k.Partitions)
	case k.Assignor != RangeAssignor && k.Assignor != CooperativeStickyAssignor:
		return fmt.Errorf("kafka assignor %q is not supported; allowed: %s, %s", k.Assignor, RangeAssignor, CooperativeStickyAssignor)
	case k.RebalancePause < 0 || k.CommitInterval < 0 || k.InitialLag < 0 || k.SessionTimeout < 0:
		return fmt.Errorf("kafka rebalancePause, commitInterval, sessionTimeout and initialLag must not be negative")
	}
	return nil
}

// rangeAssign is the range assignment of n partitions of one topic over
// the members, sorted by member id: each gets n/len(members) consecutive
// partitions and the first n%len(members) one more (Java
// org.apache.kafka.clients.consumer.RangeAssignor.assign; sarama
// BalanceStrategyRange). Members beyond n get none.
func rangeAssign(n int, members []string) []string {
	owner := make([]string, n)
	if len(members) == 0 {
		return owner
	}
	per, extra := n/len(members), n%len(members)
	p := 0
	for i, m := range members {
		count := per
		if i < extra {
			count++
		}
		for j := 0; j < count; j++ {
			owner[p] = m
			p++
		}
	}
	return owner
}

// stickyAssign keeps every partition whose owner is still a member and
// balances the rest, moving as few partitions as it can: each member ends
// with n/len(members) or one more, as the cooperative-sticky assignor
// (Java CooperativeStickyAssignor over AbstractStickyAssignor) does for one
// topic. Ties go to the member first in sorted order.
func stickyAssign(n int, members []string, prev []string) []string {
	owner := make([]string, n)
	if len(members) == 0 {
		return owner
	}
	per, extra := n/len(members), n%len(members)
	quota := map[string]int{}
	for i, m := range members {
		quota[m] = per
		if i < extra {
			quota[m]++
		}
	}
	held := map[string]int{}
	for p := range n {
		if o := prev[p]; o != "" && quota[o] > held[o] {
			owner[p] = o
			held[o]++
		}
	}
	for p := range n {
		if owner[p] != "" {
			continue
		}
		for _, m := range members {
			if held[m] < quota[m] {
				owner[p] = m
				held[m]++
				break
			}
		}
	}
	return owner
}

// applyKafka runs one tick of load li's topic: membership changes start a
// rebalance, producers append, consumers read what they own, and commits
// fall due. overloaded reports producers outpacing what the group can
// read (consumers beyond the partition count read nothing).
func (s *Simulator) applyKafka(li int, now time.Duration, ready []*pod) (overloaded bool) {
	l := s.spec.Loads[li]
	k := l.Kafka
	st := s.loads[li].kafka
	dt := s.spec.Tick.Seconds()

	members := make([]string, 0, len(ready)+len(st.lost))
	for _, p := range ready {
		members = append(members, p.name)
	}
	// A crashed consumer stays in the group, owning partitions it no
	// longer reads, until its session times out.
	for name, until := range st.lost {
		if now < until {
			members = append(members, name)
		} else {
			delete(st.lost, name)
		}
	}
	slices.Sort(members)
	if !slices.Equal(members, st.members) {
		var owner []string
		if k.Assignor == CooperativeStickyAssignor {
			owner = stickyAssign(k.Partitions, members, st.owner)
		} else {
			owner = rangeAssign(k.Partitions, members)
		}
		for p := range k.Partitions {
			if owner[p] == st.owner[p] && k.Assignor == CooperativeStickyAssignor {
				continue
			}
			// A partition taken from a consumer that is still alive is
			// committed on revocation (auto-commit commits before the
			// rejoin); one whose consumer is gone loses what it read
			// since the last commit.
			if old := st.owner[p]; old != "" && slices.Contains(members, old) {
				st.committed[p] = int64(st.position[p])
			} else {
				st.position[p] = float64(st.committed[p])
			}
			if now > 0 {
				st.pausedUntil[p] = now + k.RebalancePause
			}
		}
		st.owner, st.members = owner, members
		if now > 0 {
			st.rebalances++
		}
	}

	offered := s.loads[li].offered
	if now > 0 {
		for p := range k.Partitions {
			st.logEnd[p] += offered * dt / float64(k.Partitions)
		}
	}
	consumers := 0
	owned := map[string][]int{}
	for p, o := range st.owner {
		if o != "" {
			owned[o] = append(owned[o], p)
		}
	}
	consumers = len(owned)
	if offered > float64(consumers)*l.ServiceRate {
		overloaded = true
	}
	served := 0.0
	for _, p := range ready {
		parts := owned[p.name]
		var active []int
		for _, q := range parts {
			if now >= st.pausedUntil[q] {
				active = append(active, q)
			}
		}
		budget := l.ServiceRate * dt
		got := 0.0
		if now > 0 {
			got = readPartitions(st, active, budget)
		}
		p.served[li] = got / dt
		served += got
	}
	s.loads[li].served = served / dt
	if due(now, k.CommitInterval) {
		for q := range k.Partitions {
			if st.owner[q] != "" {
				st.committed[q] = int64(st.position[q])
			}
		}
	}
	return overloaded
}

// kafkaCrashed records that the consumers of crashed pods stop sending
// heartbeats at now: the coordinator keeps them until the session timeout
// (Kafka's GroupCoordinator expires a member whose heartbeat is older than
// session.timeout.ms, then rebalances the group).
func (s *Simulator) kafkaCrashed(now time.Duration, names []string) {
	for li, l := range s.spec.Loads {
		st := s.loads[li].kafka
		if l.Model != KafkaModel || st == nil {
			continue
		}
		for _, name := range names {
			if slices.Contains(st.members, name) {
				st.lost[name] = now + l.Kafka.SessionTimeout
			}
		}
	}
}

// readPartitions reads up to budget messages from the partitions, the most
// lagging first, as a consumer's fetches spread over its partitions.
func readPartitions(st *kafkaState, parts []int, budget float64) float64 {
	read := 0.0
	for len(parts) > 0 && budget > 1e-12 {
		share := budget / float64(len(parts))
		var rest []int
		for _, q := range parts {
			avail := math.Floor(st.logEnd[q]) - st.position[q]
			take := min(avail, share)
			if take > 0 {
				st.position[q] += take
				budget -= take
				read += take
			}
			if avail > share {
				rest = append(rest, q)
			}
		}
		if len(rest) == len(parts) {
			break
		}
		parts = rest
	}
	return read
}

// kafkaPartitions is load li's topic as the broker reports it now.
func (s *Simulator) kafkaPartitions(li int) []keda.KafkaPartition {
	st := s.loads[li].kafka
	out := make([]keda.KafkaPartition, len(st.logEnd))
	for p := range out {
		out[p] = keda.KafkaPartition{Partition: p, LogEnd: int64(st.logEnd[p]), Committed: st.committed[p]}
	}
	return out
}

// errKafkaDown is a metricsDown fault on a kafka trigger: the broker does
// not answer.
var errKafkaDown = errors.New("kafka: client has run out of available brokers to talk to")

// kafkaLoad is the Kafka load whose topic and consumer group the trigger
// reads (a trigger without topic reads any topic of its group), -1 if none.
func (s *Simulator) kafkaLoad(k *keda.KafkaTrigger) int {
	for li, l := range s.spec.Loads {
		if l.Model != KafkaModel {
			continue
		}
		if l.Kafka.ConsumerGroup == k.ConsumerGroup && (k.Topic == "" || l.Kafka.Topic == k.Topic) {
			return li
		}
	}
	return -1
}

func orTopic(t string) string {
	if t == "" {
		return "(every topic of the group)"
	}
	return t
}

// externalIndex is the position of trigger i's metric among the External
// metric names.
func (s *Simulator) externalIndex(i int) int {
	n := 0
	for j := 0; j < i; j++ {
		if s.loop.PrometheusTrigger(j) != nil || s.loop.KafkaTrigger(j) != nil || s.loop.CronTrigger(j) != nil {
			n++
		}
	}
	return n
}

// scrapeKafka writes the series kafka-exporter (danielqsj/kafka_exporter)
// exposes for load li's topic and group: kafka_consumergroup_lag,
// kafka_topic_partition_current_offset and
// kafka_consumergroup_current_offset, labelled topic, partition and
// consumergroup, for Prometheus triggers on Kafka lag.
func (s *Simulator) scrapeKafka(li int, at time.Time) error {
	l := s.spec.Loads[li]
	st := s.loads[li].kafka
	for p := range st.logEnd {
		part := strconv.Itoa(p)
		base := func(name string, group bool) promql.Labels {
			ls := promql.Labels{"__name__": name, "topic": l.Kafka.Topic, "partition": part,
				"namespace": s.spec.Workload.Namespace, "job": "kafka-exporter"}
			if group {
				ls["consumergroup"] = l.Kafka.ConsumerGroup
			}
			return ls
		}
		values := [3]float64{float64(int64(st.logEnd[p]) - st.committed[p]), float64(int64(st.logEnd[p])), float64(st.committed[p])}
		names := [3]string{"kafka_consumergroup_lag", "kafka_topic_partition_current_offset", "kafka_consumergroup_current_offset"}
		for i := range 3 {
			if st.refs[p][i] == (promql.SeriesRef{}) {
				ref, err := s.store.Ref(base(names[i], i != 1))
				if err != nil {
					return err
				}
				st.refs[p][i] = ref
			}
			if err := s.store.AppendRef(st.refs[p][i], at, values[i]); err != nil {
				return err
			}
		}
	}
	return nil
}
