package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	v2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	fakescale "k8s.io/client-go/scale/fake"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	kedav1alpha1 "github.com/kedacore/keda/v2/apis/keda/v1alpha1"
	controllers "github.com/kedacore/keda/v2/controllers/keda"
	"github.com/kedacore/keda/v2/pkg/fallback"
	"github.com/kedacore/keda/v2/pkg/scalers/authentication"
	"github.com/kedacore/keda/v2/pkg/scaling"
	"github.com/kedacore/keda/v2/pkg/scaling/executor"
)

// created is the ScaledObject's creationTimestamp; steps count from it.
var created = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// The clock of the executor (patched in by prepare.sh) is global, as is
// the one scale loop case running at a time.
var (
	clockMu sync.Mutex
	clockAt time.Time
)

func init() {
	executor.SetConformanceClock(func() time.Time {
		clockMu.Lock()
		defer clockMu.Unlock()
		return clockAt
	})
}

func setClock(t time.Time) {
	clockMu.Lock()
	clockAt = t
	clockMu.Unlock()
}

// loopServer answers each trigger's query (q<index>) with the current
// step's answer for that trigger.
type loopServer struct {
	mu      sync.Mutex
	answers []Answer
}

func (s *loopServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	answers := s.answers
	s.mu.Unlock()
	i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Query().Get("query"), "q"))
	if err != nil || i < 0 || i >= len(answers) {
		http.Error(w, "no answer", http.StatusInternalServerError)
		return
	}
	a := answers[i]
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.Status)
	_, _ = w.Write([]byte(a.Body))
}

func scaledObjectOf(c *LoopCase, url string) *kedav1alpha1.ScaledObject {
	so := &kedav1alpha1.ScaledObject{
		TypeMeta: metav1.TypeMeta{APIVersion: "keda.sh/v1alpha1", Kind: "ScaledObject"},
		ObjectMeta: metav1.ObjectMeta{Name: "so", Namespace: "ns", Generation: 1, Annotations: c.Annotations,
			CreationTimestamp: metav1.NewTime(created), UID: types.UID("so-uid")},
		Spec: kedav1alpha1.ScaledObjectSpec{
			ScaleTargetRef:        &kedav1alpha1.ScaleTarget{Name: "app"},
			MinReplicaCount:       c.MinReplicaCount,
			MaxReplicaCount:       c.MaxReplicaCount,
			IdleReplicaCount:      c.IdleReplicaCount,
			CooldownPeriod:        c.CooldownPeriod,
			InitialCooldownPeriod: c.InitialCooldownPeriod,
		},
		Status: kedav1alpha1.ScaledObjectStatus{
			ScaleTargetKind: "apps/v1.Deployment",
			ScaleTargetGVKR: &kedav1alpha1.GroupVersionKindResource{Group: "apps", Version: "v1", Kind: "Deployment", Resource: "deployments"},
		},
	}
	if f := c.Fallback; f != nil {
		so.Spec.Fallback = &kedav1alpha1.Fallback{FailureThreshold: f.FailureThreshold, Replicas: f.Replicas, Behavior: f.Behavior}
		if so.Spec.Fallback.Behavior == "" {
			so.Spec.Fallback.Behavior = kedav1alpha1.FallbackBehaviorStatic
		}
	}
	if m := c.Modifiers; m != nil {
		so.Spec.Advanced = &kedav1alpha1.AdvancedConfig{ScalingModifiers: kedav1alpha1.ScalingModifiers{
			Formula: m.Formula, Target: m.Target, ActivationTarget: m.ActivationTarget, MetricType: v2.MetricTargetType(m.MetricType)}}
	}
	for i, t := range c.Triggers {
		md := map[string]string{"serverAddress": url, "query": fmt.Sprintf("q%d", i), "threshold": t.Threshold}
		if t.ActivationThreshold != "" {
			md["activationThreshold"] = t.ActivationThreshold
		}
		// The reconciler records the External metric names
		// (controllers/keda/hpa.go getScaledObjectMetricSpecs); the
		// metrics server reads them for scalingModifiers.
		so.Status.ExternalMetricNames = append(so.Status.ExternalMetricNames, fmt.Sprintf("s%d-prometheus", i))
		so.Spec.Triggers = append(so.Spec.Triggers, kedav1alpha1.ScaleTriggers{
			Type: "prometheus", Name: t.Name, Metadata: md, UseCachedMetrics: t.UseCachedMetrics,
			MetricType: v2.MetricTargetType(t.MetricType)})
	}
	return so
}

