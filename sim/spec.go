package sim

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/autoscale-sim/autoscale-sim/adapter"
	"github.com/autoscale-sim/autoscale-sim/cluster"
	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/scrape"
)

// DefaultStart is the virtual instant of t = 0 when a Spec sets none:
// Unix 0, as promtool's rule tests use, so that `@` modifiers and
// timestamps in queries read as offsets.
var DefaultStart = time.Unix(0, 0).UTC()

// Spec is a complete simulation: the workload, the load it receives, the
// metrics pipeline and the autoscaler. Build one in code or load it with
// the scenarios package. Zero fields take the documented defaults in
// Defaulted.
type Spec struct {
	// Name names the run in outputs.
	Name string
	// Start is the virtual instant of t = 0 (default DefaultStart).
	Start time.Time
	// Duration is how much virtual time to simulate.
	Duration time.Duration
	// Tick is the resolution of the virtual clock (default 1s). Every
	// interval below must be a multiple of it.
	Tick time.Duration
	// TraceInterval is the spacing of trace rows (default 15s).
	TraceInterval time.Duration
	// Seed seeds every random choice (default 1); it is printed in outputs.
	Seed int64

	Workload   Workload
	Prometheus Prometheus
	// Loads are the offered loads; each produces one metric (per pod, or
	// one backlog series for the Queue model).
	Loads []Load
	// Series are raw series written to the store as given, whatever the
	// replicas (open loop).
	Series []RawSeries
	// Faults are injected failures of the metrics pipeline and of the
	// controller.
	Faults []Fault
	// Annotate changes the ScaledObject's annotations during the run (its
	// pause annotations), in time order; KEDA only.
	Annotate []AnnotationChange

	// Exactly one of KEDA, ScaledJob and HPA is set.
	KEDA      *KEDA
	ScaledJob *ScaledJob
	HPA       *HPA
	// Controller holds the kube-controller-manager HPA settings.
	Controller hpa.Config

	// Settings and Assumptions describe where the run's values came from
	// (see Setting); they are copied to the Result and change nothing in
	// the simulation.
	Settings    []Setting
	Assumptions []Assumption

	// Limits bound the cost of the run (zero fields: DefaultLimits).
	Limits Limits

	// Phases places the scrape, poll, sync and probe schedules relative
	// to each other (default: all from t = 0, the best case).
	Phases Phases

	// AllowEmptyQueries lists the triggers (or HPA metrics), by index as
	// Fault.Metric, whose query may match no series during the whole run;
	// any other query that does fails the run (see EmptyQueryError).
	AllowEmptyQueries []int

	// NodePool, when set, is where the pods run: a new pod is Pending
	// until kube-scheduler's default profile places it by its requests
	// (cluster/scheduler), and the pool's cluster-autoscaler adds and
	// removes nodes (cluster/autoscaler). Nil: capacity is unbounded and
	// every pod starts at its creation. See cluster/doc.go.
	NodePool *cluster.Pool
}

// Workload is the scale target and its pods.
type Workload struct {
	// Kind and Name identify the scale target (e.g. Deployment demo-ws-server).
	Kind, Name string
	// Namespace is the namespace label of every scraped series.
	Namespace string
	// InitialReplicas is spec.replicas at t = 0; the pods exist and are ready.
	InitialReplicas int32
	// PodStartup is the time from pod creation to Ready.
	PodStartup time.Duration
	// PodTermination is the time from deletion until the pod is gone; the
	// pod leaves the endpoints (and so the scrape targets) at deletion.
	PodTermination time.Duration
	// PodStartupDist, when set, draws each created pod's startup delay
	// from a seeded distribution instead of PodStartup.
	PodStartupDist *Distribution
	// Resources are the container's requests and its usage model, for
	// Resource and ContainerResource metrics.
	Resources Resources
	// Crashes make pods fail at given instants; the ReplicaSet replaces
	// them.
	Crashes []Crash
	// ReadinessDelay is the part of PodStartup from the container's start
	// to Ready (the readiness probe's); before it the pod is Pending, and
	// scrape jobs that discover pods rather than endpoints do not see it.
	ReadinessDelay time.Duration
	// Template is the pod template the scrape jobs discover (labels,
	// annotations, container ports).
	Template PodTemplate
	// Ordered makes pods come and go one at a time, as a StatefulSet with
	// podManagementPolicy OrderedReady: pod N is created once pods 0..N-1
	// are Ready, and scale-in deletes the highest ordinal and waits for
	// it to be gone before the next (kubernetes
	// pkg/controller/statefulset/stateful_set_control.go). Pods are named
	// by ordinal (name-0, name-1, ...).
	Ordered bool
	// Placement is what the scheduler reads of the pod template besides
	// the containers' requests (Resources): nodeSelector, affinity,
	// tolerations, init containers, overhead. Only a run on a NodePool
	// reads it.
	Placement corev1.PodSpec
}

