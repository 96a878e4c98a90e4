package keda

import (
	"fmt"
	"strconv"

	"github.com/autoscale-sim/autoscale-sim/hpa"
)

// Annotations KEDA reads on a ScaledObject
// (apis/keda/v1alpha1/scaledobject_types.go).
const (
	PausedAnnotation          = "autoscaling.keda.sh/paused"
	PausedReplicasAnnotation  = "autoscaling.keda.sh/paused-replicas"
	PausedScaleInAnnotation   = "autoscaling.keda.sh/paused-scale-in"
	PausedScaleOutAnnotation  = "autoscaling.keda.sh/paused-scale-out"
	ForceActivationAnnotation = "autoscaling.keda.sh/force-activation"
)

// ScaledObjectAnnotations lists the annotations above: the ones whose
// change alters what KEDA does with a ScaledObject.
var ScaledObjectAnnotations = []string{PausedAnnotation, PausedReplicasAnnotation, PausedScaleInAnnotation, PausedScaleOutAnnotation, ForceActivationAnnotation}

// Fallback behaviours (fallback.behavior).
const (
	FallbackBehaviorStatic                  = "static"
	FallbackBehaviorCurrentReplicas         = "currentReplicas"
	FallbackBehaviorCurrentReplicasIfHigher = "currentReplicasIfHigher"
	FallbackBehaviorCurrentReplicasIfLower  = "currentReplicasIfLower"
	FallbackBehaviorScalingModifiers        = "scalingModifiers"
)

// CompositeMetricName is the External metric name of the scalingModifiers
// formula (apis/keda/v1alpha1/scaledobject_types.go CompositeMetricName).
const CompositeMetricName = "composite-metric"

// ScaledObjectOwnerLabel is the label KEDA puts in every External metric
// selector of the generated HPA.
const ScaledObjectOwnerLabel = "scaledobject.keda.sh/name"

// Defaults of the ScaledObject spec: apis/keda/v1alpha1/withtriggers_types.go
// (defaultPollingInterval), pkg/scaling/executor/scale_executor.go
// (defaultCooldownPeriod, defaultInitialCooldownPeriod) and
// scaledobject_types.go (defaultHPAMaxReplicas; minReplicaCount nil means 0).
const (
	DefaultPollingInterval       int32 = 30
	DefaultCooldownPeriod        int32 = 300
	DefaultInitialCooldownPeriod int32 = 0
	DefaultMinReplicaCount       int32 = 0
	DefaultMaxReplicaCount       int32 = 100
)

// ScaledObject is the spec of a keda.sh/v1alpha1 ScaledObject plus the
// metadata KEDA reads. Optional fields are pointers, as upstream.
type ScaledObject struct {
	Name        string
	Namespace   string
	Annotations map[string]string

	ScaleTargetRef        ScaleTarget
	PollingInterval       *int32
	CooldownPeriod        *int32
	InitialCooldownPeriod *int32
	MinReplicaCount       *int32
	MaxReplicaCount       *int32
	IdleReplicaCount      *int32
	Fallback              *Fallback
	Advanced              *Advanced
	Triggers              []Trigger
}

// ScaleTarget is spec.scaleTargetRef.
type ScaleTarget struct {
	APIVersion string // default "apps/v1"
	Kind       string // default "Deployment"
	Name       string
	// EnvSourceContainerName only matters for scalers reading the target's
	// environment; kept for completeness.
	EnvSourceContainerName string
}

// Fallback is spec.fallback.
type Fallback struct {
	FailureThreshold int32
	Replicas         int32
	// Behavior is one of the FallbackBehavior constants; "" means static.
	Behavior string
}

// Advanced is spec.advanced.
type Advanced struct {
	// RestoreToOriginalReplicaCount only acts when the ScaledObject is
	// deleted, which a simulation never does; kept for completeness.
	RestoreToOriginalReplicaCount bool
	HorizontalPodAutoscalerConfig *HPAConfig
	ScalingModifiers              *ScalingModifiers
}

