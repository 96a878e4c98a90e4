package backtest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/replay"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Where a trigger's recorded metric input comes from.
const (
	// InputQuery: the answers of the trigger's own query, as the
	// cluster's Prometheus gives them over the window.
	InputQuery = "query"
	// InputKEDA: keda_scaler_metrics_value of the trigger, the value
	// KEDA's operator last read.
	InputKEDA = "keda"
	// InputStatus: kube_horizontalpodautoscaler_status_target_metric of a
	// plain HPA's metric, the value its status last reported.
	InputStatus = "status"
)

// PodMarker is the per-pod series of the replay of a plain HPA's Pods
// metric: every Ready simulated pod exposes it, and the metric's query
// gives each of them the recorded average.
const PodMarker = "autoscale_sim_replayed_pod"

// The kinds of object a backtest is about.
const (
	KindScaledObject = "ScaledObject"
	KindHPA          = "HorizontalPodAutoscaler"
)

// InputMetric is the metric name of the replayed inputs in the simulated
// Prometheus; each trigger's query is replaced by
// InputMetric{trigger="<index>"}.
const InputMetric = "autoscale_sim_recorded_input"

// DefaultMaxLag bounds the lag searched either way.
const DefaultMaxLag = 5 * time.Minute

// Target is what the manifests say the recording is about.
type Target struct {
	// Kind is KindScaledObject or KindHPA (a plain autoscaling/v2 HPA).
	Kind         string
	Namespace    string
	ScaledObject string
	// HPA is the name kube-state-metrics labels the HPA with.
	HPA        string
	Deployment string
	// Triggers are the ScaledObject's triggers that need a metric input,
	// or a plain HPA's metrics.
	Triggers []Trigger
	// SeriesQueries are the seriesQuery of each prometheus-adapter rule
	// of a plain HPA, whose series a live backtest records raw when a
	// metric is served by the adapter's configuration.
	SeriesQueries []string
}

// Trigger is one trigger that reads Prometheus, or one metric of a plain
// HPA.
type Trigger struct {
	Index int
	// Metric is KEDA's External metric name (s<index>-prometheus), or the
	// HPA metric's name.
	Metric string
	// Query is the trigger's query, or the query of the adapter rule
	// (spec.adapter.rules) that serves the HPA metric; "" when the
	// adapter's configuration renders it at each request.
	Query string
	// Type and TargetType are the HPA metric's source and target types
	// (empty for a trigger).
	Type       hpa.MetricSourceType
	TargetType hpa.MetricTargetType
}

// What names the trigger or metric in messages.
func (tr Trigger) What() string {
	if tr.Type != "" {
		return fmt.Sprintf("%s metric %s", strings.ToLower(string(tr.Type)), tr.Metric)
	}
	return "trigger " + tr.Metric
}

// field is the manifest field of the trigger or metric.
func (tr Trigger) field() string {
	if tr.Type != "" {
		return fmt.Sprintf("spec.metrics[%d]", tr.Index)
	}
	return fmt.Sprintf("spec.triggers[%d]", tr.Index)
}

// Object names the backtested object in messages.
func (t Target) Object() string {
	if t.Kind == KindHPA {
		return fmt.Sprintf("HorizontalPodAutoscaler %s/%s", t.Namespace, t.HPA)
	}
	return fmt.Sprintf("ScaledObject %s/%s", t.Namespace, t.ScaledObject)
}

// CheckInput says whether input can be replayed for t: keda_scaler_metrics_value
// exists only for a ScaledObject, and the HPA's status only holds the
// inputs of some metrics (see hpaTarget).
func (t Target) CheckInput(input string) error {
	switch {
	case input == InputKEDA && t.Kind == KindHPA:
		return fmt.Errorf("--input keda reads KEDA's keda_scaler_metrics_value, which a plain HPA has none of; use --input query (the answers of each metric's adapter query) or --input status (%s)", openmetrics.HPAStatusTarget)
	case input == InputStatus && t.Kind != KindHPA:
		return fmt.Errorf("--input status reads a plain HPA's %s; a ScaledObject's triggers are replayed from their queries (--input query) or from keda_scaler_metrics_value (--input keda)", openmetrics.HPAStatusTarget)
	case input == InputStatus:
		for _, tr := range t.Triggers {
			if why := statusRefusal(tr); why != "" {
				return fmt.Errorf("%s: %s", tr.field(), why)
			}
		}
	}
	return nil
}

// statusRefusal says why the HPA's status cannot replay metric tr, "" when
// it can. kube-state-metrics exports status.currentMetrics as
// metric_target_type value, average and utilization (internal/store/hpa.go
// createHPAStatusTargetMetric): a Pods metric's average is the input
// itself, an External metric's Value target the value; an External
// AverageValue target's average is the value divided by the replicas and
// rounded up, and an Object metric's series carries its described object,
// which the export does not write.
func statusRefusal(tr Trigger) string {
	switch {
	case tr.Type == hpa.PodsMetricSourceType:
		return ""
	case tr.Type == hpa.ExternalMetricSourceType && tr.TargetType == hpa.ValueMetricType:
		return ""
	case tr.Type == hpa.ExternalMetricSourceType:
		return fmt.Sprintf("the %s with an AverageValue target: its status holds the value divided by the replicas and rounded up, not the value the adapter answered; record the answers of its adapter query (--input query)", tr.What())
	}
	return fmt.Sprintf("the %s: kube-state-metrics labels its status with the described object, which the replay does not read; record the answers of its adapter query (--input query)", tr.What())
}

