package keda

import (
	"fmt"
	"strconv"

	"github.com/autoscale-sim/autoscale-sim/hpa"
)

// ResourceTrigger is a parsed "cpu" or "memory" trigger
// (pkg/scalers/cpu_memory_scaler.go cpuMemoryMetadata). It only shapes a
// Resource (or ContainerResource) metric of the generated HPA; KEDA never
// queries it.
type ResourceTrigger struct {
	// Resource is "cpu" or "memory".
	Resource string
	// MetricType is Utilization or AverageValue (trigger.metricType).
	MetricType hpa.MetricTargetType
	// AverageUtilization is set for Utilization, in percent of requests.
	AverageUtilization int32
	// AverageValueMilli is set for AverageValue (quantity in milli-units).
	AverageValueMilli int64
	// ContainerName turns the metric into a ContainerResource metric.
	ContainerName string
}

// ParseResourceTrigger parses a cpu/memory trigger as parseResourceMetadata
// does: metadata.value is required, metadata.type is rejected (removed in
// v2.18, use metricType), metricType must be Utilization (value an integer
// percent) or AverageValue (value a quantity). Paths are relative to the
// trigger: "metadata.value", "metricType".
func ParseResourceTrigger(t Trigger) (*ResourceTrigger, []FieldError) {
	r := &ResourceTrigger{Resource: t.Type, MetricType: hpa.MetricTargetType(t.MetricType)}
	var errs []FieldError
	if _, ok := metaValue(t.Metadata, "type"); ok {
		errs = append(errs, FieldError{"metadata.type", "was removed in KEDA v2.18; set the trigger's metricType instead"})
	}
	r.ContainerName, _ = metaValue(t.Metadata, "containerName")
	value, ok := metaValue(t.Metadata, "value")
	if !ok {
		errs = append(errs, FieldError{"metadata.value", "is required"})
	}
	switch r.MetricType {
	case hpa.UtilizationMetricType:
		if ok {
			n, err := strconv.ParseInt(value, 10, 32)
			if err != nil || n <= 0 {
				errs = append(errs, FieldError{"metadata.value", fmt.Sprintf("must be a whole percentage greater than 0 for metricType Utilization, got %q", value)})
			} else {
				r.AverageUtilization = int32(n)
			}
		}
	case hpa.AverageValueMetricType:
		if ok {
			m, err := parseQuantityMilli(value)
			if err != nil || m <= 0 {
				errs = append(errs, FieldError{"metadata.value", fmt.Sprintf("must be a quantity greater than 0 (like 500m or 1Gi) for metricType AverageValue, got %q", value)})
			} else {
				r.AverageValueMilli = m
			}
		}
	default:
		errs = append(errs, FieldError{"metricType", fmt.Sprintf("must be Utilization or AverageValue for a %s trigger, got %q", t.Type, t.MetricType)})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return r, nil
}

// metricSpec is cpuMemoryScaler.GetMetricSpecForScaling.
func (r *ResourceTrigger) metricSpec() hpa.MetricSpec {
	ms := hpa.MetricSpec{Type: hpa.ResourceMetricSourceType, Name: r.Resource, Target: hpa.MetricTarget{Type: r.MetricType}}
	if r.ContainerName != "" {
		ms.Type = hpa.ContainerResourceMetricSourceType
		ms.Container = r.ContainerName
	}
	if r.MetricType == hpa.UtilizationMetricType {
		u := r.AverageUtilization
		ms.Target.AverageUtilization = &u
	} else {
		v := r.AverageValueMilli
		ms.Target.AverageValueMilli = &v
	}
	return ms
}