// cluster is the fake API server: the ScaledObject, the Deployment and its
// ready pods, and the scale subresource over the Deployment.
type cluster struct {
	cl    client.Client
	scale *fakescale.FakeScaleClient
}

func newCluster(so *kedav1alpha1.ScaledObject, replicas int32) (*cluster, *runtime.Scheme, error) {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		return nil, nil, err
	}
	if err := kedav1alpha1.AddToScheme(s); err != nil {
		return nil, nil, err
	}
	// The webhook sees the namespace before the ScaledObject exists.
	// From v2.21.0 the webhook lists by the scale target's and the HPA's
	// names, with the field indexes its manager registers
	// (scaledobject_webhook.go SetupWebhookWithManager).
	byTarget := "spec.scaleTargetRef.name"
	admission := fake.NewClientBuilder().WithScheme(s).WithObjects(deployment(replicas)).
		WithIndex(&kedav1alpha1.ScaledObject{}, byTarget, func(o client.Object) []string {
			return []string{o.(*kedav1alpha1.ScaledObject).Spec.ScaleTargetRef.Name}
		}).
		WithIndex(&kedav1alpha1.ScaledObject{}, "spec.hpaName", func(o client.Object) []string {
			so := o.(*kedav1alpha1.ScaledObject)
			if a := so.Spec.Advanced; a != nil && a.HorizontalPodAutoscalerConfig != nil && a.HorizontalPodAutoscalerConfig.Name != "" {
				return []string{a.HorizontalPodAutoscalerConfig.Name}
			}
			return []string{"keda-hpa-" + so.Name}
		}).
		WithIndex(&v2.HorizontalPodAutoscaler{}, byTarget, func(o client.Object) []string {
			return []string{o.(*v2.HorizontalPodAutoscaler).Spec.ScaleTargetRef.Name}
		}).Build()
	if err := admit(so.DeepCopy(), admission); err != nil {
		return nil, nil, err
	}
	cl := fake.NewClientBuilder().WithScheme(s).WithObjects(so, deployment(replicas)).WithStatusSubresource(&kedav1alpha1.ScaledObject{}).Build()
	c := &cluster{cl: cl, scale: &fakescale.FakeScaleClient{}}
	ctx := context.Background()
	c.scale.AddReactor("get", "deployments", func(clienttesting.Action) (bool, runtime.Object, error) {
		d := &appsv1.Deployment{}
		if err := cl.Get(ctx, types.NamespacedName{Namespace: "ns", Name: "app"}, d); err != nil {
			return true, nil, err
		}
		return true, &autoscalingv1.Scale{ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: "ns"},
			Spec: autoscalingv1.ScaleSpec{Replicas: *d.Spec.Replicas}, Status: autoscalingv1.ScaleStatus{Replicas: *d.Spec.Replicas, Selector: "app=web"}}, nil
	})
	c.scale.AddReactor("update", "deployments", func(a clienttesting.Action) (bool, runtime.Object, error) {
		sc := a.(clienttesting.UpdateAction).GetObject().(*autoscalingv1.Scale)
		if sc.Spec.Replicas < 0 {
			return true, nil, fmt.Errorf("Scale.autoscaling %q is invalid: spec.replicas: Invalid value: %d: must be greater than or equal to 0", "app", sc.Spec.Replicas)
		}
		if err := c.setReplicas(ctx, sc.Spec.Replicas); err != nil {
			return true, nil, err
		}
		return true, sc, nil
	})
	if err := c.setReplicas(ctx, replicas); err != nil {
		return nil, nil, err
	}
	return c, s, nil
}

func deployment(replicas int32) *appsv1.Deployment {
	labels := map[string]string{"app": "web"}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: "ns"},
		Spec: appsv1.DeploymentSpec{Replicas: &replicas, Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "web"}}}}},
	}
}

