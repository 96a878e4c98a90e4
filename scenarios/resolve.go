package scenarios

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/internal/closest"
	"github.com/autoscale-sim/autoscale-sim/internal/safeio"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/scrape"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Input is a manifest stream given besides the scenario's own files, such
// as the CLI's `-f -` (standard input) or `-f FILE`.
type Input struct {
	// Name names the input in messages ("<stdin>" for standard input).
	Name string
	Data []byte
}

// resolution is the work of turning the manifests into the simulated
// autoscaler, its workload and its monitoring.
type resolution struct {
	sc   *Scenario
	refs manifestRefs
	all  *Manifests
	ps   *problems
	// namespace is the namespace objects without one are applied to.
	namespace string
	// target is the scale target's Deployment or StatefulSet, if the
	// manifests hold it.
	target *Workload
	// autoscalerObj is the selected ScaledObject or HPAObject.
	autoscalerObj any
	// readFn reads the files the scenario names.
	readFn ReadFunc
	// intervalSources say where each scrape job's interval is set.
	intervalSources map[*scrape.Job]string
}

// resolve loads the manifests and picks the autoscaler, then reads its
// workload and the objects around it.
func (r manifestRefs) resolve(sc *Scenario, read ReadFunc, opts Options, ps *problems) {
	all := r.readManifests(sc, read, opts, ps)
	if len(ps.list) > 0 {
		return
	}
	rs := &resolution{sc: sc, refs: r, all: all, ps: ps, readFn: read}
	rs.defaultNamespaces()
	if !rs.pickAutoscaler() {
		return
	}
	rs.crossChecks()
	rs.workload()
	rs.monitoring()
	rs.adapter()
	rs.adapterOrigins()
	rs.namedDefaults()
}

// readManifests reads the files spec.autoscaler.manifests names (a file,
// a directory of .yaml, .yml and .json files as `kubectl apply -f DIR`
// reads it, or a glob) and the extra inputs.
func (r manifestRefs) readManifests(sc *Scenario, read ReadFunc, opts Options, ps *problems) *Manifests {
	all := &Manifests{docs: map[any]document{}}
	parse := func(name string, data []byte) {
		m, err := ParseManifests(name, data)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				ps.list = append(ps.list, e.Problems...)
				return
			}
			ps.add(0, "", "%v", err)
			return
		}
		all.add(m)
	}
	for _, f := range r.files {
		names, err := expandManifestRef(opts.dir, f.n.Value)
		if err != nil {
			f.fail("%v", err)
			continue
		}
		for _, name := range names {
			data, err := read(name)
			if err != nil {
				f.fail("cannot read manifest file: %v", unwrapPath(err))
				continue
			}
			parse(displayPath(sc.File, name), data)
		}
	}
	for _, in := range opts.Manifests {
		parse(in.Name, in.Data)
	}
	if len(r.files) == 0 && len(opts.Manifests) == 0 {
		r.node.fail("autoscaler.manifests must name the ScaledObject or HorizontalPodAutoscaler file")
	}
	return all
}

