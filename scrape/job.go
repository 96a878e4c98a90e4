package scrape

import (
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/relabel"
)

// Role is the kubernetes service discovery role of a job.
type Role string

// The roles the simulated jobs use.
const (
	// RoleEndpoints discovers the endpoints of a Service: ready and
	// not-ready pods alike, each labelled __meta_kubernetes_endpoint_ready.
	RoleEndpoints Role = "endpoints"
	// RolePod discovers every pod with an IP, whatever its readiness or
	// termination; relabeling decides which to keep.
	RolePod Role = "pod"
)

// Pod is what service discovery knows of a pod.
type Pod struct {
	Name, Namespace string
	IP              string
	NodeName        string
	Labels          map[string]string
	Annotations     map[string]string
	// Phase is Pending, Running, Succeeded or Failed.
	Phase string
	// Ready is the pod's Ready condition.
	Ready bool
	// Terminating marks a pod being deleted (it has left the Service's
	// endpoints but is still listed by the pod role until it is gone).
	Terminating bool
	// Controller is the kind and name of the pod's controller, e.g.
	// ReplicaSet demo-7d9f, StatefulSet demo.
	ControllerKind, ControllerName string
	Containers                     []Container
}

// Container is a container of a pod and its declared ports.
type Container struct {
	Name, Image string
	Ports       []Port
}

// Port is a declared container port.
type Port struct {
	Name     string
	Number   int32
	Protocol string // TCP when empty
}

// Service is a Service whose endpoints a RoleEndpoints job discovers.
type Service struct {
	Name, Namespace string
	Labels          map[string]string
	Annotations     map[string]string
	// Selector selects the pods behind the Service.
	Selector map[string]string
	Ports    []ServicePort
	// PublishNotReadyAddresses keeps terminating pods in the endpoints.
	PublishNotReadyAddresses bool
}

// ServicePort is one port of a Service. TargetPort is a number or the
// name of a container port ("" means the same number as Port).
type ServicePort struct {
	Name       string
	Port       int32
	TargetPort string
	Protocol   string
}

// Job is one scrape job over the workload's pods.
type Job struct {
	// Name is the job_name, the job label before relabeling.
	Name string
	// Source names the object that made the job, for messages, e.g.
	// "ServiceMonitor demo/ws spec.endpoints[0]".
	Source string
	Role   Role
	// Services are the Services whose endpoints a RoleEndpoints job
	// discovers.
	Services []Service
	// Interval is the scrape interval (0: the simulation's default).
	Interval    time.Duration
	MetricsPath string
	Scheme      string
	HonorLabels bool
	// Relabel are the target relabel configs, MetricRelabel the metric
	// relabel configs.
	Relabel       []*relabel.Config
	MetricRelabel []*relabel.Config
}

// Targets returns the label sets of the scrape targets the job gets from
// pod p, after relabeling: one per kept target, none when the job does not
// scrape the pod. Labels starting with "__" are dropped, as Prometheus
// drops them from the series (scrape/target.go Target.LabelsRange).
func (j *Job) Targets(p Pod) []labels.Labels {
	var out []labels.Labels
	lb := labels.NewBuilder(labels.EmptyLabels())
	for _, discovered := range j.discover(p) {
		if ls, ok := j.populate(lb, discovered); ok {
			if !containsLabels(out, ls) {
				out = append(out, ls)
			}
		}
	}
	return out
}

// populate follows scrape/target.go PopulateLabels: the job's defaults are
// added where discovery set none, the relabel configs run, a target
// without __address__ is dropped, instance defaults to the address, and
// what starts with "__" goes.
func (j *Job) populate(lb *labels.Builder, discovered map[string]string) (labels.Labels, bool) {
	lb.Reset(labels.EmptyLabels())
	for k, v := range discovered {
		lb.Set(k, v)
	}
	defaults := map[string]string{
		model.JobLabel:            j.Name,
		model.MetricsPathLabel:    orDefault(j.MetricsPath, "/metrics"),
		model.SchemeLabel:         orDefault(j.Scheme, "http"),
		model.ScrapeIntervalLabel: model.Duration(j.Interval).String(),
	}
	for k, v := range defaults {
		if lb.Get(k) == "" {
			lb.Set(k, v)
		}
	}
	if !relabel.ProcessBuilder(lb, j.Relabel...) {
		return labels.EmptyLabels(), false
	}
	addr := lb.Get(model.AddressLabel)
	if addr == "" {
		return labels.EmptyLabels(), false
	}
	if lb.Get(model.InstanceLabel) == "" {
		lb.Set(model.InstanceLabel, addr)
	}
	lb.Range(func(l labels.Label) {
		if strings.HasPrefix(l.Name, model.ReservedLabelPrefix) {
			lb.Del(l.Name)
		}
	})
	return lb.Labels(), true
}

