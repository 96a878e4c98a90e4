package hpaconformance

import "time"

// Epoch is the instant that every offset of a case counts from. Offsets
// are milliseconds, so a case is plain integers in JSON.
var Epoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// At turns a millisecond offset into an instant.
func At(ms int64) time.Time { return Epoch.Add(time.Duration(ms) * time.Millisecond) }

// Offset is the inverse of At.
func Offset(t time.Time) int64 { return t.Sub(Epoch).Milliseconds() }

// Case is one differential run: a release, its gates and controller
// flags, one HorizontalPodAutoscaler as a user writes it, and the
// observations of the API at each sync.
type Case struct {
	Seed int64 `json:"seed,omitempty"`
	// Version is the Kubernetes minor release, e.g. "1.37".
	Version    string     `json:"version"`
	Gates      Gates      `json:"gates,omitempty"`
	Controller Controller `json:"controller"`
	HPA        HPA        `json:"hpa"`
	Steps      []Step     `json:"steps"`
}

// Gates overrides the release's default feature gates; nil keeps the
// default.
type Gates struct {
	ScaleToZero           *bool `json:"HPAScaleToZero,omitempty"`
	ConfigurableTolerance *bool `json:"HPAConfigurableTolerance,omitempty"`
	PodLevelResources     *bool `json:"PodLevelResources,omitempty"`
}

// Controller holds the kube-controller-manager HPA flags.
type Controller struct {
	Tolerance                     float64 `json:"tolerance"`
	DownscaleStabilizationSeconds int64   `json:"downscaleStabilizationSeconds"`
	CPUInitializationSeconds      int64   `json:"cpuInitializationSeconds"`
	InitialReadinessDelaySeconds  int64   `json:"initialReadinessDelaySeconds"`
}

// HPA is the autoscaling/v2 spec as written, before API defaulting. The
// scale target is always Deployment "app" and the object is "hpa" in
// namespace "ns".
type HPA struct {
	MinReplicas *int32    `json:"minReplicas,omitempty"`
	MaxReplicas int32     `json:"maxReplicas"`
	Metrics     []Metric  `json:"metrics,omitempty"`
	Behavior    *Behavior `json:"behavior,omitempty"`
}

// Metric is one entry of spec.metrics, flattened: Name is the resource
// name for Resource and ContainerResource and the metric name otherwise.
type Metric struct {
	Type      string     `json:"type"`
	Name      string     `json:"name"`
	Container string     `json:"container,omitempty"`
	Selector  *Selector  `json:"selector,omitempty"`
	Object    *ObjectRef `json:"object,omitempty"`
	Target    Target     `json:"target"`
}

// Selector is a metav1.LabelSelector.
type Selector struct {
	MatchLabels      map[string]string `json:"matchLabels,omitempty"`
	MatchExpressions []Requirement     `json:"matchExpressions,omitempty"`
}

// Requirement is a metav1.LabelSelectorRequirement.
type Requirement struct {
	Key      string   `json:"key"`
	Operator string   `json:"operator"`
	Values   []string `json:"values,omitempty"`
}

// ObjectRef is the described object of an Object metric.
type ObjectRef struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	APIVersion string `json:"apiVersion,omitempty"`
}

// Target is a metric target; quantities are milli-units.
type Target struct {
	Type               string `json:"type"`
	Value              *int64 `json:"valueMilli,omitempty"`
	AverageValue       *int64 `json:"averageValueMilli,omitempty"`
	AverageUtilization *int32 `json:"averageUtilization,omitempty"`
}

// Behavior is spec.behavior.
type Behavior struct {
	ScaleUp   *Rules `json:"scaleUp,omitempty"`
	ScaleDown *Rules `json:"scaleDown,omitempty"`
}

// Rules is one direction of spec.behavior. A nil Policies list is left
// to API defaulting; an empty one is written as [].
type Rules struct {
	StabilizationWindowSeconds *int32   `json:"stabilizationWindowSeconds,omitempty"`
	SelectPolicy               *string  `json:"selectPolicy,omitempty"`
	Policies                   []Policy `json:"policies"`
	// Tolerance is a quantity string, e.g. "0.05" or "50m".
	Tolerance *string `json:"tolerance,omitempty"`
}

// Policy is one scaling policy.
type Policy struct {
	Type          string `json:"type"`
	Value         int32  `json:"value"`
	PeriodSeconds int32  `json:"periodSeconds"`
}

// Step is what the API returns at one sync.
type Step struct {
	At int64 `json:"at"`
	// Restart starts a new controller before this sync: its memory of
	// recommendations and scale events is lost, the HPA status stays.
	Restart        bool  `json:"restart,omitempty"`
	SpecReplicas   int32 `json:"specReplicas"`
	StatusReplicas int32 `json:"statusReplicas"`
	Pods           []Pod `json:"pods,omitempty"`
	// Resources is the metrics.k8s.io answer, shared by every Resource and
	// ContainerResource metric, as one metrics server serves them all.
	Resources *Data `json:"resources,omitempty"`
	// Metrics holds the answers for the other metrics, by spec index
	// (entries of resource metrics stay empty).
	Metrics []Data `json:"metrics,omitempty"`
}

