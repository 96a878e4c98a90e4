// Package upstream drives the production HPA controller of
// k8s.io/kubernetes (pkg/controller/podautoscaler) through the steps of a
// conformance case: the real NewHorizontalController over fake clientsets,
// the real REST metrics client over fake metrics.k8s.io,
// custom.metrics.k8s.io and external.metrics.k8s.io clients, and one
// reconcileAutoscaler per step. The HPA is admitted as the API server
// does: defaulting, conversion, the registry strategy's PrepareForCreate
// (which drops disabled fields) and Validate.
//
// The package needs the build overlay written by ../overlay.sh, which
// gives the controller package an injectable clock. The clock and the
// feature gates are process globals, so a process runs one case at a
// time.
package upstream

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/go-logr/logr"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta/testrestmapper"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/client-go/informers"
	coreinformers "k8s.io/client-go/informers/core/v1"
	"k8s.io/client-go/kubernetes/fake"
	corelisters "k8s.io/client-go/listers/core/v1"
	scalefake "k8s.io/client-go/scale/fake"
	core "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/component-base/featuregate"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/apis/autoscaling"
	"k8s.io/kubernetes/pkg/controller/podautoscaler"
	"k8s.io/kubernetes/pkg/controller/podautoscaler/metrics"
	"k8s.io/kubernetes/pkg/features"
	"k8s.io/kubernetes/pkg/registry/autoscaling/horizontalpodautoscaler"
	cmapi "k8s.io/metrics/pkg/apis/custom_metrics/v1beta2"
	emapi "k8s.io/metrics/pkg/apis/external_metrics/v1beta1"
	metricsapi "k8s.io/metrics/pkg/apis/metrics/v1beta1"
	metricsfake "k8s.io/metrics/pkg/client/clientset/versioned/fake"
	cmfake "k8s.io/metrics/pkg/client/custom_metrics/fake"
	emfake "k8s.io/metrics/pkg/client/external_metrics/fake"

	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"

	c "github.com/autoscale-sim/autoscale-sim/internal/hpaconformance"
)

const key = c.Namespace + "/" + c.HPAName

var (
	once     sync.Once
	defaults map[string]bool
	mu       sync.Mutex
)

// gateNames are the gates a case may override.
var gateNames = []string{string(features.HPAScaleToZero), string(features.HPAConfigurableTolerance), string(features.PodLevelResources)}

func setup() {
	once.Do(func() {
		klog.SetLogger(logr.Discard())
		defaults = map[string]bool{}
		for _, g := range append(gateNames, "InPlacePodLevelResourcesVerticalScaling", "PodLevelResourcesFixDefaulting", "PodLevelResourcesFixKubeletQOSClass") {
			if _, ok := utilfeature.DefaultMutableFeatureGate.GetAll()[featureOf(g)]; ok {
				defaults[g] = utilfeature.DefaultFeatureGate.Enabled(featureOf(g))
			}
		}
	})
}

func featureOf(name string) featuregate.Feature { return featuregate.Feature(name) }

// Defaults returns the release's default value of the gates a case may
// override.
func Defaults() map[string]bool {
	setup()
	out := map[string]bool{}
	for _, k := range gateNames {
		out[k] = defaults[k]
	}
	return out
}

func setGates(g c.Gates) error {
	m := Defaults()
	if g.ScaleToZero != nil {
		m[string(features.HPAScaleToZero)] = *g.ScaleToZero
	}
	if g.ConfigurableTolerance != nil {
		m[string(features.HPAConfigurableTolerance)] = *g.ConfigurableTolerance
	}
	if g.PodLevelResources != nil {
		m[string(features.PodLevelResources)] = *g.PodLevelResources
	}
	// Gates that need PodLevelResources follow it when it is turned off.
	known := utilfeature.DefaultMutableFeatureGate.GetAll()
	for _, dep := range []string{"InPlacePodLevelResourcesVerticalScaling", "PodLevelResourcesFixDefaulting", "PodLevelResourcesFixKubeletQOSClass"} {
		if _, ok := known[featuregate.Feature(dep)]; !ok {
			continue
		}
		if m[string(features.PodLevelResources)] {
			delete(m, dep)
			if d, ok := defaults[dep]; ok {
				m[dep] = d
			}
		} else {
			m[dep] = false
		}
	}
	return utilfeature.DefaultMutableFeatureGate.SetFromMap(m)
}

