package sim

// Setting is one value the run uses and where it came from, so that a
// reader can tell a value read from their manifests from one the scenario
// set or a default (shown in the timeline header, explain and the JSON
// trace).
type Setting struct {
	// Name says what the value is, e.g. "initial replicas".
	Name string
	// Value is the value as the run uses it, e.g. "3" or "15s".
	Value string
	// Source says where it came from, e.g. "Deployment/demo spec.replicas
	// (deploy.yaml:8)", "scenario spec.workload.podStartup" or "default".
	Source string
	// Note explains a choice, e.g. that the scenario's value wins over the
	// manifest's.
	Note string
}

// Assumption is a default the run relies on that may flatter the result,
// with how to replace it by a real value.
type Assumption struct {
	Message string
	Hint    string
}