// Pod is one pod selected by the scale target.
type Pod struct {
	Name           string      `json:"name"`
	Phase          string      `json:"phase"`
	Deleting       bool        `json:"deleting,omitempty"`
	StartAt        *int64      `json:"startAt,omitempty"`
	Ready          *Ready      `json:"ready,omitempty"`
	Containers     []Container `json:"containers,omitempty"`
	InitContainers []Container `json:"initContainers,omitempty"`
	// PodRequests is pod-level spec.resources.requests in milli-units.
	PodRequests map[string]int64 `json:"podRequests,omitempty"`
}

// Ready is the pod's Ready condition; Status is True, False or Unknown.
type Ready struct {
	Status string `json:"status"`
	At     int64  `json:"at"`
}

// Container is one container of a pod spec; Requests are milli-units.
type Container struct {
	Name     string           `json:"name"`
	Requests map[string]int64 `json:"requests,omitempty"`
	// Sidecar marks an init container with restartPolicy Always.
	Sidecar bool `json:"sidecar,omitempty"`
}

// Data is what the metrics APIs return for the spec metric of the same
// index.
type Data struct {
	// Error makes the metrics API call fail with this message.
	Error        string        `json:"error,omitempty"`
	PodResources []PodResource `json:"podResources,omitempty"`
	PodValues    []PodValue    `json:"podValues,omitempty"`
	// Values are the Object value (exactly one is well formed) or the
	// External samples, milli-units.
	Values []int64 `json:"values,omitempty"`
}

// PodResource is one metrics.k8s.io PodMetrics item.
type PodResource struct {
	Pod           string           `json:"pod"`
	At            int64            `json:"at"`
	WindowSeconds int64            `json:"windowSeconds"`
	Containers    []ContainerUsage `json:"containers,omitempty"`
}

// ContainerUsage is one container of a PodMetrics item, milli-units.
type ContainerUsage struct {
	Name  string           `json:"name"`
	Usage map[string]int64 `json:"usage,omitempty"`
}

// PodValue is one custom.metrics.k8s.io value of a pod.
type PodValue struct {
	Pod           string `json:"pod"`
	Value         int64  `json:"valueMilli"`
	At            int64  `json:"at"`
	WindowSeconds *int64 `json:"windowSeconds,omitempty"`
}

// Result is what one side did with a case.
type Result struct {
	// Invalid is the API server's answer when the HPA cannot be created;
	// no sync runs then.
	Invalid []string      `json:"invalid,omitempty"`
	Steps   []Observation `json:"steps,omitempty"`
}

// Observation is everything a sync leaves behind.
type Observation struct {
	// Scaled is the replica count written to the scale subresource.
	Scaled     *int32      `json:"scaled,omitempty"`
	Error      string      `json:"error,omitempty"`
	Events     []string    `json:"events,omitempty"`
	Conditions []Condition `json:"conditions,omitempty"`
	Status     Status      `json:"status"`
	// Recommendations and the scale events are the controller's memory
	// that can still count at a later sync, sorted.
	Recommendations []Recommendation `json:"recommendations,omitempty"`
	ScaleUpEvents   []ScaleEvent     `json:"scaleUpEvents,omitempty"`
	ScaleDownEvents []ScaleEvent     `json:"scaleDownEvents,omitempty"`
}

// Condition is one HPA status condition; Since is its transition offset.
type Condition struct {
	Type    string `json:"type"`
	Status  string `json:"status"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
	Since   int64  `json:"since"`
}

// Status is the HPA status the sync leaves.
type Status struct {
	CurrentReplicas int32          `json:"currentReplicas"`
	DesiredReplicas int32          `json:"desiredReplicas"`
	LastScaleAt     *int64         `json:"lastScaleAt,omitempty"`
	Metrics         []MetricStatus `json:"metrics,omitempty"`
}

// MetricStatus is one entry of status.currentMetrics; an empty Type is a
// metric that could not be computed.
type MetricStatus struct {
	Type         string `json:"type,omitempty"`
	Utilization  *int32 `json:"utilization,omitempty"`
	AverageValue *int64 `json:"averageValueMilli,omitempty"`
	Value        *int64 `json:"valueMilli,omitempty"`
}

// Recommendation is one stored raw recommendation.
type Recommendation struct {
	Replicas int32 `json:"replicas"`
	At       int64 `json:"at"`
}

// ScaleEvent is one stored scale change.
type ScaleEvent struct {
	Change int32 `json:"change"`
	At     int64 `json:"at"`
}