// SeriesLabels merges a target's labels into the labels of a series the
// application exposes, as scrape/scrape.go mutateSampleLabels does: with
// honor_labels the exposed labels win; otherwise the target's win and a
// conflicting exposed label is kept as exported_<name>. Then the metric
// relabel configs run; false means the series is dropped.
func (j *Job) SeriesLabels(target, exposed labels.Labels) (labels.Labels, bool) {
	lb := labels.NewBuilder(exposed)
	if j.HonorLabels {
		target.Range(func(l labels.Label) {
			if !exposed.Has(l.Name) {
				lb.Set(l.Name, l.Value)
			}
		})
	} else {
		var conflicts []labels.Label
		target.Range(func(l labels.Label) {
			if v := exposed.Get(l.Name); v != "" {
				conflicts = append(conflicts, labels.Label{Name: l.Name, Value: v})
			}
			lb.Set(l.Name, l.Value)
		})
		// Shorter names first, each under the first free exported_ name.
		for i := 1; i < len(conflicts); i++ {
			for k := i; k > 0 && len(conflicts[k].Name) < len(conflicts[k-1].Name); k-- {
				conflicts[k], conflicts[k-1] = conflicts[k-1], conflicts[k]
			}
		}
		for _, c := range conflicts {
			name := c.Name
			for {
				name = model.ExportedLabelPrefix + name
				if lb.Get(name) == "" {
					lb.Set(name, c.Value)
					break
				}
			}
		}
	}
	if !relabel.ProcessBuilder(lb, j.MetricRelabel...) {
		return labels.EmptyLabels(), false
	}
	return lb.Labels(), true
}

const metaPrefix = model.MetaLabelPrefix + "kubernetes_"

// discover returns the service discovery label sets of pod p for the
// job's role.
func (j *Job) discover(p Pod) []map[string]string {
	if p.IP == "" {
		return nil // PodIP is empty while a pod starts: no target
	}
	switch j.Role {
	case RolePod:
		return podTargets(p)
	case RoleEndpoints:
		var out []map[string]string
		for _, s := range j.Services {
			out = append(out, endpointTargets(s, p)...)
		}
		return out
	}
	return nil
}

// podMeta are the pod labels both roles attach (discovery/kubernetes/
// pod.go podLabels and addObjectMetaLabels).
func podMeta(p Pod) map[string]string {
	ls := map[string]string{
		metaPrefix + "namespace":           p.Namespace,
		metaPrefix + "pod_name":            p.Name,
		metaPrefix + "pod_ip":              p.IP,
		metaPrefix + "pod_ready":           strconv.FormatBool(p.Ready),
		metaPrefix + "pod_phase":           p.Phase,
		metaPrefix + "pod_node_name":       p.NodeName,
		metaPrefix + "pod_host_ip":         "",
		metaPrefix + "pod_uid":             "",
		metaPrefix + "pod_controller_kind": p.ControllerKind,
		metaPrefix + "pod_controller_name": p.ControllerName,
	}
	objectMeta(ls, "pod", p.Labels, p.Annotations)
	return ls
}

// objectMeta adds the _label_, _labelpresent_, _annotation_ and
// _annotationpresent_ labels of an object (discovery/kubernetes/
// kubernetes.go addObjectAnnotationsAndLabels).
func objectMeta(ls map[string]string, role string, lbls, annotations map[string]string) {
	for k, v := range lbls {
		n := sanitize(k)
		ls[metaPrefix+role+"_label_"+n] = v
		ls[metaPrefix+role+"_labelpresent_"+n] = "true"
	}
	for k, v := range annotations {
		n := sanitize(k)
		ls[metaPrefix+role+"_annotation_"+n] = v
		ls[metaPrefix+role+"_annotationpresent_"+n] = "true"
	}
}

// podTargets follows discovery/kubernetes/pod.go buildPod: one target per
// declared container port, or one per container without ports.
func podTargets(p Pod) []map[string]string {
	base := podMeta(p)
	var out []map[string]string
	for _, c := range p.Containers {
		if len(c.Ports) == 0 {
			t := clone(base)
			t[model.AddressLabel] = p.IP
			t[metaPrefix+"pod_container_name"] = c.Name
			t[metaPrefix+"pod_container_image"] = c.Image
			t[metaPrefix+"pod_container_init"] = "false"
			out = append(out, t)
			continue
		}
		for _, port := range c.Ports {
			t := clone(base)
			num := strconv.Itoa(int(port.Number))
			t[model.AddressLabel] = net.JoinHostPort(p.IP, num)
			t[metaPrefix+"pod_container_name"] = c.Name
			t[metaPrefix+"pod_container_image"] = c.Image
			t[metaPrefix+"pod_container_port_name"] = port.Name
			t[metaPrefix+"pod_container_port_number"] = num
			t[metaPrefix+"pod_container_port_protocol"] = orDefault(port.Protocol, "TCP")
			t[metaPrefix+"pod_container_init"] = "false"
			out = append(out, t)
		}
	}
	return out
}

