package hpa

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// Validation limits of pkg/apis/autoscaling/validation/validation.go.
const (
	MaxStabilizationWindowSeconds = 3600
	MaxPeriodSeconds              = 1800
)

// ValidateSpec checks a spec as the API server of the newest modelled
// release would after defaulting, with the HPAScaleToZero gate as given
// (see ValidateSpecFor).
func ValidateSpec(s Spec, scaleToZero bool) error {
	return ValidateSpecFor(s, Config{ScaleToZero: scaleToZero, ConfigurableTolerance: true})
}

// ValidateSpecFor checks a spec as the API server of cfg's release and
// gates would after defaulting: the registry strategy first drops fields
// of disabled gates (strategy.go: dropDisabledFields, so a tolerance is
// not checked with HPAConfigurableTolerance off), then
// pkg/apis/autoscaling/validation: validateHorizontalPodAutoscalerSpec,
// validateMetrics, validateBehavior. Every problem is reported with its
// field path in the API's "path: Invalid value: v: message" style.
func ValidateSpecFor(s Spec, cfg Config) error {
	return validateSpec(s, cfg)
}

func validateSpec(s Spec, cfg Config) error {
	var errs []string
	add := func(path string, format string, args ...any) {
		errs = append(errs, path+": "+fmt.Sprintf(format, args...))
	}
	minLower := int32(1)
	if cfg.ScaleToZero {
		minLower = 0
	}
	if s.MinReplicas != nil && *s.MinReplicas < minLower {
		add("spec.minReplicas", "Invalid value: %d: must be greater than or equal to %d", *s.MinReplicas, minLower)
	}
	switch {
	case cfg.minor() < 36 && s.MaxReplicas < 1:
		add("spec.maxReplicas", "Invalid value: %d: must be greater than 0", s.MaxReplicas)
	case s.MaxReplicas == 0:
		// 1.36 reworded the check for declarative validation.
		add("spec.maxReplicas", "Required value: must be set and greater than 0")
	case s.MaxReplicas < 0:
		add("spec.maxReplicas", "Invalid value: %d: must be greater than or equal to 1", s.MaxReplicas)
	}
	// API defaulting has set an absent minReplicas to 1 by now.
	minR := int32(1)
	if s.MinReplicas != nil {
		minR = *s.MinReplicas
	}
	if s.MaxReplicas < minR {
		add("spec.maxReplicas", "Invalid value: %d: must be greater than or equal to `minReplicas`", s.MaxReplicas)
	}
	objectOrExternal := false
	for i, m := range s.Metrics {
		validateMetric(fmt.Sprintf("spec.metrics[%d]", i), m, add)
		if m.Type == ObjectMetricSourceType || m.Type == ExternalMetricSourceType {
			objectOrExternal = true
		}
	}
	// Checked whatever the gate: without it minReplicas 0 is refused twice.
	if s.MinReplicas != nil && *s.MinReplicas == 0 && !objectOrExternal {
		add("spec.metrics", "Forbidden: must specify at least one Object or External metric to support scaling to zero replicas")
	}
	if s.Behavior != nil {
		validateRules("spec.behavior.scaleUp", s.Behavior.ScaleUp, cfg.ConfigurableTolerance, add)
		validateRules("spec.behavior.scaleDown", s.Behavior.ScaleDown, cfg.ConfigurableTolerance, add)
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
		switch {
		case t.ValueMilli == nil && t.AverageValueMilli == nil && m.Type == ObjectMetricSourceType:
			add(tp+".averageValue", "Required value: must set either a target value or averageValue")
		case t.ValueMilli == nil && t.AverageValueMilli == nil:
			add(tp+".averageValue", "Required value: must set either a target value for metric or a per-pod target")
		case t.ValueMilli != nil && t.AverageValueMilli != nil && m.Type == ExternalMetricSourceType:
			add(tp+".value", "Forbidden: may not set both a target value for metric and a per-pod target")
		}
	}
	switch t.Type {
	case "":
		add(tp+".type", "Required value: must specify a metric target type")
	case UtilizationMetricType, ValueMetricType, AverageValueMetricType:
	default:
		add(tp+".type", "Invalid value: %q: must be either Utilization, Value, or AverageValue", string(t.Type))
	}
	// A quantity is shown as its JSON, a quoted canonical string.
	if t.ValueMilli != nil && *t.ValueMilli <= 0 {
		add(tp+".value", "Invalid value: %q: must be positive", FormatMilli(*t.ValueMilli))
	}
	if t.AverageValueMilli != nil && *t.AverageValueMilli <= 0 {
		add(tp+".averageValue", "Invalid value: %q: must be positive", FormatMilli(*t.AverageValueMilli))
	}
	if t.AverageUtilization != nil && *t.AverageUtilization < 1 {
		add(tp+".averageUtilization", "Invalid value: %d: must be greater than 0", *t.AverageUtilization)
	}
}

func validateRules(path string, r *ScalingRules, tolerance bool, add func(string, string, ...any)) {
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
	// ValidateNonnegativeQuantity shows the quantity's canonical form.
	if tol := r.Tolerance; tolerance && tol != nil && (*tol < 0 || math.IsNaN(*tol) || math.IsInf(*tol, 0)) {
		add(path+".tolerance", "Invalid value: %q: must be greater than or equal to 0", quantityString(*tol))
	}
}

// quantityString renders a float as the canonical string of the quantity
// it was read from (resource.Quantity.String), e.g. -0.1 as "-100m".
func quantityString(f float64) string {
	q, err := resource.ParseQuantity(strconv.FormatFloat(f, 'f', -1, 64))
	if err != nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return q.String()
}
