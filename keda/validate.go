package keda

import (
	"fmt"
	"slices"
	"strconv"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/internal/closest"
)

// maxLabelLength is the Kubernetes label value limit; the ScaledObject name
// is a label value and the HPA name a DNS-1123 label
// (scaledobject_webhook.go maxK8sLabelValueLength).
const maxLabelLength = 63

// Validate reports everything the KEDA CRD schema, the admission webhook
// and the scaler builders of DefaultVersion reject, as field errors. It
// returns all errors, not only the first.
func (so *ScaledObject) Validate() []FieldError {
	errs, _ := so.ValidateVersion(DefaultVersion)
	return errs
}

// ValidateVersion is Validate for a given KEDA version; the error is only
// for an unknown version.
//
// Sources: the kubebuilder markers of scaledobject_types.go and
// scaletriggers_types.go (CRD schema), scaledobject_webhook.go
// validateWorkload (verifyName, verifyReplicaCount, verifyFallback,
// verifyTriggers, verifyScaledObjects, verifyCPUMemoryScalers), and the
// scaler constructors that fail when the operator builds the ScaledObject
// (prometheus_scaler.go NewPrometheusScaler, cpu_memory_scaler.go
// parseResourceMetadata) plus the HPA API validation the generated HPA
// must pass. The CRD minimums are enforced for every version although
// they were added to the CRD in v2.20.0 (#7533): before that the API
// server accepted, for example, pollingInterval 0, which the simulation
// cannot run. Checks that need a live cluster (other ScaledObjects or HPAs
// on the same target, container resource requests) are not made.
func (so *ScaledObject) ValidateVersion(version string) ([]FieldError, error) {
	_, f, err := lookupVersion(version)
	if err != nil {
		return nil, err
	}
	var errs []FieldError
	add := func(path, format string, args ...any) {
		errs = append(errs, FieldError{path, fmt.Sprintf(format, args...)})
	}

	// verifyName (v2.20.0+).
	if so.Name == "" {
		add("metadata.name", "is required")
	} else if f.nameLength {
		if len(so.Name) > maxLabelLength {
			add("metadata.name", "must be no more than %d characters because it is used as the %s label value, got %d", maxLabelLength, ScaledObjectOwnerLabel, len(so.Name))
		}
		if n := so.HPAName(); len(n) > maxLabelLength && len(so.Name) <= maxLabelLength {
			add("spec.advanced.horizontalPodAutoscalerConfig.name", "the HPA name %q is %d characters long; must be no more than %d: set a shorter name here or shorten the ScaledObject name", n, len(n), maxLabelLength)
		}
	}
	if _, err := so.PausedReplicas(); err != nil {
		add("metadata.annotations["+PausedReplicasAnnotation+"]", "must be an integer, got %q", so.Annotations[PausedReplicasAnnotation])
	}

	// CRD schema (kubebuilder markers).
	if so.ScaleTargetRef.Name == "" {
		add("spec.scaleTargetRef.name", "is required")
	}
	minimum := func(path string, p *int32, lo int32) {
		if p != nil && *p < lo {
			add(path, "must be greater than or equal to %d, got %d", lo, *p)
		}
	}
	minimum("spec.pollingInterval", so.PollingInterval, 1)
	minimum("spec.initialCooldownPeriod", so.InitialCooldownPeriod, 0)
	minimum("spec.cooldownPeriod", so.CooldownPeriod, 0)
	minimum("spec.idleReplicaCount", so.IdleReplicaCount, 0)
	minimum("spec.minReplicaCount", so.MinReplicaCount, 0)
	minimum("spec.maxReplicaCount", so.MaxReplicaCount, 1)

	// CEL rule on the spec and CheckReplicaCountBoundsAreValid. Before
	// v2.20.0 the webhook admitted wrong bounds and every reconcile failed
	// with Ready=False, so the ScaledObject never scaled: an error either
	// way, worded as the release words it.
	bounds := func(path, format string, args ...any) {
		if !f.replicaBoundsAtAdmission {
			format = "KEDA admits it, but every reconcile fails (Ready=False ScaledObjectCheckFailed: ScaledObject doesn't have correct Idle/Min/Max Replica Counts specification), so the ScaledObject never scales: " + format
		}
		add(path, format, args...)
	}
	if so.MinReplicaCount != nil && *so.MinReplicaCount > so.MaxReplicas() {
		bounds("spec.minReplicaCount", "must be less than or equal to maxReplicaCount (%d), got %d", so.MaxReplicas(), *so.MinReplicaCount)
	}
	if so.IdleReplicaCount != nil {
		// The webhook compares against the HPA's minReplicas (1 for an
		// explicit minReplicaCount 0) and against 0 when minReplicaCount is
		// unset, so idleReplicaCount 0 with minReplicaCount 0 passes.
		webhookMin := int32(0)
		if so.MinReplicaCount != nil {
			webhookMin = so.HPAMinReplicas()
		}
		if *so.IdleReplicaCount >= webhookMin {
			bounds("spec.idleReplicaCount", "must be less than minReplicaCount (%d), got %d", webhookMin, *so.IdleReplicaCount)
		}
	}

	// Fallback: CRD minimums and enum, CheckFallbackValid (v2.17.0+:
	// before, verifyFallback admitted anything and an invalid fallback was
	// off at run time; fallback.behavior did not exist).
	if fb := so.Fallback; fb != nil && f.fallbackAdmission {
		if fb.FailureThreshold < 0 {
			add("spec.fallback.failureThreshold", "must be greater than or equal to 0, got %d", fb.FailureThreshold)
		}
		if fb.Replicas < 0 {
			add("spec.fallback.replicas", "must be greater than or equal to 0, got %d", fb.Replicas)
		}
		switch fb.Behavior {
		case "", FallbackBehaviorStatic, FallbackBehaviorCurrentReplicas, FallbackBehaviorCurrentReplicasIfHigher, FallbackBehaviorCurrentReplicasIfLower:
		case FallbackBehaviorScalingModifiers:
			if !f.fallbackScalingModifiers {
				add("spec.fallback.behavior", "scalingModifiers is not available before KEDA v2.20.0")
			} else if !so.UsingModifiers() || so.Advanced.ScalingModifiers.Formula == "" {
				// verifyScaledObjects
				add("spec.fallback.behavior", "scalingModifiers requires spec.advanced.scalingModifiers.formula")
			}
		default:
			add("spec.fallback.behavior", "must be one of static, currentReplicas, currentReplicasIfHigher, currentReplicasIfLower, scalingModifiers, got %q", fb.Behavior)
		}
		if !so.UsingModifiers() {
			ok := false
			for _, t := range so.Triggers {
				if !isResourceTrigger(t) {
					ok = true
					break
				}
			}
			if !ok && len(so.Triggers) > 0 {
				add("spec.fallback", "needs at least one trigger that is not cpu or memory")
			}
		}
	}

	// ValidateTriggers and the CRD's MinItems.
	if len(so.Triggers) == 0 {
		add("spec.triggers", "must have at least one trigger")
	}
	names := map[string]int{}
	onlyResource := len(so.Triggers) > 0
	for i, t := range so.Triggers {
		p := fmt.Sprintf("spec.triggers[%d]", i)
		if !isResourceTrigger(t) {
			onlyResource = false
		}
		if t.UseCachedMetrics && (isResourceTrigger(t) || t.Type == "cron") {
			add(p+".useCachedMetrics", "is not supported for %q triggers", t.Type)
		}
		if t.Name != "" {
			if j, dup := names[t.Name]; dup {
				add(p+".name", "%q is already the name of spec.triggers[%d]; trigger names must be unique", t.Name, j)
			} else {
				names[t.Name] = i
			}
		}
		if t.AuthenticationRef != nil {
			switch t.AuthenticationRef.Kind {
			case "", "TriggerAuthentication", "ClusterTriggerAuthentication":
			default:
				add(p+".authenticationRef.kind", "must be TriggerAuthentication or ClusterTriggerAuthentication, got %q", t.AuthenticationRef.Kind)
			}
		}
		vt := t
		if so.UsingModifiers() && vt.MetricType != "Utilization" {
			// Under scalingModifiers the HPA gets the composite metric
			// only (controllers/keda/hpa.go getScaledObjectMetricSpecs):
			// a trigger's metricType never reaches the HPA API, and only
			// Utilization fails, in the scaler (scaler.go
			// GetMetricTargetType).
			vt.MetricType = ""
		}
		errs = append(errs, validateTrigger(p, vt, f)...)
	}

	// verifyCPUMemoryScalers: with only cpu/memory triggers KEDA could never
	// scale back from 0.
	if onlyResource && so.MinReplicas() == 0 {
		add("spec.minReplicaCount", "must be at least 1 when every trigger is cpu or memory (scale to zero cannot work without another trigger)")
	}

	// verifyScaledObjects: scalingModifiers.
	if so.UsingModifiers() {
		sm := so.Advanced.ScalingModifiers
		switch sm.MetricType {
		case "", "AverageValue", "Value", "Utilization":
		default:
			add("spec.advanced.scalingModifiers.metricType", "must be AverageValue or Value, got %q", sm.MetricType)
		}
		_, ferrs := compileFormula(so)
		errs = append(errs, ferrs...)
		// controllers/keda/hpa.go writes the composite target as
		// NewMilliQuantity(int64(target*1000)): a target below 0.001 the
		// webhook accepts becomes 0, and the API server refuses the HPA.
		if t, err := strconv.ParseFloat(sm.Target, 64); err == nil && t > 0 && milliTrunc(t) <= 0 && len(ferrs) == 0 {
			h := buildHPA(so, f)
			for i, m := range h.Metrics {
				if m.Name != CompositeMetricName {
					continue
				}
				field := "averageValue"
				if m.Target.Type == hpa.ValueMetricType {
					field = "value"
				}
				add("spec.advanced.scalingModifiers.target", "%q makes the generated HPA invalid: HorizontalPodAutoscaler.autoscaling %q is invalid: spec.metrics[%d].external.target.%s: Invalid value: %q: must be positive",
					sm.Target, h.Name, i, field, milliQuantityString(milliTrunc(t)))
			}
		}
	}
	return errs, nil
}

