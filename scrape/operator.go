package scrape

import (
	"fmt"
	"sort"
	"strings"
	"time"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/relabel"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// OperatorDefaultInterval is the scrape interval of a ServiceMonitor or
// PodMonitor endpoint that sets none: the Prometheus CR's
// spec.scrapeInterval, whose CRD default is 30s (prometheus-operator
// pkg/apis/monitoring/v1/prometheus_types.go).
const OperatorDefaultInterval = 30 * time.Second

// rule builds a relabel config with Prometheus' defaults for what it
// leaves out (model/relabel DefaultRelabelConfig).
func rule(action relabel.Action, sources []string, regex, target, replacement string) *relabel.Config {
	c := relabel.DefaultRelabelConfig
	c.Action = action
	for _, s := range sources {
		c.SourceLabels = append(c.SourceLabels, model.LabelName(s))
	}
	if regex != "" {
		c.Regex = relabel.MustNewRegexp(regex)
	}
	c.TargetLabel = target
	if replacement != "" {
		c.Replacement = replacement
	}
	c.NameValidationScheme = model.UTF8Validation
	return &c
}

// UserRelabel converts the relabelings of a monitor to Prometheus relabel
// configs, with Prometheus' defaults and validation; the operator lower-
// cases the action (promcfg.go generateRelabelConfig).
func UserRelabel(in []monitoringv1.RelabelConfig) ([]*relabel.Config, []error) {
	var out []*relabel.Config
	var errs []error
	for i, r := range in {
		c := relabel.DefaultRelabelConfig
		c.NameValidationScheme = model.UTF8Validation
		for _, s := range r.SourceLabels {
			c.SourceLabels = append(c.SourceLabels, model.LabelName(s))
		}
		if r.Separator != nil {
			c.Separator = *r.Separator
		}
		c.TargetLabel = r.TargetLabel
		if r.Regex != "" {
			re, err := relabel.NewRegexp(r.Regex)
			if err != nil {
				errs = append(errs, fmt.Errorf("[%d].regex: %v", i, err))
				continue
			}
			c.Regex = re
		}
		if r.Modulus < 0 {
			errs = append(errs, fmt.Errorf("[%d].modulus: must not be negative", i))
			continue
		}
		c.Modulus = uint64(r.Modulus)
		if r.Replacement != nil {
			c.Replacement = *r.Replacement
		}
		if r.Action != "" {
			c.Action = relabel.Action(strings.ToLower(r.Action))
			if !knownAction(c.Action) {
				errs = append(errs, fmt.Errorf("[%d].action: unknown relabel action %q; allowed: replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase", i, r.Action))
				continue
			}
		}
		if err := c.Validate(model.UTF8Validation); err != nil {
			errs = append(errs, fmt.Errorf("[%d]: %v", i, err))
			continue
		}
		out = append(out, &c)
	}
	return out, errs
}

// selectorRules encode a label selector as keep and drop rules on the
// _label_ and _labelpresent_ discovery labels of role, matchLabels in
// sorted key order (promcfg.go generateServiceMonitorConfig and
// generatePodMonitorConfig, selectorMechanism RelabelConfig).
func selectorRules(role string, sel metav1.LabelSelector) []*relabel.Config {
	var out []*relabel.Config
	keys := make([]string, 0, len(sel.MatchLabels))
	for k := range sel.MatchLabels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		n := sanitize(k)
		out = append(out, rule(relabel.Keep, []string{metaPrefix + role + "_label_" + n, metaPrefix + role + "_labelpresent_" + n}, "("+sel.MatchLabels[k]+");true", "", ""))
	}
	for _, e := range sel.MatchExpressions {
		n := sanitize(e.Key)
		lbl, present := metaPrefix+role+"_label_"+n, metaPrefix+role+"_labelpresent_"+n
		switch e.Operator {
		case metav1.LabelSelectorOpIn:
			out = append(out, rule(relabel.Keep, []string{lbl, present}, "("+strings.Join(e.Values, "|")+");true", "", ""))
		case metav1.LabelSelectorOpNotIn:
			out = append(out, rule(relabel.Drop, []string{lbl, present}, "("+strings.Join(e.Values, "|")+");true", "", ""))
		case metav1.LabelSelectorOpExists:
			out = append(out, rule(relabel.Keep, []string{present}, "true", "", ""))
		case metav1.LabelSelectorOpDoesNotExist:
			out = append(out, rule(relabel.Drop, []string{present}, "true", "", ""))
		}
	}
	return out
}

