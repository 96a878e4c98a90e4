package hpaconformance

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Names of the objects every case uses.
const (
	Namespace  = "ns"
	HPAName    = "hpa"
	TargetName = "app"
)

// ModelConfig is the hpa.Config a case runs with: the release's defaults,
// the gate overrides and the controller flags.
func (c Case) ModelConfig() (hpa.Config, error) {
	cfg, err := hpa.ConfigForKubernetesVersion(c.Version)
	if err != nil {
		return cfg, err
	}
	if g := c.Gates.ScaleToZero; g != nil {
		cfg.ScaleToZero = *g
	}
	if g := c.Gates.ConfigurableTolerance; g != nil {
		cfg.ConfigurableTolerance = *g
	}
	if g := c.Gates.PodLevelResources; g != nil {
		cfg.PodLevelResources = *g
	}
	cfg.Tolerance = c.Controller.Tolerance
	cfg.DownscaleStabilization = time.Duration(c.Controller.DownscaleStabilizationSeconds) * time.Second
	cfg.CPUInitializationPeriod = time.Duration(c.Controller.CPUInitializationSeconds) * time.Second
	cfg.InitialReadinessDelay = time.Duration(c.Controller.InitialReadinessDelaySeconds) * time.Second
	return cfg, nil
}

// ModelSpec is the hpa.Spec of the case's HPA, as the scenarios package
// reads it from a manifest.
func (c Case) ModelSpec() (hpa.Spec, error) {
	s := hpa.Spec{
		Name:           HPAName,
		Namespace:      Namespace,
		ScaleTargetRef: hpa.CrossVersionObjectReference{Kind: "Deployment", Name: TargetName, APIVersion: "apps/v1"},
		MinReplicas:    c.HPA.MinReplicas,
		MaxReplicas:    c.HPA.MaxReplicas,
	}
	for _, m := range c.HPA.Metrics {
		ms := hpa.MetricSpec{
			Type:      hpa.MetricSourceType(m.Type),
			Name:      m.Name,
			Container: m.Container,
			Selector:  RenderSelector(m.Selector),
			Target: hpa.MetricTarget{
				Type:               hpa.MetricTargetType(m.Target.Type),
				ValueMilli:         m.Target.Value,
				AverageValueMilli:  m.Target.AverageValue,
				AverageUtilization: m.Target.AverageUtilization,
			},
		}
		if m.Object != nil {
			ms.DescribedObject = hpa.CrossVersionObjectReference{Kind: m.Object.Kind, Name: m.Object.Name, APIVersion: m.Object.APIVersion}
		}
		s.Metrics = append(s.Metrics, ms)
	}
	if b := c.HPA.Behavior; b != nil {
		var err error
		s.Behavior = &hpa.Behavior{}
		if s.Behavior.ScaleUp, err = modelRules(b.ScaleUp); err != nil {
			return s, err
		}
		if s.Behavior.ScaleDown, err = modelRules(b.ScaleDown); err != nil {
			return s, err
		}
	}
	return s, nil
}

func modelRules(r *Rules) (*hpa.ScalingRules, error) {
	if r == nil {
		return nil, nil
	}
	out := &hpa.ScalingRules{StabilizationWindowSeconds: r.StabilizationWindowSeconds}
	if r.SelectPolicy != nil {
		p := hpa.ScalingPolicySelect(*r.SelectPolicy)
		out.SelectPolicy = &p
	}
	if r.Policies != nil {
		out.Policies = []hpa.ScalingPolicy{}
	}
	for _, p := range r.Policies {
		out.Policies = append(out.Policies, hpa.ScalingPolicy{Type: hpa.ScalingPolicyType(p.Type), Value: p.Value, PeriodSeconds: p.PeriodSeconds})
	}
	if r.Tolerance != nil {
		q, err := resource.ParseQuantity(*r.Tolerance)
		if err != nil {
			return nil, fmt.Errorf("tolerance %q: %v", *r.Tolerance, err)
		}
		t := q.AsApproximateFloat64()
		out.Tolerance = &t
	}
	return out, nil
}

// RenderSelector writes a label selector in the string form the
// scenarios package gives the hpa package ("a=b,c in (d,e),!f").
func RenderSelector(s *Selector) string {
	if s == nil {
		return ""
	}
	var parts []string
	keys := make([]string, 0, len(s.MatchLabels))
	for k := range s.MatchLabels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+s.MatchLabels[k])
	}
	for _, r := range s.MatchExpressions {
		switch r.Operator {
		case "In", "NotIn":
			parts = append(parts, fmt.Sprintf("%s %s (%s)", r.Key, strings.ToLower(r.Operator), strings.Join(r.Values, ",")))
		case "Exists":
			parts = append(parts, r.Key)
		case "DoesNotExist":
			parts = append(parts, "!"+r.Key)
		}
	}
	return strings.Join(parts, ",")
}