// expandManifestRef turns a manifests entry into file names relative to
// the scenario: a glob is expanded, a directory lists its manifest files
// (not recursively, as kubectl without -R). Without a directory to look
// in (a scenario parsed from memory) the name is taken as it is.
func expandManifestRef(dir, name string) ([]string, error) {
	if dir == "" {
		return []string{name}, nil
	}
	full := name
	if !filepath.IsAbs(full) {
		full = filepath.Join(dir, name)
	}
	rel := func(p string) string {
		if filepath.IsAbs(name) {
			return p
		}
		r, err := filepath.Rel(dir, p)
		if err != nil {
			return p
		}
		return r
	}
	if strings.ContainsAny(name, "*?[") {
		matches, err := filepath.Glob(full)
		if err != nil {
			return nil, fmt.Errorf("bad glob %q: %v", name, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("the glob %q matches no file", name)
		}
		var out []string
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
				out = append(out, rel(m))
			}
		}
		sort.Strings(out)
		return out, nil
	}
	st, err := os.Stat(full)
	if err != nil || !st.IsDir() {
		return []string{name}, nil // read reports a missing file
	}
	entries, err := os.ReadDir(full)
	if err != nil {
		return nil, fmt.Errorf("cannot read directory %s: %v", name, err)
	}
	var out []string
	for _, e := range entries {
		switch filepath.Ext(e.Name()) {
		case ".yaml", ".yml", ".json":
			if e.Type().IsRegular() {
				out = append(out, rel(filepath.Join(full, e.Name())))
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the directory %s holds no .yaml, .yml or .json file", name)
	}
	return out, nil
}

// defaultNamespaces puts every object without a namespace where `kubectl
// apply` would: the namespace being applied to, which is
// spec.workload.namespace, else the autoscaler's own, else "default".
func (rs *resolution) defaultNamespaces() {
	ns := rs.refs.namespace
	if ns == "" {
		for _, so := range rs.all.ScaledObjects {
			if ns == "" && so.Namespace != "" && rs.refs.matches("ScaledObject", so.Name) {
				ns = so.Namespace
			}
		}
		for _, sj := range rs.all.ScaledJobs {
			if ns == "" && sj.Namespace != "" && rs.refs.matches("ScaledJob", sj.Name) {
				ns = sj.Namespace
			}
		}
		for _, h := range rs.all.HPAs {
			if ns == "" && h.Namespace != "" && rs.refs.matches("HorizontalPodAutoscaler", h.Name) {
				ns = h.Namespace
			}
		}
	}
	if ns == "" {
		ns = "default"
	}
	rs.namespace = ns
	set := func(p *string) {
		if *p == "" {
			*p = ns
		}
	}
	for _, o := range rs.all.ScaledObjects {
		set(&o.Namespace)
	}
	for _, o := range rs.all.ScaledJobs {
		set(&o.Namespace)
	}
	for _, o := range rs.all.HPAs {
		set(&o.Namespace)
	}
	for _, o := range rs.all.Workloads {
		set(&o.Namespace)
	}
	for _, o := range rs.all.Services {
		set(&o.Namespace)
	}
	for _, o := range rs.all.ServiceMonitors {
		set(&o.Namespace)
	}
	for _, o := range rs.all.PodMonitors {
		set(&o.Namespace)
	}
	for _, o := range rs.all.ConfigMaps {
		set(&o.Namespace)
	}
	for _, o := range rs.all.TriggerAuths {
		if o.Kind == "TriggerAuthentication" {
			set(&o.Namespace)
		}
	}
}

func (r manifestRefs) matches(kind, name string) bool {
	return (r.kind == "" || r.kind == kind) && (r.name == "" || r.name == name)
}

// pickAutoscaler selects the simulated autoscaler: the only one in the
// manifests, or the one spec.autoscaler.kind and name choose. HPAs that
// KEDA generated for a ScaledObject are KEDA's output, never a choice.
func (rs *resolution) pickAutoscaler() bool {
	if rs.conflicts() {
		return false
	}
	r, sc := rs.refs, rs.sc
	s := &sc.Spec
	where := r.node.child("autoscaler", r.node.n)
	var candidates []string
	for _, so := range rs.all.ScaledObjects {
		sc.inManifests = append(sc.inManifests, "ScaledObject/"+so.Name)
	}
	for _, sj := range rs.all.ScaledJobs {
		sc.inManifests = append(sc.inManifests, "ScaledJob/"+sj.Name)
	}
	for _, h := range rs.all.HPAs {
		if !h.OwnedByKEDA {
			sc.inManifests = append(sc.inManifests, "HorizontalPodAutoscaler/"+h.Name)
		}
	}
	for _, so := range rs.all.ScaledObjects {
		if r.matches("ScaledObject", so.Name) {
			candidates = append(candidates, "ScaledObject/"+so.Name)
			sc.autoscaler = rs.all.docs[so]
			rs.autoscalerObj = so
			s.KEDA = &sim.KEDA{Object: so, Version: r.kedaVer}
			s.Workload.Name = so.ScaleTargetRef.Name
			s.Workload.Kind = so.ScaleTargetRef.Kind
			s.Workload.Namespace = so.Namespace
		}
	}
	for _, sj := range rs.all.ScaledJobs {
		if r.matches("ScaledJob", sj.Name) {
			candidates = append(candidates, "ScaledJob/"+sj.Name)
			sc.autoscaler = rs.all.docs[sj]
			rs.autoscalerObj = sj
			s.ScaledJob = &sim.ScaledJob{Object: sj, Version: r.kedaVer, Model: r.jobs}
			s.Workload.Name = sj.Name
			s.Workload.Kind = "Job"
			s.Workload.Namespace = sj.Namespace
		}
	}
	for _, h := range rs.all.HPAs {
		if h.OwnedByKEDA {
			continue
		}
		if r.matches("HorizontalPodAutoscaler", h.Name) {
			candidates = append(candidates, "HorizontalPodAutoscaler/"+h.Name)
			sc.autoscaler = rs.all.docs[h]
			rs.autoscalerObj = h
			s.HPA = &sim.HPA{Spec: h.Spec, Rules: r.rules}
			s.Workload.Name = h.TargetName
			s.Workload.Kind = h.TargetKind
			s.Workload.Namespace = h.Namespace
		}
	}
	if len(candidates) == 1 {
		sc.chosen = candidates[0]
	}
	switch len(candidates) {
	case 0:
		what := "ScaledObject or ScaledJob (keda.sh/v1alpha1) or HorizontalPodAutoscaler (autoscaling/v2)"
		if r.kind == "ScaledObject" {
			what = "ScaledObject (keda.sh/v1alpha1)"
		} else if r.kind == "ScaledJob" {
			what = "ScaledJob (keda.sh/v1alpha1)"
		} else if r.kind == "HorizontalPodAutoscaler" {
			what = "HorizontalPodAutoscaler (autoscaling/v2)"
		}
		where.fail("the manifests hold no %s%s", what, nameHint(r))
		return false
	case 1:
	default:
		where.fail("the manifests hold several autoscalers (%v); choose one with autoscaler.kind and autoscaler.name", candidates)
		return false
	}
	if s.Workload.Kind == "" {
		s.Workload.Kind = "Deployment"
	}
	if !rs.jobsSection() {
		return false
	}
	if len(s.Annotate) > 0 && s.KEDA == nil {
		r.annotate.fail("annotation changes during a run are modelled for a ScaledObject (its pause annotations); the autoscaler is not one")
		return false
	}
	for i, c := range s.Annotate {
		switch {
		case c.At >= s.Duration:
			r.annotateAt[i].fail("%s is not before the end of the run (spec.duration %s)", c.At, s.Duration)
		case i > 0 && c.At < s.Annotate[i-1].At:
			r.annotateAt[i].fail("%s is before spec.annotate[%d] (%s): give the changes in time order", c.At, i-1, s.Annotate[i-1].At)
		}
	}
	rs.nodePoolSettings()
	n, what := s.AutoscalerMetrics()
	for _, m := range r.metricIndexes {
		if i := int(m.int32()); i >= n {
			m.fail("%d is out of range: %s has %d entries (0 to %d)", i, what, n, n-1)
		}
	}
	if r.namespace != "" {
		s.Workload.Namespace = r.namespace
	}
	return true
}

// jobsSection checks spec.jobs against the chosen autoscaler: a ScaledJob
// needs it (what its Jobs do), anything else must not have it. It also
// reports the ScaledJob's admission errors for the modelled KEDA release
// at their lines.
func (rs *resolution) jobsSection() bool {
	s, r := &rs.sc.Spec, rs.refs
	if s.ScaledJob == nil {
		if r.jobsNode != nil {
			r.jobsNode.fail("spec.jobs describes the Jobs of a ScaledJob; the autoscaler is %s", s.Workload.Kind+"/"+s.Workload.Name)
			return false
		}
		return true
	}
	sj := s.ScaledJob.Object
	if r.jobsNode == nil {
		rs.sc.Spec.ScaledJob = nil
		r.node.fail("ScaledJob %s needs spec.jobs, what its Jobs' pods do: e.g. jobs: {queue: %s, messagesPerPod: 1, duration: 2m}", sj.Name, firstQueue(s.Loads))
		return false
	}
	m := &s.ScaledJob.Model
	if m.Duration == 0 && m.DurationDist == nil {
		r.jobsNode.fail("duration must be set: the work per message (or per pod without a queue), e.g. 2m or {mean: 2m, stddev: 30s}")
	}
	if m.MessagesPerPod == 0 {
		m.MessagesPerPod = 1
	}
	if m.Queue < 0 {
		rs.assume(fmt.Sprintf("no load is a queue: each pod of ScaledJob %s works %s and succeeds", sj.Name, jobWork(*m)),
			"add a load of model queue for the Jobs to take messages from")
	}
	if errs, err := sj.ValidateScaledJob(r.kedaVer); err == nil {
		for _, fe := range errs {
			rs.at(sj, fe.Path, "%s", fe.Message)
		}
		if len(errs) > 0 {
			return false
		}
	}
	// Job pods have no readiness gate: podStartup is creation to running.
	s.Workload.InitialReplicas = 0
	return true
}

func firstQueue(loads []sim.Load) string {
	for _, l := range loads {
		if l.Model == sim.Queue {
			return l.Metric
		}
	}
	return "QUEUE_METRIC"
}

func jobWork(m sim.JobModel) string {
	if m.DurationDist != nil {
		return "a drawn duration"
	}
	return m.Duration.String()
}

// at reports a problem at a field path of a manifest object.
func (rs *resolution) at(obj any, path, format string, args ...any) {
	file, line := rs.all.Locate(obj, path)
	rs.ps.list = append(rs.ps.list, Problem{File: file, Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

// warn records a warning at a field path of a manifest object.
func (rs *resolution) warn(obj any, path, format string, args ...any) {
	file, line := rs.all.Locate(obj, path)
	rs.sc.Warnings = append(rs.sc.Warnings, Problem{File: file, Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

// crossChecks refuses manifests that a cluster would not run as the
// simulation would: two autoscalers on one workload, a ScaledObject its
// KEDA does not watch, credentials that are not there, a scale target that
// is not there.
func (rs *resolution) crossChecks() {
	if so := rs.sc.Spec.KEDA; so != nil {
		rs.kedaChecks(so.Object)
	}
}

// conflicts reports every workload that two autoscalers of the manifests
// scale, at each of them, and whether there was one. KEDA's admission
// webhook (apis/keda/v1alpha1/scaledobject_webhook.go verifyHpas,
// verifyScaledObjects) refuses a second autoscaler on a workload, and
// OpenShift's Custom Metrics Autoscaler documentation forbids an HPA beside
// a ScaledObject: they would overwrite each other's spec.replicas.
func (rs *resolution) conflicts() bool {
	type owner struct {
		name string
		obj  any
	}
	owners := map[string][]owner{}
	var order []string
	add := func(kind, ns, name string, o owner) {
		if kind == "" {
			kind = "Deployment"
		}
		k := kind + "/" + name + " in namespace " + ns
		if _, ok := owners[k]; !ok {
			order = append(order, k)
		}
		owners[k] = append(owners[k], o)
	}
	for _, so := range rs.all.ScaledObjects {
		add(so.ScaleTargetRef.Kind, so.Namespace, so.ScaleTargetRef.Name, owner{"ScaledObject/" + so.Name, so})
	}
	for _, h := range rs.all.HPAs {
		if !h.OwnedByKEDA {
			add(h.TargetKind, h.Namespace, h.TargetName, owner{"HorizontalPodAutoscaler/" + h.Name, h})
		}
	}
	found := false
	for _, k := range order {
		list := owners[k]
		if len(list) < 2 {
			continue
		}
		found = true
		names := make([]string, len(list))
		for i, o := range list {
			names[i] = o.name
		}
		for _, o := range list {
			rs.at(o.obj, "spec.scaleTargetRef.name", "%s is scaled by %s: one workload takes one autoscaler (KEDA's admission webhook refuses a second one, and two would overwrite each other's spec.replicas); remove all but one",
				k, strings.Join(names, " and "))
		}
	}
	return found
}

// kedaChecks checks a ScaledObject against the KEDA installation and the
// credentials in the manifests.
func (rs *resolution) kedaChecks(so *keda.ScaledObject) {
	for _, kc := range rs.all.KedaControllers {
		if kc.WatchNamespace == "" {
			continue
		}
		watched := false
		for _, ns := range strings.Split(kc.WatchNamespace, ",") {
			watched = watched || strings.TrimSpace(ns) == so.Namespace
		}
		if !watched {
			// keda-olm-operator passes spec.watchNamespace to the operator
			// as WATCH_NAMESPACE; KEDA's manager then caches and reconciles
			// only that namespace, so the ScaledObject is never read.
			rs.at(so, "metadata.namespace", "ScaledObject %s is in namespace %s, which KEDA does not watch: KedaController %s/%s has spec.watchNamespace %q, so KEDA never reads this ScaledObject and never scales %s; set watchNamespace to \"\" (all namespaces) or to %s",
				so.Name, so.Namespace, kc.Namespace, kc.Name, kc.WatchNamespace, so.ScaleTargetRef.Name, so.Namespace)
		}
	}
	for i, t := range so.Triggers {
		ref := t.AuthenticationRef
		if ref == nil {
			continue
		}
		kind := ref.Kind
		if kind == "" {
			kind = "TriggerAuthentication"
		}
		path := fmt.Sprintf("spec.triggers[%d].authenticationRef.name", i)
		if len(rs.all.TriggerAuths) == 0 {
			rs.warn(so, path, "%s %q is not in the manifests, which hold none: the simulation never authenticates, so it runs; a cluster without it fails every poll of this trigger", kind, ref.Name)
			continue
		}
		var names []string
		found := false
		for _, a := range rs.all.TriggerAuths {
			if a.Kind != kind {
				continue
			}
			if kind == "TriggerAuthentication" && a.Namespace != so.Namespace {
				continue
			}
			names = append(names, a.Name)
			found = found || a.Name == ref.Name
		}
		if !found {
			msg := fmt.Sprintf("%s %q is not in the manifests", kind, ref.Name)
			if kind == "TriggerAuthentication" {
				msg += " in namespace " + so.Namespace
			}
			if len(names) > 0 {
				sort.Strings(names)
				hint := ""
				if s, ok := closest.Match(ref.Name, names); ok {
					hint = fmt.Sprintf("; did you mean %s?", s)
				}
				msg += fmt.Sprintf(" (they hold %s%s)", strings.Join(names, ", "), hint)
			}
			msg += ": KEDA cannot build this trigger's scaler without it, so the ScaledObject never becomes Ready"
			rs.at(so, path, "%s", msg)
		}
	}
}

// workloadKinds are the scale targets whose pods the manifests describe.
var workloadKinds = []string{"Deployment", "StatefulSet"}

// findTarget finds the scale target among the manifests' workloads; when
// the manifests hold workloads but not this one, that is an error, since
// the autoscaler would scale nothing.
func (rs *resolution) findTarget() {
	s := &rs.sc.Spec
	if len(rs.all.Workloads) == 0 {
		return
	}
	var names, here []string
	for _, w := range rs.all.Workloads {
		names = append(names, w.Kind+"/"+w.Name+" in "+w.Namespace)
		if w.Kind == s.Workload.Kind && w.Namespace == s.Workload.Namespace {
			here = append(here, w.Name)
		}
		if w.Kind == s.Workload.Kind && w.Name == s.Workload.Name && w.Namespace == s.Workload.Namespace {
			rs.target = w
		}
	}
	if rs.target != nil {
		return
	}
	path := "spec.scaleTargetRef.name"
	msg := fmt.Sprintf("names %s %s in namespace %s, which is not in the manifests (they hold %s)", s.Workload.Kind, s.Workload.Name, s.Workload.Namespace, strings.Join(names, ", "))
	if m, ok := closest.Match(s.Workload.Name, here); ok {
		msg += fmt.Sprintf("; did you mean %s?", m)
	}
	for _, w := range rs.all.Workloads {
		if w.Name == s.Workload.Name && w.Kind == s.Workload.Kind && w.Namespace != s.Workload.Namespace {
			msg += fmt.Sprintf("; %s %s is in namespace %s: set spec.workload.namespace: %s in the scenario (the namespace you apply into) or metadata.namespace in the manifests", w.Kind, w.Name, w.Namespace, w.Namespace)
		}
		if w.Name == s.Workload.Name && w.Kind != s.Workload.Kind {
			msg += fmt.Sprintf("; %s is a %s: set scaleTargetRef.kind: %s", w.Name, w.Kind, w.Kind)
		}
	}
	rs.at(rs.autoscalerObj, path, "%s", msg)
}

// namedDefaults names the defaults that flatter a result: a load without
// a capacity can never overload a pod, so the overload figures read 0
// whatever the policy.
func (rs *resolution) namedDefaults() {
	for i, l := range rs.sc.Spec.Loads {
		if l.Capacity == 0 && (l.Model == sim.Requests || l.Model == sim.Connections) {
			rs.assume(fmt.Sprintf("load %d (%s, %s) has no capacity: a pod serves any amount, so the run never counts overload", i, l.Metric, l.Model),
				fmt.Sprintf("set spec.load[%d].capacity to what one pod handles", i))
		}
	}
}

// ReadInputs reads manifest streams the way `kubectl apply -f` takes
// them: "-" is standard input (read once), a directory gives its .yaml,
// .yml and .json files, a pattern with * ? or [ is a glob, anything else
// a file.
func ReadInputs(stdin io.Reader, paths ...string) ([]Input, error) {
	var out []Input
	stdinRead := false
	for _, p := range paths {
		if p == "-" {
			if stdinRead {
				return nil, errors.New("-f -: standard input can be read only once")
			}
			stdinRead = true
			data, err := safeio.ReadAll(stdin, "<stdin>", 0)
			if err != nil {
				return nil, fmt.Errorf("reading standard input: %w", err)
			}
			out = append(out, Input{Name: "<stdin>", Data: data})
			continue
		}
		names, err := expandManifestRef(".", p)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			data, err := safeio.ReadFile(n, 0)
			if err != nil {
				return nil, unwrapPath(err)
			}
			out = append(out, Input{Name: n, Data: data})
		}
	}
	return out, nil
}

// DefaultScenarioName names the scenario used when only manifests are
// given (lint -f), in messages.
const DefaultScenarioName = "the default scenario (30m, no load, no scenario file)"

// DefaultScenario is the scenario of manifests given without one: 30
// minutes without load. Only checks that need no load can use it; Default
// is set so that callers can tell.
func DefaultScenario(inputs []Input, kedaVersion string) (*Scenario, error) {
	doc := "apiVersion: " + APIVersion + "\nkind: " + Kind + "\nmetadata: {name: default}\nspec:\n  duration: 30m\n"
	if kedaVersion != "" {
		doc += "  versions: {keda: " + strconv.Quote(kedaVersion) + "}\n"
	}
	sc, err := ParseWith("<default scenario>", []byte(doc), func(name string) ([]byte, error) {
		return nil, fmt.Errorf("no file %s", name)
	}, Options{Manifests: inputs})
	if err != nil {
		return nil, err
	}
	sc.Default = true
	return sc, nil
}
