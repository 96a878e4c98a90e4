package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/adapter"
	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/promql"
)

// Run simulates spec from t = 0 to spec.Duration and returns the trace and
// timeline. The same Spec always gives the same Result.
//
// Nothing can query the run's series once Run returns, so its store keeps
// only the samples the autoscaler's queries can still reach (see
// BoundMemory): memory does not grow with the duration.
func Run(ctx context.Context, spec Spec) (*Result, error) {
	s, err := New(spec)
	if err != nil {
		return nil, err
	}
	s.BoundMemory()
	if err := s.finish(ctx); err != nil {
		return nil, err
	}
	// Nobody else holds the simulator: hand its result over uncopied.
	res := s.result
	return &res, nil
}

// BoundMemory makes the store drop, from now on, the samples that no
// query of the autoscaler can reach any more: those older than the
// longest reach of its queries (lookback delta, ranges, subqueries and
// offsets, promql.Engine.Reach) before the current instant. Series left
// without samples are no longer visited by queries. The run's results
// are unchanged; Query then answers only within that reach of Now. It
// does nothing, and reports false, when a query's reach has no bound (an
// @ modifier) or is not known before the run (queries that
// prometheus-adapter renders from its rules at each request).
func (s *Simulator) BoundMemory() bool {
	keep, ok := s.retention()
	if ok {
		s.store.SetRetention(keep)
	}
	return ok
}

// retention is how long the samples must be kept for the autoscaler's
// queries (see BoundMemory), false when that is not known.
func (s *Simulator) retention() (time.Duration, bool) {
	if len(s.served) > 0 || s.registry != nil {
		return 0, false
	}
	var reach time.Duration
	for _, q := range s.queries() {
		if q.query == "" {
			continue
		}
		r, ok, err := s.engine.Reach(q.query)
		if err != nil || !ok {
			return 0, false
		}
		reach = max(reach, r)
	}
	// A query with no selector, or no query at all, still gets the
	// lookback delta; the margin keeps the sample that sits exactly at
	// the edge of a left-open window.
	lookback, _, _ := s.engine.Reach("vector_selector_for_reach")
	return max(reach, lookback) + s.spec.Tick, true
}

// Simulator is one run in progress. Create it with New.
type Simulator struct {
	spec   Spec
	store  *promql.Store
	engine *promql.Engine
	pods   podSet
	// desired is the workload's spec.replicas, the value KEDA and the HPA
	// read and write through the scale subresource.
	desired int32

	ctrl   *hpa.Autoscaler
	hpaDef hpa.Spec

	loop *keda.Loop
	// column maps a trigger index to its trace column.
	column map[int]int
	paused bool
	// pollFrom and syncFrom are when the KEDA scale loop and the HPA's
	// resync started: 0, or the instant a removed pause recreated them.
	pollFrom, syncFrom time.Duration
	// annotateNext is the first of Spec.Annotate not yet applied.
	annotateNext     int
	hpaScalingActive bool

	result  Result
	metrics []float64 // last value read per Result.Metrics column
	// metricChunk backs the Metrics of trace samples (see metricsCopy).
	metricChunk []float64
	// now is the instant of the tick being run (or last run); next is
	// the next tick to run.
	now, next time.Duration
	lastWarn  map[string]string

	lastDecision hpa.Decision
	decided      bool
	lastPoll     keda.PollResult
	polled       bool

	loads []loadState
	// answers holds the last answer to each query (see evaluate).
	answers map[string]answer
	// ready is applyLoads' scratch list of the pods in the endpoints.
	ready []*pod
	// rawNext is the index of the next point to write per raw series.
	rawNext []int
	// startup and noise are the seeded random streams (see newRand).
	startup, noise *rand.Rand
	// resColumn maps the index of a Resource or ContainerResource metric
	// of the HPA to its trace column.
	resColumn map[int]int
	// cadvisor says which cAdvisor series the containers expose.
	cadvisor cadvisorSeries
	// served are the HPA metrics the adapter's rules serve, and registry
	// what the adapter discovered at its last relist.
	served   []servedMetric
	registry *adapter.Registry
	// fatal stops the run at the end of the tick (see QueryLimitError).
	fatal error
	// kafkaOf maps a kafka trigger to the load that simulates its topic.
	kafkaOf map[int]int
	// conds are the ScaledObject's conditions after the last poll.
	conds keda.Conditions
	// sj is the state of a ScaledJob run (nil otherwise).
	sj *jobState

	// Event-driven stepping (see stepping.go): quietOK says quiet ticks
	// may skip the full tick, nextFull is the next tick that must run in
	// full, everyTick forces a full tick at every tick (for tests).
	quietOK, everyTick bool
	nextFull           time.Duration
	// endpoints is the number of pods in the endpoints since the last
	// full tick; applied and pending are, per connections load, the
	// connections placed and those wanted at the last quiet tick;
	// deferred says a quiet tick ran since the last full one.
	endpoints        int
	applied, pending []int64
	// podLoads are the indices of the loads with per-pod series.
	podLoads []int
	// scalingCond is scalingCondition of the last decision; fresh is
	// kedaMetric's buffer of observations.
	scalingCond *keda.Condition
	fresh       []keda.TriggerObservation
	inputs      []hpa.MetricInput
	// phase holds the run's resolved phase offsets.
	phase    PhaseOffsets
	deferred bool
	// cl is the node pool (nil without Spec.NodePool), the namespace's
	// when ns is set; before is spec.replicas before this tick's
	// controllers acted.
	cl     *clusterState
	ns     *Namespace
	before int32
	// feeds are the loads whose arrivals are another workload's served
	// requests, by load index (see Coupling).
	feeds map[int]feed
}

// New validates spec and prepares a run.
func New(spec Spec) (*Simulator, error) {
	for li, l := range spec.Loads {
		if _, ok := l.Shape.(Fed); ok {
			return nil, fmt.Errorf("loads[%d]: a fed load's arrivals come from another workload; run it in a Namespace with a Feed", li)
		}
	}
	return newSimulator(spec, nil)
}

