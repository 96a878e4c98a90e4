package scenarios

import (
	"fmt"
	"sort"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/relabel"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	klabels "k8s.io/apimachinery/pkg/labels"

	"github.com/autoscale-sim/autoscale-sim/scrape"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// monitoring derives the scrape jobs over the workload's pods from the
// monitoring objects of the manifests: the Prometheus Operator's
// ServiceMonitors (through the Services that select the pods) and
// PodMonitors, or the prometheus.io/scrape pod annotations the
// prometheus chart's kubernetes-pods job reads. spec.prometheus.discovery
// chooses; by default the operator's monitors when some scrape the
// workload, else the annotations, else plain namespace, pod and job labels.
func (rs *resolution) monitoring() {
	s := &rs.sc.Spec
	w := rs.target
	mode := orDefault(rs.refs.discovery, "auto")
	if w == nil || mode == "none" {
		rs.defaultLabels(mode)
		return
	}
	s.Workload.Template = podTemplate(w)
	rs.intervalSources = map[*scrape.Job]string{}
	var opJobs []*scrape.Job
	if mode != "annotations" {
		opJobs = append(rs.serviceMonitorJobs(w), rs.podMonitorJobs(w)...)
	}
	var annJobs []*scrape.Job
	annotated := w.Template.Annotations["prometheus.io/scrape"] == "true"
	if annotated && (mode == "annotations" || mode == "both" || (mode == "auto" && len(opJobs) == 0)) {
		style := scrape.AnnotationLabels(orDefault(rs.refs.annotationLabels, string(scrape.CurrentLabels)))
		j := scrape.KubernetesPods(style)
		j.Interval = scrape.ChartDefaultInterval
		annJobs = append(annJobs, j)
		rs.setting("scrape job", j.Name, rs.from(w, w.Kind+"/"+w.Name, "spec.template.metadata.annotations"),
			fmt.Sprintf("%s; labels %s", j.Source, map[scrape.AnnotationLabels]string{scrape.CurrentLabels: "namespace, pod (chart 15.0.0 and later; spec.prometheus.annotationLabels: legacy for kubernetes_namespace, kubernetes_pod_name)", scrape.LegacyLabels: "kubernetes_namespace, kubernetes_pod_name (chart before 15.0.0)"}[style]))
	} else if annotated && mode == "auto" {
		s.Prometheus.Notes = append(s.Prometheus.Notes, "the pods' prometheus.io/scrape annotation is not used: the Prometheus Operator's monitors scrape them (spec.prometheus.discovery: both uses both)")
	}
	jobs := append(opJobs, annJobs...)
	if len(jobs) == 0 {
		rs.defaultLabels(mode)
		return
	}
	for _, j := range jobs {
		rs.jobInterval(j, rs.intervalSources[j])
	}
	s.Prometheus.Jobs = jobs
	rs.seriesLabelsSetting(jobs)
}

// defaultLabels is the labelling when no monitoring object scrapes the
// workload: every Ready pod's series carry namespace, pod and job.
func (rs *resolution) defaultLabels(mode string) {
	s := &rs.sc.Spec
	why := "no ServiceMonitor, PodMonitor or prometheus.io/scrape annotation in the manifests scrapes the workload"
	if mode == "none" {
		why = "spec.prometheus.discovery: none"
	} else if rs.target == nil {
		why = "the manifests do not hold the workload, so no monitoring object can be matched to its pods"
	}
	job := orDefault(s.Prometheus.Job, s.Workload.Name)
	rs.setting("series labels", "namespace, pod, job="+job, "default", why+"; only Ready pods are scraped")
	if rs.given("prometheus.scrapeInterval") {
		rs.setting("scrape interval", shortDuration(s.Prometheus.ScrapeInterval), rs.scenarioField("prometheus.scrapeInterval"), "")
	} else {
		rs.setting("scrape interval", "15s", "default", "")
	}
}

// jobInterval settles a job's scrape interval: the scenario's, else the
// monitor's, else the default of the stack.
func (rs *resolution) jobInterval(j *scrape.Job, source string) {
	s := &rs.sc.Spec
	def := scrape.OperatorDefaultInterval
	defWhy := "the Prometheus CR's default scrapeInterval"
	if j.Name == "kubernetes-pods" {
		def, defWhy = scrape.ChartDefaultInterval, "the prometheus chart's global scrape_interval"
	}
	switch {
	case rs.given("prometheus.scrapeInterval"):
		note := ""
		if j.Interval != 0 && j.Interval != s.Prometheus.ScrapeInterval {
			note = fmt.Sprintf("wins over %s (%s)", shortDuration(j.Interval), j.Source)
		}
		j.Interval = s.Prometheus.ScrapeInterval
		rs.setting("scrape interval", shortDuration(j.Interval), rs.scenarioField("prometheus.scrapeInterval"), note)
	case j.Interval != 0 && j.Name != "kubernetes-pods":
		rs.setting("scrape interval", shortDuration(j.Interval), source, "")
	default:
		j.Interval = def
		rs.setting("scrape interval", shortDuration(def), j.Source, defWhy+" (set spec.prometheus.scrapeInterval for another)")
	}
}

// seriesLabelsSetting lists the labels each job gives a pod's series, as
// a user's query must select them.
func (rs *resolution) seriesLabelsSetting(jobs []*scrape.Job) {
	s := &rs.sc.Spec
	for _, j := range jobs {
		pod := scrape.Pod{Name: s.Workload.Name + "-0", Namespace: s.Workload.Namespace, IP: "10.128.0.2", NodeName: "node",
			Labels: s.Workload.Template.Labels, Annotations: s.Workload.Template.Annotations, Phase: "Running", Ready: true,
			ControllerKind: s.Workload.Template.ControllerKind, ControllerName: s.Workload.Name, Containers: s.Workload.Template.Containers}
		targets := j.Targets(pod)
		if len(targets) == 0 {
			rs.setting("series labels", "(none)", j.Source, "its relabelings drop every target of the workload's pods")
			continue
		}
		var names []string
		targets[0].Range(func(l labels.Label) { names = append(names, l.Name) })
		rs.setting("series labels", strings.Join(names, ", "), j.Source, "job="+targets[0].Get("job"))
	}
}

// podTemplate is what discovery sees of the workload's pod template.
func podTemplate(w *Workload) sim.PodTemplate {
	t := sim.PodTemplate{Labels: w.Template.Labels, Annotations: w.Template.Annotations, ControllerKind: "ReplicaSet"}
	if w.Kind == "StatefulSet" {
		t.ControllerKind = "StatefulSet"
	}
	for _, c := range w.Template.Spec.Containers {
		sc := scrape.Container{Name: c.Name, Image: c.Image}
		for _, p := range c.Ports {
			sc.Ports = append(sc.Ports, scrape.Port{Name: p.Name, Number: p.ContainerPort, Protocol: string(p.Protocol)})
		}
		t.Containers = append(t.Containers, sc)
	}
	return t
}

// monitorNamespaces says whether a monitor in namespace own with
// namespaceSelector sel discovers namespace ns (prometheus-operator
// promcfg.go getNamespacesFromNamespaceSelector: any, matchNames, else
// its own namespace).
func monitorNamespaces(own string, sel monitoringv1.NamespaceSelector, ns string) bool {
	switch {
	case sel.Any:
		return true
	case len(sel.MatchNames) > 0:
		for _, n := range sel.MatchNames {
			if n == ns {
				return true
			}
		}
		return false
	}
	return own == ns
}

func selectorMatches(sel metav1.LabelSelector, m map[string]string) bool {
	ls, err := metav1.LabelSelectorAsSelector(&sel)
	if err != nil {
		return false
	}
	return ls.Matches(klabels.Set(m))
}

// serviceMonitorJobs are the jobs of the ServiceMonitors that select a
// Service in front of the workload's pods. Monitors that do not are noted
// with the reason.
func (rs *resolution) serviceMonitorJobs(w *Workload) []*scrape.Job {
	var jobs []*scrape.Job
	notes := &rs.sc.Spec.Prometheus.Notes
	var fronting []*corev1.Service
	for _, svc := range rs.all.Services {
		if serviceSelects(svc, w) {
			fronting = append(fronting, svc)
		}
	}
	for _, sm := range rs.all.ServiceMonitors {
		name := fmt.Sprintf("ServiceMonitor %s/%s", sm.Namespace, sm.Name)
		if !monitorNamespaces(sm.Namespace, sm.Spec.NamespaceSelector, w.Namespace) {
			*notes = append(*notes, fmt.Sprintf("%s does not look in namespace %s (its namespaceSelector allows %s)", name, w.Namespace, namespacesOf(sm.Namespace, sm.Spec.NamespaceSelector)))
			continue
		}
		var services []scrape.Service
		for _, svc := range fronting {
			if selectorMatches(sm.Spec.Selector, svc.Labels) {
				services = append(services, toService(svc))
			}
		}
		if len(services) == 0 {
			*notes = append(*notes, fmt.Sprintf("%s selects Services labelled %s; %s", name, metav1.FormatLabelSelector(&sm.Spec.Selector), describeFronting(fronting, w)))
			continue
		}
		for i, ep := range sm.Spec.Endpoints {
			path := fmt.Sprintf("spec.endpoints[%d]", i)
			rel := rs.relabelings(sm, path+".relabelings", ep.RelabelConfigs)
			mrel := rs.relabelings(sm, path+".metricRelabelings", ep.MetricRelabelConfigs)
			if ep.Port != "" && !anyServicePort(services, ep.Port) {
				*notes = append(*notes, fmt.Sprintf("%s %s: port %q names no port of Service %s (its ports are named %s), so it scrapes nothing", name, path, ep.Port, services[0].Name, servicePortNames(services[0])))
			}
			j := scrape.FromServiceMonitor(sm, i, services, rel, mrel)
			j.Source = rs.from(sm, fmt.Sprintf("ServiceMonitor/%s", sm.Name), path)
			rs.intervalSources[j] = rs.from(sm, fmt.Sprintf("ServiceMonitor/%s", sm.Name), path+".interval")
			jobs = append(jobs, j)
		}
	}
	if len(fronting) == 0 && len(rs.all.ServiceMonitors) > 0 {
		*notes = append(*notes, fmt.Sprintf("no Service of the manifests selects the pods of %s %s (pod labels %s), so no ServiceMonitor can scrape them", w.Kind, w.Name, sortedLabelString(w.Template.Labels)))
	}
	return jobs
}

// podMonitorJobs are the jobs of the PodMonitors that select the
// workload's pods.
func (rs *resolution) podMonitorJobs(w *Workload) []*scrape.Job {
	var jobs []*scrape.Job
	notes := &rs.sc.Spec.Prometheus.Notes
	for _, pm := range rs.all.PodMonitors {
		name := fmt.Sprintf("PodMonitor %s/%s", pm.Namespace, pm.Name)
		if !monitorNamespaces(pm.Namespace, pm.Spec.NamespaceSelector, w.Namespace) {
			*notes = append(*notes, fmt.Sprintf("%s does not look in namespace %s (its namespaceSelector allows %s)", name, w.Namespace, namespacesOf(pm.Namespace, pm.Spec.NamespaceSelector)))
			continue
		}
		if !selectorMatches(pm.Spec.Selector, w.Template.Labels) {
			*notes = append(*notes, fmt.Sprintf("%s selects pods labelled %s; the pods of %s %s are labelled %s", name, metav1.FormatLabelSelector(&pm.Spec.Selector), w.Kind, w.Name, sortedLabelString(w.Template.Labels)))
			continue
		}
		for i, ep := range pm.Spec.PodMetricsEndpoints {
			path := fmt.Sprintf("spec.podMetricsEndpoints[%d]", i)
			rel := rs.relabelings(pm, path+".relabelings", ep.RelabelConfigs)
			mrel := rs.relabelings(pm, path+".metricRelabelings", ep.MetricRelabelConfigs)
			j := scrape.FromPodMonitor(pm, i, rel, mrel)
			j.Source = rs.from(pm, fmt.Sprintf("PodMonitor/%s", pm.Name), path)
			rs.intervalSources[j] = rs.from(pm, fmt.Sprintf("PodMonitor/%s", pm.Name), path+".interval")
			jobs = append(jobs, j)
		}
	}
	return jobs
}

// relabelings converts a monitor's relabel configs, reporting invalid
// ones at their line, as the operator refuses them.
func (rs *resolution) relabelings(obj any, path string, in []monitoringv1.RelabelConfig) []*relabel.Config {
	out, errs := scrape.UserRelabel(in)
	for _, err := range errs {
		msg := err.Error()
		idx, rest, _ := strings.Cut(msg, ": ")
		rs.at(obj, path+idx, "%s", rest)
	}
	return out
}

func toService(svc *corev1.Service) scrape.Service {
	out := scrape.Service{Name: svc.Name, Namespace: svc.Namespace, Labels: svc.Labels, Annotations: svc.Annotations,
		Selector: svc.Spec.Selector, PublishNotReadyAddresses: svc.Spec.PublishNotReadyAddresses}
	for _, p := range svc.Spec.Ports {
		tp := p.TargetPort.String()
		if p.TargetPort.IntVal == 0 && p.TargetPort.StrVal == "" {
			tp = ""
		}
		out.Ports = append(out.Ports, scrape.ServicePort{Name: p.Name, Port: p.Port, TargetPort: tp, Protocol: string(p.Protocol)})
	}
	return out
}

func anyServicePort(services []scrape.Service, name string) bool {
	for _, s := range services {
		for _, p := range s.Ports {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

func servicePortNames(s scrape.Service) string {
	var names []string
	for _, p := range s.Ports {
		names = append(names, fmt.Sprintf("%q", p.Name))
	}
	return strings.Join(names, ", ")
}

func namespacesOf(own string, sel monitoringv1.NamespaceSelector) string {
	switch {
	case sel.Any:
		return "any"
	case len(sel.MatchNames) > 0:
		return strings.Join(sel.MatchNames, ", ")
	}
	return own + " (its own)"
}

func describeFronting(fronting []*corev1.Service, w *Workload) string {
	if len(fronting) == 0 {
		return fmt.Sprintf("no Service selects the pods of %s %s", w.Kind, w.Name)
	}
	var parts []string
	for _, s := range fronting {
		parts = append(parts, fmt.Sprintf("Service %s is labelled %s", s.Name, orDefault(sortedLabelString(s.Labels), "with nothing")))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}