// HPAConfig is spec.advanced.horizontalPodAutoscalerConfig.
type HPAConfig struct {
	Name     string
	Behavior *hpa.Behavior
}

// ScalingModifiers is spec.advanced.scalingModifiers.
type ScalingModifiers struct {
	Formula          string
	Target           string
	ActivationTarget string
	// MetricType is "AverageValue" (default) or "Value".
	MetricType string
}

// AuthRef is a trigger's authenticationRef; the simulation does not
// authenticate, it only keeps the reference.
type AuthRef struct {
	Name string
	Kind string
}

// Trigger is one entry of spec.triggers.
type Trigger struct {
	Type     string
	Name     string
	Metadata map[string]string
	// MetricType is "AverageValue" (default for external scalers), "Value"
	// or, for cpu/memory, "Utilization".
	MetricType        string
	UseCachedMetrics  bool
	AuthenticationRef *AuthRef
}

func orDefault(p *int32, d int32) int32 {
	if p == nil {
		return d
	}
	return *p
}

// PollingIntervalSeconds is spec.pollingInterval or 30.
func (so *ScaledObject) PollingIntervalSeconds() int32 {
	return orDefault(so.PollingInterval, DefaultPollingInterval)
}

// CooldownPeriodSeconds is spec.cooldownPeriod or 300.
func (so *ScaledObject) CooldownPeriodSeconds() int32 {
	return orDefault(so.CooldownPeriod, DefaultCooldownPeriod)
}

// InitialCooldownPeriodSeconds is spec.initialCooldownPeriod or 0.
func (so *ScaledObject) InitialCooldownPeriodSeconds() int32 {
	return orDefault(so.InitialCooldownPeriod, DefaultInitialCooldownPeriod)
}

// MinReplicas is spec.minReplicaCount or 0.
func (so *ScaledObject) MinReplicas() int32 {
	return orDefault(so.MinReplicaCount, DefaultMinReplicaCount)
}

// InactiveReplicas is where KEDA takes an inactive target once the
// cooldown has passed, and the field that says so: idleReplicaCount if
// set, else minReplicaCount (executor/scale_scaledobjects.go
// scaleToZeroOrIdle).
func (so *ScaledObject) InactiveReplicas() (replicas int32, field string) {
	if so.IdleReplicaCount != nil {
		return *so.IdleReplicaCount, "idleReplicaCount"
	}
	return so.MinReplicas(), "minReplicaCount"
}

// MaxReplicas is spec.maxReplicaCount or 100
// (scaledobject_types.go GetHPAMaxReplicas).
func (so *ScaledObject) MaxReplicas() int32 {
	return orDefault(so.MaxReplicaCount, DefaultMaxReplicaCount)
}

// HPAMinReplicas is the generated HPA's minReplicas: minReplicaCount when it
// is above 0, otherwise 1 (scaledobject_types.go GetHPAMinReplicas).
func (so *ScaledObject) HPAMinReplicas() int32 {
	if so.MinReplicaCount != nil && *so.MinReplicaCount > 0 {
		return *so.MinReplicaCount
	}
	return 1
}

// HPAName is the generated HPA's name: the configured one or
// "keda-hpa-<name>" (controllers/keda/hpa.go getHPAName).
func (so *ScaledObject) HPAName() string {
	if so.Advanced != nil && so.Advanced.HorizontalPodAutoscalerConfig != nil && so.Advanced.HorizontalPodAutoscalerConfig.Name != "" {
		return so.Advanced.HorizontalPodAutoscalerConfig.Name
	}
	return "keda-hpa-" + so.Name
}

// FallbackBehavior is fallback.behavior with its CRD default "static".
func (so *ScaledObject) FallbackBehavior() string {
	if so.Fallback == nil || so.Fallback.Behavior == "" {
		return FallbackBehaviorStatic
	}
	return so.Fallback.Behavior
}

