package scenarios

import (
	"fmt"
	"sort"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"gopkg.in/yaml.v3"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Workload is a Deployment or StatefulSet of the manifests: what the
// scale target's pods look like.
type Workload struct {
	Kind, Name, Namespace string
	// Replicas is spec.replicas (nil: unset, which the API defaults to 1).
	Replicas *int32
	// Selector is spec.selector.
	Selector *metav1.LabelSelector
	// Template is spec.template: pod labels, annotations, containers.
	Template corev1.PodTemplateSpec
	// MinReadySeconds is spec.minReadySeconds.
	MinReadySeconds int32
	// podManagementPolicy is a StatefulSet's spec.podManagementPolicy.
	podManagementPolicy string
}

// KedaController is the OpenShift Custom Metrics Autoscaler operator's
// KedaController (keda.sh/v1alpha1, kedacore/keda-olm-operator): it
// installs KEDA and says which namespace it watches.
type KedaController struct {
	Name, Namespace string
	// WatchNamespace is spec.watchNamespace: "" watches every namespace.
	WatchNamespace string
}

// TriggerAuth is a TriggerAuthentication or ClusterTriggerAuthentication
// (keda.sh/v1alpha1); only its identity matters to a simulation, which
// never authenticates.
type TriggerAuth struct {
	Kind, Name, Namespace string
}

// The companion kinds a simulation reads, by "apiVersion kind".
const (
	kindDeployment     = "apps/v1 Deployment"
	kindStatefulSet    = "apps/v1 StatefulSet"
	kindService        = "v1 Service"
	kindServiceMonitor = "monitoring.coreos.com/v1 ServiceMonitor"
	kindPodMonitor     = "monitoring.coreos.com/v1 PodMonitor"
	kindConfigMap      = "v1 ConfigMap"
	kindKedaController = "keda.sh/v1alpha1 KedaController"
	kindTriggerAuth    = "keda.sh/v1alpha1 TriggerAuthentication"
	kindClusterAuth    = "keda.sh/v1alpha1 ClusterTriggerAuthentication"
)

// parseCompanion decodes a document of a companion kind into m; it
// reports false for a kind it does not read.
func (m *Manifests) parseCompanion(root node, file, apiVersion, kind string) bool {
	remember := func(obj any) { m.docs[obj] = document{file, root.n} }
	switch apiVersion + " " + kind {
	case kindDeployment, kindStatefulSet, kindService, kindServiceMonitor, kindPodMonitor, kindConfigMap:
		// YAML to JSON keeps the last of two equal keys; the API server's
		// strict decoding reports them.
		if duplicateKeys(root) {
			return true
		}
	}
	switch apiVersion + " " + kind {
	case kindDeployment:
		var d appsv1.Deployment
		if decodeAPIObject(root, &d) && checkSelector(root, d.Spec.Selector, d.Spec.Template.Labels) {
			w := &Workload{Kind: kind, Name: d.Name, Namespace: d.Namespace, Replicas: d.Spec.Replicas,
				Selector: d.Spec.Selector, Template: d.Spec.Template, MinReadySeconds: d.Spec.MinReadySeconds}
			m.Workloads = append(m.Workloads, w)
			remember(w)
		}
	case kindStatefulSet:
		var s appsv1.StatefulSet
		if decodeAPIObject(root, &s) && checkSelector(root, s.Spec.Selector, s.Spec.Template.Labels) {
			w := &Workload{Kind: kind, Name: s.Name, Namespace: s.Namespace, Replicas: s.Spec.Replicas,
				Selector: s.Spec.Selector, Template: s.Spec.Template, MinReadySeconds: s.Spec.MinReadySeconds,
				podManagementPolicy: string(s.Spec.PodManagementPolicy)}
			m.Workloads = append(m.Workloads, w)
			remember(w)
		}
	case kindService:
		s := &corev1.Service{}
		if decodeAPIObject(root, s) {
			m.Services = append(m.Services, s)
			remember(s)
		}
	case kindServiceMonitor:
		s := &monitoringv1.ServiceMonitor{}
		if decodeAPIObject(root, s) {
			m.ServiceMonitors = append(m.ServiceMonitors, s)
			remember(s)
		}
	case kindPodMonitor:
		p := &monitoringv1.PodMonitor{}
		if decodeAPIObject(root, p) {
			m.PodMonitors = append(m.PodMonitors, p)
			remember(p)
		}
	case kindConfigMap:
		c := &corev1.ConfigMap{}
		if decodeAPIObject(root, c) {
			m.ConfigMaps = append(m.ConfigMaps, c)
			remember(c)
		}
	case kindKedaController:
		k := parseKedaController(root)
		m.KedaControllers = append(m.KedaControllers, k)
		remember(k)
	case kindTriggerAuth, kindClusterAuth:
		a := parseTriggerAuth(root, kind)
		m.TriggerAuths = append(m.TriggerAuths, a)
		remember(a)
	default:
		return false
	}
	return true
}

// checkSelector applies the API server's validation of a workload's
// selector (kubernetes pkg/apis/apps/validation ValidateDeploymentSpec):
// it must be set, and select the pod template's labels.
func checkSelector(root node, sel *metav1.LabelSelector, podLabels map[string]string) bool {
	if sel == nil || (len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0) {
		root.ps.add(lineOf(root, "spec.selector"), "spec.selector", "must be set: the pods the workload owns are those it selects")
		return false
	}
	if !selectorMatches(*sel, podLabels) {
		root.ps.add(lineOf(root, "spec.template.metadata"), "spec.template.metadata.labels", "selector does not match template labels: spec.selector is %s, the pod template's labels are %s; add the selector's labels to spec.template.metadata.labels",
			metav1.FormatLabelSelector(sel), orDefault(sortedLabelString(podLabels), "none"))
		return false
	}
	return true
}

// metadataFields are the ObjectMeta fields a manifest may carry.
var metadataFields = []string{"name", "namespace", "labels", "annotations", "generation", "uid", "resourceVersion", "creationTimestamp", "finalizers", "ownerReferences", "managedFields", "generateName", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"}

// parseKedaController reads the fields of a KedaController that decide
// what KEDA watches; the operator's other settings (log levels, resources
// of its pods, certificates) are accepted and play no part.
func parseKedaController(root node) *KedaController {
	k := &KedaController{}
	root.fields([]string{"apiVersion", "kind", "metadata", "spec", "status"}, func(key string, v node) {
		switch key {
		case "metadata":
			m := objectMeta(v)
			k.Name, k.Namespace = m.Name, m.Namespace
		case "spec":
			v.fields([]string{"watchNamespace", "operator", "metricsServer", "admissionWebhooks", "serviceAccount"}, func(key string, v node) {
				if key == "watchNamespace" {
					k.WatchNamespace = v.str()
				}
			})
		}
	})
	return k
}

// triggerAuthSources are the top-level fields of a TriggerAuthentication
// spec (keda apis/keda/v1alpha1/triggerauthentication_types.go
// TriggerAuthenticationSpec).
var triggerAuthSources = []string{"podIdentity", "secretTargetRef", "env", "hashiCorpVault", "azureKeyVault", "awsSecretManager", "gcpSecretManager", "configMapTargetRef", "boundServiceAccountToken", "filePath", "infisicalSecret"}

func parseTriggerAuth(root node, kind string) *TriggerAuth {
	a := &TriggerAuth{Kind: kind}
	root.fields([]string{"apiVersion", "kind", "metadata", "spec", "status"}, func(key string, v node) {
		switch key {
		case "metadata":
			m := objectMeta(v)
			a.Name, a.Namespace = m.Name, m.Namespace
		case "spec":
			// The credentials themselves are never used: a simulation
			// authenticates against nothing.
			v.fields(triggerAuthSources, func(string, node) {})
		}
	})
	return a
}

// oldHPAVersion reports a HorizontalPodAutoscaler of an API version the
// simulator does not read, saying what to change to write it as
// autoscaling/v2 (k8s.io/api autoscaling/v1, v2beta1 and v2beta2 types).
func oldHPAVersion(root node, apiVersion string) {
	duplicateKeys(root)
	at := root.child("apiVersion", mappingValue(root.n, "apiVersion"))
	spec := mappingValue(root.n, "spec")
	if spec == root.n {
		spec = nil
	}
	var renames []string
	switch apiVersion {
	case "autoscaling/v1":
		hasMetrics := spec != nil && spec.Kind == yaml.MappingNode && hasKey(spec, "metrics")
		switch {
		case hasMetrics:
			seen := map[string]bool{}
			walkKeys(mappingValue(spec, "metrics"), func(k string) { seen[k] = true })
			msg := "autoscaling/v1 has no spec.metrics (kubectl --validate=strict refuses it; a lenient apply drops it and the HPA scales on 80 % CPU)"
			var renames []string
			for _, r := range v2beta1Renames {
				if seen[r.field] {
					renames = append(renames, r.field+" "+r.becomes)
				}
			}
			if len(renames) > 0 {
				msg += "; its entries are written as in autoscaling/v2beta1: " + strings.Join(renames, "; ")
			}
			at.fail("HorizontalPodAutoscaler %s is not read; write it as autoscaling/v2: %s", apiVersion, msg)
			return
		}
		if spec != nil && spec.Kind == yaml.MappingNode && hasKey(spec, "targetCPUUtilizationPercentage") {
			v := mappingValue(spec, "targetCPUUtilizationPercentage").Value
			renames = append(renames, fmt.Sprintf("spec.targetCPUUtilizationPercentage: %s becomes spec.metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: %s}}}]", v, v))
		} else {
			renames = append(renames, "without targetCPUUtilizationPercentage, v1 meant 80 % CPU: spec.metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]")
		}
		at.fail("HorizontalPodAutoscaler %s is not read; write it as autoscaling/v2 (kubectl convert or by hand): %s", apiVersion, strings.Join(renames, "; "))
	case "autoscaling/v2beta2":
		at.fail("HorizontalPodAutoscaler %s is not read; autoscaling/v2 has the same fields: change apiVersion to autoscaling/v2", apiVersion)
	case "autoscaling/v2beta1":
		seen := map[string]bool{}
		walkKeys(spec, func(k string) { seen[k] = true })
		for _, r := range v2beta1Renames {
			if seen[r.field] {
				renames = append(renames, r.field+" "+r.becomes)
			}
		}
		if len(renames) == 0 {
			renames = append(renames, "each metric's target moves into target: {type, value|averageValue|averageUtilization} and metricName/metricSelector into metric: {name, selector}")
		}
		at.fail("HorizontalPodAutoscaler %s is not read; write it as autoscaling/v2: %s", apiVersion, strings.Join(renames, "; "))
	default:
		at.fail("HorizontalPodAutoscaler %q is not supported; use autoscaling/v2", apiVersion)
	}
}

// v2beta1Renames are the autoscaling/v2beta1 MetricSpec fields that
// autoscaling/v2 spells differently.
var v2beta1Renames = []struct{ field, becomes string }{
	{"metricName", "becomes metric.name"},
	{"metricSelector", "becomes metric.selector"},
	{"targetAverageUtilization", "becomes target: {type: Utilization, averageUtilization: N}"},
	{"targetAverageValue", "becomes target: {type: AverageValue, averageValue: Q}"},
	{"targetValue", "becomes target: {type: Value, value: Q}"},
	{"target", "(object.target, the described object) becomes object.describedObject"},
}

// walkKeys visits every mapping key under n.
func walkKeys(n *yaml.Node, visit func(string)) {
	if n == nil {
		return
	}
	for i, c := range n.Content {
		if n.Kind == yaml.MappingNode && i%2 == 0 {
			visit(c.Value)
			continue
		}
		walkKeys(c, visit)
	}
}

// podLabels are the labels of the workload's pods.
func (w *Workload) podLabels() map[string]string { return w.Template.Labels }

// selects reports whether a Service selects the pods of w.
func serviceSelects(s *corev1.Service, w *Workload) bool {
	if s.Namespace != w.Namespace || len(s.Spec.Selector) == 0 {
		return false
	}
	for k, v := range s.Spec.Selector {
		if w.podLabels()[k] != v {
			return false
		}
	}
	return true
}

func sortedLabelString(m map[string]string) string {
	keys := sortedKeys(m)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// duplicateKeys reports every key given twice in a mapping of the
// document, as strict decoding does; it reports whether there was one.
func duplicateKeys(root node) bool {
	found := false
	var walk func(n node)
	walk = func(n node) {
		switch n.n.Kind {
		case yaml.MappingNode:
			first := map[string]int{}
			for i := 0; i+1 < len(n.n.Content); i += 2 {
				k := n.n.Content[i]
				child := n.child(k.Value, n.n.Content[i+1])
				if line, dup := first[k.Value]; dup {
					n.ps.add(k.Line, child.path, "duplicate field (also at line %d; a lenient parser keeps this one, strict decoding refuses both)", line)
					found = true
					continue
				}
				first[k.Value] = k.Line
				walk(child)
			}
		case yaml.SequenceNode:
			for i, c := range n.n.Content {
				walk(n.index(i, c))
			}
		}
	}
	walk(root)
	return found
}
