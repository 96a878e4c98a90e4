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
