package sim

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/adapter"
	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/promql"
)

// servedMetric is an HPA metric served by the adapter's rules.
type servedMetric struct {
	index int
	// registered is set once a request found the metric registered.
	registered bool
}

func (s *Simulator) servedAt(i int) *servedMetric {
	for k := range s.served {
		if s.served[k].index == i {
			return &s.served[k]
		}
	}
	return nil
}

// relist rebuilds the adapter's registry when due: at start and every
// relist interval, from the series each rule's seriesQuery finds with a
// sample in the last max-age (prometheus-adapter
// pkg/custom-provider/series_registry.go and basic_metric_lister.go
// ListAllMetrics: GET /api/v1/series?match[]=seriesQuery&start=now-maxAge).
func (s *Simulator) relist(now time.Duration) {
	a := s.spec.HPA.Adapter
	every := a.RelistInterval
	if every <= 0 {
		every = adapter.DefaultRelistInterval
	}
	if s.registry != nil && !due(now, every) {
		return
	}
	age := a.MaxAge
	if age <= 0 {
		age = every
	}
	at := s.spec.Start.Add(now)
	s.registry = adapter.Discover(a.Rules, func(r *adapter.Rule) []adapter.Series {
		found, err := s.store.SeriesBetween(r.SeriesQuery, at.Add(-age), at)
		if err != nil {
			return nil
		}
		out := make([]adapter.Series, len(found))
		for i, ls := range found {
			out[i] = adapter.Series{Name: ls["__name__"], Labels: labelNames(ls)}
		}
		return out
	})
}

func labelNames(ls promql.Labels) []string {
	out := make([]string, 0, len(ls))
	for k := range ls {
		if k != "__name__" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// adapterQuery renders the query the adapter sends for the HPA's metric
// m, with the names of the pods it asks about for a Pods metric.
func (s *Simulator) adapterQuery(sm *servedMetric, m hpa.MetricSpec, now time.Duration) (adapter.Query, []string, error) {
	s.relist(now)
	ns := s.spec.Workload.Namespace
	sel, err := adapter.SelectorMatchers(m.Selector)
	if err != nil {
		return adapter.Query{}, nil, err
	}
	switch m.Type {
	case hpa.ExternalMetricSourceType:
		met, ok := s.registry.Lookup(adapter.External, "", m.Name)
		if !ok {
			return adapter.Query{}, nil, fmt.Errorf("unable to fetch metrics from external metrics API: the server could not find the requested resource (get %s.external.metrics.k8s.io)", m.Name)
		}
		sm.registered = true
		q, err := met.Rule.ExternalQuery(met.Series, ns, sel)
		return q, nil, err
	case hpa.ObjectMetricSourceType:
		res := adapter.Normalize(m.DescribedObject.Kind)
		met, ok := s.registry.Lookup(adapter.Custom, res, m.Name)
		if !ok {
			return adapter.Query{}, nil, fmt.Errorf("unable to fetch metrics from custom metrics API: the server could not find the metric %s for %s %s", m.Name, res, m.DescribedObject.Name)
		}
		sm.registered = true
		q, err := met.Rule.ObjectQuery(met.Series, res, ns, []string{m.DescribedObject.Name}, sel)
		return q, nil, err
	}
	met, ok := s.registry.Lookup(adapter.Custom, "pods", m.Name)
	if !ok {
		return adapter.Query{}, nil, fmt.Errorf("unable to fetch metrics from custom metrics API: the server could not find the metric %s for pods", m.Name)
	}
	sm.registered = true
	// The adapter lists the pods the HPA's selector matches, in every
	// phase (custom-metrics-apiserver pkg/provider/helpers ListObjectNames),
	// in the API's order: by name.
	var names []string
	for _, p := range s.pods.pods {
		names = append(names, p.name)
	}
	sort.Strings(names)
	q, err := met.Rule.ObjectQuery(met.Series, "pods", ns, names, sel)
	return q, names, err
}

// AdapterNeverServedError is an HPA metric that prometheus-adapter never
// registered during the run: every request for it failed, so the run
// cannot say what the HPA would do with it.
type AdapterNeverServedError struct {
	Metric int
	Field  string
	Name   string
	// Details say what the rules found.
	Details []string
}

func (e *AdapterNeverServedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: prometheus-adapter never serves metric %q during the run: the HPA reads \"the server could not find the metric\" at every sync", e.Field, e.Name)
	for _, d := range e.Details {
		b.WriteString("\n  ")
		b.WriteString(d)
	}
	return b.String()
}

// checkServed fails the run when an adapter-served metric was never
// registered.
func (s *Simulator) checkServed() error {
	for _, sm := range s.served {
		if sm.registered {
			continue
		}
		m := s.hpaDef.Metrics[sm.index]
		e := &AdapterNeverServedError{Metric: sm.index, Field: fmt.Sprintf("spec.metrics[%d]", sm.index), Name: m.Name}
		at := s.spec.Start.Add(s.spec.Duration)
		for _, r := range s.spec.HPA.Adapter.Rules {
			found, _ := s.store.SeriesBetween(r.SeriesQuery, s.spec.Start, at)
			what := fmt.Sprintf("rule %s (seriesQuery %s)", r.Source, r.SeriesQuery)
			if len(found) == 0 {
				e.Details = append(e.Details, what+" finds no series")
				continue
			}
			ls := found[0]
			name, ok := r.MetricName(ls["__name__"])
			switch {
			case !ok:
				e.Details = append(e.Details, fmt.Sprintf("%s finds %s, which its seriesFilters or name.matches reject", what, ls["__name__"]))
			case !strings.EqualFold(name, m.Name):
				e.Details = append(e.Details, fmt.Sprintf("%s finds %s and names it %q, not %q (name.matches %q, name.as %q)", what, ls["__name__"], name, m.Name, r.Matches, r.As))
			default:
				var want []string
				for l := range r.Overrides {
					want = append(want, l)
				}
				sort.Strings(want)
				res := r.Resources(labelNames(ls))
				if len(res) == 0 || (m.Type == hpa.PodsMetricSourceType && !containsString(res, "pods")) {
					e.Details = append(e.Details, fmt.Sprintf("%s finds %s, but its series carry %s, and resources.overrides name %s: no label maps to pods, so the metric is never registered for pods", what, ls["__name__"], strings.Join(labelNames(ls), ", "), strings.Join(want, ", ")))
				}
			}
		}
		return e
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