// Prometheus is the metrics pipeline.
type Prometheus struct {
	// ScrapeInterval is the ServiceMonitor interval (default 15s).
	ScrapeInterval time.Duration
	// LookbackDelta is the query lookback (default 5m, as Prometheus).
	LookbackDelta time.Duration
	// Job is the job label of scraped series (default the workload name)
	// when there are no Jobs.
	Job string
	// Notes explain which monitoring objects scrape the workload and why
	// others do not; a query that selects nothing reports them.
	Notes []string
	// Jobs are the scrape jobs over the workload's pods, as the cluster's
	// monitoring stack runs them (see package scrape). When there are
	// none, every Ready pod's series carry namespace, pod and job.
	Jobs []*scrape.Job
	// MaxSamples is the engine's limit on the samples one query holds
	// (Prometheus' --query.max-samples; default promql.MaxSamples).
	MaxSamples int
	// Evaluation says how queries are answered: promql.Direct (the
	// default) evaluates simple aggregations without the engine's
	// per-query setup, with the engine's results bit for bit;
	// promql.EngineOnly sends every query through the Prometheus engine;
	// promql.CrossCheck does both and fails the run on any difference.
	Evaluation promql.Evaluation
}

// LoadModel says how offered load turns into per-pod metric values.
type LoadModel string

// The load models.
const (
	// Connections are long-lived (WebSocket) connections: each stays on
	// the pod it was opened on; new ones go to the least-loaded ready pod;
	// those of a stopping pod reconnect to the others. The per-pod metric
	// is the number of open connections (a gauge).
	Connections LoadModel = "connections"
	// Requests is a request rate (req/s) spread evenly over the ready
	// pods, each serving at most Load.Capacity req/s. The per-pod metric
	// is a counter of served requests, so rate() of it is the served rate.
	Requests LoadModel = "requests"
	// Queue is a rate of arrivals (items/s) into one backlog that every
	// ready pod drains at Load.ServiceRate items/s. The metric is a single
	// gauge of the backlog, labelled namespace and job (no pod).
	Queue LoadModel = "queue"
	// KafkaModel is a Kafka topic the pods read as one consumer group (see
	// Kafka): producers append at the shape's rate, each ready pod reads
	// its assigned partitions at ServiceRate messages per second. Its
	// series are kafka-exporter's; KEDA's kafka triggers read the offsets.
	KafkaModel LoadModel = "kafka"
)

// LoadModels lists the supported models, for messages.
var LoadModels = []LoadModel{Connections, Requests, Queue, KafkaModel}

// perPod reports whether the load's metric is one series per pod (not a
// broker's).
func (l Load) perPod() bool { return l.Model == Connections || l.Model == Requests }

// Load is one offered load and the metric it produces.
type Load struct {
	// Metric is the name of the per-pod series, e.g. websocket_connection_count.
	Metric string
	Model  LoadModel
	// Shape gives the offered load over time.
	Shape Shape
	// Noise is added to the shape at every tick, from the seeded RNG.
	Noise Noise
	// Capacity is what one pod handles: connections per pod (Connections)
	// or req/s per pod (Requests; the excess is dropped). Load above it
	// counts as overloaded. 0 means unlimited.
	Capacity float64
	// ServiceRate is the items per second one ready pod takes off the
	// queue (Queue and Kafka models, required).
	ServiceRate float64
	// Kafka is the topic of a Kafka load.
	Kafka *Kafka
}

// Noise is Gaussian noise on a load: its standard deviation is Stddev
// plus Relative times the shape's value. The noisy load is never
// negative.
type Noise struct {
	Stddev, Relative float64
}

