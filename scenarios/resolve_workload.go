package scenarios

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
	corev1 "k8s.io/api/core/v1"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// setting records where a value of the run came from.
func (rs *resolution) setting(name, value, source, note string) {
	rs.sc.Spec.Settings = append(rs.sc.Spec.Settings, sim.Setting{Name: name, Value: value, Source: source, Note: note})
}

// assume records a default that may flatter the result.
func (rs *resolution) assume(msg, hint string) {
	rs.sc.Spec.Assumptions = append(rs.sc.Spec.Assumptions, sim.Assumption{Message: msg, Hint: hint})
}

// from names a field of a manifest object with its file and line.
func (rs *resolution) from(obj any, kindName, path string) string {
	file, line := rs.all.Locate(obj, path)
	if file == "" {
		return kindName + " " + path
	}
	return fmt.Sprintf("%s %s (%s:%d)", kindName, path, file, line)
}

// scenarioField names a field of the scenario file with its line.
func (rs *resolution) scenarioField(path string) string {
	if n, ok := rs.refs.given[path]; ok && n.n != nil {
		return fmt.Sprintf("scenario spec.%s (%s:%d)", path, rs.sc.File, n.line())
	}
	return "scenario spec." + path
}

func (rs *resolution) given(path string) bool {
	_, ok := rs.refs.given[path]
	return ok
}

// givenResources reports whether spec.workload.resources sets key.
func (rs *resolution) givenResources(key string) bool {
	n, ok := rs.refs.given["workload.resources"]
	return ok && n.n.Kind == yaml.MappingNode && hasKey(n.n, key)
}

// workload reads the scale target's Deployment or StatefulSet: initial
// replicas, containers and their requests, the time to Ready its
// readinessProbe implies, its termination grace period. A value the
// scenario sets wins, and the run says so.
func (rs *resolution) workload() {
	if rs.sc.Spec.ScaledJob != nil {
		rs.jobWorkload()
		return
	}
	rs.findTarget()
	s := &rs.sc.Spec
	w := rs.target
	name := s.Workload.Kind + "/" + s.Workload.Name
	if w == nil && len(rs.all.Workloads) == 0 {
		rs.assume(fmt.Sprintf("the manifests hold no %s: its pods are taken to have one container, %q, with the scenario's requests", name, orDefault(s.Workload.Resources.Container, "app")),
			"add the Deployment or StatefulSet you apply to the manifests")
	}

	// Initial replicas.
	switch {
	case rs.refs.replicas != nil:
		s.Workload.InitialReplicas = *rs.refs.replicas
		note := ""
		if w != nil && w.Replicas != nil && *w.Replicas != *rs.refs.replicas {
			note = fmt.Sprintf("wins over %s", rs.valueFrom(w, name, "spec.replicas", fmt.Sprint(*w.Replicas)))
		}
		rs.setting("initial replicas", fmt.Sprint(s.Workload.InitialReplicas), rs.scenarioField("workload.replicas"), note)
	case w != nil && w.Replicas != nil:
		s.Workload.InitialReplicas = *w.Replicas
		rs.setting("initial replicas", fmt.Sprint(*w.Replicas), rs.from(w, name, "spec.replicas"), "")
	case w != nil:
		s.Workload.InitialReplicas = 1
		rs.setting("initial replicas", "1", name+" spec.replicas unset", "the API default")
	default:
		s.Workload.InitialReplicas = 1
		rs.setting("initial replicas", "1", "default", "set spec.workload.replicas or add the workload to the manifests")
	}
	if s.Workload.Kind == "StatefulSet" && w != nil {
		s.Workload.Ordered = w.podManagement() != "Parallel"
		rs.setting("pod management", w.podManagement(), rs.from(w, name, "spec.podManagementPolicy"),
			map[bool]string{true: "one pod at a time: each waits for the previous one to be Ready, and scale-in removes the highest ordinal first, one at a time", false: "pods are created and deleted together"}[s.Workload.Ordered])
	}
	if w == nil {
		rs.startupDefaults(nil, nil, name)
		return
	}
	// What the scheduler reads of the template on a node pool.
	ps := w.Template.Spec
	s.Workload.Placement = corev1.PodSpec{NodeSelector: ps.NodeSelector, Affinity: ps.Affinity, Tolerations: ps.Tolerations,
		InitContainers: ps.InitContainers, Overhead: ps.Overhead}
	// The container that carries the load, and the others.
	main := rs.mainContainer(w)
	if main == nil {
		return
	}
	if !rs.givenResources("container") {
		s.Workload.Resources.Container = main.Name
		rs.setting("container", main.Name, rs.from(w, name, fmt.Sprintf("spec.template.spec.containers[%d].name", w.containerIndex(main.Name))), "")
	} else {
		rs.setting("container", main.Name, rs.scenarioField("workload.resources"), "")
	}
	req := containerRequests(*main)
	if rs.givenResources("requests") {
		if len(req) > 0 {
			rs.setting("requests", formatRequests(s.Workload.Resources.RequestsMilli), rs.scenarioField("workload.resources"),
				"wins over "+rs.valueFrom(w, name, fmt.Sprintf("spec.template.spec.containers[%d].resources", w.containerIndex(main.Name)), formatRequests(req)))
		}
	} else if len(req) > 0 {
		s.Workload.Resources.RequestsMilli = req
		note := ""
		if len(main.Resources.Requests) == 0 {
			note = "no requests: the API sets them to the limits"
		}
		rs.setting("requests", formatRequests(req), rs.from(w, name, fmt.Sprintf("spec.template.spec.containers[%d].resources", w.containerIndex(main.Name))), note)
	}
	for i, c := range w.Template.Spec.Containers {
		if c.Name == main.Name {
			continue
		}
		r := containerRequests(c)
		s.Workload.Resources.Sidecars = append(s.Workload.Resources.Sidecars, sim.Container{Name: c.Name, RequestsMilli: r})
		rs.setting("sidecar container", c.Name+" "+orDefault(formatRequests(r), "(no requests)"), rs.from(w, name, fmt.Sprintf("spec.template.spec.containers[%d]", i)),
			"its requests count in CPU and memory Utilization; it is taken to use nothing")
	}
	rs.startupDefaults(w, main, name)
	if w.MinReadySeconds > 0 {
		rs.setting("minReadySeconds", fmt.Sprintf("%ds", w.MinReadySeconds), rs.from(w, name, "spec.minReadySeconds"),
			"delays only the Deployment's availableReplicas; the HPA and KEDA count Ready pods (replica_calculator.go groupPods), so it changes no decision")
	}
}