// UsingModifiers reports whether spec.advanced.scalingModifiers is set to
// anything (scaledobject_types.go IsUsingModifiers).
func (so *ScaledObject) UsingModifiers() bool {
	return so.Advanced != nil && so.Advanced.ScalingModifiers != nil && *so.Advanced.ScalingModifiers != (ScalingModifiers{})
}

// PollingIntervalRelevant reports whether KEDA's scale loop can change
// replicas or must refresh cached metrics: minReplicaCount 0, an
// idleReplicaCount, or a trigger with useCachedMetrics
// (scaledobject_types.go IsPollingIntervalRelevant, kedacore/keda#8031).
// Otherwise the HPA drives all scaling; from that change on, the loop then
// reuses the HPA's metric observations.
// UsesHPAObservations is scaledobject_types.go UsesHPAObservations
// (v2.21.0): with pollingInterval not relevant and no scalingModifiers,
// the scale loop reads the HPA's observations instead of the sources.
func (so *ScaledObject) UsesHPAObservations() bool {
	return !so.PollingIntervalRelevant() && !so.UsingModifiers()
}

func (so *ScaledObject) PollingIntervalRelevant() bool {
	if so.MinReplicas() == 0 || so.IdleReplicaCount != nil {
		return true
	}
	for _, t := range so.Triggers {
		if t.UseCachedMetrics {
			return true
		}
	}
	return false
}

// boolAnnotation is scaledobject_types.go getBoolAnnotation: present and
// not parseable as a bool counts as true.
func (so *ScaledObject) boolAnnotation(key string) bool {
	v, ok := so.Annotations[key]
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return true
	}
	return b
}

// Paused reports whether the scale loop is stopped and the HPA deleted:
// the paused-replicas annotation is present, or paused is true
// (scaledobject_types.go NeedToBePausedByAnnotation).
func (so *ScaledObject) Paused() bool {
	if _, ok := so.Annotations[PausedReplicasAnnotation]; ok {
		return true
	}
	return so.boolAnnotation(PausedAnnotation)
}

// PausedReplicas returns the paused-replicas annotation, nil when absent
// (scaledobject_types.go GetPausedReplicaCount).
func (so *ScaledObject) PausedReplicas() (*int32, error) {
	v, ok := so.Annotations[PausedReplicasAnnotation]
	if !ok {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("annotation %s must be an integer, got %q", PausedReplicasAnnotation, v)
	}
	c := int32(n)
	return &c, nil
}

// PausedScaleIn reports the paused-scale-in annotation.
func (so *ScaledObject) PausedScaleIn() bool { return so.boolAnnotation(PausedScaleInAnnotation) }

// PausedScaleOut reports the paused-scale-out annotation.
func (so *ScaledObject) PausedScaleOut() bool { return so.boolAnnotation(PausedScaleOutAnnotation) }

// ForceActivation reports the force-activation annotation.
func (so *ScaledObject) ForceActivation() bool { return so.boolAnnotation(ForceActivationAnnotation) }

// isResourceTrigger reports the cpu and memory triggers, which become
// Resource metrics of the HPA and never take part in activation.
func isResourceTrigger(t Trigger) bool { return t.Type == "cpu" || t.Type == "memory" }

// isKafkaTrigger reports the two Kafka scalers, which share their
// metadata and lag rules (kafka_scaler.go with sarama, apache_kafka_scaler.go
// with kafka-go).
func isKafkaTrigger(t Trigger) bool { return t.Type == "kafka" || t.Type == "apache-kafka" }

// triggerDisplayName is the trigger's name or, when unnamed, the scaler's
// Go type name upstream logs and events use (scale_handler.go
// getScalerState).
func triggerDisplayName(t Trigger) string {
	if t.Name != "" {
		return t.Name
	}
	switch t.Type {
	case "prometheus":
		return "prometheusScaler"
	case "cpu", "memory":
		return "cpuMemoryScaler"
	}
	return t.Type
}
