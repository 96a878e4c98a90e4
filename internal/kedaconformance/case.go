// Package kedaconformance holds the model side of the differential runs
// against KEDA (conformance/keda): the case format both sides read, the
// random cases, the run through the keda package and the comparison.
//
// KEDA pins its own Kubernetes libraries, which cannot share a build with
// this module's, so the two sides run as separate programs and exchange
// cases and results as JSON lines; conformance/keda keeps its own copy of
// the format, which must stay in step with this one.
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
