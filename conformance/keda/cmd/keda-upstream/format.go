package main

// The exchange format of internal/kedaconformance (case.go), copied: the
// two programs cannot share a package because KEDA pins Kubernetes
// libraries the main module cannot use.

// Case is one Prometheus trigger and its server's answers.
type Case struct {
	Seed       int64             `json:"seed,omitempty"`
	Version    string            `json:"version"`
	Metadata   map[string]string `json:"metadata"`
	MetricType string            `json:"metricType,omitempty"`
	Answers    []Answer          `json:"answers"`
	// Loop, when set, makes this a scale loop case: the answer is a
	// LoopResult line.
	Loop *LoopCase `json:"loop,omitempty"`
}

// Answer is one HTTP answer.
type Answer struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// Result is what the scaler made of a case.
type Result struct {
	Error       string  `json:"error,omitempty"`
	TargetType  string  `json:"targetType,omitempty"`
	TargetMilli int64   `json:"targetMilli,omitempty"`
	Queries     []Query `json:"queries,omitempty"`
}

// Query is one GetMetricsAndActivity.
type Query struct {
	Milli  int64  `json:"milli"`
	Active bool   `json:"active"`
	Error  string `json:"error,omitempty"`
}

// LoopCase is a ScaledObject driven through the scale loop and the
// metrics server.
type LoopCase struct {
	Seed                  int64             `json:"seed,omitempty"`
	Version               string            `json:"version"`
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

// LoopStep is one scale loop tick or HPA request.
type LoopStep struct {
	At      int64    `json:"at"`
	HPA     string   `json:"hpa,omitempty"`
	Answers []Answer `json:"answers"`
}

// LoopResult is the state after every step.
type LoopResult struct {
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
	Replicas       int32             `json:"replicas"`
	LastActiveTime int64             `json:"lastActiveTime,omitempty"`
	Health         map[string]string `json:"health,omitempty"`
	Ready          string            `json:"ready,omitempty"`
	Active         string            `json:"active,omitempty"`
	Fallback       string            `json:"fallback,omitempty"`
	Metrics        []int64           `json:"metrics,omitempty"`
	Error          string            `json:"error,omitempty"`
}