// newSimulator is New for a workload of ns (nil: a run of its own): it
// then shares the namespace's Prometheus and node pool.
func newSimulator(spec Spec, ns *Namespace) (*Simulator, error) {
	spec = spec.Defaulted()
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	s := &Simulator{
		ns:     ns,
		spec:   spec,
		store:  promql.NewStore(),
		engine: promql.NewEngine(promql.EngineOptions{LookbackDelta: spec.Prometheus.LookbackDelta, Evaluation: spec.Prometheus.Evaluation, MaxSamples: spec.Prometheus.MaxSamples}),
		pods: podSet{prefix: spec.Workload.Name, loads: len(spec.Loads),
			container: spec.Workload.Resources.Container, requests: spec.Workload.Resources.RequestsMilli,
			sidecars: spec.Workload.Resources.Sidecars, ordered: spec.Workload.Ordered,
			readinessDelay: spec.Workload.ReadinessDelay},
		desired:  spec.Workload.InitialReplicas,
		lastWarn: map[string]string{},

		loads:     make([]loadState, len(spec.Loads)),
		rawNext:   make([]int, len(spec.Series)),
		startup:   newRand(spec.Seed, streamStartup),
		noise:     newRand(spec.Seed, streamNoise),
		resColumn: map[int]int{},
		cadvisor:  cadvisorSeriesOf(spec.Workload.Resources),
	}
	if s.pods.container == "" {
		s.pods.container = "app"
	}
	s.result = Result{
		Name:     spec.Name,
		Start:    spec.Start,
		Duration: spec.Duration,
		Seed:     spec.Seed,
		Workload: spec.Workload.Kind + "/" + spec.Workload.Name,

		InitialReplicas: spec.Workload.InitialReplicas,
		Settings:        spec.Settings,
		Assumptions:     spec.Assumptions,
		Faults:          slices.Clone(spec.Faults),
	}
	if len(spec.Loads) > 0 {
		l := spec.Loads[0]
		s.result.Load = LoadInfo{Metric: l.Metric, Model: l.Model, PerPod: l.Capacity}
		if l.Model == Queue || l.Model == KafkaModel {
			s.result.Load.PerPod = l.ServiceRate
		}
		switch l.Model {
		case Queue:
			s.result.Load.Backlog = BacklogQueue
		case KafkaModel:
			s.result.Load.Backlog = BacklogKafkaLag
		}
	}
	s.spec.Loads = slices.Clone(s.spec.Loads)
	for li, l := range s.spec.Loads {
		if l.Model == KafkaModel {
			k := kafkaDefaults(*l.Kafka, l, spec.Workload)
			s.spec.Loads[li].Kafka = &k
			s.loads[li].kafka = newKafkaState(&k)
		}
	}
	if ns != nil {
		s.store, s.engine = ns.store, ns.engine
	}
	if ns != nil && ns.cl != nil {
		if err := ns.cl.join(s, &ClusterResult{Pool: ns.cl.pool.Name}); err != nil {
			return nil, err
		}
	} else if spec.NodePool != nil {
		cl, err := newCluster(spec)
		if err != nil {
			return nil, err
		}
		// One workload: its events are the pool's, and its Pending
		// spans sit beside the nodes'.
		cl.emit = func(now time.Duration, source, typ, reason, msg string) {
			s.event(now, source, typ, reason, s.desired, s.desired, msg)
		}
		if err := cl.join(s, cl.res); err != nil {
			return nil, err
		}
	}
	for i := int32(0); i < spec.Workload.InitialReplicas; i++ {
		p := s.pods.create(0, 0)
		p.ready = s.cl == nil
	}
	if s.cl != nil && ns == nil {
		// The initial pods are placed as the scheduler would have placed
		// them; those that do not fit wait Pending from the start, with
		// the workload's start-up delay once placed (a namespace places
		// all its workloads' at once).
		s.cl.schedule(0)
		s.initialPending()
	}
	var err error
	switch {
	case spec.KEDA != nil:
		err = s.setUpKEDA()
	case spec.ScaledJob != nil:
		err = s.setUpScaledJob()
	default:
		err = s.setUpHPA()
	}
	if err != nil {
		return nil, err
	}
	s.phase = s.resolvePhases()
	if p := s.spec.Phases.Poll; p != nil {
		var every time.Duration
		if s.loop != nil {
			every = s.loop.PollingInterval()
		} else if s.sj != nil {
			every = s.sj.loop.PollingInterval()
		}
		if every > 0 && *p >= every {
			return nil, fmt.Errorf("phases.poll %s must be shorter than the pollingInterval %s", *p, every)
		}
	}
	s.result.Phases = s.phase
	s.pollFrom, s.syncFrom = s.phase.Poll, s.phase.Sync
	s.pods.probePeriod = s.phase.ProbePeriod
	if s.phase.ProbePeriod > 0 && s.spec.Phases.Random {
		probe := newRand(spec.Seed, streamProbe)
		n := int64(s.phase.ProbePeriod / spec.Tick)
		s.pods.probeOffset = func() time.Duration { return time.Duration(probe.Int64N(n)) * spec.Tick }
	}
	s.result.Tolerances = spec.Controller.TolerancesFor(s.hpaDef.Behavior)
	if err := s.checkResources(); err != nil {
		return nil, err
	}
	if err := s.checkFaultMetrics(); err != nil {
		return nil, err
	}
	s.metrics = make([]float64, len(s.result.Metrics))
	for i := range s.metrics {
		s.metrics[i] = math.NaN()
	}
	return s, nil
}

// initialPending gives the initial pods the scheduler did not place the
// workload's start-up delay, which runs once they are.
func (s *Simulator) initialPending() {
	for _, p := range s.pods.pods {
		if p.node == nil {
			p.startup = s.spec.Workload.PodStartup
		}
	}
}

