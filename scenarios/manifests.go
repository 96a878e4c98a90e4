package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"strconv"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"gopkg.in/yaml.v3"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/promql"
)

// Manifests are the Kubernetes objects of a file the way users
// `kubectl apply` it. Autoscalers (ScaledObject, autoscaling/v2
// HorizontalPodAutoscaler) and the companion objects a simulation reads
// (Deployment, StatefulSet, Service, ServiceMonitor, PodMonitor, ConfigMap,
// KedaController, TriggerAuthentication, ClusterTriggerAuthentication) are
// decoded strictly; other kinds are accepted and listed in Ignored.
type Manifests struct {
	ScaledObjects []*keda.ScaledObject
	ScaledJobs    []*keda.ScaledJob
	HPAs          []*HPAObject

	Workloads       []*Workload
	Services        []*corev1.Service
	ServiceMonitors []*monitoringv1.ServiceMonitor
	PodMonitors     []*monitoringv1.PodMonitor
	// ConfigMaps may hold a prometheus-adapter configuration (config.yaml).
	ConfigMaps      []*corev1.ConfigMap
	KedaControllers []*KedaController
	TriggerAuths    []*TriggerAuth

	// Ignored lists "Kind/name" of the documents that were skipped.
	Ignored []string

	// docs locates each decoded object (keyed by its pointer) in its file.
	docs map[any]document
}

// add appends every object of o to m.
func (m *Manifests) add(o *Manifests) {
	m.ScaledObjects = append(m.ScaledObjects, o.ScaledObjects...)
	m.ScaledJobs = append(m.ScaledJobs, o.ScaledJobs...)
	m.HPAs = append(m.HPAs, o.HPAs...)
	m.Workloads = append(m.Workloads, o.Workloads...)
	m.Services = append(m.Services, o.Services...)
	m.ServiceMonitors = append(m.ServiceMonitors, o.ServiceMonitors...)
	m.PodMonitors = append(m.PodMonitors, o.PodMonitors...)
	m.ConfigMaps = append(m.ConfigMaps, o.ConfigMaps...)
	m.KedaControllers = append(m.KedaControllers, o.KedaControllers...)
	m.TriggerAuths = append(m.TriggerAuths, o.TriggerAuths...)
	m.Ignored = append(m.Ignored, o.Ignored...)
	if m.docs == nil {
		m.docs = map[any]document{}
	}
	maps.Copy(m.docs, o.docs)
}

// Locate returns the file and line of a field path in the document of obj
// (an object of m), as Scenario.Locate does for the autoscaler.
func (m *Manifests) Locate(obj any, path string) (string, int) {
	d, ok := m.docs[obj]
	if !ok {
		return "", 0
	}
	return d.file, d.line(path)
}

// document is where a manifest came from: its file and its YAML tree.
type document struct {
	file string
	root *yaml.Node
}

// line is the line of a field path in the document (see lineOf); 0 for a
// zero document.
func (d document) line(path string) int {
	if d.root == nil {
		return 0
	}
	return lineOf(node{n: d.root}, path)
}

// HPAObject is an autoscaling/v2 HorizontalPodAutoscaler.
type HPAObject struct {
	Name, Namespace string
	// TargetKind and TargetName are spec.scaleTargetRef.
	TargetKind, TargetName string
	Spec                   hpa.Spec
	// OwnedByKEDA marks the HPA KEDA generates for a ScaledObject (owner
	// reference ScaledObject, or managed-by keda-operator), as found in
	// `kubectl get -o yaml` dumps: KEDA's output, not an autoscaler of
	// its own.
	OwnedByKEDA bool
}

var yamlLineError = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxProblem turns a yaml.v3 syntax error into a located Problem.
// yaml.v3 often reports the line where the enclosing block began (for a
// mis-indented key, the "spec:" line), so the line is refined to the first
// line from which no longer prefix of the file parses: that is where the
// file stops being YAML.
func syntaxProblem(file string, data []byte, err error) Problem {
	msg := err.Error()
	line := 0
	if m := yamlLineError.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if l := firstBrokenLine(data, line); l > 0 {
		line = l
	}
	return Problem{File: file, Line: line, Message: "YAML syntax error: " + msg + "; check the indentation of this line and of the line above it"}
}