// runningFilter drops pods that have finished (promcfg.go
// generateRunningFilter, on unless filterRunning is false).
func runningFilter(filter *bool) []*relabel.Config {
	if filter != nil && !*filter {
		return nil
	}
	return []*relabel.Config{rule(relabel.Drop, []string{metaPrefix + "pod_phase"}, "(Failed|Succeeded)", "", "")}
}

// FromServiceMonitor is the job the Prometheus Operator generates for
// endpoint i of a ServiceMonitor (prometheus-operator pkg/prometheus/
// promcfg.go generateServiceMonitorConfig, role endpoints): the service
// selector and port filter, the namespace, service, pod and container
// labels, job from the Service name (or its jobLabel label), endpoint
// from the port, then the user's relabelings; services are those it may
// discover (in the namespaces its namespaceSelector allows).
func FromServiceMonitor(sm *monitoringv1.ServiceMonitor, i int, services []Service, relabelings, metricRelabelings []*relabel.Config) *Job {
	ep := sm.Spec.Endpoints[i]
	j := &Job{
		Name:          fmt.Sprintf("serviceMonitor/%s/%s/%d", sm.Namespace, sm.Name, i),
		Source:        fmt.Sprintf("ServiceMonitor %s/%s spec.endpoints[%d]", sm.Namespace, sm.Name, i),
		Role:          RoleEndpoints,
		Services:      services,
		Interval:      time.Duration(0),
		MetricsPath:   ep.Path,
		HonorLabels:   ep.HonorLabels,
		MetricRelabel: metricRelabelings,
	}
	if ep.Scheme != nil {
		j.Scheme = strings.ToLower(string(*ep.Scheme))
	}
	if ep.Interval != "" {
		if d, err := model.ParseDuration(string(ep.Interval)); err == nil {
			j.Interval = time.Duration(d)
		}
	}
	r := []*relabel.Config{rule(relabel.Replace, []string{"job"}, "", "__tmp_prometheus_job_name", "")}
	r = append(r, selectorRules("service", sm.Spec.Selector)...)
	switch {
	case ep.Port != "":
		r = append(r, rule(relabel.Keep, []string{metaPrefix + "endpoint_port_name"}, ep.Port, "", ""))
	case ep.TargetPort != nil && ep.TargetPort.StrVal != "":
		r = append(r, rule(relabel.Keep, []string{metaPrefix + "pod_container_port_name"}, ep.TargetPort.StrVal, "", ""))
	case ep.TargetPort != nil:
		r = append(r, rule(relabel.Keep, []string{metaPrefix + "pod_container_port_number"}, fmt.Sprint(ep.TargetPort.IntVal), "", ""))
	}
	kindName := []string{metaPrefix + "endpoint_address_target_kind", metaPrefix + "endpoint_address_target_name"}
	r = append(r,
		rule(relabel.Replace, kindName, "Node;(.*)", "node", "${1}"),
		rule(relabel.Replace, kindName, "Pod;(.*)", "pod", "${1}"),
		rule(relabel.Replace, []string{metaPrefix + "namespace"}, "", "namespace", ""),
		rule(relabel.Replace, []string{metaPrefix + "service_name"}, "", "service", ""),
		rule(relabel.Replace, []string{metaPrefix + "pod_name"}, "", "pod", ""),
		rule(relabel.Replace, []string{metaPrefix + "pod_container_name"}, "", "container", ""),
	)
	r = append(r, runningFilter(ep.FilterRunning)...)
	for _, l := range sm.Spec.TargetLabels {
		r = append(r, rule(relabel.Replace, []string{metaPrefix + "service_label_" + sanitize(l)}, "(.+)", sanitize(l), "${1}"))
	}
	for _, l := range sm.Spec.PodTargetLabels {
		r = append(r, rule(relabel.Replace, []string{metaPrefix + "pod_label_" + sanitize(l)}, "(.+)", sanitize(l), "${1}"))
	}
	r = append(r, rule(relabel.Replace, []string{metaPrefix + "service_name"}, "", "job", "${1}"))
	if sm.Spec.JobLabel != "" {
		r = append(r, rule(relabel.Replace, []string{metaPrefix + "service_label_" + sanitize(sm.Spec.JobLabel)}, "(.+)", "job", "${1}"))
	}
	switch {
	case ep.Port != "":
		r = append(r, rule(relabel.Replace, nil, "", "endpoint", ep.Port))
	case ep.TargetPort != nil:
		r = append(r, rule(relabel.Replace, nil, "", "endpoint", ep.TargetPort.String()))
	}
	j.Relabel = append(r, relabelings...)
	return j
}