func (s *Simulator) setUpKEDA() error {
	so := s.spec.KEDA.Object
	for i, tr := range so.Triggers {
		switch tr.Type {
		case "prometheus", "cpu", "memory", "kafka", "apache-kafka", "cron":
		default:
			return &UnsupportedError{Field: fmt.Sprintf("spec.triggers[%d].type", i), What: fmt.Sprintf("%q triggers", tr.Type), Supported: "prometheus, cpu, memory, kafka, apache-kafka, cron"}
		}
	}
	var err error
	s.loop, err = keda.NewLoop(so, s.spec.KEDA.Version, s.spec.Start)
	if err != nil {
		return fmt.Errorf("ScaledObject %s: %w", so.Name, err)
	}
	s.hpaDef = s.loop.HPA()
	s.ctrl, err = hpa.NewAutoscaler(s.hpaDef, s.spec.Controller)
	if err != nil {
		return fmt.Errorf("HPA %s generated for ScaledObject %s: %w", s.hpaDef.Name, so.Name, err)
	}
	// The simulator keeps only the last decision.
	s.ctrl.RecycleDecisions()
	s.result.Autoscaler = "keda"
	s.result.MinReplicas = so.MinReplicas()
	s.result.MaxReplicas = so.MaxReplicas()
	s.column = map[int]int{}
	s.kafkaOf = map[int]int{}
	for i, tr := range so.Triggers {
		p := s.loop.PrometheusTrigger(i)
		if p == nil && (tr.Type == "cpu" || tr.Type == "memory") {
			if err := s.resourceTriggerColumn(tr); err != nil {
				return fmt.Errorf("spec.triggers[%d]: %w", i, err)
			}
			continue
		}
		if c := s.loop.CronTrigger(i); c != nil {
			s.column[i] = len(s.result.Metrics)
			s.result.Metrics = append(s.result.Metrics, MetricInfo{
				Name: s.loop.ExternalMetricNames()[s.externalIndex(i)], Query: fmt.Sprintf("cron %q to %q in %s", c.Start, c.End, c.Timezone),
				Target: 1, TargetType: metricTargetType(tr.MetricType), SourceType: string(hpa.ExternalMetricSourceType),
			})
			continue
		}
		if k := s.loop.KafkaTrigger(i); k != nil {
			li := s.kafkaLoad(k)
			if li < 0 {
				return fmt.Errorf("spec.triggers[%d]: the kafka trigger reads topic %q of consumer group %q, which no load of model kafka simulates; add one (model: kafka, kafka: {topic: %s, consumerGroup: %s, partitions: N})", i, k.Topic, k.ConsumerGroup, orTopic(k.Topic), k.ConsumerGroup)
			}
			s.kafkaOf[i] = li
			s.column[i] = len(s.result.Metrics)
			s.result.Metrics = append(s.result.Metrics, MetricInfo{
				Name: s.loop.ExternalMetricNames()[s.externalIndex(i)], Query: fmt.Sprintf("lag of consumer group %s on topic %s as KEDA's kafka scaler reports it (capped at partitions x lagThreshold unless allowIdleConsumers)", k.ConsumerGroup, orTopic(k.Topic)),
				Target: float64(k.LagThreshold), ActivationTarget: float64(k.ActivationLagThreshold),
				TargetType: metricTargetType(tr.MetricType), SourceType: string(hpa.ExternalMetricSourceType),
			})
			continue
		}
		name := ""
		for _, n := range s.loop.ExternalMetricNames() {
			if idx := s.loop.HPATriggers(n); len(idx) == 1 && idx[0] == i {
				name = n
			}
		}
		if name == "" {
			name = fmt.Sprintf("s%d-%s", i, tr.Type)
		}
		s.column[i] = len(s.result.Metrics)
		s.result.Metrics = append(s.result.Metrics, MetricInfo{
			Name:             name,
			Query:            p.Query,
			Target:           p.Threshold,
			ActivationTarget: p.ActivationThreshold,
			TargetType:       metricTargetType(tr.MetricType),
			SourceType:       string(hpa.ExternalMetricSourceType),
		})
	}
	return nil
}

func metricTargetType(t string) string {
	if t == "" {
		return string(hpa.AverageValueMetricType)
	}
	return t
}

func (s *Simulator) setUpHPA() error {
	var err error
	s.hpaDef = s.spec.HPA.Spec
	s.ctrl, err = hpa.NewAutoscaler(s.hpaDef, s.spec.Controller)
	if err != nil {
		return fmt.Errorf("HorizontalPodAutoscaler %s: %w", s.hpaDef.Name, err)
	}
	s.ctrl.RecycleDecisions()
	s.result.Autoscaler = "hpa"
	s.result.MinReplicas = 1
	if s.hpaDef.MinReplicas != nil {
		s.result.MinReplicas = *s.hpaDef.MinReplicas
	}
	s.result.MaxReplicas = s.hpaDef.MaxReplicas
	rules := map[string]string{}
	for _, r := range s.spec.HPA.Rules {
		rules[r.Name] = r.Query
	}
	for i, m := range s.hpaDef.Metrics {
		info := MetricInfo{Name: strings.ToLower(string(m.Type)) + "/" + m.Name, TargetType: string(m.Target.Type), SourceType: string(m.Type)}
		switch m.Type {
		case hpa.PodsMetricSourceType, hpa.ObjectMetricSourceType, hpa.ExternalMetricSourceType:
			q, ok := rules[m.Name]
			switch {
			case ok:
				info.Query = q
			case s.spec.HPA.Adapter != nil:
				// Rendered at each request from the adapter's rules.
				s.served = append(s.served, servedMetric{index: i})
			default:
				return fmt.Errorf("spec.metrics[%d]: no adapter rule serves the %s metric %q; give prometheus-adapter's configuration (spec.adapter.config, or its ConfigMap in the manifests) or a rule under spec.adapter.rules", i, m.Type, m.Name)
			}
		case hpa.ResourceMetricSourceType, hpa.ContainerResourceMetricSourceType:
			info.Name = strings.ToLower(string(m.Type)) + "/" + m.Name
			s.resColumn[i] = i
		default:
			return &UnsupportedError{Field: fmt.Sprintf("spec.metrics[%d]", i), What: fmt.Sprintf("%s metrics", m.Type), Supported: "Pods, Object, External, Resource, ContainerResource"}
		}
		switch {
		case m.Target.AverageUtilization != nil:
			info.Target = float64(*m.Target.AverageUtilization)
		case m.Target.AverageValueMilli != nil:
			info.Target = float64(*m.Target.AverageValueMilli) / 1000
		case m.Target.ValueMilli != nil:
			info.Target = float64(*m.Target.ValueMilli) / 1000
		}
		s.result.Metrics = append(s.result.Metrics, info)
	}
	return nil
}