// Side is the upstream controller running one case.
type Side struct {
	c    c.Case
	ctx  context.Context
	now  time.Time
	step c.Step
	ctrl *podautoscaler.HorizontalController
	rec  *record.FakeRecorder
	pods cache.Indexer
	hpa  *autoscalingv2.HorizontalPodAutoscaler
	// sent is the status last written, before the API server's round trip
	// (the values the controller computed).
	sent  *autoscalingv2.HorizontalPodAutoscalerStatus
	wrote *int32

	kube  *fake.Clientset
	scale *scalefake.FakeScaleClient
	// fakes record every action; they are cleared after each step.
	fakes  []interface{ ClearActions() }
	mc     metrics.MetricsClient
	podInf informers.SharedInformerFactory
}

// Start admits the case's HPA and creates a controller for it. It holds
// the process lock until Close.
func Start(cs c.Case) (*Side, []string, error) {
	setup()
	mu.Lock()
	if err := setGates(cs.Gates); err != nil {
		mu.Unlock()
		return nil, nil, err
	}
	obj, invalid, err := Admit(cs.HPA)
	if err != nil || invalid != nil {
		mu.Unlock()
		return nil, invalid, err
	}
	s := &Side{c: cs, hpa: obj, ctx: klog.NewContext(context.Background(), logr.Discard())}
	current = s
	podautoscaler.SetConformanceClock(func() time.Time { return current.now })
	if shared == nil {
		s.clients()
		s.newController()
		shared = s
	} else {
		s.kube, s.scale, s.mc, s.podInf, s.pods, s.ctrl, s.rec, s.fakes = shared.kube, shared.scale, shared.mc, shared.podInf, shared.pods, shared.ctrl, shared.rec, shared.fakes
	}
	s.reset()
	return s, nil, nil
}

// shared holds the clients and the controller of the first case; later
// cases reuse them (the reactors answer for current).
var shared, current *Side

// reset starts the case's controller afresh: its flags, no memory, the
// HPA registered.
func (s *Side) reset() {
	cc := s.c.Controller
	s.ctrl.ConformanceReset(cc.Tolerance, time.Duration(cc.DownscaleStabilizationSeconds)*time.Second,
		time.Duration(cc.CPUInitializationSeconds)*time.Second, time.Duration(cc.InitialReadinessDelaySeconds)*time.Second)
	for done := false; !done; {
		select {
		case <-s.rec.Events:
		default:
			done = true
		}
	}
	s.ctrl.ConformanceRegister(s.hpa)
}

// Close releases the process.
func (s *Side) Close() {
	podautoscaler.SetConformanceClock(nil)
	current = nil
	mu.Unlock()
}