// endpointTargets follows discovery/kubernetes/endpoints.go
// buildEndpoints for the Endpoints object of service s, as the endpoints
// controller fills it: a pod the Service selects is listed while it has
// an IP and is not terminating, under addresses when Ready and
// notReadyAddresses otherwise (kubernetes pkg/controller/endpoint
// endpoints_controller.go, podToEndpointAddressForService and
// shouldPodBeInEndpoints). Each Service port whose target the pod
// declares gives a target; the pod's other container ports give targets
// without endpoint labels.
func endpointTargets(s Service, p Pod) []map[string]string {
	if s.Namespace != p.Namespace || len(s.Selector) == 0 || !selects(s.Selector, p.Labels) {
		return nil
	}
	if p.Phase == "Failed" || p.Phase == "Succeeded" || (p.Terminating && !s.PublishNotReadyAddresses) {
		return nil
	}
	group := map[string]string{
		metaPrefix + "namespace":      p.Namespace,
		metaPrefix + "endpoints_name": s.Name,
		metaPrefix + "service_name":   s.Name,
	}
	objectMeta(group, "service", s.Labels, s.Annotations)
	ready := strconv.FormatBool(p.Ready || s.PublishNotReadyAddresses)
	var out []map[string]string
	covered := map[int32]bool{}
	for _, sp := range s.Ports {
		num, ok := resolveTargetPort(sp, p)
		if !ok {
			continue
		}
		t := clone(group)
		for k, v := range podMeta(p) {
			t[k] = v
		}
		t[model.AddressLabel] = net.JoinHostPort(p.IP, strconv.Itoa(int(num)))
		t[metaPrefix+"endpoint_port_name"] = sp.Name
		t[metaPrefix+"endpoint_port_protocol"] = orDefault(sp.Protocol, "TCP")
		t[metaPrefix+"endpoint_ready"] = ready
		t[metaPrefix+"endpoint_address_target_kind"] = "Pod"
		t[metaPrefix+"endpoint_address_target_name"] = p.Name
		t[metaPrefix+"endpoint_node_name"] = p.NodeName
		for _, c := range p.Containers {
			for _, cp := range c.Ports {
				if cp.Number == num {
					t[metaPrefix+"pod_container_name"] = c.Name
					t[metaPrefix+"pod_container_image"] = c.Image
					t[metaPrefix+"pod_container_port_name"] = cp.Name
					t[metaPrefix+"pod_container_port_number"] = strconv.Itoa(int(num))
					t[metaPrefix+"pod_container_port_protocol"] = orDefault(sp.Protocol, "TCP")
					t[metaPrefix+"pod_container_init"] = "false"
				}
			}
		}
		covered[num] = true
		out = append(out, t)
	}
	for _, c := range p.Containers {
		for _, cp := range c.Ports {
			if covered[cp.Number] {
				continue
			}
			t := clone(group)
			for k, v := range podMeta(p) {
				t[k] = v
			}
			num := strconv.Itoa(int(cp.Number))
			t[model.AddressLabel] = net.JoinHostPort(p.IP, num)
			t[metaPrefix+"pod_container_name"] = c.Name
			t[metaPrefix+"pod_container_image"] = c.Image
			t[metaPrefix+"pod_container_port_name"] = cp.Name
			t[metaPrefix+"pod_container_port_number"] = num
			t[metaPrefix+"pod_container_port_protocol"] = orDefault(cp.Protocol, "TCP")
			t[metaPrefix+"pod_container_init"] = "false"
			out = append(out, t)
		}
	}
	return out
}

// resolveTargetPort is the container port a Service port sends to on pod
// p: a number as it is (the pod need not declare it), or a named port the
// pod declares (kubernetes pkg/api/v1/pod FindPort).
func resolveTargetPort(sp ServicePort, p Pod) (int32, bool) {
	tp := sp.TargetPort
	if tp == "" {
		return sp.Port, true
	}
	if n, err := strconv.Atoi(tp); err == nil {
		return int32(n), true
	}
	for _, c := range p.Containers {
		for _, cp := range c.Ports {
			if cp.Name == tp {
				return cp.Number, true
			}
		}
	}
	return 0, false
}

func selects(selector, lbls map[string]string) bool {
	for k, v := range selector {
		if lbls[k] != v {
			return false
		}
	}
	return true
}

// sanitize replaces what a label name cannot hold by "_" (prometheus
// util/strutil SanitizeLabelName).
func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || (i > 0 && c >= '0' && c <= '9')) {
			b[i] = '_'
		}
	}
	return string(b)
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+8)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func containsLabels(list []labels.Labels, ls labels.Labels) bool {
	for _, l := range list {
		if labels.Equal(l, ls) {
			return true
		}
	}
	return false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