// setReplicas writes the Deployment's replicas and keeps as many running,
// ready pods (fallback of a Value metric counts them).
func (c *cluster) setReplicas(ctx context.Context, n int32) error {
	d := &appsv1.Deployment{}
	if err := c.cl.Get(ctx, types.NamespacedName{Namespace: "ns", Name: "app"}, d); err != nil {
		return err
	}
	d.Spec.Replicas = &n
	d.Status.Replicas, d.Status.ReadyReplicas = n, n
	if err := c.cl.Update(ctx, d); err != nil {
		return err
	}
	pods := &corev1.PodList{}
	if err := c.cl.List(ctx, pods, client.InNamespace("ns")); err != nil {
		return err
	}
	for i := int(n); i < len(pods.Items); i++ {
		if err := c.cl.Delete(ctx, &pods.Items[i]); err != nil {
			return err
		}
	}
	for i := len(pods.Items); i < int(n); i++ {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("app-%d", i), Namespace: "ns", Labels: map[string]string{"app": "web"}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}}}
		if err := c.cl.Create(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func condText(c kedav1alpha1.Condition) string {
	if c.Status == "" || (c.Status == metav1.ConditionUnknown && c.Reason == "") {
		return ""
	}
	return string(c.Status) + " " + c.Reason
}

// observe reads the state after a step from the API server.
func (c *cluster) observe(ctx context.Context) (LoopStepResult, error) {
	var r LoopStepResult
	d := &appsv1.Deployment{}
	if err := c.cl.Get(ctx, types.NamespacedName{Namespace: "ns", Name: "app"}, d); err != nil {
		return r, err
	}
	r.Replicas = *d.Spec.Replicas
	so := &kedav1alpha1.ScaledObject{}
	if err := c.cl.Get(ctx, types.NamespacedName{Namespace: "ns", Name: "so"}, so); err != nil {
		return r, err
	}
	if t := so.Status.LastActiveTime; t != nil {
		r.LastActiveTime = t.Unix()
	}
	if len(so.Status.Health) > 0 {
		r.Health = map[string]string{}
		for k, h := range so.Status.Health {
			n := int32(0)
			if h.NumberOfFailures != nil {
				n = *h.NumberOfFailures
			}
			r.Health[k] = fmt.Sprintf("%d %s", n, h.Status)
		}
	}
	conds := so.Status.Conditions
	r.Ready = condText(conds.GetReadyCondition())
	r.Active = condText(conds.GetActiveCondition())
	r.Fallback = condText(conds.GetFallbackCondition())
	return r, nil
}

// runLoop drives a LoopCase through the operator's scale handler over a
// fake API server: scale loop ticks (checkScalers) and the HPA's metric
// requests (GetScaledObjectMetrics, which the metrics server forwards).
func runLoop(c *LoopCase) LoopResult {
	srv := &loopServer{}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	so := scaledObjectOf(c, ts.URL)
	// The reconciler initializes the conditions, builds the scalers cache
	// on a copy of the ScaledObject while it creates the HPA
	// (controllers/keda/hpa.go getScaledObjectMetricSpecs), then sets
	// Ready and, without a valid fallback, Fallback False
	// (scaledobject_controller.go Reconcile).
	reconciling := so.DeepCopy()
	reconciling.Status.Conditions = *kedav1alpha1.GetInitializedConditions()
	reconciling.Status.ExternalMetricNames = nil
	so.Status.Conditions = *kedav1alpha1.GetInitializedConditions()
	so.Status.Conditions.SetReadyCondition(metav1.ConditionTrue, kedav1alpha1.ScaledObjectConditionReadySuccessReason, kedav1alpha1.ScaledObjectConditionReadySuccessMessage)
	if so.Spec.Fallback == nil || !fallback.HasValidFallback(so) {
		so.Status.Conditions.SetFallbackCondition(metav1.ConditionFalse, "NoFallbackFound", "No fallbacks are active on this scaled object")
	}
	cl, scheme, err := newCluster(so.DeepCopy(), c.Replicas)
	if err != nil {
		return LoopResult{Error: err.Error()}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := &events.FakeRecorder{}
	acs := &authentication.AuthClientSet{}
	// One scale handler: the metrics server asks the operator's over gRPC
	// (pkg/metricsservice/server.go GetMetrics).
	operator := scaling.ConformanceScaleHandler(cl.cl, cl.scale, scheme, 3*time.Second, rec, acs)
	defer func() { _ = operator.ClearScalersCache(ctx, so) }()
	hpa, err := controllers.ConformanceNewHPA(ctx, cl.cl, scheme, operator, reconciling)
	if err != nil {
		return LoopResult{Error: "generated HPA: " + err.Error()}
	}
	if err := generatedHPAProblem(hpa); err != nil {
		return LoopResult{Error: err.Error()}
	}
	// The scale loop keeps one object and re-reads it on every tick.
	loopObj := so.DeepCopy()
	out := LoopResult{HPA: summarize(hpa)}
	for _, st := range c.Steps {
		setClock(created.Add(time.Duration(st.At) * time.Millisecond))
		srv.mu.Lock()
		srv.answers = st.Answers
		srv.mu.Unlock()
		var res LoopStepResult
		var hpaErr string
		var vals []int64
		if st.HPA == "" {
			scaling.ConformanceCheck(ctx, operator, loopObj)
		} else {
			list, err := operator.GetScaledObjectMetrics(ctx, "so", "ns", st.HPA)
			switch {
			case err != nil:
				hpaErr = err.Error()
			default:
				for _, m := range list.Items {
					vals = append(vals, wireMilli(m.Value))
				}
			}
		}
		res, err := cl.observe(ctx)
		if err != nil {
			return LoopResult{Error: "observe: " + err.Error()}
		}
		res.Metrics, res.Error = vals, hpaErr
		out.Steps = append(out.Steps, res)
	}
	return out
}

// generatedHPAProblem is what the API server says of the generated HPA
// (autoscaling validation, validateMetricTarget), as far as these cases
// reach: each External target's type is AverageValue or Value, with a
// positive quantity.
func generatedHPAProblem(h *v2.HorizontalPodAutoscaler) error {
	for i, m := range h.Spec.Metrics {
		if m.External == nil {
			continue
		}
		t := m.External.Target
		q := t.Value
		switch t.Type {
		case v2.AverageValueMetricType:
			q = t.AverageValue
		case v2.ValueMetricType:
		default:
			return fmt.Errorf("the generated HPA is invalid: spec.metrics[%d].external.target.type: Unsupported value: %q", i, t.Type)
		}
		if q == nil || q.Sign() != 1 {
			return fmt.Errorf("the generated HPA is invalid: spec.metrics[%d].external.target: must be a positive quantity", i)
		}
	}
	return nil
}

// summarize is the compared part of the generated HPA.
func summarize(h *v2.HorizontalPodAutoscaler) *GeneratedHPA {
	g := &GeneratedHPA{Name: h.Name, Min: 1, Max: h.Spec.MaxReplicas}
	if h.Spec.MinReplicas != nil {
		g.Min = *h.Spec.MinReplicas
	}
	for _, m := range h.Spec.Metrics {
		switch {
		case m.External != nil:
			t := m.External.Target
			q := t.Value
			if t.AverageValue != nil {
				q = t.AverageValue
			}
			var milli int64
			if q != nil {
				milli = wireMilli(*q)
			}
			g.Metrics = append(g.Metrics, fmt.Sprintf("External %s %s %d", m.External.Metric.Name, t.Type, milli))
		case m.Resource != nil:
			var u int64
			if m.Resource.Target.AverageUtilization != nil {
				u = int64(*m.Resource.Target.AverageUtilization)
			}
			g.Metrics = append(g.Metrics, fmt.Sprintf("Resource %s %s %d", m.Resource.Name, m.Resource.Target.Type, u))
		}
	}
	if b := h.Spec.Behavior; b != nil {
		if b.ScaleUp != nil && b.ScaleUp.SelectPolicy != nil {
			g.ScaleUp = string(*b.ScaleUp.SelectPolicy)
		}
		if b.ScaleDown != nil && b.ScaleDown.SelectPolicy != nil {
			g.ScaleDown = string(*b.ScaleDown.SelectPolicy)
		}
	}
	return g
}