// Run advances the clock to the end and returns the result.
func (s *Simulator) Run(ctx context.Context) (*Result, error) {
	if err := s.finish(ctx); err != nil {
		return nil, err
	}
	return s.Result(), nil
}

// finish runs to the end and checks the queries.
func (s *Simulator) finish(ctx context.Context) error {
	if err := s.RunUntil(ctx, s.spec.Duration); err != nil {
		return err
	}
	if err := s.checkQueries(); err != nil {
		return err
	}
	return s.checkServed()
}

// RunUntil runs every tick up to and including t (capped at the end of
// the scenario). Calling it again continues where it stopped, so a caller
// can stop at an instant and inspect the decisions taken there.
func (s *Simulator) RunUntil(ctx context.Context, t time.Duration) error {
	if t > s.spec.Duration {
		t = s.spec.Duration
	}
	if s.pending == nil {
		s.initStepping()
	}
	for ; s.next <= t; s.next += s.spec.Tick {
		if s.next < s.nextFull {
			s.now = s.next
			s.quietTick(s.now)
			continue
		}
		if err := ctx.Err(); err != nil {
			return &InterruptedError{At: s.now, Duration: s.spec.Duration, Err: err}
		}
		s.flushLoads()
		s.now = s.next
		if err := s.tick(ctx); err != nil {
			var ie *InterruptedError
			if errors.As(err, &ie) {
				return ie
			}
			return fmt.Errorf("t=%s: %w", s.now, err)
		}
		s.settle()
		s.nextFull = s.dueAfter(s.now)
	}
	// The caller may look at the pods: place what quiet ticks deferred.
	s.flushLoads()
	return nil
}

// Now is the instant of the last tick run.
func (s *Simulator) Now() time.Duration { return s.now }

// Result returns a copy of what has been recorded so far.
func (s *Simulator) Result() *Result {
	out := s.result
	out.Samples = append([]Sample(nil), s.result.Samples...)
	out.Events = append([]Event(nil), s.result.Events...)
	out.KEDA = slices.Clone(s.result.KEDA)
	out.Cluster = s.result.Cluster.clone()
	return &out
}

// LastHPADecision is the HPA's most recent reconcile, with its breakdown.
func (s *Simulator) LastHPADecision() (hpa.Decision, bool) { return s.lastDecision, s.decided }

// LastPoll is KEDA's most recent scale loop tick (false for a plain HPA).
func (s *Simulator) LastPoll() (keda.PollResult, bool) { return s.lastPoll, s.polled }

// HPA is the simulated HPA controller (its Snapshot shows the
// stabilization window and scale events).
func (s *Simulator) HPA() *hpa.Autoscaler { return s.ctrl }

// KEDA is the simulated KEDA scale loop, nil for a plain HPA.
func (s *Simulator) KEDA() *keda.Loop { return s.loop }

// Spec is the defaulted spec being simulated.
func (s *Simulator) Spec() Spec { return s.spec }

func due(now, every time.Duration) bool { return every > 0 && now%every == 0 }

// tick runs everything due at s.now, in the order documented in doc.go.
// A Namespace runs the same parts for all its workloads, each part for
// every workload before the next, with the pool's own steps between.
func (s *Simulator) tick(ctx context.Context) error {
	if err := s.tickInputs(ctx); err != nil {
		return err
	}
	if err := s.tickControllers(ctx); err != nil {
		return err
	}
	if s.cl != nil {
		// 6b. The scheduler places the Pending pods.
		s.cl.schedule(s.now)
	}
	s.tickRecord()
	return nil
}

// tickInputs runs steps 0 to 3 at s.now: faults, annotations, the
// cluster-autoscaler of a workload's own pool, pods, the load, and the
// series Prometheus scrapes.
func (s *Simulator) tickInputs(ctx context.Context) error {
	now := s.now
	// 0. Injected faults start or end.
	s.applyFaults(now)
	if s.loop != nil && len(s.spec.Annotate) > 0 {
		if err := s.annotate(now); err != nil {
			return err
		}
	}
	// 0b. The cluster-autoscaler: nodes become Ready; its loop adds or
	// removes nodes.
	if s.cl != nil && s.ns == nil {
		s.cl.step(now)
	}
	// 1. Pods become ready, crash or disappear; Jobs' pods start, take
	// messages and finish.
	s.pods.advance(now)
	if s.sj != nil {
		s.advanceJobs(now)
	}
	for _, c := range s.spec.Workload.Crashes {
		if c.At == now {
			names := s.pods.crash(now, c)
			for _, name := range names {
				s.event(now, "sim", "Warning", "PodCrashed", s.desired, s.desired,
					fmt.Sprintf("pod %s failed; the ReplicaSet replaces it", name))
			}
			s.kafkaCrashed(now, names)
		}
	}
	// 2. Clients open and close connections, send requests, fill queues.
	overloaded := s.applyLoads(now)
	if s.sj != nil {
		// For Jobs, a message that waits: no Job has taken it yet.
		waiting := math.Floor(s.jobCounts().Queue)
		overloaded = waiting >= 1
		if now < s.spec.Duration {
			s.result.MessageWaitSeconds += waiting * s.spec.Tick.Seconds()
		}
	}
	if overloaded && now < s.spec.Duration {
		s.result.OverloadedSeconds += s.spec.Tick.Seconds()
	}
	s.accrueCPU()
	s.noteLoadRise(now)
	// 3. Raw series are written as given; Prometheus scrapes the endpoints.
	if err := s.appendRaw(now); err != nil {
		return err
	}
	if !s.faultActive(ScrapeGap, now) {
		if len(s.spec.Prometheus.Jobs) > 0 {
			if err := s.scrapeJobs(now); err != nil {
				return err
			}
		}
		if dueAt(now, s.spec.Prometheus.ScrapeInterval, s.phase.Scrape) {
			scrape := s.scrape
			if len(s.spec.Prometheus.Jobs) > 0 {
				scrape = func(now time.Duration) error { return s.scrapeQueues(s.spec.Start.Add(now)) }
			}
			if err := scrape(now); err != nil {
				return err
			}
			if err := s.scrapeCadvisor(s.spec.Start.Add(now)); err != nil {
				return err
			}
		}
	}
	if dueAt(now, s.phase.MetricsResolution, s.phase.Metrics) {
		s.scrapeMetricsServer(now)
	}
	return nil
}

