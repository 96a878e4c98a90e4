package kedaconformance

// Case is one Prometheus trigger and the answers its server gives to
// successive queries.
type Case struct {
	Seed int64 `json:"seed,omitempty"`
	// Version is the KEDA release, e.g. "2.20.2".
	Version string `json:"version"`
	// Metadata is the trigger metadata; serverAddress is filled in by the
	// upstream side with its local test server, and left as is here.
	Metadata   map[string]string `json:"metadata"`
	MetricType string            `json:"metricType,omitempty"`
	Answers    []Answer          `json:"answers"`
	// Loop, when set, makes this a scale loop case: the answer is a
	// LoopResult line.
	Loop *LoopCase `json:"loop,omitempty"`
}

// Answer is one HTTP answer of the Prometheus server.
type Answer struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// Result is what one side made of a case.
type Result struct {
	// Error is the scaler construction (metadata) error; nothing else is
	// filled then.
	Error string `json:"error,omitempty"`
	// TargetType and TargetMilli are the generated HPA's External target
	// as the HPA reads it (MilliValue).
	TargetType  string  `json:"targetType,omitempty"`
	TargetMilli int64   `json:"targetMilli,omitempty"`
	Queries     []Query `json:"queries,omitempty"`
}

// Query is the outcome of one GetMetricsAndActivity.
type Query struct {
	// Milli is the metric value as the HPA reads it, after the quantity
	// went through the external metrics API (JSON) and MilliValue.
	Milli  int64  `json:"milli"`
	Active bool   `json:"active"`
	Error  string `json:"error,omitempty"`
}

// LoopCase is a ScaledObject with Prometheus triggers driven through the
// scale loop and the HPA's metric requests: on the upstream side KEDA's
// own scale handler over a fake API server (checkScalers,
// getScaledObjectState, the executor's RequestScale, fallback,
// scalingModifiers, and GetScaledObjectMetrics, which the metrics server
// forwards to the operator over gRPC).
type LoopCase struct {
	Seed    int64  `json:"seed,omitempty"`
	Version string `json:"version"`
	// Replicas is the Deployment's spec.replicas when the case starts.
	Replicas              int32             `json:"replicas"`
	MinReplicaCount       *int32            `json:"minReplicaCount,omitempty"`
	MaxReplicaCount       *int32            `json:"maxReplicaCount,omitempty"`
	IdleReplicaCount      *int32            `json:"idleReplicaCount,omitempty"`
	CooldownPeriod        *int32            `json:"cooldownPeriod,omitempty"`
	InitialCooldownPeriod *int32            `json:"initialCooldownPeriod,omitempty"`
	Annotations           map[string]string `json:"annotations,omitempty"`
	Fallback              *LoopFallback     `json:"fallback,omitempty"`
	Modifiers             *LoopModifiers    `json:"scalingModifiers,omitempty"`
	Triggers              []LoopTrigger     `json:"triggers"`
	Steps                 []LoopStep        `json:"steps"`
}

// LoopFallback is spec.fallback.
type LoopFallback struct {
	FailureThreshold int32  `json:"failureThreshold"`
	Replicas         int32  `json:"replicas"`
	Behavior         string `json:"behavior,omitempty"`
}

// LoopModifiers is spec.advanced.scalingModifiers.
type LoopModifiers struct {
	Formula          string `json:"formula"`
	Target           string `json:"target"`
	ActivationTarget string `json:"activationTarget,omitempty"`
	MetricType       string `json:"metricType,omitempty"`
}

// LoopTrigger is one Prometheus trigger; its query is "q<index>".
type LoopTrigger struct {
	Name                string `json:"name,omitempty"`
	MetricType          string `json:"metricType,omitempty"`
	Threshold           string `json:"threshold"`
	ActivationThreshold string `json:"activationThreshold,omitempty"`
	UseCachedMetrics    bool   `json:"useCachedMetrics,omitempty"`
}

// LoopStep is one tick of the scale loop (HPA empty) or one request of the
// HPA for the External metric HPA, at At milliseconds after the
// ScaledObject's creation. Answers holds each trigger's Prometheus answer
// during the step.
type LoopStep struct {
	At      int64    `json:"at"`
	HPA     string   `json:"hpa,omitempty"`
	Answers []Answer `json:"answers"`
}

// LoopResult is what one side made of a LoopCase, step by step.
type LoopResult struct {
	// Error is a ScaledObject the side refuses to run.
	Error string           `json:"error,omitempty"`
	HPA   *GeneratedHPA    `json:"hpa,omitempty"`
	Steps []LoopStepResult `json:"steps,omitempty"`
}

// GeneratedHPA is the HPA generated for a LoopCase, as far as compared:
// name, replica bounds, metrics ("type name targetType milli", in order)
// and the selectPolicy of each direction.
type GeneratedHPA struct {
	Name      string   `json:"name"`
	Min       int32    `json:"min"`
	Max       int32    `json:"max"`
	Metrics   []string `json:"metrics"`
	ScaleUp   string   `json:"scaleUp,omitempty"`
	ScaleDown string   `json:"scaleDown,omitempty"`
}

// LoopStepResult is the state after one step.
type LoopStepResult struct {
	// Replicas is the Deployment's spec.replicas.
	Replicas int32 `json:"replicas"`
	// LastActiveTime is status.lastActiveTime in Unix seconds, 0 if unset.
	LastActiveTime int64 `json:"lastActiveTime,omitempty"`
	// Health is status.health as stored by the API server: failures and
	// status per metric name.
	Health map[string]string `json:"health,omitempty"`
	// Conditions are the Ready, Active and Fallback conditions as
	// "Status Reason".
	Ready    string `json:"ready,omitempty"`
	Active   string `json:"active,omitempty"`
	Fallback string `json:"fallback,omitempty"`
	// Metrics (milli-units as the HPA reads them) and Error answer an HPA
	// request.
	Metrics []int64 `json:"metrics,omitempty"`
	Error   string  `json:"error,omitempty"`
}