// Admit writes the HPA as the API server does on create and returns the
// stored object, or the validation errors.
func Admit(h c.HPA) (*autoscalingv2.HorizontalPodAutoscaler, []string, error) {
	v2 := ToV2(h)
	legacyscheme.Scheme.Default(v2)
	internal := &autoscaling.HorizontalPodAutoscaler{}
	if err := legacyscheme.Scheme.Convert(v2, internal, nil); err != nil {
		return nil, nil, fmt.Errorf("convert: %w", err)
	}
	ctx := genericapirequest.WithRequestInfo(genericapirequest.WithNamespace(context.Background(), c.Namespace), &genericapirequest.RequestInfo{
		IsResourceRequest: true, Verb: "create", APIGroup: "autoscaling", APIVersion: "v2",
		Resource: "horizontalpodautoscalers", Namespace: c.Namespace, Name: c.HPAName,
	})
	horizontalpodautoscaler.Strategy.PrepareForCreate(ctx, internal)
	if errs := horizontalpodautoscaler.Strategy.Validate(ctx, internal); len(errs) > 0 {
		var out []string
		for _, e := range errs {
			out = append(out, e.Error())
		}
		return nil, out, nil
	}
	stored := &autoscalingv2.HorizontalPodAutoscaler{}
	if err := legacyscheme.Scheme.Convert(internal, stored, nil); err != nil {
		return nil, nil, fmt.Errorf("convert back: %w", err)
	}
	stored.Name, stored.Namespace = c.HPAName, c.Namespace
	stored.UID = "00000000-0000-0000-0000-000000000001"
	stored.Generation = 1
	stored.CreationTimestamp = metav1.NewTime(c.Epoch.Add(-time.Hour))
	return stored, nil, nil
}

func milli(v int64) *resource.Quantity { return resource.NewMilliQuantity(v, resource.DecimalSI) }

// ToV2 writes the case's HPA as an autoscaling/v2 object.
func ToV2(h c.HPA) *autoscalingv2.HorizontalPodAutoscaler {
	out := &autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta:   metav1.TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"},
		ObjectMeta: metav1.ObjectMeta{Name: c.HPAName, Namespace: c.Namespace},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{Kind: "Deployment", Name: c.TargetName, APIVersion: "apps/v1"},
			MinReplicas:    h.MinReplicas,
			MaxReplicas:    h.MaxReplicas,
		},
	}
	for _, m := range h.Metrics {
		out.Spec.Metrics = append(out.Spec.Metrics, metricV2(m))
	}
	if b := h.Behavior; b != nil {
		out.Spec.Behavior = &autoscalingv2.HorizontalPodAutoscalerBehavior{ScaleUp: rulesV2(b.ScaleUp), ScaleDown: rulesV2(b.ScaleDown)}
	}
	return out
}

func targetV2(t c.Target) autoscalingv2.MetricTarget {
	out := autoscalingv2.MetricTarget{Type: autoscalingv2.MetricTargetType(t.Type), AverageUtilization: t.AverageUtilization}
	if t.Value != nil {
		out.Value = milli(*t.Value)
	}
	if t.AverageValue != nil {
		out.AverageValue = milli(*t.AverageValue)
	}
	return out
}

func selectorV2(s *c.Selector) *metav1.LabelSelector {
	if s == nil {
		return nil
	}
	out := &metav1.LabelSelector{MatchLabels: s.MatchLabels}
	for _, r := range s.MatchExpressions {
		out.MatchExpressions = append(out.MatchExpressions, metav1.LabelSelectorRequirement{Key: r.Key, Operator: metav1.LabelSelectorOperator(r.Operator), Values: r.Values})
	}
	return out
}

func metricV2(m c.Metric) autoscalingv2.MetricSpec {
	out := autoscalingv2.MetricSpec{Type: autoscalingv2.MetricSourceType(m.Type)}
	id := autoscalingv2.MetricIdentifier{Name: m.Name, Selector: selectorV2(m.Selector)}
	switch m.Type {
	case "Resource":
		out.Resource = &autoscalingv2.ResourceMetricSource{Name: v1.ResourceName(m.Name), Target: targetV2(m.Target)}
	case "ContainerResource":
		out.ContainerResource = &autoscalingv2.ContainerResourceMetricSource{Name: v1.ResourceName(m.Name), Container: m.Container, Target: targetV2(m.Target)}
	case "Pods":
		out.Pods = &autoscalingv2.PodsMetricSource{Metric: id, Target: targetV2(m.Target)}
	case "Object":
		ref := autoscalingv2.CrossVersionObjectReference{}
		if m.Object != nil {
			ref = autoscalingv2.CrossVersionObjectReference{Kind: m.Object.Kind, Name: m.Object.Name, APIVersion: m.Object.APIVersion}
		}
		out.Object = &autoscalingv2.ObjectMetricSource{DescribedObject: ref, Metric: id, Target: targetV2(m.Target)}
	case "External":
		out.External = &autoscalingv2.ExternalMetricSource{Metric: id, Target: targetV2(m.Target)}
	}
	return out
}

