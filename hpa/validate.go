package hpa

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Validation limits of pkg/apis/autoscaling/validation/validation.go.
const (
	MaxStabilizationWindowSeconds = 3600
	MaxPeriodSeconds              = 1800
)

// ValidateSpec checks a spec as the API server would after defaulting
// (pkg/apis/autoscaling/validation: validateHorizontalPodAutoscalerSpec,
// validateMetrics, validateBehavior). Every problem is reported with its
// field path in the API's "path: Invalid value: v: message" style.
func ValidateSpec(s Spec, scaleToZero bool) error {
	var errs []string
	add := func(path string, format string, args ...any) {
		errs = append(errs, path+": "+fmt.Sprintf(format, args...))
	}
	minLower := int32(1)
	if scaleToZero {
		minLower = 0
	}
	if s.MinReplicas != nil && *s.MinReplicas < minLower {
		add("spec.minReplicas", "Invalid value: %d: must be greater than or equal to %d", *s.MinReplicas, minLower)
	}
	if s.MaxReplicas < 1 {
		add("spec.maxReplicas", "Invalid value: %d: must be greater than 0", s.MaxReplicas)
	}
	if s.MinReplicas != nil && s.MaxReplicas < *s.MinReplicas {
		add("spec.maxReplicas", "Invalid value: %d: must be greater than or equal to `minReplicas`", s.MaxReplicas)
	}
	for i, m := range s.Metrics {
		validateMetric(fmt.Sprintf("spec.metrics[%d]", i), m, add)
	}
	if s.Behavior != nil {
		validateRules("spec.behavior.scaleUp", s.Behavior.ScaleUp, add)
		validateRules("spec.behavior.scaleDown", s.Behavior.ScaleDown, add)
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

func validateMetric(path string, m MetricSpec, add func(string, string, ...any)) {
	var src string
	switch m.Type {
	case ResourceMetricSourceType:
		src = path + ".resource"
	case ContainerResourceMetricSourceType:
		src = path + ".containerResource"
	case PodsMetricSourceType:
		src = path + ".pods"
	case ObjectMetricSourceType:
		src = path + ".object"
	case ExternalMetricSourceType:
		src = path + ".external"
	case "":
		add(path+".type", "Required value: must specify a metric source type")
		return
	default:
		add(path+".type", "Unsupported value: %q: supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"", string(m.Type))
		return
	}
	t := m.Target
	tp := src + ".target"
	switch m.Type {
	case ResourceMetricSourceType, ContainerResourceMetricSourceType:
		if m.Name == "" {
			add(src+".name", "Required value: must specify a resource name")
		}
		if m.Type == ContainerResourceMetricSourceType && m.Container == "" {
			add(src+".container", "Required value: must specify a container")
		}
		if t.AverageUtilization == nil && t.AverageValueMilli == nil {
			add(tp+".averageUtilization", "Required value: must set either a target raw value or a target utilization")
		}
		if t.AverageUtilization != nil && t.AverageValueMilli != nil {
			add(tp+".averageValue", "Forbidden: may not set both a target raw value and a target utilization")
		}
	case PodsMetricSourceType:
		if m.Name == "" {
			add(src+".metric.name", "Required value: must specify a metric name")
		}
		if t.AverageValueMilli == nil {
			add(tp+".averageValue", "Required value: must specify a positive target averageValue")
		}
	case ObjectMetricSourceType, ExternalMetricSourceType:
		if m.Name == "" {
			add(src+".metric.name", "Required value: must specify a metric name")
		}
		if m.Type == ObjectMetricSourceType {
			if m.DescribedObject.Kind == "" {
				add(src+".describedObject.kind", "Required value")
			}
			if m.DescribedObject.Name == "" {
				add(src+".describedObject.name", "Required value")
			}
		}
		if t.ValueMilli == nil && t.AverageValueMilli == nil {
			add(tp+".value", "Required value: must set either a target value or averageValue")
		}
	}
	switch t.Type {
	case "":
		add(tp+".type", "Required value: must specify a metric target type")
	case UtilizationMetricType, ValueMetricType, AverageValueMetricType:
	default:
		add(tp+".type", "Invalid value: %q: must be either Utilization, Value, or AverageValue", string(t.Type))
	}
	if t.ValueMilli != nil && *t.ValueMilli <= 0 {
		add(tp+".value", "Invalid value: %s: must be positive", FormatMilli(*t.ValueMilli))
	}
	if t.AverageValueMilli != nil && *t.AverageValueMilli <= 0 {
		add(tp+".averageValue", "Invalid value: %s: must be positive", FormatMilli(*t.AverageValueMilli))
	}
	if t.AverageUtilization != nil && *t.AverageUtilization < 1 {
		add(tp+".averageUtilization", "Invalid value: %d: must be greater than 0", *t.AverageUtilization)
	}
}

func validateRules(path string, r *ScalingRules, add func(string, string, ...any)) {
	if r == nil {
		return
	}
	if w := r.StabilizationWindowSeconds; w != nil {
		if *w < 0 {
			add(path+".stabilizationWindowSeconds", "Invalid value: %d: must be greater than or equal to zero", *w)
		}
		if *w > MaxStabilizationWindowSeconds {
			add(path+".stabilizationWindowSeconds", "Invalid value: %d: must be less than or equal to %d", *w, MaxStabilizationWindowSeconds)
		}
	}
	if sp := r.SelectPolicy; sp != nil {
		switch *sp {
		case MaxChangePolicySelect, MinChangePolicySelect, DisabledPolicySelect:
		default:
			add(path+".selectPolicy", "Unsupported value: %q: supported values: \"Disabled\", \"Max\", \"Min\"", string(*sp))
		}
	}
	// A nil list is filled by API defaulting; an explicitly empty one is not.
	if r.Policies != nil && len(r.Policies) == 0 {
		add(path+".policies", "Required value: must specify at least one Policy")
	}
	for i, p := range r.Policies {
		pp := fmt.Sprintf("%s.policies[%d]", path, i)
		if p.Type != PodsScalingPolicy && p.Type != PercentScalingPolicy {
			add(pp+".type", "Unsupported value: %q: supported values: \"Percent\", \"Pods\"", string(p.Type))
		}
		if p.Value <= 0 {
			add(pp+".value", "Invalid value: %d: must be greater than zero", p.Value)
		}
		if p.PeriodSeconds <= 0 {
			add(pp+".periodSeconds", "Invalid value: %d: must be greater than zero", p.PeriodSeconds)
		}
		if p.PeriodSeconds > MaxPeriodSeconds {
			add(pp+".periodSeconds", "Invalid value: %d: must be less than or equal to %d", p.PeriodSeconds, MaxPeriodSeconds)
		}
	}
	if tol := r.Tolerance; tol != nil && (*tol < 0 || math.IsNaN(*tol) || math.IsInf(*tol, 0)) {
		add(path+".tolerance", "Invalid value: %v: must be greater than or equal to zero", *tol)
	}
}