// firstBrokenLine returns the line after the longest prefix of data,
// cut at a line end, that is valid YAML. Cutting a valid file at a line
// end almost always leaves valid YAML (a multi-line flow collection or
// quoted string is the exception), so validity of the prefixes falls
// from valid to invalid once, at the broken line. The parser detects the
// error at or soon after that line (hint, 0 if it named none), so the
// search gallops back from the hint and then bisects: a few parses of
// the file in all, where trying every prefix would take time quadratic
// in its size.
func firstBrokenLine(data []byte, hint int) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	// ends[i] is the length of the first i lines.
	ends := make([]int, len(lines)+1)
	for i, l := range lines {
		ends[i+1] = ends[i] + len(l)
	}
	valid := func(n int) bool { return validYAML(data[:ends[n]]) }
	// Invariant: prefix lo is valid, prefix hi is not.
	hi := len(lines)
	if hint > 0 && hint < hi && !valid(hint) {
		hi = hint
	} else if valid(hi) {
		return 0
	}
	lo := 0
	for step := 1; hi-step > 0; step *= 2 {
		if valid(hi - step) {
			lo = hi - step
			break
		}
		hi -= step
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if valid(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}

func validYAML(data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// ParseManifests decodes a multi-document manifest file: `kubectl get -o
// yaml` lists (kind: List) and `helm template` output (comments, empty
// documents) included. file names the source in error messages.
func ParseManifests(file string, data []byte) (*Manifests, error) {
	ps := &problems{file: file}
	out := &Manifests{docs: map[any]document{}}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			ps.list = append(ps.list, syntaxProblem(file, data, err))
			break
		}
		if len(doc.Content) == 0 || !expandAliases(ps, doc.Content[0]) {
			continue
		}
		out.parseObject(file, node{n: doc.Content[0], ps: ps})
	}
	return out, ps.err()
}

// parseObject decodes one object (a document, or an item of a List).
func (m *Manifests) parseObject(file string, root node) {
	if root.isNull() {
		return
	}
	if root.n.Kind != yaml.MappingNode {
		root.fail("a manifest must be a mapping with apiVersion and kind, got %s", kindName(root.n))
		return
	}
	apiVersion, kind, name := header(root)
	if kind != "" && kind != "List" {
		checkNames(root, kind)
	}
	switch {
	case apiVersion == APIVersion && kind == Kind:
		// The scenario itself, when its manifests follow it in one file.
	case kind == "List" || (strings.HasSuffix(kind, "List") && hasKey(root.n, "items")):
		// kubectl get -o yaml writes several objects as a v1 List.
		root.fields([]string{"apiVersion", "kind", "metadata", "items"}, func(key string, v node) {
			if key == "items" {
				v.items(func(i int, v node) { m.parseObject(file, v) })
			}
		})
	case kind == "ScaledJob" && apiVersion == "keda.sh/v1alpha1":
		if sj := parseScaledJob(root); sj != nil {
			m.ScaledJobs = append(m.ScaledJobs, sj)
			m.docs[sj] = document{file, root.n}
		}
	case kind == "ScaledObject" && apiVersion == "keda.sh/v1alpha1":
		if so := parseScaledObject(root); so != nil {
			m.ScaledObjects = append(m.ScaledObjects, so)
			m.docs[so] = document{file, root.n}
		}
	case kind == "HorizontalPodAutoscaler" && apiVersion == "autoscaling/v2":
		if h := parseHPA(root); h != nil {
			m.HPAs = append(m.HPAs, h)
			m.docs[h] = document{file, root.n}
		}
	case kind == "HorizontalPodAutoscaler":
		oldHPAVersion(root, apiVersion)
	case kind == "ScaledObject":
		root.child("apiVersion", root.n).fail("ScaledObject %q is not supported; use keda.sh/v1alpha1", apiVersion)
	case kind == "":
		root.fail("kind must be set")
	case m.parseCompanion(root, file, apiVersion, kind):
	default:
		m.Ignored = append(m.Ignored, kind+"/"+name)
	}
}