// milliQuantityString renders a milli value as the canonical quantity
// string, e.g. "0" or "250m".
func milliQuantityString(m int64) string {
	return resource.NewMilliQuantity(m, resource.DecimalSI).String()
}

// validateTrigger checks what the scaler constructor and the HPA API would
// reject for one trigger.
func validateTrigger(p string, t Trigger, f features) []FieldError {
	var errs []FieldError
	switch t.Type {
	case "":
		return []FieldError{{p + ".type", "is required"}}
	case "cpu", "memory":
		_, rerrs := ParseResourceTrigger(t)
		for _, e := range rerrs {
			errs = append(errs, FieldError{p + "." + e.Path, e.Message})
		}
	case "prometheus":
		switch t.MetricType {
		case "", "AverageValue", "Value":
		case "Utilization":
			// scaler.go ErrScalerUnsupportedUtilizationMetricType
			errs = append(errs, FieldError{p + ".metricType", "'Utilization' metric type is unsupported for external metrics, allowed values are 'Value' or 'AverageValue'"})
		default:
			errs = append(errs, FieldError{p + ".metricType", fmt.Sprintf("must be AverageValue or Value, got %q", t.MetricType)})
		}
		pt, perrs := ParsePrometheusTrigger(t.Metadata)
		for _, e := range perrs {
			errs = append(errs, FieldError{p + ".metadata." + e.Path, e.Message})
		}
		// The HPA API requires a positive target quantity.
		if pt != nil && !targetPositive(f, pt.Threshold) {
			v, _ := metaValue(t.Metadata, "threshold")
			errs = append(errs, FieldError{p + ".metadata.threshold", fmt.Sprintf("must be a number greater than 0 (at least 0.001), got %q", v)})
		}
	case "cron":
		switch t.MetricType {
		case "", "AverageValue", "Value":
		default:
			errs = append(errs, FieldError{p + ".metricType", fmt.Sprintf("must be AverageValue or Value, got %q", t.MetricType)})
		}
		_, cerrs := ParseCronTrigger(t.Metadata, !f.cronDesiredPositive)
		for _, e := range cerrs {
			errs = append(errs, FieldError{p + ".metadata." + e.Path, e.Message})
		}
	case "kafka", "apache-kafka":
		switch t.MetricType {
		case "", "AverageValue", "Value":
		default:
			errs = append(errs, FieldError{p + ".metricType", fmt.Sprintf("must be AverageValue or Value, got %q", t.MetricType)})
		}
		_, kerrs := ParseKafkaTrigger(t.Metadata)
		for _, e := range kerrs {
			errs = append(errs, FieldError{p + ".metadata." + e.Path, "error parsing kafka metadata: " + e.Message})
		}
	default:
		// KEDA admits a trigger of any type it has a scaler for; the
		// simulator reports those it cannot run when it runs. A type KEDA
		// does not know fails when the operator builds the scalers.
		if !slices.Contains(ScalerTypes, t.Type) {
			msg := fmt.Sprintf("no scaler found for type: %s (KEDA's reconcile fails and the ScaledObject never becomes Ready)", t.Type)
			if c, ok := closest.Match(t.Type, ScalerTypes); ok {
				msg += fmt.Sprintf("; did you mean %s?", c)
			}
			errs = append(errs, FieldError{p + ".type", msg})
		}
	}
	return errs
}