// tickControllers runs steps 4 to 6 at s.now: KEDA polls, the HPA
// syncs, the ReplicaSet creates and deletes pods.
func (s *Simulator) tickControllers(ctx context.Context) error {
	now := s.now
	s.before = s.desired
	// 4. KEDA polls its triggers.
	if s.loop != nil && dueFrom(now, s.pollFrom, s.loop.PollingInterval()) {
		if err := s.pollKEDA(ctx, now); err != nil {
			return err
		}
	}
	if s.sj != nil && dueAt(now, s.sj.loop.PollingInterval(), s.phase.Poll) {
		if err := s.pollJobs(ctx, now); err != nil {
			return err
		}
	}
	// 5. The HPA controller reconciles (KEDA deletes its HPA while the
	// ScaledObject is paused; a ScaledJob has none).
	if s.ctrl != nil && !s.paused && dueFrom(now, s.syncFrom, s.spec.Controller.SyncPeriod) {
		s.syncHPA(ctx, now)
	}
	if s.fatal != nil {
		return s.fatal
	}
	// 6. The ReplicaSet creates or deletes pods to match spec.replicas.
	if s.sj == nil {
		s.pods.scaleTo(s.desired, now, s.podStartup, s.spec.Workload.PodTermination)
	}
	return nil
}

// tickRecord runs step 7 at s.now, after the scheduler's pass: the
// scale-out's progress and a trace row.
func (s *Simulator) tickRecord() {
	now := s.now
	if s.cl != nil {
		s.trackScaleOut(now, s.before)
	}
	if due(now, s.spec.TraceInterval) {
		s.record(now)
	}
}

func (s *Simulator) scrape(now time.Duration) error {
	at := s.spec.Start.Add(now)
	if s.podLoads == nil {
		s.podLoads = []int{}
		for li, l := range s.spec.Loads {
			if l.perPod() {
				s.podLoads = append(s.podLoads, li)
			}
		}
	}
	for _, p := range s.pods.pods {
		if !p.inEndpoints() {
			if p.scraped {
				// Prometheus marks the series of a vanished target stale
				// at the first scrape it misses.
				for _, li := range s.podLoads {
					ref, err := s.podRef(p, li)
					if err != nil {
						return err
					}
					if err := s.store.AppendStaleRef(ref, at); err != nil {
						return err
					}
				}
				p.scraped = false
			}
			continue
		}
		for _, li := range s.podLoads {
			ref, err := s.podRef(p, li)
			if err != nil {
				return err
			}
			if err := s.store.AppendRef(ref, at, podValue(&s.spec.Loads[li], p, li)); err != nil {
				return err
			}
		}
		p.scraped = true
	}
	return s.scrapeQueues(at)
}