// RawSeries is one series written to the store as given: each point at
// its instant, whatever the simulated pods do.
type RawSeries struct {
	// Labels include __name__.
	Labels map[string]string
	// Points are in time order, offsets from t = 0.
	Points []RawPoint
}

// RawPoint is one sample of a RawSeries.
type RawPoint struct {
	T time.Duration
	V float64
	// Stale writes a staleness marker instead of V.
	Stale bool
}

// KEDA makes a ScaledObject the autoscaler.
type KEDA struct {
	Object *keda.ScaledObject
	// Version is the KEDA version whose behaviour is modelled ("" = newest).
	Version string
}

// HPA makes a plain autoscaling/v2 HorizontalPodAutoscaler the autoscaler.
type HPA struct {
	Spec hpa.Spec
	// Adapter is a prometheus-adapter configuration that serves the
	// metrics Rules do not (nil: none).
	Adapter *Adapter
	// Rules map the HPA's Pods, Object and External metric names to PromQL,
	// as a prometheus-adapter configuration does.
	Rules []AdapterRule
}

// Adapter is a prometheus-adapter deployment: its rules, and how often
// and how far back it lists series to discover metrics.
type Adapter struct {
	Rules []*adapter.Rule
	// RelistInterval is --metrics-relist-interval (default
	// adapter.DefaultRelistInterval); MaxAge is --metrics-max-age
	// (default the relist interval).
	RelistInterval, MaxAge time.Duration
	// Source names the configuration in messages.
	Source string
	// ResourceRulesIgnored records that the configuration had resource
	// rules (metrics.k8s.io), which the simulated metrics-server replaces.
	ResourceRulesIgnored bool
}

// AdapterRule serves one custom or external metric from a PromQL query.
type AdapterRule struct {
	// Name is the metric name the HPA asks for.
	Name string
	// Query is run at every HPA sync. For Pods metrics it must return one
	// sample per pod with a "pod" label; for Object metrics one sample; for
	// External metrics every sample is returned to the HPA (which sums them).
	Query string
}

// Limits bound what one run may cost, so that a scenario from a pull
// request cannot make the tool run for days or exhaust memory. Each is
// checked before the run starts.
type Limits struct {
	// MaxSteps bounds the ticks of the run (duration / tick).
	MaxSteps int64
	// MaxPods bounds the pods the workload may have: the initial replicas
	// and the autoscaler's maximum.
	MaxPods int32
	// MaxMetrics bounds the triggers of a ScaledObject or the metrics of
	// an HPA, and the loads and raw series of the scenario.
	MaxMetrics int
}

// DefaultLimits allow a year at a 1 s tick, 100,000 pods and 100 metrics.
var DefaultLimits = Limits{MaxSteps: 366 * 24 * 3600, MaxPods: 100_000, MaxMetrics: 100}

// Defaulted returns a copy with every zero field set to its default.
func (s Spec) Defaulted() Spec {
	if s.Start.IsZero() {
		s.Start = DefaultStart
	}
	if s.Tick == 0 {
		s.Tick = time.Second
	}
	if s.TraceInterval == 0 {
		s.TraceInterval = 15 * time.Second
	}
	if s.Seed == 0 {
		s.Seed = 1
	}
	if s.Workload.Kind == "" {
		s.Workload.Kind = "Deployment"
	}
	if s.Prometheus.ScrapeInterval == 0 {
		s.Prometheus.ScrapeInterval = 15 * time.Second
	}
	if s.Prometheus.LookbackDelta == 0 {
		s.Prometheus.LookbackDelta = 5 * time.Minute
	}
	if s.Prometheus.Job == "" {
		s.Prometheus.Job = s.Workload.Name
	}
	if s.Controller == (hpa.Config{}) {
		s.Controller = hpa.DefaultConfig()
	}
	if s.Limits.MaxSteps == 0 {
		s.Limits.MaxSteps = DefaultLimits.MaxSteps
	}
	if s.Limits.MaxPods == 0 {
		s.Limits.MaxPods = DefaultLimits.MaxPods
	}
	if s.Limits.MaxMetrics == 0 {
		s.Limits.MaxMetrics = DefaultLimits.MaxMetrics
	}
	return s
}

