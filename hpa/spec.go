package hpa

// The types in this file mirror autoscaling/v2 HorizontalPodAutoscalerSpec
// field by field (k8s.io/api/autoscaling/v2/types.go), so that a reader can
// grep upstream for any name. Quantities are already converted to
// milli-units with Quantity.MilliValue (a ceiling), exactly as the upstream
// replica calculator reads them; the scenarios package does that conversion.

// MetricSourceType names the kind of a metric (spec.metrics[].type).
type MetricSourceType string

// The metric source types of autoscaling/v2.
const (
	ObjectMetricSourceType            MetricSourceType = "Object"
	PodsMetricSourceType              MetricSourceType = "Pods"
	ResourceMetricSourceType          MetricSourceType = "Resource"
	ContainerResourceMetricSourceType MetricSourceType = "ContainerResource"
	ExternalMetricSourceType          MetricSourceType = "External"
)

// MetricTargetType names the kind of a target (target.type).
type MetricTargetType string

// The target types of autoscaling/v2.
const (
	UtilizationMetricType  MetricTargetType = "Utilization"
	ValueMetricType        MetricTargetType = "Value"
	AverageValueMetricType MetricTargetType = "AverageValue"
)

// MetricTarget is target of a metric. Exactly the fields that the type needs
// are set; nil means absent (upstream uses pointers the same way).
type MetricTarget struct {
	Type MetricTargetType
	// ValueMilli is target.value in milli-units.
	ValueMilli *int64
	// AverageValueMilli is target.averageValue in milli-units.
	AverageValueMilli *int64
	// AverageUtilization is target.averageUtilization in percent of request.
	AverageUtilization *int32
}

// CrossVersionObjectReference identifies the object of an Object metric.
type CrossVersionObjectReference struct {
	Kind       string
	Name       string
	APIVersion string
}

// MetricSpec is one entry of spec.metrics.
type MetricSpec struct {
	Type MetricSourceType
	// Name is the metric name (Pods, Object, External: metric.name) or the
	// resource name (Resource, ContainerResource: name, e.g. "cpu").
	Name string
	// Selector is metric.selector in its string form (Pods, Object, External);
	// empty when unset.
	Selector string
	// Container is the container name of a ContainerResource metric.
	Container string
	// DescribedObject is the object of an Object metric.
	DescribedObject CrossVersionObjectReference
	Target          MetricTarget
}

// ScalingPolicyType is the type of a scaling policy.
type ScalingPolicyType string

// The scaling policy types of autoscaling/v2.
const (
	PodsScalingPolicy    ScalingPolicyType = "Pods"
	PercentScalingPolicy ScalingPolicyType = "Percent"
)

// ScalingPolicySelect is behavior.scaleUp/scaleDown.selectPolicy.
type ScalingPolicySelect string

// The policy selections of autoscaling/v2.
const (
	MaxChangePolicySelect ScalingPolicySelect = "Max"
	MinChangePolicySelect ScalingPolicySelect = "Min"
	DisabledPolicySelect  ScalingPolicySelect = "Disabled"
)

// ScalingPolicy is one rate limit: at most Value pods (or percent) of change
// over PeriodSeconds.
type ScalingPolicy struct {
	Type          ScalingPolicyType
	Value         int32
	PeriodSeconds int32
}

// ScalingRules is behavior.scaleUp or behavior.scaleDown.
type ScalingRules struct {
	StabilizationWindowSeconds *int32
	SelectPolicy               *ScalingPolicySelect
	Policies                   []ScalingPolicy
	// Tolerance is the per-direction tolerance (HPAConfigurableTolerance,
	// Kubernetes 1.33+); nil when unset.
	Tolerance *float64
}

// Behavior is spec.behavior. A nil *Behavior selects the legacy
// normalization path, as upstream does.
type Behavior struct {
	ScaleUp   *ScalingRules
	ScaleDown *ScalingRules
}

// Spec is a HorizontalPodAutoscaler spec plus the object name that appears
// in events.
type Spec struct {
	Name string
	// Namespace is metadata.namespace; "" means "default". It appears in
	// metric error messages.
	Namespace string
	// ScaleTargetRef names the scaled workload; it appears in reconcile
	// error messages. An empty Kind reads as Deployment and an empty Name
	// as the HPA name.
	ScaleTargetRef CrossVersionObjectReference
	// MinReplicas is spec.minReplicas; nil means 1, as API defaulting does.
	MinReplicas *int32
	MaxReplicas int32
	Metrics     []MetricSpec
	Behavior    *Behavior
}
