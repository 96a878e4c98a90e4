package sim

import (
	"errors"
	"fmt"
	"time"
)

// FaultKind names an injected failure.
type FaultKind string

// The fault kinds.
const (
	// MetricsDown makes every Prometheus query fail, as when the server is
	// unreachable: KEDA counts trigger errors (and applies fallback), the
	// HPA reports FailedGetExternalMetric or FailedGetPodsMetric.
	MetricsDown FaultKind = "metricsDown"
	// EmptyResult makes every query return no series.
	EmptyResult FaultKind = "emptyResult"
	// NaNResult makes every sample of every query result NaN.
	NaNResult FaultKind = "nanResult"
	// MetricsServerDown makes the resource metrics API (metrics-server,
	// metrics.k8s.io) unavailable: the HPA's Resource and
	// ContainerResource metrics fail with FailedGetResourceMetric,
	// those of KEDA cpu/memory triggers included.
	MetricsServerDown FaultKind = "metricsServerDown"
	// ScrapeGap skips scrapes: no samples of the simulated pods or of a
	// queue are written (raw series are not affected).
	ScrapeGap FaultKind = "scrapeGap"
	// ControllerRestart restarts kube-controller-manager at From: the
	// HPA's in-memory recommendations are lost (hpa.Autoscaler.Restart).
	ControllerRestart FaultKind = "controllerRestart"
)

// FaultKinds lists the supported kinds, for messages.
var FaultKinds = []FaultKind{MetricsDown, EmptyResult, NaNResult, MetricsServerDown, ScrapeGap, ControllerRestart}

// queryFault reports whether k alters query results, and so may be
// limited to one metric.
func queryFault(k FaultKind) bool { return k == MetricsDown || k == EmptyResult || k == NaNResult }

// Fault is one injected failure, active during [From, To) (a restart
// happens at From and has no To).
type Fault struct {
	Kind     FaultKind
	From, To time.Duration
	// Metric limits a query fault (metricsDown, emptyResult, nanResult)
	// to the queries of one metric: spec.triggers[*Metric] of the
	// ScaledObject or spec.metrics[*Metric] of the HPA, as when the
	// triggers read different Prometheus servers. Nil means every query.
	Metric *int
}

func (f Fault) validate() error {
	switch f.Kind {
	case ControllerRestart:
		if f.To != 0 {
			return errors.New("a controllerRestart happens at an instant: give from only")
		}
	case MetricsDown, EmptyResult, NaNResult, MetricsServerDown, ScrapeGap:
		if f.To <= f.From {
			return fmt.Errorf("to (%s) must be after from (%s)", f.To, f.From)
		}
	default:
		return fmt.Errorf("kind %q is not supported; allowed: %v", f.Kind, FaultKinds)
	}
	if f.From < 0 {
		return errors.New("from must not be negative")
	}
	if f.Metric != nil {
		if !queryFault(f.Kind) {
			return fmt.Errorf("metric limits only the query faults %s, %s and %s", MetricsDown, EmptyResult, NaNResult)
		}
		if *f.Metric < 0 {
			return fmt.Errorf("metric %d must not be negative", *f.Metric)
		}
	}
	return nil
}

func (f Fault) active(now time.Duration) bool { return f.From <= now && now < f.To }

// faultActive reports whether a fault of kind k is active at now.
func (s *Simulator) faultActive(k FaultKind, now time.Duration) bool {
	return s.metricFaultActive(k, -1, now)
}

// metricFaultActive reports whether a fault of kind k is active at now for
// the queries of metric i (-1: a fault on every query).
func (s *Simulator) metricFaultActive(k FaultKind, i int, now time.Duration) bool {
	for _, f := range s.spec.Faults {
		if f.Kind == k && f.active(now) && (f.Metric == nil || *f.Metric == i) {
			return true
		}
	}
	return false
}

var faultMessages = map[FaultKind][2]string{
	MetricsDown:       {"Prometheus is unreachable: every query fails", "Prometheus answers again"},
	EmptyResult:       {"queries return no series", "queries return data again"},
	NaNResult:         {"queries return NaN", "queries return numbers again"},
	MetricsServerDown: {"metrics-server is unavailable: resource metrics fail", "metrics-server answers again"},
	ScrapeGap:         {"scrapes fail: no samples are written", "scrapes succeed again"},
	ControllerRestart: {"kube-controller-manager restarts: the HPA's recommendations and scale events are lost", ""},
}

// applyFaults records faults starting or ending at now and restarts the
// controller when one is due.
func (s *Simulator) applyFaults(now time.Duration) {
	replicas := s.desired
	for _, f := range s.spec.Faults {
		msg := faultMessages[f.Kind]
		if f.Metric != nil {
			msg[0] = fmt.Sprintf("%s (metric %d only)", msg[0], *f.Metric)
			msg[1] = fmt.Sprintf("%s (metric %d)", msg[1], *f.Metric)
		}
		switch {
		case f.From == now:
			s.event(now, "sim", "Warning", "Fault"+title(f.Kind), replicas, replicas, msg[0])
			if f.Kind == ControllerRestart && s.ctrl != nil {
				s.ctrl.Restart()
			}
		case f.To == now && f.Kind != ControllerRestart:
			s.event(now, "sim", "Normal", "Fault"+title(f.Kind)+"Cleared", replicas, replicas, msg[1])
		}
	}
}

func title(k FaultKind) string {
	if k == "" {
		return ""
	}
	return string(k[0]-'a'+'A') + string(k[1:])
}

// errMetricsDown is what a query returns while Prometheus is down. It
// names no address: the fault stands for whichever server the trigger
// names.
var errMetricsDown = errors.New("metrics source unreachable: connection refused (fault metricsDown)")

// errMetricsServerDown is the API error of a pods.metrics.k8s.io list
// while metrics-server is down (the aggregated API answers 503). The hpa
// package wraps it as upstream does (podautoscaler/metrics/client.go
// GetResourceMetric, then replica_calculator.go GetResourceReplicas).
var errMetricsServerDown = errors.New("the server is currently unable to handle the request (get pods.metrics.k8s.io) (fault metricsServerDown)")

// checkFaultMetrics rejects a fault limited to a metric the autoscaler
// does not have.
func (s *Simulator) checkFaultMetrics() error {
	n, what := s.spec.AutoscalerMetrics()
	for i, f := range s.spec.Faults {
		if f.Metric != nil && *f.Metric >= n {
			return fmt.Errorf("faults[%d].metric: %d is out of range: %s has %d entries (0 to %d)", i, *f.Metric, what, n, n-1)
		}
	}
	return nil
}

// AutoscalerMetrics is what Fault.Metric indexes: the number of the
// ScaledObject's triggers or of the HPA's metrics, and the field named in
// messages.
func (s Spec) AutoscalerMetrics() (n int, field string) {
	switch {
	case s.KEDA != nil && s.KEDA.Object != nil:
		return len(s.KEDA.Object.Triggers), "the ScaledObject's spec.triggers"
	case s.HPA != nil:
		return len(s.HPA.Spec.Metrics), "the HorizontalPodAutoscaler's spec.metrics"
	case s.ScaledJob != nil && s.ScaledJob.Object != nil:
		return len(s.ScaledJob.Object.Triggers), "the ScaledJob's spec.triggers"
	}
	return 0, "the autoscaler"
}