// ModelInput is the hpa.Input of one step.
func (c Case) ModelInput(s Step) hpa.Input {
	in := hpa.Input{SpecReplicas: s.SpecReplicas, StatusReplicas: s.StatusReplicas}
	for _, p := range s.Pods {
		in.Pods = append(in.Pods, p.model())
	}
	metrics := c.HPA.Metrics
	if len(metrics) == 0 {
		metrics = []Metric{{Type: "Resource"}}
	}
	for i, m := range metrics {
		var d Data
		switch {
		case m.Type == "Resource" || m.Type == "ContainerResource":
			if s.Resources != nil {
				d = *s.Resources
			}
		case i < len(s.Metrics):
			d = s.Metrics[i]
		}
		var mi hpa.MetricInput
		if d.Error != "" {
			mi.Err = errors.New(d.Error)
		}
		for _, r := range d.PodResources {
			pr := hpa.PodResourceMetric{Pod: r.Pod, Timestamp: At(r.At), Window: time.Duration(r.WindowSeconds) * time.Second}
			for _, c := range r.Containers {
				pr.Containers = append(pr.Containers, hpa.ContainerUsage{Name: c.Name, UsageMilli: c.Usage})
			}
			mi.PodResources = append(mi.PodResources, pr)
		}
		for _, v := range d.PodValues {
			pv := hpa.PodMetric{Pod: v.Pod, ValueMilli: v.Value, Timestamp: At(v.At)}
			if v.WindowSeconds != nil {
				pv.Window = time.Duration(*v.WindowSeconds) * time.Second
			}
			mi.PodValues = append(mi.PodValues, pv)
		}
		mi.ValuesMilli = d.Values
		in.Metrics = append(in.Metrics, mi)
	}
	return in
}

func (p Pod) model() hpa.Pod {
	out := hpa.Pod{Name: p.Name, Phase: hpa.PodPhase(p.Phase), Deleting: p.Deleting, PodRequestsMilli: p.PodRequests}
	if p.StartAt != nil {
		t := At(*p.StartAt)
		out.StartTime = &t
	}
	if p.Ready != nil {
		out.Ready = &hpa.ReadyCondition{Status: p.Ready.Status == "True", Unknown: p.Ready.Status == "Unknown", LastTransitionTime: At(p.Ready.At)}
	}
	for _, c := range p.Containers {
		out.Containers = append(out.Containers, hpa.Container{Name: c.Name, RequestsMilli: c.Requests, RestartPolicyAlways: c.Sidecar})
	}
	for _, c := range p.InitContainers {
		out.InitContainers = append(out.InitContainers, hpa.Container{Name: c.Name, RequestsMilli: c.Requests, RestartPolicyAlways: c.Sidecar})
	}
	return out
}

// Model runs the case through the hpa package, one step at a time.
type Model struct {
	c Case
	a *hpa.Autoscaler
}

// NewModel validates the case's HPA as the hpa package does; a rejected
// spec returns the validation errors, one per line of the API answer.
func NewModel(c Case) (*Model, []string, error) {
	cfg, err := c.ModelConfig()
	if err != nil {
		return nil, nil, err
	}
	spec, err := c.ModelSpec()
	if err != nil {
		return nil, nil, err
	}
	a, err := hpa.NewAutoscaler(spec, cfg)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), fmt.Sprintf("invalid HorizontalPodAutoscaler %q: ", HPAName))
		return nil, strings.Split(msg, "; "), nil
	}
	return &Model{c: c, a: a}, nil, nil
}

// Step runs one sync.
func (m *Model) Step(s Step) Observation {
	if s.Restart {
		m.a.Restart()
	}
	d := m.a.Reconcile(At(s.At), m.c.ModelInput(s))
	st := m.a.Snapshot()
	var o Observation
	if d.Rescale {
		v := d.DesiredReplicas
		o.Scaled = &v
	}
	if d.Err != nil {
		o.Error = d.Err.Error()
	}
	for _, e := range d.Events {
		o.Events = append(o.Events, e.Type+" "+e.Reason+" "+e.Message)
	}
	// The API server keeps whole seconds of the times it stores
	// (metav1.Time in JSON and protobuf); the status read back says so.
	for _, c := range d.Conditions {
		o.Conditions = append(o.Conditions, Condition{Type: string(c.Type), Status: c.Status, Reason: c.Reason, Message: c.Message, Since: Offset(c.LastTransitionTime.Truncate(time.Second))})
	}
	o.Status = Status{CurrentReplicas: d.CurrentReplicas, DesiredReplicas: d.StatusDesiredReplicas}
	if st.LastScaleTime != nil {
		v := Offset(st.LastScaleTime.Truncate(time.Second))
		o.Status.LastScaleAt = &v
	}
	if d.Path == hpa.PathMetrics || d.Path == hpa.PathMetricsFailed {
		for _, r := range d.Metrics {
			o.Status.Metrics = append(o.Status.Metrics, modelMetricStatus(r))
		}
	}
	var recs []Recommendation
	for _, r := range st.Recommendations {
		recs = append(recs, Recommendation{Replicas: r.Replicas, At: Offset(r.Time)})
	}
	o.Recommendations = m.c.LiveRecommendations(s.At, recs)
	var up, down []ScaleEvent
	for _, e := range st.ScaleUpEvents {
		up = append(up, ScaleEvent{Change: e.Change, At: Offset(e.Time)})
	}
	for _, e := range st.ScaleDownEvents {
		down = append(down, ScaleEvent{Change: e.Change, At: Offset(e.Time)})
	}
	o.ScaleUpEvents = m.c.LiveScaleEvents(s.At, true, up)
	o.ScaleDownEvents = m.c.LiveScaleEvents(s.At, false, down)
	return o
}

func modelMetricStatus(r hpa.MetricResult) MetricStatus {
	if r.Err != nil {
		return MetricStatus{}
	}
	p := r.Details
	ms := MetricStatus{Type: string(r.Type), Utilization: p.Utilization, AverageValue: p.AverageValueMilli, Value: p.ValueMilli}
	return ms
}

// RunModel runs every step of the case through the hpa package.
func RunModel(c Case) (Result, error) {
	m, invalid, err := NewModel(c)
	if err != nil {
		return Result{}, err
	}
	if invalid != nil {
		return Result{Invalid: invalid}, nil
	}
	var r Result
	for _, s := range c.Steps {
		r.Steps = append(r.Steps, m.Step(s))
	}
	return r, nil
}