// valueFrom is "Kind/name path value (file:line)".
func (rs *resolution) valueFrom(obj any, name, path, value string) string {
	file, line := rs.all.Locate(obj, path)
	if file == "" {
		return fmt.Sprintf("%s %s %s", name, path, value)
	}
	return fmt.Sprintf("%s %s %s (%s:%d)", name, path, value, file, line)
}

// startupDefaults sets the time to Ready and the termination time: the
// scenario's, else what the pod template implies.
func (rs *resolution) startupDefaults(w *Workload, main *corev1.Container, name string) {
	s := &rs.sc.Spec
	probeDelay, probeNote, probePath, hasProbe := time.Duration(0), "", "", false
	if main != nil {
		probeDelay, probeNote, hasProbe = readinessDelay(*main)
		probePath = fmt.Sprintf("spec.template.spec.containers[%d].readinessProbe", w.containerIndex(main.Name))
	}
	switch {
	case rs.given("workload.podStartup"):
		note := ""
		if hasProbe {
			s.Workload.ReadinessDelay = probeDelay
			note = "wins over " + rs.valueFrom(w, name, probePath, shortDuration(probeDelay))
		}
		rs.setting("time to Ready", describeStartup(s.Workload), rs.scenarioField("workload.podStartup"), note)
	case hasProbe:
		s.Workload.PodStartup = probeDelay
		s.Workload.ReadinessDelay = probeDelay
		rs.setting("time to Ready", shortDuration(probeDelay), rs.from(w, name, probePath), probeNote)
		rs.assume("pods start their container at once and pass their readinessProbe at the first probe that counts",
			"set spec.workload.podStartup to the time your pods really take (image pull, start-up)")
	default:
		rs.setting("time to Ready", "0s", "default", "")
		rs.assume("pods are Ready the moment they are created: neither the scenario (spec.workload.podStartup) nor a readinessProbe says how long they take",
			"set spec.workload.podStartup, e.g. 20s or {min: 10s, max: 40s}")
	}
	switch {
	case rs.given("workload.podTermination"):
		note := ""
		if w != nil && w.Template.Spec.TerminationGracePeriodSeconds != nil {
			note = "wins over " + rs.valueFrom(w, name, "spec.template.spec.terminationGracePeriodSeconds", fmt.Sprintf("%ds", *w.Template.Spec.TerminationGracePeriodSeconds))
		}
		rs.setting("termination", shortDuration(s.Workload.PodTermination), rs.scenarioField("workload.podTermination"), note)
	case w != nil:
		grace := int64(corev1.DefaultTerminationGracePeriodSeconds)
		source := name + " spec.template.spec.terminationGracePeriodSeconds unset"
		note := "the API default; a pod that exits on SIGTERM goes sooner"
		if g := w.Template.Spec.TerminationGracePeriodSeconds; g != nil {
			grace = *g
			source = rs.from(w, name, "spec.template.spec.terminationGracePeriodSeconds")
			note = "the most a pod takes; one that exits on SIGTERM goes sooner"
		}
		s.Workload.PodTermination = time.Duration(grace) * time.Second
		rs.setting("termination", shortDuration(s.Workload.PodTermination), source, note)
	default:
		rs.setting("termination", shortDuration(s.Workload.PodTermination), "default", "")
	}
}

