package keda

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/autoscale-sim/autoscale-sim/hpa"
)

// ValidationError collects the field errors of an invalid ScaledObject.
type ValidationError struct {
	Name   string
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	msg := fmt.Sprintf("ScaledObject %q is invalid:", e.Name)
	for _, fe := range e.Errors {
		msg += "\n  " + fe.Error()
	}
	return msg
}

// externalMetricName is the External metric name of trigger i:
// "s<i>-<type>" (scaler.go GenerateMetricNameWithIndex; the Prometheus
// scaler's name part is "prometheus").
func externalMetricName(i int, t Trigger) string {
	return fmt.Sprintf("s%d-%s", i, t.Type)
}

// GenerateHPA returns the HorizontalPodAutoscaler KEDA DefaultVersion
// creates for the ScaledObject. See GenerateHPAVersion.
func GenerateHPA(so *ScaledObject) (hpa.Spec, error) {
	return GenerateHPAVersion(so, DefaultVersion)
}

// GenerateHPAVersion returns the HPA of controllers/keda/hpa.go
// newHPAForScaledObject and getScaledObjectMetricSpecs:
//
//   - name keda-hpa-<name> unless advanced.horizontalPodAutoscalerConfig.name;
//   - minReplicas = minReplicaCount when above 0, else 1; maxReplicas =
//     maxReplicaCount or 100;
//   - one External metric "s<i>-prometheus" per Prometheus trigger with a
//     selector on scaledobject.keda.sh/name and a target of the trigger's
//     metricType (AverageValue by default) at the threshold in milli-units;
//     one Resource (or ContainerResource with containerName) metric per
//     cpu/memory trigger;
//   - metrics sorted by type name (ContainerResource, External, Resource);
//   - with scalingModifiers, the External metrics (and, as upstream, the
//     ContainerResource ones) are replaced by a single External metric
//     "composite-metric" whose target is int64(target*1000) milli-units;
//   - behavior from horizontalPodAutoscalerConfig, with selectPolicy
//     Disabled for scale-down under paused-scale-in and for scale-up under
//     paused-scale-out.
//
// While the ScaledObject is paused KEDA deletes the HPA; the spec is still
// returned, and Loop reports the pause.
func GenerateHPAVersion(so *ScaledObject, version string) (hpa.Spec, error) {
	if so == nil {
		return hpa.Spec{}, errors.New("nil ScaledObject")
	}
	errs, err := so.ValidateVersion(version)
	if err != nil {
		return hpa.Spec{}, err
	}
	if len(errs) > 0 {
		return hpa.Spec{}, &ValidationError{Name: so.Name, Errors: errs}
	}
	_, f, _ := lookupVersion(version)
	c := *so
	forVersion(&c, f)
	return buildHPA(&c, f), nil
}