// ScalerTypes are the trigger types KEDA builds a scaler for
// (pkg/scaling/scalers_builder.go buildScaler).
var ScalerTypes = []string{
	"activemq", "apache-kafka", "arangodb", "artemis-queue", "aws-cloudwatch", "aws-dynamodb", "aws-dynamodb-streams",
	"aws-kinesis-stream", "aws-sqs-queue", "azure-app-insights", "azure-blob", "azure-data-explorer", "azure-eventhub",
	"azure-log-analytics", "azure-monitor", "azure-pipelines", "azure-queue", "azure-servicebus", "beanstalkd",
	"cassandra", "couchdb", "cpu", "cron", "datadog", "dynatrace", "elasticsearch", "etcd", "external", "external-push",
	"forgejo-runner", "gcp-cloudtasks", "gcp-pubsub", "gcp-stackdriver", "gcp-storage", "github-runner", "graphite",
	"huawei-cloudeye", "ibmmq", "influxdb", "kafka", "kubernetes-resource", "kubernetes-workload", "liiklus", "loki",
	"memory", "metrics-api", "mongodb", "mssql", "mysql", "nats-jetstream", "new-relic", "nsq", "openstack-metric",
	"openstack-swift", "postgresql", "predictkube", "prometheus", "pulsar", "rabbitmq", "redis", "redis-cluster",
	"redis-cluster-streams", "redis-sentinel", "redis-sentinel-streams", "redis-streams", "selenium-grid",
	"solace-event-queue", "solr", "splunk", "splunk-observability", "stan", "sumologic", "temporal",
}

