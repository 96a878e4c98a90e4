package openmetrics

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// The series names of kube-state-metrics (docs/metrics/workload/
// horizontalpodautoscaler-metrics.md, deployment-metrics.md; generated in
// internal/store/hpa.go and deployment.go) and of KEDA's operator
// (pkg/metricscollector/prommetrics.go: namespace "keda", subsystems
// "scaler" and "scaled_object").
const (
	HPADesiredReplicas = "kube_horizontalpodautoscaler_status_desired_replicas"
	HPACurrentReplicas = "kube_horizontalpodautoscaler_status_current_replicas"
	HPAMinReplicas     = "kube_horizontalpodautoscaler_spec_min_replicas"
	HPAMaxReplicas     = "kube_horizontalpodautoscaler_spec_max_replicas"
	// HPASpecTarget and HPAStatusTarget are each metric's target and its
	// current value in the HPA's status, labelled metric_name and
	// metric_target_type (value, average or utilization); hpa.go
	// createHPASpecTargetMetric and createHPAStatusTargetMetric.
	HPASpecTarget   = "kube_horizontalpodautoscaler_spec_target_metric"
	HPAStatusTarget = "kube_horizontalpodautoscaler_status_target_metric"

	DeploymentSpecReplicas  = "kube_deployment_spec_replicas"
	DeploymentReplicas      = "kube_deployment_status_replicas"
	DeploymentReadyReplicas = "kube_deployment_status_replicas_ready"

	KEDAScalerMetricsValue = "keda_scaler_metrics_value"
	KEDAScalerActive       = "keda_scaler_active"
	KEDAScaledObjectPaused = "keda_scaled_object_paused"
	// KEDAScalerErrors is the counter of failed reads of a trigger
	// (family keda_scaler_detail_errors, prommetrics.go scalerErrors).
	KEDAScalerErrors = "keda_scaler_detail_errors_total"
)

// The label names of those series.
const (
	LabelNamespace  = "namespace"
	LabelHPA        = "horizontalpodautoscaler"
	LabelDeployment = "deployment"
	// The labels of the target metrics.
	LabelMetricName = "metric_name"
	LabelTargetType = "metric_target_type"
	// KEDA's metricLabels.
	LabelScaledObject = "scaledObject"
	LabelScaler       = "scaler"
	LabelTriggerIndex = "triggerIndex"
	LabelMetric       = "metric"
	LabelType         = "type"
)

var help = map[string]string{
	HPADesiredReplicas:      "Desired number of replicas of pods managed by this autoscaler.",
	HPACurrentReplicas:      "Current number of replicas of pods managed by this autoscaler.",
	HPAMinReplicas:          "Lower limit for the number of pods that can be set by the autoscaler, default 1.",
	HPAMaxReplicas:          "Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.",
	HPASpecTarget:           "The metric specifications used by this autoscaler when calculating the desired replica count.",
	HPAStatusTarget:         "The current metric status used by this autoscaler when calculating the desired replica count.",
	DeploymentSpecReplicas:  "Number of desired pods for a deployment.",
	DeploymentReplicas:      "The number of replicas per deployment.",
	DeploymentReadyReplicas: "The number of ready replicas per deployment.",
	KEDAScalerMetricsValue:  "The current value for each scaler's metric that would be used by the HPA in computing the target average.",
	KEDAScalerActive:        "Indicates whether a scaler is active (1), or not (0).",
	KEDAScaledObjectPaused:  "Indicates whether a ScaledObject is paused (1), or not (0).",
	KEDAScalerErrors:        "The total number of errors encountered for each scaler.",
}

// counters are the families of type counter; their samples carry the
// _total suffix, the family name does not (OpenMetrics).
var counters = map[string]bool{KEDAScalerErrors: true}

// Series is one exported series: its labels (with __name__) and its
// samples, timestamps in milliseconds since the Unix epoch.
type Series struct {
	Labels promql.Labels
	T      []int64
	V      []float64
}

// Export is a simulated run as Prometheus series.
type Export struct {
	// Result is the run's result, as sim.Run gives it.
	Result *sim.Result
	// Step is the spacing of the kube-state-metrics and KEDA samples: the
	// greatest common divisor of the HPA sync period and the polling
	// interval.
	Step time.Duration
	// Series are sorted by labels.
	Series []Series
}