// buildHPA assumes a valid ScaledObject.
func buildHPA(so *ScaledObject, f features) hpa.Spec {
	selector := ScaledObjectOwnerLabel + "=" + so.Name
	var metrics []hpa.MetricSpec
	for i, t := range so.Triggers {
		if isResourceTrigger(t) {
			r, _ := ParseResourceTrigger(t)
			metrics = append(metrics, r.metricSpec())
			continue
		}
		if isKafkaTrigger(t) {
			k, _ := ParseKafkaTrigger(t.Metadata)
			metrics = append(metrics, hpa.MetricSpec{
				Type:     hpa.ExternalMetricSourceType,
				Name:     kafkaMetricName(i, k),
				Selector: selector,
				Target:   externalTarget(triggerMetricType(t), k.LagThreshold*1000),
			})
			continue
		}
		if t.Type == "cron" {
			c, _ := ParseCronTrigger(t.Metadata, !f.cronDesiredPositive)
			metrics = append(metrics, hpa.MetricSpec{
				Type:     hpa.ExternalMetricSourceType,
				Name:     cronMetricName(i, c, f.cronCommaName),
				Selector: selector,
				Target:   externalTarget(triggerMetricType(t), 1000),
			})
			continue
		}
		if t.Type != "prometheus" {
			continue // a scaler the simulator does not model (sim refuses to run it)
		}
		p, _ := ParsePrometheusTrigger(t.Metadata)
		metrics = append(metrics, hpa.MetricSpec{
			Type:     hpa.ExternalMetricSourceType,
			Name:     externalMetricName(i, t),
			Selector: selector,
			Target:   externalTarget(triggerMetricType(t), metricToMilli(f, p.Threshold)),
		})
	}
	// Upstream uses sort.Slice, which for the handful of metrics a
	// ScaledObject has is an insertion sort and so keeps trigger order.
	sort.SliceStable(metrics, func(i, j int) bool { return metrics[i].Type < metrics[j].Type })

	if so.UsingModifiers() {
		sm := so.Advanced.ScalingModifiers
		target, _ := strconv.ParseFloat(sm.Target, 64)
		if target > 0 {
			mt := hpa.AverageValueMetricType
			if sm.MetricType != "" {
				mt = hpa.MetricTargetType(sm.MetricType)
			}
			var kept []hpa.MetricSpec
			for _, m := range metrics {
				if m.Type == hpa.ResourceMetricSourceType {
					kept = append(kept, m)
				}
			}
			metrics = append(kept, hpa.MetricSpec{
				Type:     hpa.ExternalMetricSourceType,
				Name:     CompositeMetricName,
				Selector: selector,
				Target:   externalTarget(mt, milliTrunc(target)),
			})
		}
	}

	min := so.HPAMinReplicas()
	kind, apiVersion := so.ScaleTargetRef.Kind, so.ScaleTargetRef.APIVersion
	if kind == "" {
		kind = "Deployment"
	}
	if apiVersion == "" {
		apiVersion = "apps/v1"
	}
	return hpa.Spec{
		Name:      so.HPAName(),
		Namespace: so.Namespace,
		ScaleTargetRef: hpa.CrossVersionObjectReference{
			Kind: kind, Name: so.ScaleTargetRef.Name, APIVersion: apiVersion,
		},
		MinReplicas: &min,
		MaxReplicas: so.MaxReplicas(),
		Metrics:     metrics,
		Behavior:    hpaBehavior(so),
	}
}

func triggerMetricType(t Trigger) hpa.MetricTargetType {
	if t.MetricType == "" {
		return hpa.AverageValueMetricType
	}
	return hpa.MetricTargetType(t.MetricType)
}

func externalTarget(mt hpa.MetricTargetType, milli int64) hpa.MetricTarget {
	if mt == hpa.AverageValueMetricType {
		return hpa.MetricTarget{Type: mt, AverageValueMilli: &milli}
	}
	return hpa.MetricTarget{Type: mt, ValueMilli: &milli}
}

// hpaBehavior copies the configured behavior and applies the pause
// annotations (controllers/keda/hpa.go newHPAForScaledObject).
func hpaBehavior(so *ScaledObject) *hpa.Behavior {
	var b *hpa.Behavior
	if so.Advanced != nil && so.Advanced.HorizontalPodAutoscalerConfig != nil && so.Advanced.HorizontalPodAutoscalerConfig.Behavior != nil {
		src := so.Advanced.HorizontalPodAutoscalerConfig.Behavior
		b = &hpa.Behavior{ScaleUp: copyRules(src.ScaleUp), ScaleDown: copyRules(src.ScaleDown)}
	}
	disable := func(rules **hpa.ScalingRules) {
		if *rules == nil {
			*rules = &hpa.ScalingRules{}
		}
		d := hpa.DisabledPolicySelect
		(*rules).SelectPolicy = &d
	}
	if so.PausedScaleIn() {
		if b == nil {
			b = &hpa.Behavior{}
		}
		disable(&b.ScaleDown)
	}
	if so.PausedScaleOut() {
		if b == nil {
			b = &hpa.Behavior{}
		}
		disable(&b.ScaleUp)
	}
	return b
}

func copyRules(r *hpa.ScalingRules) *hpa.ScalingRules {
	if r == nil {
		return nil
	}
	c := *r
	c.Policies = append([]hpa.ScalingPolicy(nil), r.Policies...)
	if r.StabilizationWindowSeconds != nil {
		v := *r.StabilizationWindowSeconds
		c.StabilizationWindowSeconds = &v
	}
	if r.SelectPolicy != nil {
		v := *r.SelectPolicy
		c.SelectPolicy = &v
	}
	if r.Tolerance != nil {
		v := *r.Tolerance
		c.Tolerance = &v
	}
	return &c
}