// readinessDelay is the time from container start to Ready that the
// container's probes imply, at best. The kubelet's prober
// (pkg/kubelet/prober/worker.go run and doProbe) probes when the container
// starts and then every periodSeconds, skips every probe before
// initialDelaySeconds, and reports Ready after successThreshold successes
// in a row; a pod status update also triggers a probe (prober_manager.go
// UpdatePodStatus), so the first one that counts can come right at the
// initial delay. In a cluster it comes up to one period later, by the
// phase of the prober's ticker: this is the best case. A startupProbe
// holds the readiness probe back until it has succeeded. Defaults as the
// API sets them (pkg/apis/core/v1/defaults.go SetDefaults_Probe): period
// 10s, success threshold 1, no initial delay.
func readinessDelay(c corev1.Container) (time.Duration, string, bool) {
	if c.ReadinessProbe == nil && c.StartupProbe == nil {
		return 0, "", false
	}
	params := func(p *corev1.Probe) (delay, period, succ int32) {
		period, succ = p.PeriodSeconds, p.SuccessThreshold
		if period <= 0 {
			period = 10
		}
		if succ <= 0 {
			succ = 1
		}
		return p.InitialDelaySeconds, period, succ
	}
	var total time.Duration
	var parts []string
	if p := c.StartupProbe; p != nil {
		delay, period, succ := params(p)
		total += time.Duration(delay+(succ-1)*period) * time.Second
		parts = append(parts, fmt.Sprintf("startupProbe: initialDelaySeconds %d, periodSeconds %d", delay, period))
	}
	if p := c.ReadinessProbe; p != nil {
		delay, period, succ := params(p)
		total += time.Duration(delay+(succ-1)*period) * time.Second
		parts = append(parts, fmt.Sprintf("readinessProbe: initialDelaySeconds %d, periodSeconds %d, successThreshold %d; at best: in a cluster up to one period later", delay, period, succ))
	}
	return total, strings.Join(parts, "; "), true
}

// mainContainer picks the container whose usage the load drives: the one
// the scenario names, else the one a trigger or metric names
// (containerName, envSourceContainerName, ContainerResource), else the
// first.
func (rs *resolution) mainContainer(w *Workload) *corev1.Container {
	s := &rs.sc.Spec
	containers := w.Template.Spec.Containers
	if len(containers) == 0 {
		rs.at(w, "spec.template.spec.containers", "must list at least one container")
		return nil
	}
	want, why := "", ""
	if rs.givenResources("container") {
		want, why = s.Workload.Resources.Container, "spec.workload.resources.container"
	}
	if want == "" && s.KEDA != nil {
		so := s.KEDA.Object
		for i, t := range so.Triggers {
			if (t.Type == "cpu" || t.Type == "memory") && t.Metadata["containerName"] != "" {
				want, why = t.Metadata["containerName"], fmt.Sprintf("spec.triggers[%d].metadata.containerName", i)
				break
			}
		}
		if want == "" && so.ScaleTargetRef.EnvSourceContainerName != "" {
			want, why = so.ScaleTargetRef.EnvSourceContainerName, "spec.scaleTargetRef.envSourceContainerName"
		}
	}
	if want == "" && s.HPA != nil {
		for i, m := range s.HPA.Spec.Metrics {
			if m.Type == hpa.ContainerResourceMetricSourceType {
				want, why = m.Container, fmt.Sprintf("spec.metrics[%d].containerResource.container", i)
				break
			}
		}
	}
	if want == "" {
		return &containers[0]
	}
	var names []string
	for i := range containers {
		if containers[i].Name == want {
			return &containers[i]
		}
		names = append(names, containers[i].Name)
	}
	rs.at(w, "spec.template.spec.containers", "%s names container %q, which %s %s does not have; its containers: %s", why, want, w.Kind, w.Name, strings.Join(names, ", "))
	return nil
}