func rulesV2(r *c.Rules) *autoscalingv2.HPAScalingRules {
	if r == nil {
		return nil
	}
	out := &autoscalingv2.HPAScalingRules{StabilizationWindowSeconds: r.StabilizationWindowSeconds}
	if r.SelectPolicy != nil {
		p := autoscalingv2.ScalingPolicySelect(*r.SelectPolicy)
		out.SelectPolicy = &p
	}
	if r.Policies != nil {
		out.Policies = []autoscalingv2.HPAScalingPolicy{}
	}
	for _, p := range r.Policies {
		out.Policies = append(out.Policies, autoscalingv2.HPAScalingPolicy{Type: autoscalingv2.HPAScalingPolicyType(p.Type), Value: p.Value, PeriodSeconds: p.PeriodSeconds})
	}
	if r.Tolerance != nil {
		q := resource.MustParse(*r.Tolerance)
		out.Tolerance = &q
	}
	return out
}

// clients wires the fake API: the scale subresource and the three metrics
// APIs answer from the current step; status writes go through a JSON
// round trip, as the API server stores them (whole-second times).
func (s *Side) clients() {
	// The reactors answer for the case being run.
	cur := func() *Side { return current }
	s.kube = &fake.Clientset{}
	s.kube.AddReactor("update", "horizontalpodautoscalers", func(a core.Action) (bool, runtime.Object, error) {
		obj := a.(core.UpdateAction).GetObject().(*autoscalingv2.HorizontalPodAutoscaler)
		cur().sent = obj.Status.DeepCopy()
		var st autoscalingv2.HorizontalPodAutoscalerStatus
		b, err := json.Marshal(obj.Status)
		if err != nil {
			return true, nil, err
		}
		if err := json.Unmarshal(b, &st); err != nil {
			return true, nil, err
		}
		cur().hpa = cur().hpa.DeepCopy()
		cur().hpa.Status = st
		cur().hpa.ResourceVersion = fmt.Sprint(cur().step.At)
		return true, cur().hpa.DeepCopy(), nil
	})
	s.scale = &scalefake.FakeScaleClient{}
	s.scale.AddReactor("get", "deployments", func(a core.Action) (bool, runtime.Object, error) {
		return true, &autoscalingv1.Scale{
			ObjectMeta: metav1.ObjectMeta{Name: c.TargetName, Namespace: c.Namespace},
			Spec:       autoscalingv1.ScaleSpec{Replicas: cur().step.SpecReplicas},
			Status:     autoscalingv1.ScaleStatus{Replicas: cur().step.StatusReplicas, Selector: "app=" + c.TargetName},
		}, nil
	})
	s.scale.AddReactor("update", "deployments", func(a core.Action) (bool, runtime.Object, error) {
		obj := a.(core.UpdateAction).GetObject().(*autoscalingv1.Scale)
		v := obj.Spec.Replicas
		cur().wrote = &v
		return true, obj, nil
	})
	resources := &metricsfake.Clientset{}
	resources.AddReactor("list", "pods", func(a core.Action) (bool, runtime.Object, error) {
		d := cur().step.Resources
		if d == nil {
			d = &c.Data{}
		}
		if d.Error != "" {
			return true, nil, fmt.Errorf("%s", d.Error)
		}
		list := &metricsapi.PodMetricsList{}
		for _, pr := range d.PodResources {
			pm := metricsapi.PodMetrics{
				ObjectMeta: metav1.ObjectMeta{Name: pr.Pod, Namespace: c.Namespace, Labels: map[string]string{"app": c.TargetName}},
				Timestamp:  metav1.Time{Time: c.At(pr.At)},
				Window:     metav1.Duration{Duration: time.Duration(pr.WindowSeconds) * time.Second},
			}
			for _, cu := range pr.Containers {
				cm := metricsapi.ContainerMetrics{Name: cu.Name, Usage: v1.ResourceList{}}
				for r, v := range cu.Usage {
					cm.Usage[v1.ResourceName(r)] = *milli(v)
				}
				pm.Containers = append(pm.Containers, cm)
			}
			list.Items = append(list.Items, pm)
		}
		return true, list, nil
	})
	custom := &cmfake.FakeCustomMetricsClient{}
	custom.AddReactor("get", "*", func(a core.Action) (bool, runtime.Object, error) {
		get := a.(cmfake.GetForAction)
		d, ok := cur().dataFor(get.GetMetricName())
		if !ok {
			return true, nil, fmt.Errorf("no metric %q", get.GetMetricName())
		}
		if d.Error != "" {
			return true, nil, fmt.Errorf("%s", d.Error)
		}
		list := &cmapi.MetricValueList{}
		if get.GetName() == "*" {
			for _, pv := range d.PodValues {
				mv := cmapi.MetricValue{
					DescribedObject: v1.ObjectReference{Kind: "Pod", Name: pv.Pod, Namespace: c.Namespace},
					Metric:          cmapi.MetricIdentifier{Name: get.GetMetricName()},
					Timestamp:       metav1.Time{Time: c.At(pv.At)},
					WindowSeconds:   pv.WindowSeconds,
					Value:           *milli(pv.Value),
				}
				list.Items = append(list.Items, mv)
			}
			return true, list, nil
		}
		for _, v := range d.Values {
			list.Items = append(list.Items, cmapi.MetricValue{
				DescribedObject: v1.ObjectReference{Name: get.GetName(), Namespace: c.Namespace},
				Metric:          cmapi.MetricIdentifier{Name: get.GetMetricName()},
				Timestamp:       metav1.Time{Time: cur().now},
				Value:           *milli(v),
			})
		}
		return true, list, nil
	})
	external := &emfake.FakeExternalMetricsClient{}
	external.AddReactor("list", "*", func(a core.Action) (bool, runtime.Object, error) {
		name := a.(core.ListAction).GetResource().Resource
		d, ok := cur().dataFor(name)
		if !ok {
			return true, nil, fmt.Errorf("no metric %q", name)
		}
		if d.Error != "" {
			return true, nil, fmt.Errorf("%s", d.Error)
		}
		list := &emapi.ExternalMetricValueList{}
		for _, v := range d.Values {
			list.Items = append(list.Items, emapi.ExternalMetricValue{MetricName: name, Timestamp: metav1.Time{Time: cur().now}, Value: *milli(v)})
		}
		return true, list, nil
	})
	s.mc = metrics.NewRESTMetricsClient(resources.MetricsV1beta1(), custom, external)
	s.fakes = []interface{ ClearActions() }{s.kube, s.scale, resources, custom, external}
}