// TargetOf checks that spec can be backtested and names what to look for.
func TargetOf(spec sim.Spec) (Target, error) {
	if spec.KEDA == nil {
		switch {
		case spec.ScaledJob != nil:
			return Target{}, errors.New("backtest compares HPA decisions; a ScaledJob has no HPA")
		case spec.HPA != nil:
			return hpaTarget(spec)
		default:
			return Target{}, errors.New("backtest compares HPA decisions; the scenario has no autoscaler")
		}
	}
	so := spec.KEDA.Object
	t := Target{Kind: KindScaledObject, Namespace: openmetrics.Namespace(spec), ScaledObject: so.Name, HPA: so.HPAName(), Deployment: spec.Workload.Name}
	for i, tr := range so.Triggers {
		switch tr.Type {
		case "prometheus":
			t.Triggers = append(t.Triggers, Trigger{Index: i, Metric: fmt.Sprintf("s%d-prometheus", i), Query: tr.Metadata["query"]})
		case "cron":
			// The cron scaler reads the clock, which the replay sets.
		default:
			return Target{}, fmt.Errorf("spec.triggers[%d]: a %s trigger reads %s, which a recording of Prometheus series does not replay (backtest replays prometheus and cron triggers)",
				i, tr.Type, map[bool]string{true: "the pods' resource usage", false: "the broker's offsets"}[tr.Type == "cpu" || tr.Type == "memory"])
		}
	}
	return t, nil
}

// hpaTarget names what a plain HPA's recording holds: each metric's
// input is the answers of its adapter rule's query, the raw series the
// adapter's configuration reads, or the HPA's own status. Resource
// metrics are refused: metrics-server's per-pod usage is not a Prometheus
// series the replay could give the simulated pods.
func hpaTarget(spec sim.Spec) (Target, error) {
	h := spec.HPA
	t := Target{Kind: KindHPA, Namespace: openmetrics.Namespace(spec), HPA: h.Spec.Name, Deployment: spec.Workload.Name}
	rules := map[string]string{}
	for _, r := range h.Rules {
		rules[r.Name] = r.Query
	}
	if h.Adapter != nil {
		seen := map[string]bool{}
		for _, r := range h.Adapter.Rules {
			if !seen[r.SeriesQuery] {
				seen[r.SeriesQuery] = true
				t.SeriesQueries = append(t.SeriesQueries, r.SeriesQuery)
			}
		}
	}
	names := map[string]int{}
	for i, m := range h.Spec.Metrics {
		switch m.Type {
		case hpa.PodsMetricSourceType, hpa.ObjectMetricSourceType, hpa.ExternalMetricSourceType:
		default:
			return Target{}, fmt.Errorf("spec.metrics[%d]: a %s metric (%s) reads the pods' usage from metrics-server, which a recording of Prometheus series does not replay: kube-state-metrics' %s holds only the HPA's average over the pods, and the replay would need each pod's usage and requests; backtest replays Pods, Object and External metrics",
				i, m.Type, m.Name, openmetrics.HPAStatusTarget)
		}
		if j, ok := names[m.Name]; ok {
			return Target{}, fmt.Errorf("spec.metrics[%d]: metric %s is also spec.metrics[%d]; the replay gives each metric name one recorded input", i, m.Name, j)
		}
		names[m.Name] = i
		t.Triggers = append(t.Triggers, Trigger{Index: i, Metric: m.Name, Query: rules[m.Name], Type: m.Type, TargetType: m.Target.Type})
	}
	return t, nil
}

// Recording is what the cluster did over a window.
type Recording struct {
	From, To time.Time
	// Inputs are the recorded metric inputs by trigger index.
	Inputs map[int]Input
	// Raw are recorded series that the triggers' own queries read (from
	// an offline recording); the simulated Prometheus evaluates them.
	Raw []replay.Series
	// Errors are each trigger's keda_scaler_detail_errors_total: a rise
	// between two samples is replayed as failed reads (a metricsDown
	// fault on the trigger) over that interval.
	Errors map[int][]replay.Point
	// Desired and Current are the HPA's status.desiredReplicas and
	// status.currentReplicas; SpecReplicas the Deployment's spec.replicas.
	Desired, Current, SpecReplicas []replay.Point
}

// Input is one trigger's recorded metric input.
type Input struct {
	// Source is InputQuery or InputKEDA.
	Source string
	Series []replay.Series
}