// Validate reports what makes a defaulted Spec impossible to run.
func (s Spec) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if s.Duration <= 0 {
		bad("duration must be positive")
	}
	if s.Tick <= 0 {
		bad("tick must be positive")
	}
	errs = append(errs, s.checkLimits()...)
	errs = append(errs, s.Phases.validate(s)...)
	multiple := func(name string, d time.Duration) {
		if d <= 0 {
			bad("%s must be positive, got %s", name, d)
		} else if s.Tick > 0 && d%s.Tick != 0 {
			bad("%s %s must be a multiple of the tick %s", name, d, s.Tick)
		}
	}
	multiple("traceInterval", s.TraceInterval)
	multiple("prometheus.scrapeInterval", s.Prometheus.ScrapeInterval)
	for _, j := range s.Prometheus.Jobs {
		if j.Interval != 0 {
			multiple(j.Source+" interval", j.Interval)
		}
	}
	multiple("controller.syncPeriod", s.Controller.SyncPeriod)
	if s.Workload.Name == "" {
		bad("workload name must be set")
	}
	if s.Workload.InitialReplicas < 0 {
		bad("workload initialReplicas must not be negative")
	}
	autoscalers := 0
	for _, set := range []bool{s.KEDA != nil, s.HPA != nil, s.ScaledJob != nil} {
		if set {
			autoscalers++
		}
	}
	if autoscalers != 1 {
		bad("exactly one autoscaler (a KEDA ScaledObject or ScaledJob, or an HPA) must be given")
	}
	if s.ScaledJob != nil && s.ScaledJob.Object == nil {
		bad("KEDA ScaledJob autoscaler without a ScaledJob")
	}
	if s.KEDA != nil && s.KEDA.Object == nil {
		bad("KEDA autoscaler without a ScaledObject")
	}
	if s.KEDA != nil && s.KEDA.Object != nil {
		if p := s.KEDA.Object.PollingIntervalSeconds(); s.Tick > 0 && (time.Duration(p)*time.Second)%s.Tick != 0 {
			bad("pollingInterval %ds must be a multiple of the tick %s", p, s.Tick)
		}
	}
	seen := map[string]bool{}
	for i, l := range s.Loads {
		if l.Metric == "" {
			bad("loads[%d]: metric must be set", i)
		}
		if seen[l.Metric] {
			bad("loads[%d]: metric %q is produced by another load too", i, l.Metric)
		}
		seen[l.Metric] = true
		switch l.Model {
		case Connections, Requests:
		case Queue:
			if l.ServiceRate <= 0 && !(s.ScaledJob != nil && s.ScaledJob.Model.Queue == i) {
				bad("loads[%d]: the queue model needs a positive serviceRate", i)
			}
		case KafkaModel:
			if l.ServiceRate <= 0 {
				bad("loads[%d]: the kafka model needs a positive serviceRate (messages per second one consumer reads)", i)
			}
			if l.Kafka == nil {
				bad("loads[%d]: the kafka model needs kafka: {partitions: N}", i)
			} else if err := kafkaDefaults(*l.Kafka, l, s.Workload).validate(); err != nil {
				bad("loads[%d]: %v", i, err)
			}
		default:
			bad("loads[%d]: model %q is not supported; allowed: %v", i, l.Model, LoadModels)
		}
		if l.Shape == nil {
			bad("loads[%d]: shape must be set", i)
		} else if err := checkShape(l.Shape); err != nil {
			bad("loads[%d]: %v", i, err)
		}
		if !finite(l.Capacity, l.ServiceRate, l.Noise.Stddev, l.Noise.Relative) {
			bad("loads[%d]: capacity, serviceRate and noise must be finite numbers", i)
		}
		if l.Capacity < 0 || l.Noise.Stddev < 0 || l.Noise.Relative < 0 {
			bad("loads[%d]: capacity and noise must not be negative", i)
		}
	}
	for i, r := range s.Series {
		if r.Labels["__name__"] == "" {
			bad("series[%d]: a metric name must be set", i)
		}
		for j := 1; j < len(r.Points); j++ {
			if r.Points[j].T <= r.Points[j-1].T {
				bad("series[%d]: points must be in strictly increasing time order", i)
				break
			}
		}
	}
	errs = append(errs, s.Workload.validate(len(s.Loads))...)
	// An instant the engine acts at must be one of its ticks within the
	// run: one between ticks or after the end would never happen, and the
	// run would answer as if it had not been asked.
	for i, c := range s.Workload.Crashes {
		if err := instant("at", c.At, s.Tick, s.Duration); err != nil {
			bad("workload crashes[%d]: %v", i, err)
		}
	}
	for i, f := range s.Faults {
		if err := f.validate(); err != nil {
			bad("faults[%d]: %v", i, err)
			continue
		}
		if err := instant("from", f.From, s.Tick, s.Duration); err != nil {
			bad("faults[%d]: %v", i, err)
		}
		if f.To > 0 && s.Tick > 0 && f.To%s.Tick != 0 {
			bad("faults[%d]: to (%s) must be a multiple of the tick (%s)", i, f.To, s.Tick)
		}
	}
	if len(s.Annotate) > 0 && s.KEDA == nil {
		bad("annotate: annotation changes are modelled for a ScaledObject only")
	}
	for i, c := range s.Annotate {
		if err := c.validate(s.Tick, s.Duration); err != nil {
			bad("annotate[%d]: %v", i, err)
		}
		if i > 0 && c.At < s.Annotate[i-1].At {
			bad("annotate[%d]: at (%s) is before annotate[%d] (%s): give the changes in time order", i, c.At, i-1, s.Annotate[i-1].At)
		}
	}
	return errors.Join(errs...)
}