// dataFor finds the step data of the non-resource metric named name.
func (s *Side) dataFor(name string) (c.Data, bool) {
	for i, m := range s.c.HPA.Metrics {
		if m.Name == name && m.Type != "Resource" && m.Type != "ContainerResource" {
			if i < len(s.step.Metrics) {
				return s.step.Metrics[i], true
			}
			return c.Data{}, true
		}
	}
	return c.Data{}, false
}

func (s *Side) newController() {
	s.podInf = informers.NewSharedInformerFactory(s.kube, 0)
	real := s.podInf.Core().V1().Pods()
	s.pods = real.Informer().GetIndexer()
	podInformer := orderedPods{PodInformer: real}
	cc := s.c.Controller
	s.ctrl = podautoscaler.NewHorizontalController(
		s.ctx,
		s.kube.CoreV1(),
		s.scale,
		s.kube.AutoscalingV2(),
		testrestmapper.TestOnlyStaticRESTMapper(legacyscheme.Scheme),
		s.mc,
		s.podInf.Autoscaling().V2().HorizontalPodAutoscalers(),
		podInformer,
		15*time.Second,
		time.Duration(cc.DownscaleStabilizationSeconds)*time.Second,
		cc.Tolerance,
		time.Duration(cc.CPUInitializationSeconds)*time.Second,
		time.Duration(cc.InitialReadinessDelaySeconds)*time.Second,
	)
	s.rec = record.NewFakeRecorder(1000)
	s.ctrl.ConformanceUseRecorder(s.rec)
}