// FromPodMonitor is the job the Prometheus Operator generates for
// endpoint i of a PodMonitor (promcfg.go generatePodMonitorConfig, role
// pod): the running filter before the pod selector, the port filter, the
// namespace, container and pod labels, job "<namespace>/<name>" (or the
// pod's jobLabel label), endpoint from the port, then the user's
// relabelings.
func FromPodMonitor(pm *monitoringv1.PodMonitor, i int, relabelings, metricRelabelings []*relabel.Config) *Job {
	ep := pm.Spec.PodMetricsEndpoints[i]
	j := &Job{
		Name:          fmt.Sprintf("podMonitor/%s/%s/%d", pm.Namespace, pm.Name, i),
		Source:        fmt.Sprintf("PodMonitor %s/%s spec.podMetricsEndpoints[%d]", pm.Namespace, pm.Name, i),
		Role:          RolePod,
		MetricsPath:   ep.Path,
		HonorLabels:   ep.HonorLabels,
		MetricRelabel: metricRelabelings,
	}
	if ep.Scheme != nil {
		j.Scheme = strings.ToLower(string(*ep.Scheme))
	}
	if ep.Interval != "" {
		if d, err := model.ParseDuration(string(ep.Interval)); err == nil {
			j.Interval = time.Duration(d)
		}
	}
	r := []*relabel.Config{rule(relabel.Replace, []string{"job"}, "", "__tmp_prometheus_job_name", "")}
	r = append(r, runningFilter(ep.FilterRunning)...)
	r = append(r, selectorRules("pod", pm.Spec.Selector)...)
	port := ""
	switch {
	case ep.Port != nil && *ep.Port != "":
		port = *ep.Port
		r = append(r, rule(relabel.Keep, []string{metaPrefix + "pod_container_port_name"}, port, "", ""))
	case ep.PortNumber != nil:
		port = fmt.Sprint(*ep.PortNumber)
		r = append(r, rule(relabel.Keep, []string{metaPrefix + "pod_container_port_number"}, port, "", ""))
	case ep.TargetPort != nil && ep.TargetPort.StrVal != "":
		port = ep.TargetPort.StrVal
		r = append(r, rule(relabel.Keep, []string{metaPrefix + "pod_container_port_name"}, port, "", ""))
	case ep.TargetPort != nil:
		port = fmt.Sprint(ep.TargetPort.IntVal)
		r = append(r, rule(relabel.Keep, []string{metaPrefix + "pod_container_port_number"}, port, "", ""))
	}
	r = append(r,
		rule(relabel.Replace, []string{metaPrefix + "namespace"}, "", "namespace", ""),
		rule(relabel.Replace, []string{metaPrefix + "pod_container_name"}, "", "container", ""),
		rule(relabel.Replace, []string{metaPrefix + "pod_name"}, "", "pod", ""),
	)
	for _, l := range pm.Spec.PodTargetLabels {
		r = append(r, rule(relabel.Replace, []string{metaPrefix + "pod_label_" + sanitize(l)}, "(.+)", sanitize(l), "${1}"))
	}
	r = append(r, rule(relabel.Replace, nil, "", "job", pm.Namespace+"/"+pm.Name))
	if pm.Spec.JobLabel != "" {
		r = append(r, rule(relabel.Replace, []string{metaPrefix + "pod_label_" + sanitize(pm.Spec.JobLabel)}, "(.+)", "job", "${1}"))
	}
	if port != "" {
		r = append(r, rule(relabel.Replace, nil, "", "endpoint", port))
	}
	j.Relabel = append(r, relabelings...)
	return j
}

// AnnotationLabels says which labels the kubernetes-pods job gives the
// namespace and pod name.
type AnnotationLabels string