// Classify sorts the series of an offline recording (query_range or
// instant answers of the HTTP API) by what they are: the HPA's and the
// Deployment's status by name and labels, keda_scaler_metrics_value by
// scaledObject and triggerIndex, a series without a metric name as the
// answer of the trigger's query (only when there is one such trigger),
// any other named series as a raw series the trigger queries read.
// Series of other objects are ignored; what is left out is returned as
// notes.
func Classify(t Target, series []replay.Series, input string) (*Recording, []string, error) {
	rec := &Recording{Inputs: map[int]Input{}, Errors: map[int][]replay.Point{}}
	var notes []string
	ignored := map[string]int{}
	for _, s := range series {
		name := s.Labels[replay.NameLabel]
		ns := ObjectNamespace(s.Labels)
		switch name {
		case openmetrics.HPADesiredReplicas, openmetrics.HPACurrentReplicas:
			if ns != t.Namespace || s.Labels[openmetrics.LabelHPA] != t.HPA {
				ignored[name]++
				continue
			}
			dst := &rec.Desired
			if name == openmetrics.HPACurrentReplicas {
				dst = &rec.Current
			}
			if len(*dst) > 0 {
				return nil, nil, fmt.Errorf("the recording holds %s twice for HPA %s/%s", name, t.Namespace, t.HPA)
			}
			*dst = s.Points
		case openmetrics.DeploymentSpecReplicas:
			if ns != t.Namespace || s.Labels[openmetrics.LabelDeployment] != t.Deployment {
				ignored[name]++
				continue
			}
			if len(rec.SpecReplicas) > 0 {
				return nil, nil, fmt.Errorf("the recording holds %s twice for Deployment %s/%s", name, t.Namespace, t.Deployment)
			}
			rec.SpecReplicas = s.Points
		case openmetrics.HPAStatusTarget:
			if ns != t.Namespace || s.Labels[openmetrics.LabelHPA] != t.HPA || input != InputStatus {
				ignored[name]++
				continue
			}
			i, ok := statusOf(t, s.Labels)
			if !ok {
				ignored[name]++
				continue
			}
			in := rec.Inputs[i]
			if len(in.Series) > 0 {
				return nil, nil, fmt.Errorf("the recording holds %s twice for metric %s of %s", name, s.Labels[openmetrics.LabelMetricName], t.Object())
			}
			in.Source = InputStatus
			in.Series = append(in.Series, s)
			rec.Inputs[i] = in
		case openmetrics.KEDAScalerMetricsValue:
			if ns != t.Namespace || s.Labels[openmetrics.LabelScaledObject] != t.ScaledObject || input != InputKEDA {
				ignored[name]++
				continue
			}
			i, err := strconv.Atoi(s.Labels[openmetrics.LabelTriggerIndex])
			if err != nil {
				return nil, nil, fmt.Errorf("series %s: triggerIndex %q is not a number", s, s.Labels[openmetrics.LabelTriggerIndex])
			}
			in := rec.Inputs[i]
			in.Source = InputKEDA
			in.Series = append(in.Series, s)
			rec.Inputs[i] = in
		case openmetrics.KEDAScalerErrors:
			if ns != t.Namespace || s.Labels[openmetrics.LabelScaledObject] != t.ScaledObject || s.Labels[openmetrics.LabelType] == "scaledjob" {
				ignored[name]++
				continue
			}
			i, err := strconv.Atoi(s.Labels[openmetrics.LabelTriggerIndex])
			if err != nil {
				return nil, nil, fmt.Errorf("series %s: triggerIndex %q is not a number", s, s.Labels[openmetrics.LabelTriggerIndex])
			}
			if len(rec.Errors[i]) > 0 {
				return nil, nil, fmt.Errorf("the recording holds %s twice for trigger %d of ScaledObject %s/%s", name, i, t.Namespace, t.ScaledObject)
			}
			rec.Errors[i] = s.Points
		case "":
			if input != InputQuery {
				ignored["answers of queries"]++
				continue
			}
			i, err := answerOf(t, s)
			if err != nil {
				return nil, nil, err
			}
			in := rec.Inputs[i]
			in.Source = InputQuery
			in.Series = append(in.Series, s)
			rec.Inputs[i] = in
		default:
			if strings.HasPrefix(name, "kube_") || strings.HasPrefix(name, "keda_") {
				continue // other exporters' series: nothing the replay reads
			}
			rec.Raw = append(rec.Raw, s)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(ignored)) {
		notes = append(notes, fmt.Sprintf("left out %d series of %s (other objects, or not the input asked for)", ignored[k], k))
	}
	return rec, notes, nil
}

// statusTypes is the metric_target_type of kube-state-metrics' status
// series that holds each replayable metric's input.
func statusType(tr Trigger) string {
	if tr.Type == hpa.PodsMetricSourceType {
		return "average"
	}
	return "value"
}

// statusOf is the index of the HPA metric whose status a
// kube_horizontalpodautoscaler_status_target_metric series is.
func statusOf(t Target, ls map[string]string) (int, bool) {
	for _, tr := range t.Triggers {
		if tr.Metric == ls[openmetrics.LabelMetricName] && ls[openmetrics.LabelTargetType] == statusType(tr) && statusRefusal(tr) == "" {
			return tr.Index, true
		}
	}
	return 0, false
}

// ObjectNamespace is the namespace of the object a recorded series
// describes: its namespace label, or exported_namespace when the scrape
// renamed it (a ServiceMonitor without honorLabels scraping KEDA's
// operator or kube-state-metrics sets namespace to the exporter's own, and
// Prometheus keeps the series' as exported_namespace).
func ObjectNamespace(labels map[string]string) string {
	if ns, ok := labels["exported_"+openmetrics.LabelNamespace]; ok && ns != "" {
		return ns
	}
	return labels[openmetrics.LabelNamespace]
}

// TriggerLabel names the trigger whose query a recorded answer is, when
// the ScaledObject has several: record each trigger's answer with
// label_replace(QUERY, "autoscale_sim_trigger", "<index>", "", "").
const TriggerLabel = "autoscale_sim_trigger"

// answerOf is the index of the trigger whose query answered s: its
// TriggerLabel, or the only prometheus trigger.
func answerOf(t Target, s replay.Series) (int, error) {
	if v, ok := s.Labels[TriggerLabel]; ok {
		i, err := strconv.Atoi(v)
		if err == nil {
			for _, tr := range t.Triggers {
				if tr.Index == i {
					return i, nil
				}
			}
		}
		what := "a prometheus trigger"
		if t.Kind == KindHPA {
			what = "a metric"
		}
		return 0, fmt.Errorf("series %s: %s %q is not the index of %s of %s", s, TriggerLabel, v, what, t.Object())
	}
	if len(t.Triggers) != 1 {
		if t.Kind == KindHPA {
			return 0, fmt.Errorf("series %s has no metric name: it is the answer of a query, but the HPA has %d metrics and nothing says whose; add the label %s with label_replace(QUERY, %q, \"<index>\", \"\", \"\"), or record %s or the raw series the adapter's queries read",
				s, len(t.Triggers), TriggerLabel, TriggerLabel, openmetrics.HPAStatusTarget)
		}
		return 0, fmt.Errorf("series %s has no metric name: it is the answer of a query, but the ScaledObject has %d prometheus triggers and nothing says whose; add the label %s with label_replace(QUERY, %q, \"<index>\", \"\", \"\"), or record keda_scaler_metrics_value or the raw series the queries read",
			s, len(t.Triggers), TriggerLabel, TriggerLabel)
	}
	return t.Triggers[0].Index, nil
}

// Span is the window a recording covers: from the first to the last
// sample of the HPA's (else the Deployment's) recorded replicas.
func (r *Recording) Span() (from, to time.Time, ok bool) {
	ps := r.Desired
	if len(ps) == 0 {
		ps = r.SpecReplicas
	}
	if len(ps) == 0 {
		return time.Time{}, time.Time{}, false
	}
	return ps[0].T, ps[len(ps)-1].T, true
}

// Options tune a backtest.
type Options struct {
	// MaxLag bounds the lag searched either way (default DefaultMaxLag).
	MaxLag time.Duration
	// Warmup is replayed before rec.From and not compared: the run
	// starts from the replica count recorded at From - Warmup, and its
	// stabilization window and KEDA's state fill with the replayed
	// decisions by From (default 0: the run starts at From).
	Warmup time.Duration
}

// Prepare builds the replay of rec over [rec.From - warmup, rec.To]: the
// Spec the backtest simulates, and the starting replica count with where
// it came from.
func Prepare(spec sim.Spec, t Target, rec *Recording, warmup time.Duration) (sim.Spec, string, error) {
	spec = spec.Defaulted()
	if !rec.To.After(rec.From) {
		return spec, "", fmt.Errorf("the window [%s, %s] is empty", rec.From.Format(time.RFC3339), rec.To.Format(time.RFC3339))
	}
	if warmup < 0 {
		return spec, "", fmt.Errorf("the warm-up %s is negative", warmup)
	}
	begin := rec.From.Add(-warmup)
	start, from, err := startReplicas(rec, begin)
	if err != nil {
		return spec, "", err
	}
	var so keda.ScaledObject
	var h sim.HPA
	if t.Kind == KindHPA {
		h = *spec.HPA
		h.Rules = slices.Clone(h.Rules)
		spec.HPA = &h
	} else {
		so = *spec.KEDA.Object
		so.Triggers = slices.Clone(so.Triggers)
		spec.KEDA = &sim.KEDA{Object: &so, Version: spec.KEDA.Version}
	}
	spec.Start = begin
	spec.Duration = rec.To.Sub(begin) / spec.Tick * spec.Tick
	spec.Loads, spec.Series, spec.Faults = nil, nil, nil
	spec.Workload.Crashes = nil
	spec.Workload.InitialReplicas = start
	spec.AllowEmptyQueries = nil
	for _, tr := range t.Triggers {
		spec.AllowEmptyQueries = append(spec.AllowEmptyQueries, tr.Index)
		in, ok := rec.Inputs[tr.Index]
		if !ok {
			if len(rec.Raw) > 0 {
				continue // the trigger's own query reads the raw series
			}
			q := tr.Query
			if q == "" {
				q = "rendered by the adapter's rules"
			}
			return spec, "", fmt.Errorf("%s: the recording has no metric input for %s (query %s)", tr.field(), tr.What(), q)
		}
		sel := fmt.Sprintf("%s{trigger=%q}", InputMetric, strconv.Itoa(tr.Index))
		if len(in.Series) == 1 {
			// One series: sum() of it is the same answer (and empty
			// where it is), and the simulated Prometheus evaluates it
			// without the engine's per-query setup (promql.Direct).
			sel = "sum(" + sel + ")"
		}
		for _, s := range in.Series {
			spec.Series = append(spec.Series, rawSeries(s, begin, map[string]string{"trigger": strconv.Itoa(tr.Index)}))
		}
		if t.Kind != KindHPA {
			md := maps.Clone(so.Triggers[tr.Index].Metadata)
			md["query"] = sel
			so.Triggers[tr.Index].Metadata = md
			continue
		}
		switch tr.Type {
		case hpa.PodsMetricSourceType:
			// Each Ready simulated pod reports the recorded average (of
			// the answers of the adapter's query, one per cluster pod, or
			// the HPA's status), so the HPA's average is the recorded
			// one whatever the pods are named. A pod reports once it is
			// Ready and scraped, as the workload's own metric did.
			sel = fmt.Sprintf("0 * %s + on() group_left() avg(%s{trigger=%q})", PodMarker, InputMetric, strconv.Itoa(tr.Index))
			spec.Prometheus.Jobs = nil // the marker carries namespace, pod and job
			if len(spec.Loads) == 0 {
				spec.Loads = append(spec.Loads, sim.Load{Metric: PodMarker, Model: sim.Requests, Shape: sim.Steps{Interval: time.Minute, Values: []float64{0}}})
			}
		case hpa.ObjectMetricSourceType:
			sel = fmt.Sprintf("sum(%s{trigger=%q})", InputMetric, strconv.Itoa(tr.Index))
		}
		// An adapter rule of the replay serves the metric from its
		// recorded input; spec.adapter.rules come before the adapter's
		// configuration.
		h.Rules = slices.DeleteFunc(h.Rules, func(r sim.AdapterRule) bool { return r.Name == tr.Metric })
		h.Rules = append(h.Rules, sim.AdapterRule{Name: tr.Metric, Query: sel})
	}
	for _, tr := range t.Triggers {
		spec.Faults = append(spec.Faults, failedReads(tr.Index, rec.Errors[tr.Index], begin, spec.Tick, spec.Duration)...)
	}
	for _, tr := range t.Triggers {
		if _, ok := rec.Inputs[tr.Index]; !ok {
			for _, s := range rec.Raw {
				spec.Series = append(spec.Series, rawSeries(s, begin, nil))
			}
			break
		}
	}
	return spec, from, nil
}

// failedReads turns the rises of a trigger's recorded error counter into
// metricsDown faults on the trigger: a rise between the samples at t1 and
// t2 makes the reads in (t1, t2] fail. A fall is a counter reset (KEDA's
// operator restarted): the new value counts as a rise when above zero.
func failedReads(trigger int, errs []replay.Point, from time.Time, tick, duration time.Duration) []sim.Fault {
	var out []sim.Fault
	for k := 1; k < len(errs); k++ {
		prev, cur := errs[k-1], errs[k]
		if math.IsNaN(prev.V) || math.IsNaN(cur.V) || cur.V == prev.V || (cur.V < prev.V && cur.V <= 0) {
			continue
		}
		lo, hi := prev.T.Sub(from)+tick, cur.T.Sub(from)+tick
		lo, hi = max(lo, 0), min(hi, duration+tick)
		if hi <= lo {
			continue
		}
		if n := len(out); n > 0 && out[n-1].To >= lo {
			out[n-1].To = hi
			continue
		}
		i := trigger
		out = append(out, sim.Fault{Kind: sim.MetricsDown, From: lo, To: hi, Metric: &i})
	}
	return out
}

// rawSeries turns a recorded series into a raw series of the replay, the
// points before from left out.
func rawSeries(s replay.Series, from time.Time, set map[string]string) sim.RawSeries {
	ls := maps.Clone(s.Labels)
	if set != nil {
		// The recorded labels are kept, renamed, so that a query that
		// answered several series still gives several.
		ls = map[string]string{replay.NameLabel: InputMetric}
		for k, v := range s.Labels {
			if k != replay.NameLabel {
				ls["recorded_"+k] = v
			}
		}
		maps.Copy(ls, set)
	}
	out := sim.RawSeries{Labels: ls}
	for _, p := range s.Points {
		if d := p.T.Sub(from); d >= 0 {
			out.Points = append(out.Points, sim.RawPoint{T: d, V: p.V})
		}
	}
	return out
}

// startReplicas is the replica count at the window's start: the HPA's
// status.currentReplicas (the scale's spec.replicas when the sync in
// force then began), else the Deployment's spec.replicas, as last
// recorded at or before begin.
func startReplicas(rec *Recording, begin time.Time) (int32, string, error) {
	for _, c := range []struct {
		ps   []replay.Point
		name string
	}{{rec.Current, openmetrics.HPACurrentReplicas}, {rec.SpecReplicas, openmetrics.DeploymentSpecReplicas}} {
		if p, ok := at(c.ps, begin, 0); ok && !math.IsNaN(p.V) {
			if p.V < 0 || p.V > math.MaxInt32 || p.V != math.Trunc(p.V) {
				return 0, "", fmt.Errorf("%s at %s: %g is not a replica count", c.name, p.T.UTC().Format(time.RFC3339Nano), p.V)
			}
			return int32(p.V), fmt.Sprintf("%s at %s", c.name, p.T.UTC().Format(time.RFC3339)), nil
		}
	}
	what := "--from"
	if begin.Before(rec.From) {
		what = "the warm-up's start"
	}
	return 0, "", fmt.Errorf("the recording has no replica count at or before %s %s: it needs %s or %s of the HPA", what, begin.UTC().Format(time.RFC3339), openmetrics.HPACurrentReplicas, openmetrics.DeploymentSpecReplicas)
}

// at is the last point at or before t, and whether it is in force there.
// With a spacing (0: any age will do), a point at least a spacing old is
// no longer in force when a scrape is missing after it: when the next
// point comes more than 1.5 spacings after it, or, past the last point,
// when it is 1.5 spacings old. The half spacing of slack keeps scrape
// jitter (a sample a few milliseconds late) from reading as a loss, while
// a scrape that did not happen at all always does.
func at(ps []replay.Point, t time.Time, spacing time.Duration) (replay.Point, bool) {
	i := sort.Search(len(ps), func(i int) bool { return ps[i].T.After(t) })
	if i == 0 {
		return replay.Point{}, false
	}
	p := ps[i-1]
	age := t.Sub(p.T)
	if spacing <= 0 || age < spacing {
		return p, true
	}
	if i < len(ps) {
		return p, ps[i].T.Sub(p.T) <= spacing*3/2
	}
	return p, age < spacing*3/2
}

// spacing is the median interval between consecutive points.
func spacing(ps []replay.Point) time.Duration {
	if len(ps) < 2 {
		return 0
	}
	d := make([]time.Duration, 0, len(ps)-1)
	for i := 1; i < len(ps); i++ {
		d = append(d, ps[i].T.Sub(ps[i-1].T))
	}
	slices.Sort(d)
	return d[len(d)/2]
}

// Report is the outcome of a backtest.
type Report struct {
	Scenario string
	// Kind is KindScaledObject or KindHPA.
	Kind         string
	Namespace    string
	ScaledObject string
	HPA          string
	From         time.Time
	To           time.Time
	// Warmup is the replay before From that is not compared.
	Warmup time.Duration
	// SyncPeriod is the HPA sync period; Compared names the recorded
	// series the decisions are compared with.
	SyncPeriod time.Duration
	Compared   string
	// Start is the starting replica count and where it was read.
	Start     int32
	StartFrom string
	// Inputs say what each trigger replayed.
	Inputs []InputInfo
	// Syncs is the number of HPA syncs compared, Agreeing those whose
	// desired replicas agree.
	Syncs     int
	Agreeing  int
	Agreement float64
	// Missing counts the syncs without a recorded value.
	Missing                 int
	SimulatedReplicaSeconds float64
	RecordedReplicaSeconds  float64
	ReplicaSecondsError     float64
	MeanAbsoluteError       float64
	// Lag is the shift of the recorded trace that agrees best, and
	// LagAgreement the agreement at that shift.
	Lag          time.Duration
	LagAgreement float64
	Points       []Point
	Disagreement []Disagreement
	Notes        []string
}

// InputInfo describes a trigger's replayed input.
type InputInfo struct {
	// Trigger is the index of the trigger, or of the plain HPA's metric.
	Trigger int
	Metric  string
	// Type is the HPA metric's source type (empty for a trigger).
	Type hpa.MetricSourceType
	// Source is InputQuery, InputKEDA, or "raw" (the trigger's own query
	// over recorded raw series).
	Source string
	Series int
	Points int
	// FailedFor is how long the trigger's reads fail in the replay, from
	// its recorded keda_scaler_detail_errors_total.
	FailedFor time.Duration
}

// Point is one HPA sync of the comparison.
type Point struct {
	T         time.Time
	Simulated int32
	// Recorded is nil when no recorded sample is in force at T.
	Recorded *int32
}

// Disagreement is a sync whose simulated desired replicas differ from the
// recorded ones (or have none to compare with).
type Disagreement struct {
	At time.Time
	// Offset is At less the window's start.
	Offset    time.Duration
	Recorded  *int32
	Simulated int32
	// Why is the simulated decision: each metric's value and proposal,
	// stabilization, limits, and KEDA's activity.
	Why string
}

// Run simulates the replay of rec and compares it with the recorded
// replicas at every HPA sync.
func Run(ctx context.Context, spec sim.Spec, t Target, rec *Recording, opts Options) (*Report, error) {
	if opts.MaxLag <= 0 {
		opts.MaxLag = DefaultMaxLag
	}
	replaySpec, startFrom, err := Prepare(spec, t, rec, opts.Warmup)
	if err != nil {
		return nil, err
	}
	s, err := sim.New(replaySpec)
	if err != nil {
		return nil, err
	}
	replaySpec = s.Spec()
	sync := replaySpec.Controller.SyncPeriod
	r := &Report{Scenario: spec.Name, Kind: t.Kind, Namespace: t.Namespace, ScaledObject: t.ScaledObject, HPA: t.HPA,
		From: rec.From, To: replaySpec.Start.Add(replaySpec.Duration), SyncPeriod: sync, Warmup: opts.Warmup,
		Start: replaySpec.Workload.InitialReplicas, StartFrom: startFrom}
	for _, tr := range t.Triggers {
		info := InputInfo{Trigger: tr.Index, Metric: tr.Metric, Type: tr.Type, Source: "raw"}
		if in, ok := rec.Inputs[tr.Index]; ok {
			info.Source, info.Series = in.Source, len(in.Series)
			for _, s := range in.Series {
				info.Points += len(s.Points)
			}
		} else {
			info.Series = len(rec.Raw)
			for _, s := range rec.Raw {
				info.Points += len(s.Points)
			}
		}
		for _, f := range replaySpec.Faults {
			if f.Metric != nil && *f.Metric == tr.Index {
				info.FailedFor += f.To - f.From
			}
		}
		r.Inputs = append(r.Inputs, info)
	}
	// Compared with the HPA's status.desiredReplicas, or else with the
	// Deployment's spec.replicas (which KEDA sets alone when it scales to
	// and from zero).
	recorded, hpaStatus := rec.Desired, true
	r.Compared = openmetrics.HPADesiredReplicas
	if len(recorded) == 0 {
		recorded, hpaStatus = rec.SpecReplicas, false
		r.Compared = openmetrics.DeploymentSpecReplicas
	}
	if len(recorded) == 0 {
		return nil, fmt.Errorf("the recording has neither %s of HPA %s/%s nor %s of Deployment %s/%s to compare with",
			openmetrics.HPADesiredReplicas, t.Namespace, t.HPA, openmetrics.DeploymentSpecReplicas, t.Namespace, t.Deployment)
	}
	for _, p := range recorded {
		if !math.IsNaN(p.V) && (p.V < 0 || p.V > math.MaxInt32 || p.V != math.Trunc(p.V)) {
			return nil, fmt.Errorf("%s at %s: %g is not a replica count", r.Compared, p.T.UTC().Format(time.RFC3339Nano), p.V)
		}
	}
	maxAge := spacing(recorded)
	if maxAge <= 0 {
		maxAge = sync
	}
	value := func(t time.Time) (int32, bool) {
		p, ok := at(recorded, t, maxAge)
		if !ok || math.IsNaN(p.V) {
			return 0, false
		}
		return int32(p.V), true
	}
	recAt := func(t time.Time) *int32 {
		if v, ok := value(t); ok {
			return &v
		}
		return nil
	}
	type step struct {
		sim int32
		why string
	}
	var steps []step
	var times []time.Time
	for off := time.Duration(0); off <= replaySpec.Duration; off += sync {
		if err := s.RunUntil(ctx, off); err != nil {
			return nil, err
		}
		d, ok := s.LastHPADecision()
		now := replaySpec.Start.Add(off)
		if now.Before(rec.From) {
			continue // the warm-up
		}
		if !ok || !d.Time.Equal(now) {
			// No sync at this instant (the ScaledObject is paused).
			continue
		}
		v := d.StatusDesiredReplicas
		st := step{sim: v}
		if rv, ok := value(now); !hpaStatus || !ok || rv != v {
			// Only a disagreement is explained.
			poll, polled := s.LastPoll()
			st.why = explain(d, poll, polled)
		}
		steps = append(steps, st)
		times = append(times, now)
	}
	res, err := s.Run(ctx)
	if err != nil {
		return nil, err
	}
	if !hpaStatus {
		for i := range steps {
			steps[i].sim = res.DesiredAt(times[i].Sub(replaySpec.Start))
		}
	}
	var absErr float64
	var withValue int
	var last *int32
	for i, st := range steps {
		now := times[i]
		rv := recAt(now)
		r.Points = append(r.Points, Point{T: now, Simulated: st.sim, Recorded: rv})
		// Each sync's value holds until the next sync (at most a sync
		// period: none is held across a pause) or the end.
		hold := r.To.Sub(now)
		if i+1 < len(steps) {
			hold = times[i+1].Sub(now)
		}
		hold = min(hold, sync)
		r.SimulatedReplicaSeconds += float64(st.sim) * hold.Seconds()
		if rv != nil {
			last = rv
		}
		if last != nil {
			r.RecordedReplicaSeconds += float64(*last) * hold.Seconds()
		}
		r.Syncs++
		switch {
		case rv == nil:
			r.Missing++
		case *rv == st.sim:
			r.Agreeing++
		}
		if rv != nil {
			withValue++
			absErr += math.Abs(float64(*rv - st.sim))
		}
		if rv == nil || *rv != st.sim {
			r.Disagreement = append(r.Disagreement, Disagreement{At: now, Offset: now.Sub(r.From), Recorded: rv, Simulated: st.sim, Why: st.why})
		}
	}
	if r.Syncs > 0 {
		r.Agreement = float64(r.Agreeing) / float64(r.Syncs)
	}
	if withValue > 0 {
		r.MeanAbsoluteError = absErr / float64(withValue)
	}
	r.ReplicaSecondsError = r.SimulatedReplicaSeconds - r.RecordedReplicaSeconds
	r.Lag, r.LagAgreement = bestLag(r.Points, sync, opts.MaxLag, value)
	for _, tr := range t.Triggers {
		if tr.Type == hpa.PodsMetricSourceType {
			if _, ok := rec.Inputs[tr.Index]; ok {
				r.Notes = append(r.Notes, fmt.Sprintf("%s: every Ready simulated pod reports the recorded average, once scraped (pods that are not yet are missing, as the HPA counts them)", tr.What()))
			}
		}
	}
	r.Notes = append(r.Notes,
		"the loads, raw series and faults of the scenario are left out: the recording holds what happened",
		startNote(opts.Warmup),
		fmt.Sprintf("a recorded sample holds until the next, unless a scrape is missing (the next comes more than 1.5 times the spacing of %s later): a sync without a sample in force counts as a disagreement", maxAge))
	return r, nil
}

// shortDuration writes 7m0s as 7m and 1h0m0s as 1h.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func startNote(warmup time.Duration) string {
	if warmup > 0 {
		return fmt.Sprintf("every pod is ready at the start of the %s warm-up, which fills the HPA's stabilization window and KEDA's state with the replayed decisions", shortDuration(warmup))
	}
	return "every pod at the start is ready and the HPA's stabilization window starts empty (--warmup replays a stretch before --from to fill it)"
}