// checkNames checks metadata.name and metadata.namespace as the API
// server does, so that a name in an output line, an event or a label is
// always a plain DNS name: namespaces are DNS-1123 labels, Services
// DNS-1035 labels, other objects DNS-1123 subdomains
// (k8s.io/apimachinery/pkg/api/validation NameIsDNSSubdomain,
// NameIsDNS1035Label, ValidateNamespaceName).
func checkNames(root node, kind string) {
	meta := mappingValue(root.n, "metadata")
	if meta == root.n || meta.Kind != yaml.MappingNode {
		return
	}
	md := root.child("metadata", meta)
	check := func(field string, validate func(string) []string, what string) {
		v := mappingValue(meta, field)
		if v == meta || v.Kind != yaml.ScalarNode || v.Value == "" {
			return
		}
		if errs := validate(v.Value); len(errs) > 0 {
			md.child(field, v).fail("%s is not a valid %s: %s", quoteShort(v.Value), what, strings.Join(errs, "; "))
		}
	}
	switch kind {
	case "Service":
		check("name", validation.IsDNS1035Label, "Service name (DNS-1035 label)")
	case "Namespace":
		check("name", validation.IsDNS1123Label, "namespace name (DNS-1123 label)")
	default:
		check("name", validation.IsDNS1123Subdomain, "name (DNS-1123 subdomain)")
	}
	check("namespace", validation.IsDNS1123Label, "namespace (DNS-1123 label)")
}

// quoteShort quotes a value for a message, escaped and cut to 64
// characters, so that no message carries a whole file or a control
// character.
func quoteShort(v string) string {
	const max = 64
	if r := []rune(v); len(r) > max {
		return strconv.Quote(string(r[:max])) + "..."
	}
	return strconv.Quote(v)
}

// header reads apiVersion, kind and metadata.name without judging the
// rest of the document.
func header(root node) (apiVersion, kind, name string) {
	for i := 0; i+1 < len(root.n.Content); i += 2 {
		k, v := root.n.Content[i].Value, root.n.Content[i+1]
		switch k {
		case "apiVersion":
			apiVersion = v.Value
		case "kind":
			kind = v.Value
		case "metadata":
			for j := 0; j+1 < len(v.Content); j += 2 {
				if v.Content[j].Value == "name" {
					name = v.Content[j+1].Value
				}
			}
		}
	}
	return apiVersion, kind, name
}

// objectMeta is what a simulation reads of an object's metadata.
type objectMetadata struct {
	Name, Namespace     string
	Labels, Annotations map[string]string
	// OwnerKinds are the kinds of metadata.ownerReferences, e.g.
	// ScaledObject for the HPA KEDA generates.
	OwnerKinds []string
}

// objectMeta reads the fields of metadata that matter here and accepts
// the others that kubectl accepts.
func objectMeta(n node) objectMetadata {
	var m objectMetadata
	n.fields(metadataFields, func(key string, v node) {
		switch key {
		case "name":
			m.Name = v.str()
		case "namespace":
			m.Namespace = v.str()
		case "labels":
			m.Labels = v.stringMap()
		case "annotations":
			m.Annotations = v.stringMap()
		case "ownerReferences":
			v.items(func(i int, v node) {
				if v.n.Kind == yaml.MappingNode {
					if k := mappingValue(v.n, "kind"); k != v.n {
						m.OwnerKinds = append(m.OwnerKinds, k.Value)
					}
				}
			})
		}
	})
	if m.Name == "" {
		n.fail("metadata.name must be set")
	}
	return m
}

