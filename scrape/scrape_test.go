package scrape

import (
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func wsPod(ready bool) Pod {
	return Pod{
		Name: "demo-ws-server-5d8-abcde", Namespace: "demo", IP: "10.128.0.7", NodeName: "worker-0",
		Labels:      map[string]string{"app": "demo-ws-server", "deployment": "demo-ws-server", "app.kubernetes.io/part-of": "demo"},
		Annotations: map[string]string{"prometheus.io/scrape": "true", "prometheus.io/port": "9095"},
		Phase:       "Running", Ready: ready,
		ControllerKind: "ReplicaSet", ControllerName: "demo-ws-server-5d8",
		Containers: []Container{{Name: "demo-ws-server", Image: "ws:1", Ports: []Port{{Name: "http", Number: 8080}, {Name: "metrics", Number: 9095}}}},
	}
}

var wsService = Service{
	Name: "demo-ws-server", Namespace: "demo",
	Labels:   map[string]string{"app": "demo-ws-server"},
	Selector: map[string]string{"deployment": "demo-ws-server"},
	Ports:    []ServicePort{{Name: "8080-tcp", Port: 8080, TargetPort: "8080"}, {Name: "metrics", Port: 9095, TargetPort: "metrics"}},
}

func serviceMonitor(port string) *monitoringv1.ServiceMonitor {
	sm := &monitoringv1.ServiceMonitor{}
	sm.Name, sm.Namespace = "demo-ws-server-monitor", "demo"
	sm.Spec.Selector = metav1.LabelSelector{MatchLabels: map[string]string{"app": "demo-ws-server"}}
	sm.Spec.Endpoints = []monitoringv1.Endpoint{{Port: port, Interval: "15s"}}
	return sm
}

func TestServiceMonitorLabels(t *testing.T) {
	j := FromServiceMonitor(serviceMonitor("8080-tcp"), 0, []Service{wsService}, nil, nil)
	got := j.Targets(wsPod(false))
	require.Len(t, got, 1, "one endpoint port kept; a not-ready pod is a target too (notReadyAddresses)")
	require.Equal(t, labels.FromStrings(
		"container", "demo-ws-server", "endpoint", "8080-tcp", "instance", "10.128.0.7:8080",
		"job", "demo-ws-server", "namespace", "demo", "pod", "demo-ws-server-5d8-abcde", "service", "demo-ws-server",
	), got[0])
	require.Equal(t, "serviceMonitor/demo/demo-ws-server-monitor/0", j.Name)

	// A port name the Service does not have gives no target at all.
	require.Empty(t, FromServiceMonitor(serviceMonitor("web"), 0, []Service{wsService}, nil, nil).Targets(wsPod(true)))
	// A Service that does not select the pod gives none either.
	other := wsService
	other.Selector = map[string]string{"deployment": "other"}
	require.Empty(t, FromServiceMonitor(serviceMonitor("8080-tcp"), 0, []Service{other}, nil, nil).Targets(wsPod(true)))
	// A terminating pod has left the endpoints.
	p := wsPod(true)
	p.Terminating = true
	require.Empty(t, j.Targets(p))

	// jobLabel takes the job from a Service label.
	sm := serviceMonitor("8080-tcp")
	sm.Spec.JobLabel = "app"
	sm.Spec.TargetLabels = []string{"app"}
	got = FromServiceMonitor(sm, 0, []Service{wsService}, nil, nil).Targets(wsPod(true))
	require.Equal(t, "demo-ws-server", got[0].Get("job"))
	require.Equal(t, "demo-ws-server", got[0].Get("app"))
}

func TestUserRelabelings(t *testing.T) {
	repl := "$1"
	rel, errs := UserRelabel([]monitoringv1.RelabelConfig{
		{SourceLabels: []monitoringv1.LabelName{"__meta_kubernetes_pod_label_app_kubernetes_io_part_of"}, TargetLabel: "team", Replacement: &repl},
		{SourceLabels: []monitoringv1.LabelName{"pod"}, TargetLabel: "kubernetes_pod_name"},
		{Action: "labeldrop", Regex: "pod"},
	})
	require.Empty(t, errs)
	got := FromServiceMonitor(serviceMonitor("8080-tcp"), 0, []Service{wsService}, rel, nil).Targets(wsPod(true))
	require.Equal(t, "demo", got[0].Get("team"))
	require.Equal(t, "demo-ws-server-5d8-abcde", got[0].Get("kubernetes_pod_name"))
	require.False(t, got[0].Has("pod"), "user relabelings run after the operator's and can drop its labels")

	_, errs = UserRelabel([]monitoringv1.RelabelConfig{{Action: "replace", Regex: "("}})
	require.Len(t, errs, 1)
	_, errs = UserRelabel([]monitoringv1.RelabelConfig{{Action: "explode"}})
	require.Len(t, errs, 1)
}

func TestPodMonitorLabels(t *testing.T) {
	pm := &monitoringv1.PodMonitor{}
	pm.Name, pm.Namespace = "ws", "demo"
	pm.Spec.Selector = metav1.LabelSelector{MatchLabels: map[string]string{"app": "demo-ws-server"}}
	port := "metrics"
	pm.Spec.PodMetricsEndpoints = []monitoringv1.PodMetricsEndpoint{{Port: &port}}
	p := wsPod(false)
	p.Terminating = true
	got := FromPodMonitor(pm, 0, nil, nil).Targets(p)
	require.Len(t, got, 1, "the pod role keeps a terminating, not-ready pod")
	require.Equal(t, labels.FromStrings(
		"container", "demo-ws-server", "endpoint", "metrics", "instance", "10.128.0.7:9095",
		"job", "demo/ws", "namespace", "demo", "pod", "demo-ws-server-5d8-abcde",
	), got[0])
	p.Phase = "Failed"
	require.Empty(t, FromPodMonitor(pm, 0, nil, nil).Targets(p))
	// targetPort by number.
	pm.Spec.PodMetricsEndpoints = []monitoringv1.PodMetricsEndpoint{{TargetPort: ptr(intstr.FromInt32(8080))}}
	require.Equal(t, "10.128.0.7:8080", FromPodMonitor(pm, 0, nil, nil).Targets(wsPod(true))[0].Get("instance"))
}

func ptr[T any](v T) *T { return &v }

func TestKubernetesPods(t *testing.T) {
	got := KubernetesPods(CurrentLabels).Targets(wsPod(false))
	require.Len(t, got, 1, "both container ports rewrite to the annotation port: one target")
	require.Equal(t, labels.FromStrings(
		"app", "demo-ws-server", "app_kubernetes_io_part_of", "demo", "deployment", "demo-ws-server",
		"instance", "10.128.0.7:9095", "job", "kubernetes-pods", "namespace", "demo", "node", "worker-0",
		"pod", "demo-ws-server-5d8-abcde",
	), got[0])
	legacy := KubernetesPods(LegacyLabels).Targets(wsPod(true))
	require.Len(t, legacy, 1)
	require.Equal(t, "demo", legacy[0].Get("kubernetes_namespace"))
	require.Equal(t, "demo-ws-server-5d8-abcde", legacy[0].Get("kubernetes_pod_name"))
	require.False(t, legacy[0].Has("namespace"))

	p := wsPod(true)
	p.Phase = "Pending"
	require.Empty(t, KubernetesPods(CurrentLabels).Targets(p))
	p = wsPod(true)
	delete(p.Annotations, "prometheus.io/scrape")
	require.Empty(t, KubernetesPods(CurrentLabels).Targets(p))
}

func TestSeriesLabels(t *testing.T) {
	target := labels.FromStrings("job", "demo-ws-server", "namespace", "demo", "pod", "a")
	exposed := labels.FromStrings("__name__", "queue_depth", "namespace", "orders", "job", "exporter")
	j := &Job{}
	got, ok := j.SeriesLabels(target, exposed)
	require.True(t, ok)
	require.Equal(t, labels.FromStrings("__name__", "queue_depth", "exported_job", "exporter", "exported_namespace", "orders",
		"job", "demo-ws-server", "namespace", "demo", "pod", "a"), got)

	j.HonorLabels = true
	got, _ = j.SeriesLabels(target, exposed)
	require.Equal(t, labels.FromStrings("__name__", "queue_depth", "job", "exporter", "namespace", "orders", "pod", "a"), got)

	drop, errs := UserRelabel([]monitoringv1.RelabelConfig{{Action: "drop", SourceLabels: []monitoringv1.LabelName{"__name__"}, Regex: "queue_.*"}})
	require.Empty(t, errs)
	j.MetricRelabel = drop
	_, ok = j.SeriesLabels(target, exposed)
	require.False(t, ok)
}