// instant checks that an instant the engine acts at is a tick of the run.
func instant(name string, at, tick, duration time.Duration) error {
	switch {
	case at < 0:
		return fmt.Errorf("%s must not be negative", name)
	case at >= duration:
		return fmt.Errorf("%s (%s) must be before the end of the run (%s)", name, at, duration)
	case tick > 0 && at%tick != 0:
		return fmt.Errorf("%s (%s) must be a multiple of the tick (%s)", name, at, tick)
	}
	return nil
}

// sortedNames returns the keys of m in order, so that no output depends on
// map iteration order.
func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// LimitError is a run that would exceed one of its Limits.
type LimitError struct {
	// Field is what is too big, e.g. "duration", "workload replicas".
	Field string
	// Limit names the limit and how to raise it, e.g. "--max-steps".
	Limit   string
	Message string
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s: %s; raise the limit with %s if you mean it", e.Field, e.Message, e.Limit)
}

// checkLimits reports what makes the run exceed its limits.
func (s Spec) checkLimits() []error {
	var errs []error
	l := s.Limits
	if s.Tick > 0 && s.Duration > 0 {
		if steps := int64(s.Duration / s.Tick); steps > l.MaxSteps {
			errs = append(errs, &LimitError{Field: "duration", Limit: "--max-steps",
				Message: fmt.Sprintf("%s at a tick of %s is %d steps; at most %d are allowed", s.Duration, s.Tick, steps, l.MaxSteps)})
		}
	}
	maxRep := int32(0)
	switch {
	case s.KEDA != nil && s.KEDA.Object != nil:
		maxRep = s.KEDA.Object.MaxReplicas()
	case s.HPA != nil:
		maxRep = s.HPA.Spec.MaxReplicas
	case s.ScaledJob != nil && s.ScaledJob.Object != nil:
		// The custom strategy caps the Jobs created per poll, not those
		// running; each Job's pods count against the bound as they run.
		_, budget := s.ScaledJob.Object.Bounds()
		maxRep = int32(min(budget, math.MaxInt32))
	}
	if s.Workload.InitialReplicas > l.MaxPods {
		errs = append(errs, &LimitError{Field: "workload replicas", Limit: "--max-pods",
			Message: fmt.Sprintf("%d initial replicas; at most %d pods are allowed", s.Workload.InitialReplicas, l.MaxPods)})
	}
	if maxRep > l.MaxPods {
		errs = append(errs, &LimitError{Field: "maximum replicas", Limit: "--max-pods",
			Message: fmt.Sprintf("the autoscaler may scale to %d replicas; at most %d pods are allowed", maxRep, l.MaxPods)})
	}
	n, what := s.AutoscalerMetrics()
	for _, c := range []struct {
		n    int
		what string
	}{{n, what}, {len(s.Loads), "the scenario's loads"}, {len(s.Series), "the scenario's raw series"}} {
		if c.n > l.MaxMetrics {
			errs = append(errs, &LimitError{Field: c.what, Limit: "--max-metrics",
				Message: fmt.Sprintf("%d entries; at most %d are allowed", c.n, l.MaxMetrics)})
		}
	}
	return errs
}