func parseScaledObject(root node) *keda.ScaledObject {
	so := &keda.ScaledObject{}
	var specSeen bool
	root.fields([]string{"apiVersion", "kind", "metadata", "spec", "status"}, func(key string, v node) {
		switch key {
		case "metadata":
			m := objectMeta(v)
			so.Name, so.Namespace, so.Annotations = m.Name, m.Namespace, m.Annotations
		case "spec":
			specSeen = true
			scaledObjectSpec(v, so)
		}
	})
	if !specSeen {
		root.fail("spec must be set")
	}
	// KEDA's admission webhook and CRD validation, with the same meaning.
	for _, fe := range so.Validate() {
		root.ps.add(lineOf(root, fe.Path), fe.Path, "%s", fe.Message)
	}
	// The query is checked now, so that a typo is reported with its line
	// rather than as a failing poll.
	for i, t := range so.Triggers {
		if q, ok := t.Metadata["query"]; ok && t.Type == "prometheus" && q != "" {
			path := fmt.Sprintf("spec.triggers[%d].metadata.query", i)
			if err := promql.ParseQuery(q); err != nil {
				msg := err.Error()
				var pe *promql.ParseError
				if errors.As(err, &pe) {
					msg = fmt.Sprintf("column %d: %s", pe.Column, pe.Msg)
				}
				root.ps.add(lineOf(root, path), path, "invalid PromQL: %s", msg)
			}
		}
	}
	return so
}

func scaledObjectSpec(n node, so *keda.ScaledObject) {
	n.fields([]string{"scaleTargetRef", "pollingInterval", "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback", "advanced", "triggers"}, func(key string, v node) {
		switch key {
		case "scaleTargetRef":
			v.fields([]string{"apiVersion", "kind", "name", "envSourceContainerName"}, func(key string, v node) {
				switch key {
				case "apiVersion":
					so.ScaleTargetRef.APIVersion = v.str()
				case "kind":
					so.ScaleTargetRef.Kind = v.str()
				case "name":
					so.ScaleTargetRef.Name = v.str()
				case "envSourceContainerName":
					so.ScaleTargetRef.EnvSourceContainerName = v.str()
				}
			})
		case "pollingInterval":
			so.PollingInterval = v.int32p()
		case "cooldownPeriod":
			so.CooldownPeriod = v.int32p()
		case "initialCooldownPeriod":
			so.InitialCooldownPeriod = v.int32p()
		case "idleReplicaCount":
			so.IdleReplicaCount = v.int32p()
		case "minReplicaCount":
			so.MinReplicaCount = v.int32p()
		case "maxReplicaCount":
			so.MaxReplicaCount = v.int32p()
		case "fallback":
			fb := &keda.Fallback{}
			v.fields([]string{"failureThreshold", "replicas", "behavior"}, func(key string, v node) {
				switch key {
				case "failureThreshold":
					fb.FailureThreshold = v.int32()
				case "replicas":
					fb.Replicas = v.int32()
				case "behavior":
					fb.Behavior = v.str()
				}
			})
			so.Fallback = fb
		case "advanced":
			so.Advanced = advanced(v)
		case "triggers":
			v.items(func(i int, v node) { so.Triggers = append(so.Triggers, trigger(v)) })
		}
	})
}

func advanced(n node) *keda.Advanced {
	a := &keda.Advanced{}
	n.fields([]string{"restoreToOriginalReplicaCount", "horizontalPodAutoscalerConfig", "scalingModifiers"}, func(key string, v node) {
		switch key {
		case "restoreToOriginalReplicaCount":
			a.RestoreToOriginalReplicaCount = v.boolean()
		case "horizontalPodAutoscalerConfig":
			c := &keda.HPAConfig{}
			v.fields([]string{"name", "behavior"}, func(key string, v node) {
				switch key {
				case "name":
					c.Name = v.str()
				case "behavior":
					c.Behavior = behavior(v)
				}
			})
			a.HorizontalPodAutoscalerConfig = c
		case "scalingModifiers":
			m := &keda.ScalingModifiers{}
			v.fields([]string{"formula", "target", "activationTarget", "metricType"}, func(key string, v node) {
				switch key {
				case "formula":
					m.Formula = v.str()
				case "target":
					m.Target = v.str()
				case "activationTarget":
					m.ActivationTarget = v.str()
				case "metricType":
					m.MetricType = v.str()
				}
			})
			a.ScalingModifiers = m
		}
	})
	return a
}