// HPAName is the name of the HorizontalPodAutoscaler of spec, as
// kube-state-metrics labels it: KEDA's generated one for a ScaledObject
// (keda-hpa-<name>, or advanced.horizontalPodAutoscalerConfig.name), the
// manifest's for a plain HPA; "" for a ScaledJob, which has none.
func HPAName(spec sim.Spec) string {
	switch {
	case spec.KEDA != nil:
		return spec.KEDA.Object.HPAName()
	case spec.HPA != nil:
		return spec.HPA.Spec.Name
	}
	return ""
}

// Namespace is the namespace of the workload and its autoscaler
// ("default" when unset, as the API server defaults it).
func Namespace(spec sim.Spec) string {
	switch {
	case spec.KEDA != nil && spec.KEDA.Object.Namespace != "":
		return spec.KEDA.Object.Namespace
	case spec.HPA != nil && spec.HPA.Spec.Namespace != "":
		return spec.HPA.Spec.Namespace
	case spec.Workload.Namespace != "":
		return spec.Workload.Namespace
	}
	return "default"
}

// ScalerLabel is the scaler label KEDA gives trigger t: the trigger's
// name, else the scaler's Go type name without its package
// (pkg/scaling/scale_handler.go: strings.Replace(fmt.Sprintf("%T",
// scaler), "*scalers.", "", 1)).
func ScalerLabel(t keda.Trigger) string {
	if t.Name != "" {
		return t.Name
	}
	switch t.Type {
	case "prometheus":
		return "prometheusScaler"
	case "cpu", "memory":
		return "cpuMemoryScaler"
	case "kafka":
		return "kafkaScaler"
	case "apache-kafka":
		return "apacheKafkaScaler"
	case "cron":
		return "cronScaler"
	}
	return t.Type + "Scaler"
}

// TriggerMetricName is the External metric name of trigger i among the
// run's metric columns ("s<i>-..." as KEDA's GenerateMetricNameWithIndex
// names it), "" when the trigger has no column (cpu and memory triggers
// are Resource metrics, which KEDA does not record).
func TriggerMetricName(res *sim.Result, i int) (name string, column int) {
	prefix := fmt.Sprintf("s%d-", i)
	for c, m := range res.Metrics {
		if (m.SourceType == "External" || m.SourceType == sim.ScaledJobSource) && strings.HasPrefix(m.Name, prefix) {
			return m.Name, c
		}
	}
	return "", -1
}

// Step is the spacing of the exporters' samples for spec: the greatest
// common divisor of the HPA sync period, the KEDA polling interval and
// the trace interval, so that every sync and poll is followed by a sample.
func Step(spec sim.Spec) time.Duration {
	spec = spec.Defaulted()
	g := spec.Controller.SyncPeriod
	if spec.KEDA != nil {
		g = gcd(g, time.Duration(spec.KEDA.Object.PollingIntervalSeconds())*time.Second)
	}
	if spec.ScaledJob != nil {
		g = spec.TraceInterval
	}
	if g <= 0 {
		g = spec.TraceInterval
	}
	return g
}

