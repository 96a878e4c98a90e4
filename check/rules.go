package check

// Rules describes every rule of Lint by its name, in one sentence (the
// short description of SARIF output and of the README's list).
var Rules = map[string]string{
	"zero-without-waker":         "minReplicaCount 0 with a trigger that reads nothing without the workload's own pods: nothing can wake it",
	"ignored-metadata":           "a trigger metadata key KEDA's scaler does not read",
	"empty-query":                "a query that selects no series at any point of the run: the simulation cannot answer",
	"not-simulated":              "a trigger type or input the simulator cannot run; the static rules still apply",
	"cooldown-without-zero":      "cooldownPeriod has no effect when the workload never scales to zero",
	"polling-does-not-pace-hpa":  "pollingInterval does not pace the HPA's scaling above zero replicas",
	"activation-above-threshold": "an activation threshold above the scaling threshold",
	"window-below-sync":          "a stabilization window shorter than the HPA sync period",
	"max-unreachable":            "maxReplicas is never reached under the scenario's load and policy",
	"metric-type":                "a metric type that does not match the query's aggregation",
	"keda-admission":             "a warning of KEDA's admission webhook",
}