func trigger(n node) keda.Trigger {
	var t keda.Trigger
	n.fields([]string{"type", "name", "metadata", "metricType", "useCachedMetrics", "authenticationRef"}, func(key string, v node) {
		switch key {
		case "type":
			t.Type = v.str()
		case "name":
			t.Name = v.str()
		case "metadata":
			t.Metadata = v.stringMap()
		case "metricType":
			t.MetricType = v.str()
		case "useCachedMetrics":
			t.UseCachedMetrics = v.boolean()
		case "authenticationRef":
			ref := &keda.AuthRef{}
			v.fields([]string{"name", "kind"}, func(key string, v node) {
				switch key {
				case "name":
					ref.Name = v.str()
				case "kind":
					ref.Kind = v.str()
				}
			})
			t.AuthenticationRef = ref
		}
	})
	return t
}

// behavior reads spec.behavior of autoscaling/v2 (also used by KEDA's
// advanced.horizontalPodAutoscalerConfig.behavior).
func behavior(n node) *hpa.Behavior {
	b := &hpa.Behavior{}
	n.fields([]string{"scaleUp", "scaleDown"}, func(key string, v node) {
		r := scalingRules(v)
		if key == "scaleUp" {
			b.ScaleUp = r
		} else {
			b.ScaleDown = r
		}
	})
	return b
}

func scalingRules(n node) *hpa.ScalingRules {
	r := &hpa.ScalingRules{}
	n.fields([]string{"stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance"}, func(key string, v node) {
		switch key {
		case "stabilizationWindowSeconds":
			r.StabilizationWindowSeconds = v.int32p()
		case "selectPolicy":
			sp := hpa.ScalingPolicySelect(v.str())
			switch sp {
			case hpa.MaxChangePolicySelect, hpa.MinChangePolicySelect, hpa.DisabledPolicySelect:
			default:
				v.fail("unsupported value %q; allowed: Max, Min, Disabled", sp)
			}
			r.SelectPolicy = &sp
		case "tolerance":
			t := v.quantityFloat()
			r.Tolerance = &t
		case "policies":
			v.items(func(i int, v node) {
				var p hpa.ScalingPolicy
				v.fields([]string{"type", "value", "periodSeconds"}, func(key string, v node) {
					switch key {
					case "type":
						p.Type = hpa.ScalingPolicyType(v.str())
						if p.Type != hpa.PodsScalingPolicy && p.Type != hpa.PercentScalingPolicy {
							v.fail("unsupported value %q; allowed: Pods, Percent", p.Type)
						}
					case "value":
						p.Value = v.int32()
					case "periodSeconds":
						p.PeriodSeconds = v.int32()
					}
				})
				r.Policies = append(r.Policies, p)
			})
		}
	})
	return r
}

// lineOf finds the line of a field path such as
// "spec.triggers[0].metadata.threshold" in a document, falling back to the
// deepest existing ancestor, so that semantic errors point at the right
// line.
func lineOf(root node, path string) int {
	cur := root.n
	line := cur.Line
	for _, seg := range splitPath(path) {
		var next *yaml.Node
		switch {
		case seg.index >= 0 && cur.Kind == yaml.SequenceNode && seg.index < len(cur.Content):
			next = cur.Content[seg.index]
			line = next.Line
		case seg.index < 0 && cur.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(cur.Content); i += 2 {
				if cur.Content[i].Value == seg.key {
					next = cur.Content[i+1]
					line = cur.Content[i].Line
				}
			}
		}
		if next == nil {
			return line
		}
		cur = next
	}
	return line
}

type pathSeg struct {
	key   string
	index int
}

func splitPath(path string) []pathSeg {
	var out []pathSeg
	cur := ""
	flush := func() {
		if cur != "" {
			out = append(out, pathSeg{key: cur, index: -1})
			cur = ""
		}
	}
	for i := 0; i < len(path); i++ {
		switch c := path[i]; c {
		case '.':
			flush()
		case '[':
			flush()
			j := i + 1
			for j < len(path) && path[j] != ']' {
				j++
			}
			n, err := strconv.Atoi(path[i+1 : j])
			if err == nil {
				out = append(out, pathSeg{index: n})
			} else {
				out = append(out, pathSeg{key: path[i+1 : j], index: -1})
			}
			i = j
		default:
			cur += string(c)
		}
	}
	flush()
	return out
}