func gcd(a, b time.Duration) time.Duration {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Simulate runs spec and returns its series. The run is the one sim.Run
// makes, with the trace sampled at Step (which changes no decision).
func Simulate(ctx context.Context, spec sim.Spec) (*Export, error) {
	step := Step(spec)
	spec.TraceInterval = step
	s, err := sim.New(spec)
	if err != nil {
		return nil, err
	}
	x := newExporter(s)
	for t := time.Duration(0); t <= x.spec.Duration; t += step {
		if err := s.RunUntil(ctx, t); err != nil {
			return nil, err
		}
		x.sample(t)
	}
	res, err := s.Run(ctx)
	if err != nil {
		return nil, err
	}
	x.finish(res)
	b := x.b
	if err := b.addStore(ctx, s); err != nil {
		return nil, err
	}
	return &Export{Result: res, Step: step, Series: b.sorted()}, nil
}

// SimulateNamespace is Simulate for a namespace: every workload's series
// (its pods' in the one Prometheus, and kube-state-metrics' and KEDA's
// for its HPA, Deployment and ScaledObject) in one export, sampled at the
// step that suits them all. Export.Result is the namespace as one.
func SimulateNamespace(ctx context.Context, spec sim.NamespaceSpec) (*Export, *sim.NamespaceResult, error) {
	if len(spec.Workloads) == 0 {
		return nil, nil, fmt.Errorf("a namespace needs at least one workload")
	}
	var step time.Duration
	for _, w := range spec.Workloads {
		step = gcd(step, Step(w))
	}
	spec.Workloads = append([]sim.Spec(nil), spec.Workloads...)
	for i := range spec.Workloads {
		spec.Workloads[i].TraceInterval = step
	}
	ns, err := sim.NewNamespace(spec)
	if err != nil {
		return nil, nil, err
	}
	var xs []*exporter
	for _, s := range ns.Workloads() {
		xs = append(xs, newExporter(s))
	}
	for t := time.Duration(0); t <= xs[0].spec.Duration; t += step {
		if err := ns.RunUntil(ctx, t); err != nil {
			return nil, nil, err
		}
		for _, x := range xs {
			x.sample(t)
		}
	}
	res, err := ns.Run(ctx)
	if err != nil {
		return nil, nil, err
	}
	b := newBuilder()
	for i, x := range xs {
		x.finish(res.Workloads[i])
		for k, sr := range x.b.byKey {
			if _, ok := b.byKey[k]; ok {
				return nil, nil, fmt.Errorf("workloads %s: the export would write series %s twice; give the workloads' objects distinct names", spec.Workloads[i].Workload.Name, k)
			}
			b.byKey[k] = sr
		}
	}
	if err := b.addStore(ctx, ns.Workloads()[0]); err != nil {
		return nil, nil, err
	}
	return &Export{Result: res.Total(), Step: step, Series: b.sorted()}, res, nil
}

// exporter turns one simulator's state into the series its exporters
// would have written: kube-state-metrics' for its HPA and Deployment,
// KEDA's for its ScaledObject or ScaledJob.
type exporter struct {
	spec        sim.Spec
	s           *sim.Simulator
	b           *builder
	ns, hpaName string
	hpaLabels   func(string) promql.Labels
	states      map[time.Duration]kedaState
	recreated   time.Time
	wasPaused   bool
}

// kedaState is what KEDA's last poll said at a sample.
type kedaState struct {
	polled, paused bool
	poll           keda.PollResult
}

func newExporter(s *sim.Simulator) *exporter {
	spec := s.Spec()
	x := &exporter{spec: spec, s: s, b: newBuilder(), ns: Namespace(spec), hpaName: HPAName(spec), states: map[time.Duration]kedaState{}}
	x.hpaLabels = func(name string) promql.Labels {
		return promql.Labels{metricName: name, LabelNamespace: x.ns, LabelHPA: x.hpaName}
	}
	return x
}

// sample records the exporters' state at t, once the run reached it.
func (x *exporter) sample(t time.Duration) {
	spec, s, b, hpaLabels := x.spec, x.s, x.b, x.hpaLabels
	ms := spec.Start.Add(t).UnixMilli()
	var st kedaState
	if loop := s.KEDA(); loop != nil {
		st.poll, st.polled = s.LastPoll()
		st.paused = st.polled && st.poll.Paused
	}
	x.states[t] = st
	if x.wasPaused && !st.paused {
		x.recreated = spec.Start.Add(t)
	}
	x.wasPaused = st.paused
	// While a ScaledObject is paused KEDA has deleted its HPA, and
	// kube-state-metrics exports nothing for it.
	if d, ok := s.LastHPADecision(); ok && s.HPA() != nil && !st.paused {
		// Status as horizontal.go setStatus leaves it:
		// currentReplicas is scale.spec.replicas at the sync,
		// desiredReplicas the applied recommendation. The HPA KEDA
		// creates after a pause has an empty status (zeros) until
		// its first sync.
		desired, current := float64(d.StatusDesiredReplicas), float64(d.CurrentReplicas)
		if !x.recreated.IsZero() && d.Time.Before(x.recreated) {
			desired, current = 0, 0
		}
		hpaSeries := func(name string) *Series {
			return b.series(refKey{name: name}, func() promql.Labels { return hpaLabels(name) })
		}
		hpaSeries(HPADesiredReplicas).add(ms, desired)
		hpaSeries(HPACurrentReplicas).add(ms, current)
		hpaSeries(HPAMinReplicas).add(ms, float64(d.MinReplicas))
		hpaSeries(HPAMaxReplicas).add(ms, float64(d.MaxReplicas))
		addTargets(b, hpaLabels, s.HPA().Spec(), d, ms, !x.recreated.IsZero() && d.Time.Before(x.recreated))
	}
}

// finish records the series read from the finished run's trace.
func (x *exporter) finish(res *sim.Result) {
	spec, b, ns, states := x.spec, x.b, x.ns, x.states
	if spec.ScaledJob == nil && (spec.Workload.Kind == "" || spec.Workload.Kind == "Deployment") {
		dl := func(name string) promql.Labels {
			return promql.Labels{metricName: name, LabelNamespace: ns, LabelDeployment: spec.Workload.Name}
		}
		for _, smp := range res.Samples {
			ms := spec.Start.Add(smp.T).UnixMilli()
			depSeries := func(name string) *Series {
				return b.series(refKey{name: name}, func() promql.Labels { return dl(name) })
			}
			depSeries(DeploymentSpecReplicas).add(ms, float64(smp.DesiredReplicas))
			depSeries(DeploymentReplicas).add(ms, float64(smp.Replicas))
			depSeries(DeploymentReadyReplicas).add(ms, float64(smp.ReadyReplicas))
		}
	}
	if spec.KEDA != nil {
		so := spec.KEDA.Object
		// What the gauges hold between reads: the last value read, and
		// the failed reads so far.
		last := make([]float64, len(so.Triggers))
		errs := make([]float64, len(so.Triggers))
		for i := range last {
			last[i] = math.NaN()
		}
		poll := time.Duration(so.PollingIntervalSeconds()) * time.Second
		sync := spec.Controller.SyncPeriod
		for _, smp := range res.Samples {
			// The triggers are read at every poll and every HPA sync.
			read := (poll > 0 && smp.T%poll == 0) || (sync > 0 && smp.T%sync == 0)
			ms := spec.Start.Add(smp.T).UnixMilli()
			st := states[smp.T]
			paused := 0.0
			if st.paused {
				paused = 1
			}
			b.series(refKey{name: KEDAScaledObjectPaused}, func() promql.Labels {
				return promql.Labels{metricName: KEDAScaledObjectPaused, LabelNamespace: ns, LabelScaledObject: so.Name}
			}).add(ms, paused)
			for i, tr := range so.Triggers {
				metric, c := TriggerMetricName(res, i)
				if c < 0 || c >= len(smp.Metrics) {
					continue
				}
				kl := func(name string) promql.Labels {
					return promql.Labels{metricName: name, LabelNamespace: ns, LabelMetric: metric,
						LabelScaledObject: so.Name, LabelScaler: ScalerLabel(tr), LabelTriggerIndex: strconv.Itoa(i), LabelType: "scaledobject"}
				}
				// The gauge keeps the last value KEDA read (a failed read
				// leaves it, and counts an error); before the first read
				// it does not exist.
				if v := smp.Metrics[c]; !math.IsNaN(v) {
					last[i] = v
				} else if read {
					errs[i]++
				}
				if !math.IsNaN(last[i]) {
					b.series(refKey{name: KEDAScalerMetricsValue, index: i}, func() promql.Labels { return kl(KEDAScalerMetricsValue) }).add(ms, last[i])
				}
				b.series(refKey{name: KEDAScalerErrors, index: i}, func() promql.Labels { return kl(KEDAScalerErrors) }).add(ms, errs[i])
				if st.polled {
					active := 0.0
					for _, a := range st.poll.ActiveTriggers {
						if a == metric {
							active = 1
						}
					}
					b.series(refKey{name: KEDAScalerActive, index: i}, func() promql.Labels { return kl(KEDAScalerActive) }).add(ms, active)
				}
			}
		}
	}
	if spec.ScaledJob != nil {
		// A ScaledJob's triggers, read at every poll, under the same
		// names with type "scaledjob" (prommetrics.go getLabels: the
		// scaledObject label holds the ScaledJob's name).
		sj := spec.ScaledJob.Object
		nsj := sj.Namespace
		if nsj == "" {
			nsj = ns
		}
		poll := time.Duration(sj.PollingIntervalSeconds()) * time.Second
		last := make([]float64, len(sj.Triggers))
		errs := make([]float64, len(sj.Triggers))
		for i := range last {
			last[i] = math.NaN()
		}
		for _, smp := range res.Samples {
			ms := spec.Start.Add(smp.T).UnixMilli()
			for i, tr := range sj.Triggers {
				metric, c := TriggerMetricName(res, i)
				if c < 0 || c >= len(smp.Metrics) {
					continue
				}
				kl := func(name string) promql.Labels {
					return promql.Labels{metricName: name, LabelNamespace: nsj, LabelMetric: metric,
						LabelScaledObject: sj.Name, LabelScaler: ScalerLabel(tr), LabelTriggerIndex: strconv.Itoa(i), LabelType: "scaledjob"}
				}
				if v := smp.Metrics[c]; !math.IsNaN(v) {
					last[i] = v
				} else if poll > 0 && smp.T%poll == 0 {
					errs[i]++
				}
				if !math.IsNaN(last[i]) {
					b.series(refKey{name: KEDAScalerMetricsValue, index: i}, func() promql.Labels { return kl(KEDAScalerMetricsValue) }).add(ms, last[i])
				}
				b.series(refKey{name: KEDAScalerErrors, index: i}, func() promql.Labels { return kl(KEDAScalerErrors) }).add(ms, errs[i])
			}
		}
	}
}

// addTargets adds each metric's target and, after a sync that read it,
// its current value as the HPA's status holds it (value, averageValue in
// units, averageUtilization in percent). Object metrics, which
// kube-state-metrics labels with their described object too, are left
// out.
func addTargets(b *builder, hpaLabels func(string) promql.Labels, spec hpa.Spec, d hpa.Decision, ms int64, empty bool) {
	milli := func(v int64) float64 { return float64(v) / 1000 }
	for j, m := range spec.Metrics {
		add := func(name, metric, typ string, v float64) {
			b.series(refKey{name: name, index: j, typ: typ}, func() promql.Labels {
				ls := hpaLabels(name)
				ls[LabelMetricName], ls[LabelTargetType] = metric, typ
				return ls
			}).add(ms, v)
		}
		if m.Type == hpa.ObjectMetricSourceType {
			continue
		}
		t := m.Target
		if t.ValueMilli != nil {
			add(HPASpecTarget, m.Name, "value", milli(*t.ValueMilli))
		}
		if t.AverageValueMilli != nil {
			add(HPASpecTarget, m.Name, "average", milli(*t.AverageValueMilli))
		}
		if t.AverageUtilization != nil {
			add(HPASpecTarget, m.Name, "utilization", float64(*t.AverageUtilization))
		}
		if empty || j >= len(d.Metrics) || d.Metrics[j].Err != nil || d.Metrics[j].Type != m.Type {
			continue
		}
		p := d.Metrics[j].Details
		if p.ValueMilli != nil {
			add(HPAStatusTarget, m.Name, "value", milli(*p.ValueMilli))
		}
		if p.AverageValueMilli != nil {
			add(HPAStatusTarget, m.Name, "average", milli(*p.AverageValueMilli))
		}
		if p.Utilization != nil {
			add(HPAStatusTarget, m.Name, "utilization", float64(*p.Utilization))
		}
	}
}

// builder gathers series by label set.
type builder struct {
	byKey map[string]*Series
	// refs finds the series of the exporters by what they are, without
	// building their labels at every sample.
	refs map[refKey]*Series
}

// refKey names one exporter series: its metric name and, for series of
// a trigger or of an HPA metric, the index and the target type.
type refKey struct {
	name  string
	index int
	typ   string
}

func newBuilder() *builder {
	return &builder{byKey: map[string]*Series{}, refs: map[refKey]*Series{}}
}

// series is the series k, made with the labels of ls the first time.
func (b *builder) series(k refKey, ls func() promql.Labels) *Series {
	if sr, ok := b.refs[k]; ok {
		return sr
	}
	sr := b.get(ls())
	b.refs[k] = sr
	return sr
}

func (b *builder) get(ls promql.Labels) *Series {
	k := ls.String()
	sr := b.byKey[k]
	if sr == nil {
		sr = &Series{Labels: ls}
		b.byKey[k] = sr
	}
	return sr
}

func (sr *Series) add(ms int64, v float64) {
	if n := len(sr.T); n > 0 && sr.T[n-1] >= ms {
		// A later sample at the same instant replaces the earlier one.
		if sr.T[n-1] == ms {
			sr.V[n-1] = v
		}
		return
	}
	sr.T = append(sr.T, ms)
	sr.V = append(sr.V, v)
}

// addStore copies every series of the simulated Prometheus; staleness
// markers have no OpenMetrics form and are left out (promql.Store.Each).
func (b *builder) addStore(ctx context.Context, s *sim.Simulator) error {
	return s.Store().Each(ctx, func(ls promql.Labels, ts []int64, vs []float64) error {
		k := ls.String()
		if _, ok := b.byKey[k]; ok {
			return fmt.Errorf("the simulated Prometheus holds series %s, which the export writes for the simulated exporters; rename the raw series", k)
		}
		if len(ts) > 0 {
			b.byKey[k] = &Series{Labels: ls, T: ts, V: vs}
		}
		return nil
	})
}

func (b *builder) sorted() []Series {
	out := make([]Series, 0, len(b.byKey))
	keys := make([]string, 0, len(b.byKey))
	for k, sr := range b.byKey {
		if len(sr.T) > 0 {
			keys = append(keys, k)
		}
	}
	// Sorted by metric name first, so that a family's series are
	// together, then by the label notation.
	sort.Slice(keys, func(i, j int) bool {
		a, c := b.byKey[keys[i]].Labels[metricName], b.byKey[keys[j]].Labels[metricName]
		if a != c {
			return a < c
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		out = append(out, *b.byKey[k])
	}
	return out
}

const metricName = "__name__"

// Write writes the series in OpenMetrics text: one family per metric
// name (typed gauge for the exporters' series, unknown for the
// workload's), series sorted by labels, samples in time order with
// millisecond timestamps, then "# EOF".
func (e *Export) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	family := ""
	for _, sr := range e.Series {
		name := sr.Labels[metricName]
		if !validMetricName(name) {
			return fmt.Errorf("series %s: metric name %q cannot be written in OpenMetrics text (allowed: [a-zA-Z_:][a-zA-Z0-9_:]*)", sr.Labels, name)
		}
		if name != family {
			family = name
			typ, fam := "unknown", name
			if h, ok := help[name]; ok {
				typ = "gauge"
				if counters[name] {
					typ, fam = "counter", strings.TrimSuffix(name, "_total")
				}
				fmt.Fprintf(bw, "# HELP %s %s\n", fam, h)
			}
			fmt.Fprintf(bw, "# TYPE %s %s\n", fam, typ)
		}
		var lb strings.Builder
		names := make([]string, 0, len(sr.Labels))
		for n, v := range sr.Labels {
			if n != metricName && v != "" {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			if !validLabelName(n) {
				return fmt.Errorf("series %s: label name %q cannot be written in OpenMetrics text (allowed: [a-zA-Z_][a-zA-Z0-9_]*)", sr.Labels, n)
			}
			if lb.Len() > 0 {
				lb.WriteByte(',')
			}
			lb.WriteString(n)
			lb.WriteString(`="`)
			lb.WriteString(escape(sr.Labels[n]))
			lb.WriteByte('"')
		}
		head := name
		if lb.Len() > 0 {
			head += "{" + lb.String() + "}"
		}
		for i, t := range sr.T {
			bw.WriteString(head)
			bw.WriteByte(' ')
			bw.WriteString(formatValue(sr.V[i]))
			bw.WriteByte(' ')
			bw.WriteString(formatTimestamp(t))
			bw.WriteByte('\n')
		}
	}
	bw.WriteString("# EOF\n")
	return bw.Flush()
}

// formatValue writes a float as OpenMetrics reads it: NaN, +Inf, -Inf or
// the shortest decimal that parses back to the same float.
func formatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// formatTimestamp writes milliseconds as seconds with exact decimals.
func formatTimestamp(ms int64) string {
	sign := ""
	if ms < 0 {
		sign, ms = "-", -ms
	}
	s, frac := ms/1000, ms%1000
	if frac == 0 {
		return sign + strconv.FormatInt(s, 10)
	}
	return sign + strconv.FormatInt(s, 10) + "." + strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
}

func escape(s string) string {
	if !strings.ContainsAny(s, "\\\"\n") {
		return s
	}
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func validMetricName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func validLabelName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