// Warnings returns the admission warnings of the webhook
// (scaledobject_webhook.go verifyScaledObjects, v2.20.0+): pollingInterval
// or cooldownPeriod set where they have no effect.
func (so *ScaledObject) Warnings(version string) ([]string, error) {
	v, f, err := lookupVersion(version)
	if err != nil {
		return nil, err
	}
	if !f.nameLength { // the warnings arrived with the same release
		return nil, nil
	}
	var out []string
	cached := false
	for _, t := range so.Triggers {
		cached = cached || t.UseCachedMetrics
	}
	idleNotZero := so.IdleReplicaCount == nil || *so.IdleReplicaCount != 0
	relevantWarn := so.MinReplicas() > 0 && idleNotZero && !cached
	if v == DevVersion {
		// #7984/#8031: idle mode of any value keeps both settings relevant.
		relevantWarn = !so.PollingIntervalRelevant()
	}
	pollMsg := "PollingInterval is configured but is not relevant. PollingInterval is only relevant when minReplicaCount = 0 or idleReplicaCount = 0 or useCachedMetrics is enabled"
	coolMsg := "CooldownPeriod is configured but is not relevant. CooldownPeriod is only relevant when minReplicaCount = 0 or idleReplicaCount = 0"
	coolWarn := so.MinReplicas() > 0 && idleNotZero
	if v == DevVersion || f.releasedWarnings {
		pollMsg = "PollingInterval is configured but is not relevant. PollingInterval is only relevant when minReplicaCount = 0, idleReplicaCount is set, or useCachedMetrics is enabled"
		coolMsg = "CooldownPeriod is configured but is not relevant. CooldownPeriod is only relevant when minReplicaCount = 0 or idleReplicaCount is set"
		coolWarn = so.MinReplicas() > 0 && so.IdleReplicaCount == nil
	}
	if f.releasedWarnings {
		// scaledobject_webhook.go verifyScaledObjects: raised exactly when
		// the scale loop reuses the HPA's observations.
		relevantWarn = so.UsesHPAObservations()
		pollMsg = "PollingInterval is configured but is not relevant for scaling. It only affects scaling when minReplicaCount = 0, idleReplicaCount is set, or useCachedMetrics is enabled, but it still controls how often KEDA refreshes the ScaledObject status conditions and events"
	}
	if so.PollingInterval != nil && relevantWarn {
		out = append(out, pollMsg)
	}
	if so.CooldownPeriod != nil && coolWarn {
		out = append(out, coolMsg)
	}
	return out, nil
}