func podV1(p c.Pod) *v1.Pod {
	out := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: c.Namespace, Labels: map[string]string{"app": c.TargetName}},
		Status:     v1.PodStatus{Phase: v1.PodPhase(p.Phase)},
	}
	if p.Deleting {
		t := metav1.NewTime(c.Epoch.Add(-time.Minute))
		out.DeletionTimestamp = &t
	}
	if p.StartAt != nil {
		t := metav1.NewTime(c.At(*p.StartAt))
		out.Status.StartTime = &t
	}
	if p.Ready != nil {
		out.Status.Conditions = append(out.Status.Conditions, v1.PodCondition{
			Type: v1.PodReady, Status: v1.ConditionStatus(p.Ready.Status), LastTransitionTime: metav1.NewTime(c.At(p.Ready.At)),
		})
	}
	container := func(ct c.Container) v1.Container {
		out := v1.Container{Name: ct.Name}
		if ct.Requests != nil {
			out.Resources.Requests = v1.ResourceList{}
			for r, v := range ct.Requests {
				out.Resources.Requests[v1.ResourceName(r)] = *milli(v)
			}
		}
		if ct.Sidecar {
			always := v1.ContainerRestartPolicyAlways
			out.RestartPolicy = &always
		}
		return out
	}
	for _, ct := range p.Containers {
		out.Spec.Containers = append(out.Spec.Containers, container(ct))
	}
	for _, ct := range p.InitContainers {
		out.Spec.InitContainers = append(out.Spec.InitContainers, container(ct))
	}
	if p.PodRequests != nil {
		out.Spec.Resources = &v1.ResourceRequirements{Requests: v1.ResourceList{}}
		for r, v := range p.PodRequests {
			out.Spec.Resources.Requests[v1.ResourceName(r)] = *milli(v)
		}
	}
	return out
}

// Step runs one reconcileAutoscaler with the step's API answers.
func (s *Side) Step(st c.Step) c.Observation {
	s.step, s.now, s.wrote = st, c.At(st.At), nil
	if st.Restart {
		s.reset()
	}
	var objs []interface{}
	for _, p := range st.Pods {
		objs = append(objs, podV1(p))
	}
	if err := s.pods.Replace(objs, ""); err != nil {
		panic(err)
	}
	err := s.ctrl.ConformanceReconcile(s.ctx, s.hpa.DeepCopy(), key)
	for _, f := range s.fakes {
		f.ClearActions()
	}
	var o c.Observation
	o.Scaled = s.wrote
	if err != nil {
		o.Error = err.Error()
	}
	for done := false; !done; {
		select {
		case e := <-s.rec.Events:
			o.Events = append(o.Events, e)
		default:
			done = true
		}
	}
	h := s.hpa
	for _, cond := range h.Status.Conditions {
		o.Conditions = append(o.Conditions, c.Condition{Type: string(cond.Type), Status: string(cond.Status), Reason: cond.Reason, Message: cond.Message, Since: c.Offset(cond.LastTransitionTime.Time)})
	}
	o.Status = c.Status{CurrentReplicas: h.Status.CurrentReplicas, DesiredReplicas: h.Status.DesiredReplicas}
	if h.Status.LastScaleTime != nil {
		v := c.Offset(h.Status.LastScaleTime.Time)
		o.Status.LastScaleAt = &v
	}
	if s.sent != nil {
		for _, m := range s.sent.CurrentMetrics {
			o.Status.Metrics = append(o.Status.Metrics, metricStatus(m))
		}
	}
	recs, up, down := s.ctrl.ConformanceMemory(key)
	var rs []c.Recommendation
	for _, r := range recs {
		rs = append(rs, c.Recommendation{Replicas: r.Replicas, At: c.Offset(r.At)})
	}
	o.Recommendations = s.c.LiveRecommendations(st.At, rs)
	o.ScaleUpEvents = s.c.LiveScaleEvents(st.At, true, events(up))
	o.ScaleDownEvents = s.c.LiveScaleEvents(st.At, false, events(down))
	return o
}