func (w *Workload) containerIndex(name string) int {
	for i, c := range w.Template.Spec.Containers {
		if c.Name == name {
			return i
		}
	}
	return 0
}

// podManagement is the StatefulSet's spec.podManagementPolicy with its
// API default, OrderedReady.
func (w *Workload) podManagement() string {
	if w.Kind != "StatefulSet" {
		return ""
	}
	if p := w.podManagementPolicy; p != "" {
		return p
	}
	return "OrderedReady"
}

// containerRequests are a container's cpu and memory requests in
// milli-units, with the API's defaulting: a resource with a limit and no
// request is requested at its limit (kubernetes
// pkg/apis/core/v1/defaults.go SetDefaults_Pod).
func containerRequests(c corev1.Container) map[string]int64 {
	out := map[string]int64{}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if q, ok := c.Resources.Requests[name]; ok {
			out[string(name)] = q.MilliValue()
		} else if q, ok := c.Resources.Limits[name]; ok {
			out[string(name)] = q.MilliValue()
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func formatRequests(m map[string]int64) string {
	var parts []string
	if v, ok := m["cpu"]; ok {
		parts = append(parts, fmt.Sprintf("cpu %dm", v))
	}
	if v, ok := m["memory"]; ok {
		parts = append(parts, "memory "+formatBytesMilli(v))
	}
	return strings.Join(parts, ", ")
}

func formatBytesMilli(milli int64) string {
	b := milli / 1000
	switch {
	case b%(1<<30) == 0 && b > 0:
		return fmt.Sprintf("%dGi", b>>30)
	case b%(1<<20) == 0 && b > 0:
		return fmt.Sprintf("%dMi", b>>20)
	}
	return fmt.Sprint(b)
}

func describeStartup(w sim.Workload) string {
	if d := w.PodStartupDist; d != nil {
		if d.Max > 0 {
			return fmt.Sprintf("uniform %s to %s", shortDuration(d.Min), shortDuration(d.Max))
		}
		return fmt.Sprintf("normal, mean %s, stddev %s", shortDuration(d.Mean), shortDuration(d.Stddev))
	}
	return shortDuration(w.PodStartup)
}

// shortDuration writes 90s as 1m30s and 1m0s as 1m.
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

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// jobWorkload records where a ScaledJob run's values come from: no Jobs
// at t = 0, the time from a Job pod's creation to its container running,
// and what each pod does.
func (rs *resolution) jobWorkload() {
	s := &rs.sc.Spec
	sj := s.ScaledJob.Object
	rs.setting("initial Jobs", "0", "ScaledJob/"+sj.Name, "KEDA creates Jobs at its polls")
	if rs.given("workload.podStartup") {
		v := shortDuration(s.Workload.PodStartup)
		if s.Workload.PodStartupDist != nil {
			v = "drawn per pod"
		}
		rs.setting("time to running", v, rs.scenarioField("workload.podStartup"), "creation to the container running (a Job's pod has no readiness gate)")
	} else {
		rs.setting("time to running", "0s", "default", "")
		rs.assume("Job pods run their container as soon as they are created",
			"set spec.workload.podStartup to the time your Job pods take to be scheduled, pull the image and start")
	}
	m := s.ScaledJob.Model
	work := jobWork(m)
	if m.Queue >= 0 {
		rs.setting("Job pods", fmt.Sprintf("take %d message(s) from %s, %s each", m.MessagesPerPod, s.Loads[m.Queue].Metric, work), rs.scenarioField("jobs"), "")
	}
	j := sj.Job
	rs.setting("parallelism, completions", fmt.Sprintf("%d, %d", j.ParallelismOrDefault(), j.CompletionsOrDefault()), rs.from(sj, "ScaledJob/"+sj.Name, "spec.jobTargetRef"), "")
}