// bestLag tries shifting the recorded trace by whole sync periods, up to
// maxLag either way, and returns the shift with the highest agreement
// (the smallest shift among equals, the positive one before the
// negative).
func bestLag(points []Point, sync, maxLag time.Duration, value func(time.Time) (int32, bool)) (time.Duration, float64) {
	best, bestAgree := time.Duration(0), -1.0
	n := int(maxLag / sync)
	for k := 0; k <= n; k++ {
		for _, sign := range []int{1, -1} {
			if k == 0 && sign < 0 {
				continue
			}
			lag := time.Duration(sign*k) * sync
			agree, total := 0, 0
			for _, p := range points {
				rv, ok := value(p.T.Add(lag))
				if !ok {
					continue
				}
				total++
				if rv == p.Simulated {
					agree++
				}
			}
			if total == 0 {
				continue
			}
			if a := float64(agree) / float64(total); a > bestAgree {
				best, bestAgree = lag, a
			}
		}
	}
	if bestAgree < 0 {
		bestAgree = 0
	}
	return best, bestAgree
}

// explain words the simulated sync: each metric's value, usage ratio and
// proposal, the stabilization and the limits, and KEDA's activity.
func explain(d hpa.Decision, poll keda.PollResult, polled bool) string {
	var parts []string
	for _, m := range d.Metrics {
		name := m.Description
		if i := strings.IndexByte(name, '('); i > 0 {
			name = name[:i]
		}
		if m.Err != nil {
			parts = append(parts, fmt.Sprintf("%s failed (%s)", name, m.ConditionReason))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s = %s, ratio %.2f, proposes %d", name, m.CurrentValue, m.UsageRatio, m.Proposal))
	}
	if d.Path != hpa.PathMetrics {
		parts = append(parts, "path "+d.Path)
	}
	if d.Stabilized != d.MetricsDesired && d.Path == hpa.PathMetrics {
		s := fmt.Sprintf("stabilized to %d", d.Stabilized)
		if d.StabilizationReason != "" {
			s += " (" + d.StabilizationReason + ")"
		}
		parts = append(parts, s)
	}
	if d.LimitReason != "" && d.LimitReason != "DesiredWithinRange" {
		parts = append(parts, "ScalingLimited "+d.LimitReason)
	}
	parts = append(parts, fmt.Sprintf("current %d, desired %d", d.CurrentReplicas, d.DesiredReplicas))
	if polled {
		a := "inactive"
		if poll.Active {
			a = "active"
		}
		parts = append(parts, "KEDA "+a)
	}
	return strings.Join(parts, "; ")
}
