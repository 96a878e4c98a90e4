package scenarios

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/hpa"
)

// parseHPA decodes an autoscaling/v2 HorizontalPodAutoscaler strictly.
func parseHPA(root node) *HPAObject {
	h := &HPAObject{}
	root.fields([]string{"apiVersion", "kind", "metadata", "spec", "status"}, func(key string, v node) {
		switch key {
		case "metadata":
			m := objectMeta(v)
			h.Name, h.Namespace = m.Name, m.Namespace
			h.OwnedByKEDA = slices.Contains(m.OwnerKinds, "ScaledObject") || m.Labels["app.kubernetes.io/managed-by"] == "keda-operator"
			h.Spec.Name = h.Name
		case "spec":
			hpaSpec(v, h)
		}
	})
	if h.Spec.MaxReplicas == 0 {
		root.ps.add(lineOf(root, "spec"), "spec.maxReplicas", "must be set to at least 1")
	}
	if h.TargetName == "" {
		root.ps.add(lineOf(root, "spec"), "spec.scaleTargetRef.name", "must be set")
	}
	return h
}

func hpaSpec(n node, h *HPAObject) {
	n.fields([]string{"scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior"}, func(key string, v node) {
		switch key {
		case "scaleTargetRef":
			v.fields([]string{"apiVersion", "kind", "name"}, func(key string, v node) {
				switch key {
				case "kind":
					h.TargetKind = v.str()
				case "name":
					h.TargetName = v.str()
				case "apiVersion":
					v.str()
				}
			})
		case "minReplicas":
			h.Spec.MinReplicas = v.int32p()
		case "maxReplicas":
			h.Spec.MaxReplicas = v.int32()
		case "behavior":
			h.Spec.Behavior = behavior(v)
		case "metrics":
			v.items(func(i int, v node) { h.Spec.Metrics = append(h.Spec.Metrics, metricSpec(v)) })
		}
	})
}

// metricSpec reads one entry of spec.metrics; the member that matches
// type must be set and the others must not, as API validation requires.
func metricSpec(n node) hpa.MetricSpec {
	var m hpa.MetricSpec
	members := map[string]hpa.MetricSourceType{
		"resource": hpa.ResourceMetricSourceType, "containerResource": hpa.ContainerResourceMetricSourceType,
		"pods": hpa.PodsMetricSourceType, "object": hpa.ObjectMetricSourceType, "external": hpa.ExternalMetricSourceType,
	}
	var set []string
	n.fields([]string{"type", "resource", "containerResource", "pods", "object", "external"}, func(key string, v node) {
		if key == "type" {
			m.Type = hpa.MetricSourceType(v.str())
			return
		}
		set = append(set, key)
		switch key {
		case "resource", "containerResource":
			v.fields([]string{"name", "container", "target"}, func(k string, v node) {
				switch k {
				case "name":
					m.Name = v.str()
				case "container":
					if key != "containerResource" {
						v.fail("unknown field; container belongs to containerResource")
					}
					m.Container = v.str()
				case "target":
					m.Target = metricTarget(v)
				}
			})
		case "pods", "external":
			v.fields([]string{"metric", "target"}, func(k string, v node) {
				switch k {
				case "metric":
					m.Name, m.Selector = metricIdentifier(v)
				case "target":
					m.Target = metricTarget(v)
				}
			})
		case "object":
			v.fields([]string{"describedObject", "metric", "target"}, func(k string, v node) {
				switch k {
				case "describedObject":
					v.fields([]string{"apiVersion", "kind", "name"}, func(k string, v node) {
						switch k {
						case "apiVersion":
							m.DescribedObject.APIVersion = v.str()
						case "kind":
							m.DescribedObject.Kind = v.str()
						case "name":
							m.DescribedObject.Name = v.str()
						}
					})
				case "metric":
					m.Name, m.Selector = metricIdentifier(v)
				case "target":
					m.Target = metricTarget(v)
				}
			})
		}
	})
	want := ""
	for k, t := range members {
		if t == m.Type {
			want = k
		}
	}
	switch {
	case m.Type == "":
		n.fail("type must be set; allowed: Resource, ContainerResource, Pods, Object, External")
	case want == "":
		n.child("type", n.n).fail("unsupported value %q; allowed: Resource, ContainerResource, Pods, Object, External", m.Type)
	case len(set) != 1 || set[0] != want:
		n.fail("type %s needs exactly the member %q, got %s", m.Type, want, strings.Join(orNone(set), ", "))
	}
	return m
}

func orNone(s []string) []string {
	if len(s) == 0 {
		return []string{"none"}
	}
	return s
}

func metricIdentifier(n node) (name, selector string) {
	n.fields([]string{"name", "selector"}, func(key string, v node) {
		switch key {
		case "name":
			name = v.str()
		case "selector":
			selector = labelSelector(v)
		}
	})
	if name == "" {
		n.fail("name must be set")
	}
	return name, selector
}

// labelSelector renders a LabelSelector in its selector-string form
// (e.g. "app=web,tier in (a,b)"), which is how it reaches the metrics API.
func labelSelector(n node) string {
	var parts []string
	n.fields([]string{"matchLabels", "matchExpressions"}, func(key string, v node) {
		switch key {
		case "matchLabels":
			m := v.stringMap()
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				parts = append(parts, k+"="+m[k])
			}
		case "matchExpressions":
			v.items(func(i int, v node) {
				var key, op string
				var values []string
				v.fields([]string{"key", "operator", "values"}, func(k string, v node) {
					switch k {
					case "key":
						key = v.str()
					case "operator":
						op = v.str()
					case "values":
						v.items(func(i int, v node) { values = append(values, v.str()) })
					}
				})
				switch op {
				case "In", "NotIn":
					parts = append(parts, fmt.Sprintf("%s %s (%s)", key, strings.ToLower(op), strings.Join(values, ",")))
				case "Exists":
					parts = append(parts, key)
				case "DoesNotExist":
					parts = append(parts, "!"+key)
				default:
					v.child("operator", v.n).fail("unsupported value %q; allowed: In, NotIn, Exists, DoesNotExist", op)
				}
			})
		}
	})
	return strings.Join(parts, ",")
}

func metricTarget(n node) hpa.MetricTarget {
	var t hpa.MetricTarget
	n.fields([]string{"type", "value", "averageValue", "averageUtilization"}, func(key string, v node) {
		switch key {
		case "type":
			t.Type = hpa.MetricTargetType(v.str())
			switch t.Type {
			case hpa.UtilizationMetricType, hpa.ValueMetricType, hpa.AverageValueMetricType:
			default:
				v.fail("unsupported value %q; allowed: Utilization, Value, AverageValue", t.Type)
			}
		case "value":
			q := v.quantity()
			t.ValueMilli = &q
		case "averageValue":
			q := v.quantity()
			t.AverageValueMilli = &q
		case "averageUtilization":
			t.AverageUtilization = v.int32p()
		}
	})
	switch t.Type {
	case hpa.ValueMetricType:
		if t.ValueMilli == nil {
			n.fail("type Value needs value")
		}
	case hpa.AverageValueMetricType:
		if t.AverageValueMilli == nil {
			n.fail("type AverageValue needs averageValue")
		}
	case hpa.UtilizationMetricType:
		if t.AverageUtilization == nil {
			n.fail("type Utilization needs averageUtilization")
		}
	case "":
		n.fail("type must be set; allowed: Utilization, Value, AverageValue")
	}
	return t
}