func events(es []podautoscaler.ConformanceScaleEvent) []c.ScaleEvent {
	var out []c.ScaleEvent
	for _, e := range es {
		out = append(out, c.ScaleEvent{Change: e.Change, At: c.Offset(e.At)})
	}
	return out
}

func metricStatus(m autoscalingv2.MetricStatus) c.MetricStatus {
	out := c.MetricStatus{Type: string(m.Type)}
	var cur *autoscalingv2.MetricValueStatus
	switch {
	case m.Resource != nil:
		cur = &m.Resource.Current
	case m.ContainerResource != nil:
		cur = &m.ContainerResource.Current
	case m.Pods != nil:
		cur = &m.Pods.Current
	case m.Object != nil:
		cur = &m.Object.Current
	case m.External != nil:
		cur = &m.External.Current
	}
	if cur == nil {
		return out
	}
	out.Utilization = cur.AverageUtilization
	if cur.AverageValue != nil {
		v := cur.AverageValue.MilliValue()
		out.AverageValue = &v
	}
	if cur.Value != nil {
		v := cur.Value.MilliValue()
		out.Value = &v
	}
	return out
}

// Run runs a whole case.
func Run(cs c.Case) (c.Result, error) {
	s, invalid, err := Start(cs)
	if err != nil {
		return c.Result{}, err
	}
	if invalid != nil {
		return c.Result{Invalid: invalid}, nil
	}
	defer s.Close()
	var r c.Result
	for _, st := range cs.Steps {
		r.Steps = append(r.Steps, s.Step(st))
	}
	return r, nil
}

// orderedPods is the pod informer with a lister that returns the step's
// pods in their order. A real lister's order is a map's, so which pod an
// error names first would be random; the model names the first pod in
// input order, and so does this lister.
type orderedPods struct {
	coreinformers.PodInformer
}

func (o orderedPods) Lister() corelisters.PodLister { return orderedLister{} }

type orderedLister struct{}

func (l orderedLister) List(sel labels.Selector) ([]*v1.Pod, error) {
	var out []*v1.Pod
	for _, p := range current.step.Pods {
		pod := podV1(p)
		if sel.Matches(labels.Set(pod.Labels)) {
			out = append(out, pod)
		}
	}
	return out, nil
}

func (l orderedLister) Pods(namespace string) corelisters.PodNamespaceLister {
	return orderedNamespaceLister{l, namespace}
}

type orderedNamespaceLister struct {
	orderedLister
	ns string
}

func (l orderedNamespaceLister) List(sel labels.Selector) ([]*v1.Pod, error) {
	if l.ns != c.Namespace {
		return nil, nil
	}
	return l.orderedLister.List(sel)
}

func (l orderedNamespaceLister) Get(name string) (*v1.Pod, error) {
	for _, p := range current.step.Pods {
		if p.Name == name {
			return podV1(p), nil
		}
	}
	return nil, fmt.Errorf("pod %q not found", name)
}
