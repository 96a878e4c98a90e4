package sim

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
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
	// Loads are the offered loads; each produces one per-pod metric.
	Loads []Load

	// Exactly one of KEDA and HPA is set.
	KEDA *KEDA
	HPA  *HPA
	// Controller holds the kube-controller-manager HPA settings.
	Controller hpa.Config
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
}

// Prometheus is the metrics pipeline.
type Prometheus struct {
	// ScrapeInterval is the ServiceMonitor interval (default 15s).
	ScrapeInterval time.Duration
	// LookbackDelta is the query lookback (default 5m, as Prometheus).
	LookbackDelta time.Duration
	// Job is the job label of scraped series (default the workload name).
	Job string
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
)

// Load is one offered load and the metric it produces.
type Load struct {
	// Metric is the name of the per-pod series, e.g. websocket_connection_count.
	Metric string
	Model  LoadModel
	// Shape gives the offered load over time.
	Shape Shape
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
	// Rules map the HPA's Pods, Object and External metric names to PromQL,
	// as a prometheus-adapter configuration does.
	Rules []AdapterRule
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
	multiple := func(name string, d time.Duration) {
		if d <= 0 {
			bad("%s must be positive, got %s", name, d)
		} else if s.Tick > 0 && d%s.Tick != 0 {
			bad("%s %s must be a multiple of the tick %s", name, d, s.Tick)
		}
	}
	multiple("traceInterval", s.TraceInterval)
	multiple("prometheus.scrapeInterval", s.Prometheus.ScrapeInterval)
	multiple("controller.syncPeriod", s.Controller.SyncPeriod)
	if s.Workload.Name == "" {
		bad("workload name must be set")
	}
	if s.Workload.InitialReplicas < 0 {
		bad("workload initialReplicas must not be negative")
	}
	if (s.KEDA == nil) == (s.HPA == nil) {
		bad("exactly one autoscaler (a KEDA ScaledObject or an HPA) must be given")
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
		if l.Model != Connections {
			bad("loads[%d]: model %q is not supported; allowed: %s", i, l.Model, Connections)
		}
		if l.Shape == nil {
			bad("loads[%d]: shape must be set", i)
		}
	}
	return errors.Join(errs...)
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