// The label styles of the prometheus-community prometheus chart.
const (
	// CurrentLabels are namespace, pod and node (chart 15.0.0 and later,
	// node since 22.6.4).
	CurrentLabels AnnotationLabels = "current"
	// LegacyLabels are kubernetes_namespace and kubernetes_pod_name
	// (chart 14.x and earlier, as in tutorials of 2021).
	LegacyLabels AnnotationLabels = "legacy"
)

// ChartDefaultInterval is the prometheus-community chart's global
// scrape_interval (server.global.scrape_interval).
const ChartDefaultInterval = time.Minute

// KubernetesPods is the prometheus-community prometheus chart's
// kubernetes-pods job (charts/prometheus/values.yaml): pods annotated
// prometheus.io/scrape: "true", scheme, path and port from the other
// prometheus.io/* annotations, every pod label copied, and namespace and
// pod (or, before chart 15.0.0, kubernetes_namespace and
// kubernetes_pod_name); pods Pending, Succeeded or Failed are dropped, so
// a Running pod is scraped before it is Ready and while it terminates.
func KubernetesPods(style AnnotationLabels) *Job {
	ann := metaPrefix + "pod_annotation_prometheus_io_"
	r := []*relabel.Config{
		rule(relabel.Keep, []string{ann + "scrape"}, "true", "", ""),
	}
	if style == LegacyLabels {
		r = append(r,
			rule(relabel.Replace, []string{ann + "path"}, "(.+)", "__metrics_path__", ""),
			rule(relabel.Replace, []string{"__address__", ann + "port"}, `([^:]+)(?::\d+)?;(\d+)`, "__address__", "$1:$2"),
			rule(relabel.LabelMap, nil, metaPrefix+"pod_label_(.+)", "", ""),
			rule(relabel.Replace, []string{metaPrefix + "namespace"}, "", "kubernetes_namespace", ""),
			rule(relabel.Replace, []string{metaPrefix + "pod_name"}, "", "kubernetes_pod_name", ""),
			rule(relabel.Drop, []string{metaPrefix + "pod_phase"}, "Pending|Succeeded|Failed", "", ""),
		)
		return &Job{Name: "kubernetes-pods", Source: "prometheus.io/scrape annotation, kubernetes-pods job of the prometheus chart before 15.0.0", Role: RolePod, Relabel: r}
	}
	r = append(r,
		rule(relabel.Drop, []string{ann + "scrape_slow"}, "true", "", ""),
		rule(relabel.Replace, []string{ann + "scheme"}, "(https?)", "__scheme__", ""),
		rule(relabel.Replace, []string{ann + "path"}, "(.+)", "__metrics_path__", ""),
		rule(relabel.Replace, []string{ann + "port", metaPrefix + "pod_ip"}, `(\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})`, "__address__", "[$2]:$1"),
		rule(relabel.Replace, []string{ann + "port", metaPrefix + "pod_ip"}, `(\d+);((([0-9]+?)(\.|$)){4})`, "__address__", "$2:$1"),
		rule(relabel.LabelMap, nil, ann+"param_(.+)", "", "__param_$1"),
		rule(relabel.LabelMap, nil, metaPrefix+"pod_label_(.+)", "", ""),
		rule(relabel.Replace, []string{metaPrefix + "namespace"}, "", "namespace", ""),
		rule(relabel.Replace, []string{metaPrefix + "pod_name"}, "", "pod", ""),
		rule(relabel.Drop, []string{metaPrefix + "pod_phase"}, "Pending|Succeeded|Failed|Completed", "", ""),
		rule(relabel.Replace, []string{metaPrefix + "pod_node_name"}, "", "node", ""),
	)
	return &Job{Name: "kubernetes-pods", Source: "prometheus.io/scrape annotation, kubernetes-pods job of the prometheus chart", Role: RolePod, HonorLabels: true, Relabel: r}
}

func knownAction(a relabel.Action) bool {
	switch a {
	case relabel.Replace, relabel.Keep, relabel.Drop, relabel.KeepEqual, relabel.DropEqual, relabel.HashMod,
		relabel.LabelMap, relabel.LabelDrop, relabel.LabelKeep, relabel.Lowercase, relabel.Uppercase:
		return true
	}
	return false
}
