package sim

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/promql"
)

// EmptyQueryError is a query of the autoscaler whose selectors matched no
// series at any point of the run. The run cannot say what the autoscaler
// would do with a metric that is not there: in a cluster the query would
// read nothing too, or its real series would carry labels the simulated
// ones lack. Either way a calm "no scaling" would be a wrong answer.
type EmptyQueryError struct {
	// Metric indexes the ScaledObject's spec.triggers or the HPA's
	// spec.metrics (as Fault.Metric does).
	Metric int
	// Field is "spec.triggers[0].metadata.query" or "spec.metrics[0]".
	Field string
	Query string
	// Selectors are the selectors of Query that matched nothing.
	Selectors []string
	// Details explain why, one line each (see promql.Store.Diagnose).
	Details []string
}

func (e *EmptyQueryError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: the query selects no series at any point of the run: %s matches nothing", e.Field, strings.Join(e.Selectors, " and "))
	for _, d := range e.Details {
		b.WriteString("\n  ")
		b.WriteString(d)
	}
	b.WriteString("\n  a metric that only appears at times (under load, from a pod that may not exist) is allowed by listing its index under spec.autoscaler.allowEmptyQueries")
	return b.String()
}

// checkQueries fails the run when a query of the autoscaler matched no
// series the run produced (see EmptyQueryError).
func (s *Simulator) checkQueries() error {
	for i, m := range s.queries() {
		if m.query == "" {
			continue
		}
		s.markPodOnly(i, m.query)
		if slices.Contains(s.spec.AllowEmptyQueries, i) {
			continue
		}
		sel, err := s.store.Unmatched(m.query)
		if err != nil || len(sel) == 0 {
			continue
		}
		e := &EmptyQueryError{Metric: i, Field: m.field, Query: m.query, Selectors: sel}
		for _, one := range sel {
			e.Details = append(e.Details, s.store.Diagnose(one, 5)...)
		}
		for _, n := range s.spec.Prometheus.Notes {
			e.Details = append(e.Details, "monitoring: "+n)
		}
		return e
	}
	return nil
}

type autoscalerQuery struct{ field, query string }

// queries are the PromQL queries of the autoscaler, indexed like
// AutoscalerMetrics.
func (s *Simulator) queries() []autoscalerQuery {
	n, _ := s.spec.AutoscalerMetrics()
	out := make([]autoscalerQuery, n)
	switch {
	case s.loop != nil:
		for i := range out {
			if p := s.loop.PrometheusTrigger(i); p != nil {
				out[i] = autoscalerQuery{fmt.Sprintf("spec.triggers[%d].metadata.query", i), p.Query}
			}
		}
	case s.sj != nil:
		for i := range out {
			if p := s.sj.loop.PrometheusTrigger(i); p != nil {
				out[i] = autoscalerQuery{fmt.Sprintf("spec.triggers[%d].metadata.query", i), p.Query}
			}
		}
	default:
		for i := range out {
			if i < len(s.result.Metrics) {
				out[i] = autoscalerQuery{fmt.Sprintf("spec.metrics[%d]", i), s.result.Metrics[i].Query}
			}
		}
	}
	return out
}

// UnsupportedError is an autoscaler the simulator cannot run: a trigger
// type or metric source it does not model.
type UnsupportedError struct {
	// Field is the manifest field, e.g. "spec.triggers[1].type".
	Field string
	// What is what cannot be simulated, e.g. `"kafka" triggers`.
	What string
	// Supported lists what can.
	Supported string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s: %s cannot be simulated yet; supported: %s", e.Field, e.What, e.Supported)
}

// markPodOnly records, on the trace column of metric i, whether its
// query reads nothing without the workload's own pods: evaluated at the
// end of the run over every series but theirs, it returns no sample, or
// none above the trigger's activation threshold.
func (s *Simulator) markPodOnly(i int, query string) {
	c, ok := i, s.loop == nil && s.sj == nil
	if s.loop != nil || s.sj != nil {
		c, ok = s.column[i]
	}
	if !ok || c >= len(s.result.Metrics) {
		return
	}
	selected, err := s.store.Selected(query)
	if err != nil || len(selected) == 0 {
		return
	}
	others := s.store.Without(func(l promql.Labels) bool { return s.pods.ever[l["pod"]] })
	res, err := s.engine.Instant(context.Background(), others, query, s.spec.Start.Add(s.spec.Duration))
	if err != nil {
		return
	}
	for _, smp := range res.Samples {
		if smp.Value > s.result.Metrics[c].ActivationTarget {
			return
		}
	}
	s.result.Metrics[c].OnlyWorkloadPods = true
}

// QueryLimitError is a query of the autoscaler that hit one of the
// engine's limits (promql.MaxSamples, promql.QueryTimeout).
type QueryLimitError struct {
	Metric int
	Field  string
	Err    *promql.LimitError
}

func (e *QueryLimitError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *QueryLimitError) Unwrap() error { return e.Err }