// scrapeQueues writes the series of the loads that do not live on the
// workload's pods: the backlog of the Queue loads, the kafka-exporter
// series of the Kafka ones.
func (s *Simulator) scrapeQueues(at time.Time) error {
	for li, l := range s.spec.Loads {
		if l.Model == KafkaModel {
			if err := s.scrapeKafka(li, at); err != nil {
				return err
			}
			continue
		}
		if l.Model == Queue {
			st := &s.loads[li]
			if st.ref == (promql.SeriesRef{}) {
				ref, err := s.store.Ref(s.queueLabels(l.Metric))
				if err != nil {
					return err
				}
				st.ref = ref
			}
			v := st.backlog
			if s.sj != nil && s.spec.ScaledJob.Model.Queue == li {
				// Jobs take whole messages: the broker counts them.
				v = math.Floor(v)
			}
			if err := s.store.AppendRef(st.ref, at, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// podRef is the series of pod p for load li, looked up once.
func (s *Simulator) podRef(p *pod, li int) (promql.SeriesRef, error) {
	if ref := p.refs[li]; ref != (promql.SeriesRef{}) {
		return ref, nil
	}
	ref, err := s.store.Ref(s.labels(s.spec.Loads[li].Metric, p))
	if err != nil {
		return ref, err
	}
	p.refs[li] = ref
	return ref, nil
}

func (s *Simulator) labels(metric string, p *pod) promql.Labels {
	return promql.Labels{
		"__name__":  metric,
		"namespace": s.spec.Workload.Namespace,
		"pod":       p.name,
		"job":       s.spec.Prometheus.Job,
	}
}

// query runs trigger i's query against the store at now (or reads the
// broker, for a kafka trigger) and lets the KEDA loop turn the result into
// an observation.
func (s *Simulator) query(ctx context.Context, i int, now time.Duration) keda.TriggerObservation {
	if s.loop.CronTrigger(i) != nil {
		// The cron scaler reads the wall clock: here the virtual one.
		obs := s.loop.ObserveCron(i, s.spec.Start.Add(now))
		if c, ok := s.column[i]; ok {
			s.metrics[c] = obs.Value
			if obs.Err != nil {
				s.metrics[c] = math.NaN()
			}
		}
		return obs
	}
	if li, ok := s.kafkaOf[i]; ok {
		obs := s.loop.ObserveKafka(i, s.kafkaPartitions(li))
		if s.metricFaultActive(MetricsDown, i, now) {
			obs = keda.TriggerObservation{Name: obs.Name, Err: errKafkaDown}
		}
		if c, ok := s.column[i]; ok {
			s.metrics[c] = obs.Value
			if obs.Err != nil {
				s.metrics[c] = math.NaN()
			}
		}
		return obs
	}
	res, err := s.instant(ctx, i, s.loop.PrometheusTrigger(i).Query, now)
	qr := keda.QueryResult{Err: err, Type: res.Type, Scalar: res.Type == "scalar"}
	for _, smp := range res.Samples {
		qr.Values = append(qr.Values, smp.Value)
	}
	obs := s.loop.Observe(i, qr)
	if c, ok := s.column[i]; ok {
		if obs.Err != nil {
			s.metrics[c] = math.NaN()
		} else {
			s.metrics[c] = obs.Value
		}
	}
	return obs
}

func (s *Simulator) workload() keda.Workload {
	_, ready := s.pods.counts()
	w := keda.Workload{Current: s.desired, Ready: ready, HPAScalingActive: s.hpaScalingActive}
	if s.decided {
		w.HPAScaling = s.scalingCond
	}
	return w
}

// scalingCondition is the HPA's ScalingActive condition after its last
// sync, as KEDA reads it (nil before the first sync). Built once per
// sync and never modified, so every poll and metrics request until the
// next sync shares it.
func scalingCondition(d hpa.Decision) *keda.Condition {
	var out *keda.Condition
	for _, c := range d.Conditions {
		if c.Type == "ScalingActive" {
			out = &keda.Condition{Status: string(c.Status), Reason: c.Reason, Message: c.Message}
		}
	}
	return out
}

// kedaClockLag is how far KEDA's clock reads past the simulated instant of
// a poll. The operator's scale loop starts a moment after the ScaledObject
// is created and each of its timers fires a little late
// (pkg/scaling/scale_handler.go startScaleLoop), while lastActiveTime and
// creationTimestamp keep whole seconds (see keda.Loop). So the poll that
// falls exactly cooldownPeriod after the last active one already finds
// the period elapsed, as it does in a cluster. Any lag under a second
// gives the same decisions on the simulator's whole-second clock.
const kedaClockLag = time.Millisecond

func (s *Simulator) pollKEDA(ctx context.Context, now time.Duration) error {
	obs := make([]keda.TriggerObservation, len(s.spec.KEDA.Object.Triggers))
	for i := range obs {
		if s.loop.PollRequeries(i, s.hpaScalingActive) {
			obs[i] = s.query(ctx, i, now)
		}
	}
	res, err := s.loop.Poll(s.spec.Start.Add(now+kedaClockLag), s.workload(), obs)
	if err != nil {
		return err
	}
	s.paused = res.Paused
	s.lastPoll, s.polled = res, true
	if res.StateError != nil {
		if s.lastWarn["KEDAStateError"] != res.StateError.Error() {
			s.lastWarn["KEDAStateError"] = res.StateError.Error()
			s.event(now, "KEDA", "Warning", "KEDAScalerFailed", s.desired, s.desired, res.StateError.Error()+": no scaling decision, no status update")
		}
		return nil
	}
	delete(s.lastWarn, "KEDAStateError")
	s.recordConditions(now, res.Conditions)
	s.recordKEDA(now, res)
	if res.ScaleTo != nil && *res.ScaleTo != s.desired {
		reason := "KEDAScaleTargetDeactivated"
		if *res.ScaleTo > s.desired {
			reason = "KEDAScaleTargetActivated"
		}
		s.event(now, "KEDA", "Normal", reason, s.desired, *res.ScaleTo, res.Reason)
		s.desired = *res.ScaleTo
	}
	return nil
}

// recordConditions appends to Result.Conditions, and to the timeline, the
// ScaledObject's conditions that changed since the last poll.
func (s *Simulator) recordConditions(now time.Duration, c keda.Conditions) {
	if c == s.conds {
		return
	}
	prev := map[string]keda.Condition{}
	for _, p := range s.conds.List() {
		prev[p.Type] = p.Condition
	}
	for _, n := range c.List() {
		if old, ok := prev[n.Type]; ok && old == n.Condition {
			continue
		}
		s.result.Conditions = append(s.result.Conditions, ConditionChange{T: now, Type: n.Type, Status: n.Status, Reason: n.Reason, Message: n.Message})
		if n.Reason != "" {
			typ := "Normal"
			if n.Status == "False" && (n.Type == "Ready" || n.Type == "HPAActive") || n.Status == "Unknown" && n.Type == "Ready" {
				typ = "Warning"
			}
			reason := n.Reason
			msg := fmt.Sprintf("%s=%s", n.Type, n.Status)
			if n.Message != "" {
				msg += ": " + n.Message
			}
			s.event(now, "KEDA", typ, reason, s.desired, s.desired, msg)
		}
	}
	s.conds = c
}

// recordKEDA appends the poll's state to Result.KEDA when it changed.
func (s *Simulator) recordKEDA(now time.Duration, res keda.PollResult) {
	st := KEDAState{T: now, Activity: KEDAInactive, Fallback: res.FallbackActive}
	switch {
	case res.Paused:
		st.Activity = KEDAPaused
	case res.Active || res.Conditions.Active.Status == "True":
		// (the condition also covers activation forced by annotation)
		st.Activity = KEDAActive
	case res.Conditions.Active.Reason == "ScalerCooldown":
		st.Activity = KEDACooldown
	}
	if n := len(s.result.KEDA); n > 0 {
		last := s.result.KEDA[n-1]
		if last.Activity == st.Activity && last.Fallback == st.Fallback {
			return
		}
	}
	s.result.KEDA = append(s.result.KEDA, st)
}

func (s *Simulator) syncHPA(ctx context.Context, now time.Duration) {
	at := s.spec.Start.Add(now)
	replicas, _ := s.pods.counts()
	in := hpa.Input{
		SpecReplicas:   s.desired,
		StatusReplicas: replicas,
		Pods:           s.hpaPods(),
		Metrics:        s.metricInputs(),
	}
	for i, m := range s.hpaDef.Metrics {
		if s.loop != nil {
			in.Metrics[i] = s.kedaMetric(ctx, i, m, now)
		} else {
			in.Metrics[i] = s.adapterMetric(ctx, i, m, now)
		}
	}
	d := s.ctrl.Reconcile(at, in)
	s.hpaScalingActive = conditionTrue(d.Conditions, "ScalingActive")
	s.lastDecision, s.decided = d, true
	s.scalingCond = scalingCondition(d)
	for _, e := range d.Events {
		from, to := d.CurrentReplicas, d.CurrentReplicas
		if e.Reason == "SuccessfulRescale" {
			to = d.DesiredReplicas
		}
		if e.Type == "Warning" {
			// Like kubectl's event aggregation: show a warning when it
			// starts, not at every sync while it lasts.
			if s.lastWarn[e.Reason] == e.Message {
				continue
			}
			s.lastWarn[e.Reason] = e.Message
		}
		s.event(now, "HPA", e.Type, e.Reason, from, to, e.Message)
	}
	if d.Rescale {
		s.lastWarn = map[string]string{}
		s.desired = d.DesiredReplicas
	}
}

// metricInputs is syncHPA's buffer of the HPA's metric inputs, one per
// metric, cleared: Reconcile reads them and keeps none.
func (s *Simulator) metricInputs() []hpa.MetricInput {
	n := len(s.hpaDef.Metrics)
	if cap(s.inputs) < n {
		s.inputs = make([]hpa.MetricInput, n)
	}
	s.inputs = s.inputs[:n]
	clear(s.inputs)
	return s.inputs
}

// hpaPods is what the HPA controller's pod lister returns. The
// controller only reads the pods to compute a proposal from them
// (hpa.ReplicaCalculator: Resource, ContainerResource, Pods, Object and
// External Value targets); External AverageValue targets, what KEDA
// generates by default, divide by status.replicas instead. When every
// metric is of that kind the list is not built, which at a thousand pods
// is most of the cost of a sync outside the queries.
func (s *Simulator) hpaPods() []hpa.Pod {
	for _, m := range s.hpaDef.Metrics {
		if m.Type != hpa.ExternalMetricSourceType || m.Target.AverageValueMilli == nil {
			return s.pods.hpaPods(s.spec.Start)
		}
	}
	return nil
}

// instant runs a query against the store, unless a query fault answers.
func (s *Simulator) instant(ctx context.Context, metric int, query string, now time.Duration) (promql.Result, error) {
	switch {
	case s.metricFaultActive(MetricsDown, metric, now):
		return promql.Result{}, errMetricsDown
	case s.metricFaultActive(EmptyResult, metric, now):
		return promql.Result{Type: "vector"}, nil
	}
	res, err := s.evaluate(ctx, query, now)
	if err != nil && s.fatal == nil {
		if ctx.Err() != nil {
			// The run was stopped (a deadline, a cancel) while the query
			// ran: the engine's timeout says so, not the size of the
			// query.
			s.fatal = &InterruptedError{At: now, Duration: s.spec.Duration, Err: ctx.Err()}
		} else {
			s.checkLimit(metric, err)
		}
	}
	if err == nil && s.metricFaultActive(NaNResult, metric, now) {
		// The result may be shared with the memo: change a copy.
		res.Samples = slices.Clone(res.Samples)
		for i := range res.Samples {
			res.Samples[i].Value = math.NaN()
		}
	}
	return res, err
}

// checkLimit stops the run when a query hit one of the engine's limits:
// too big a question, which the run refuses rather than feed the
// autoscaler an error a cluster would not see.
func (s *Simulator) checkLimit(metric int, err error) {
	var le *promql.LimitError
	if !errors.As(err, &le) {
		return
	}
	field := fmt.Sprintf("spec.triggers[%d].metadata.query", metric)
	if s.loop == nil {
		field = fmt.Sprintf("spec.metrics[%d]", metric)
	}
	s.fatal = &QueryLimitError{Metric: metric, Field: field, Err: le}
}

// answer is the outcome of one query at one instant, over a store
// holding a given number of samples.
type answer struct {
	at      time.Duration
	samples int
	res     promql.Result
	err     error
}

// evaluate runs query at now through the engine, unless it already ran at
// now over the same samples: the store is append-only, so an unchanged
// sample count means unchanged data, and the engine is a pure function of
// data, query and time. This saves the second query when a KEDA poll and
// an HPA sync fall on the same instant (every other HPA sync with the
// default 30s polling and 15s sync). Callers must not modify the
// returned Samples.
func (s *Simulator) evaluate(ctx context.Context, query string, now time.Duration) (promql.Result, error) {
	n := s.store.Appended()
	if a, ok := s.answers[query]; ok && a.at == now && a.samples == n {
		return a.res, a.err
	}
	res, err := s.engine.Instant(ctx, s.store, query, s.spec.Start.Add(now))
	if err != nil && ctx != nil && ctx.Err() != nil {
		// A cancelled run, not an answer.
		return res, err
	}
	if s.answers == nil {
		s.answers = map[string]answer{}
	}
	s.answers[query] = answer{at: now, samples: n, res: res, err: err}
	return res, err
}

// podStartup is the startup delay of a pod created now.
func (s *Simulator) podStartup() time.Duration {
	if d := s.spec.Workload.PodStartupDist; d != nil {
		return d.Draw(s.startup, s.spec.Tick)
	}
	return s.spec.Workload.PodStartup
}

// kedaMetric is what the KEDA metrics server answers for the HPA's
// metric m: it queries the triggers behind the metric (or serves the
// polled record, as the KEDA version does) and applies fallback and
// scalingModifiers.
func (s *Simulator) kedaMetric(ctx context.Context, i int, m hpa.MetricSpec, now time.Duration) hpa.MetricInput {
	if m.Type == hpa.ResourceMetricSourceType || m.Type == hpa.ContainerResourceMetricSourceType {
		// cpu/memory triggers never reach KEDA: the HPA reads
		// metrics-server directly.
		return s.resourceMetric(i, m, now)
	}
	if m.Type != hpa.ExternalMetricSourceType {
		return hpa.MetricInput{Err: fmt.Errorf("%s metrics are not simulated yet", m.Type)}
	}
	n := len(s.spec.KEDA.Object.Triggers)
	if cap(s.fresh) < n {
		s.fresh = make([]keda.TriggerObservation, n)
	}
	fresh := s.fresh[:n]
	clear(fresh)
	for _, i := range s.loop.HPATriggers(m.Name) {
		if s.loop.HPARequeries(i) {
			fresh[i] = s.query(ctx, i, now)
		}
	}
	values, err := s.loop.MetricsForHPA(m.Name, fresh, s.workload())
	return hpa.MetricInput{ValuesMilli: values, Err: err}
}

// adapterMetric is what a prometheus-adapter style metrics API answers for
// the HPA's metric i: the rule's query at now, each sample converted to a
// quantity with milli precision (prometheus-adapter
// pkg/custom-provider/provider.go metricFor and pkg/external-provider use
// resource.NewMilliQuantity(int64(value*1000))).
func (s *Simulator) adapterMetric(ctx context.Context, i int, m hpa.MetricSpec, now time.Duration) hpa.MetricInput {
	at := s.spec.Start.Add(now)
	if m.Type == hpa.ResourceMetricSourceType || m.Type == hpa.ContainerResourceMetricSourceType {
		return s.resourceMetric(i, m, now)
	}
	query, podLabel := s.result.Metrics[i].Query, "pod"
	var names []string
	if sm := s.servedAt(i); sm != nil {
		q, ns, err := s.adapterQuery(sm, m, now)
		if err != nil {
			s.metrics[i] = math.NaN()
			return hpa.MetricInput{Err: err}
		}
		query, podLabel, names = q.PromQL, q.GroupBy, ns
	}
	res, err := s.instant(ctx, i, query, now)
	if err != nil {
		s.metrics[i] = math.NaN()
		return hpa.MetricInput{Err: err}
	}
	var in hpa.MetricInput
	var sum float64
	for _, smp := range res.Samples {
		milli := int64(smp.Value * 1000)
		sum += smp.Value
		switch m.Type {
		case hpa.PodsMetricSourceType:
			pod := smp.Labels[podLabel]
			if names != nil && !slices.Contains(names, pod) {
				// The adapter keeps only the values of the pods it asked
				// about (pkg/custom-provider/provider.go metricsFor).
				continue
			}
			if pod == "" {
				return hpa.MetricInput{Err: fmt.Errorf("query for pods metric %s returned a sample without a pod label", m.Name)}
			}
			in.PodValues = append(in.PodValues, hpa.PodMetric{Pod: pod, ValueMilli: milli, Timestamp: at, Window: time.Minute})
		default:
			in.ValuesMilli = append(in.ValuesMilli, milli)
		}
	}
	if len(res.Samples) == 0 {
		s.metrics[i] = math.NaN()
		return hpa.MetricInput{Err: fmt.Errorf("no samples for %s metric %s", m.Type, m.Name)}
	}
	if m.Type == hpa.ObjectMetricSourceType && len(res.Samples) != 1 {
		return hpa.MetricInput{Err: fmt.Errorf("object metric %s: the query returned %d samples, want 1", m.Name, len(res.Samples))}
	}
	if m.Type == hpa.PodsMetricSourceType {
		// The trace shows the per-pod average the HPA compares with its target.
		s.metrics[i] = sum / float64(len(res.Samples))
	} else {
		s.metrics[i] = sum
	}
	return in
}

func conditionTrue(cs []hpa.Condition, typ string) bool {
	for _, c := range cs {
		if string(c.Type) == typ {
			return c.Status == "True"
		}
	}
	return false
}

func (s *Simulator) event(now time.Duration, source, typ, reason string, from, to int32, msg string) {
	s.result.Events = append(s.result.Events, Event{
		T: now, Source: source, Type: typ, Reason: reason, From: from, To: to, Message: msg,
	})
}

func (s *Simulator) record(now time.Duration) {
	replicas, ready := s.pods.counts()
	var load float64
	if len(s.loads) > 0 {
		load = s.loads[0].offered
	}
	smp := Sample{
		T:               now,
		DesiredReplicas: s.desired,
		Replicas:        replicas,
		ReadyReplicas:   ready,
		Load:            load,
		Metrics:         s.metricsCopy(),
	}
	if len(s.loads) > 0 {
		switch st := s.loads[0]; {
		case st.kafka != nil:
			for p := range st.kafka.logEnd {
				smp.Backlog += math.Floor(st.kafka.logEnd[p]) - float64(st.kafka.committed[p])
			}
		case s.spec.Loads[0].Model == Queue:
			smp.Backlog = st.backlog
		}
	}
	if s.sj != nil {
		// For a ScaledJob the replicas are its unfinished Jobs (KEDA's
		// running count) and their pods.
		c := s.jobCounts()
		smp.Jobs = &c
		smp.DesiredReplicas = c.Running
		smp.Replicas, smp.ReadyReplicas = 0, 0
		for _, j := range s.sj.jobs {
			for _, p := range j.pods {
				if !p.done && !j.finished {
					smp.Replicas++
					if p.running {
						smp.ReadyReplicas++
					}
				}
			}
		}
	}
	if s.result.Samples == nil {
		s.result.Samples = make([]Sample, 0, s.spec.Duration/s.spec.TraceInterval+1)
	}
	s.result.Samples = append(s.result.Samples, smp)
}

// metricsCopy copies the current metric values for a trace sample. The
// copies are carved from shared chunks, one allocation per few thousand
// samples instead of one per tick; each is capped at its length, so an
// append by a reader copies instead of overwriting the next sample.
func (s *Simulator) metricsCopy() []float64 {
	n := len(s.metrics)
	if n == 0 {
		return nil
	}
	if cap(s.metricChunk)-len(s.metricChunk) < n {
		s.metricChunk = make([]float64, 0, 4096*n)
	}
	start := len(s.metricChunk)
	s.metricChunk = append(s.metricChunk, s.metrics...)
	return s.metricChunk[start : start+n : start+n]
}

// Query runs a PromQL instant query at offset t against the series the
// run has written so far (faults do not apply: this is the user's view).
func (s *Simulator) Query(ctx context.Context, query string, t time.Duration) (promql.Result, error) {
	return s.engine.Instant(ctx, s.store, query, s.spec.Start.Add(t))
}

// InterruptedError reports a run stopped by its context (a deadline or a
// cancellation) at virtual time At of Duration.
type InterruptedError struct {
	At, Duration time.Duration
	Err          error
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("stopped at simulated %s of %s: %v", e.At, e.Duration, e.Err)
}

func (e *InterruptedError) Unwrap() error { return e.Err }
