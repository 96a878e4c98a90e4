package hpa

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ReplicaCalculator proposes a replica count for one metric, mirroring
// pkg/controller/podautoscaler/replica_calculator.go. It is a value: Now is
// the instant the pod readiness rules compare against.
type ReplicaCalculator struct {
	Now                     time.Time
	Tolerances              Tolerances
	CPUInitializationPeriod time.Duration
	InitialReadinessDelay   time.Duration
	PodLevelResources       bool
	// KubernetesMinor selects release-dependent arithmetic and texts, as
	// Config.KubernetesMinor (0: the newest modelled release).
	KubernetesMinor int
}

func (c ReplicaCalculator) minor() int { return Config{KubernetesMinor: c.KubernetesMinor}.minor() }

// Proposal is one metric's replica proposal plus what the controller
// reports in status.currentMetrics.
type Proposal struct {
	Replicas int32
	// UsageRatio is the first-pass usage ratio (before any rebalancing of
	// missing or unready pods).
	UsageRatio float64
	// Utilization is the reported averageUtilization (Utilization targets).
	Utilization *int32
	// AverageValueMilli is the reported averageValue, milli-units.
	AverageValueMilli *int64
	// ValueMilli is the reported value (Object/External Value), milli-units.
	ValueMilli *int64
	// Groups is the pod classification (Resource, ContainerResource, Pods).
	Groups *PodGroups
	// ReadyPods is the Running and Ready pod count that multiplies the
	// ratio of Object and External Value targets.
	ReadyPods *int64
}

var errNoPods = errors.New("no pods returned by selector while calculating replica count")

func (c ReplicaCalculator) group(pods []Pod, metrics PodMetrics, resource string) PodGroups {
	return GroupPods(c.Now, pods, metrics, resource, c.CPUInitializationPeriod, c.InitialReadinessDelay)
}

// ResourceReplicas handles Resource and ContainerResource metrics with a
// Utilization target (GetResourceReplicas). container is "" for Resource.
func (c ReplicaCalculator) ResourceReplicas(currentReplicas, targetUtilization int32, resource, container string, in MetricInput, pods []Pod) (Proposal, error) {
	metrics, err := fetchResource(in, resource, container)
	if err != nil {
		return Proposal{}, fmt.Errorf("unable to get metrics for resource %s: %v", resource, err)
	}
	if len(pods) == 0 {
		return Proposal{}, errNoPods
	}
	g := c.group(pods, metrics, resource)
	removePods(metrics, g.Ignored)
	removePods(metrics, g.Unready)
	if len(metrics) == 0 {
		return Proposal{}, errors.New("did not receive metrics for targeted pods (pods might be unready)")
	}
	// Requests of every listed pod, as upstream: one pod without a request
	// fails the metric even when its sample is not used.
	requests, err := c.calculateRequests(pods, container, resource)
	if err != nil {
		return Proposal{}, err
	}
	ratio, util, raw, err := ResourceUtilizationRatio(metrics, requests, targetUtilization)
	if err != nil {
		return Proposal{}, err
	}
	p := Proposal{UsageRatio: ratio, Utilization: &util, AverageValueMilli: &raw, Groups: &g}

	scaleUpWithUnready := len(g.Unready) > 0 && ratio > 1.0
	if !scaleUpWithUnready && len(g.Missing) == 0 {
		if c.Tolerances.IsWithin(ratio) {
			p.Replicas = currentReplicas
		} else {
			p.Replicas = ceilToInt32(ratio * float64(g.ReadyCount))
		}
		return p, nil
	}
	if len(g.Missing) > 0 {
		if ratio < 1.0 {
			// Scale-down: a pod without a sample counts as using its full
			// request, or the target when that is above 100%.
			fallback := int64(max(100, targetUtilization))
			for _, name := range g.Missing {
				metrics[name] = PodMetricValue{ValueMilli: requests[name] * fallback / 100}
			}
		} else if ratio > 1.0 {
			for _, name := range g.Missing {
				metrics[name] = PodMetricValue{}
			}
		}
	}
	if scaleUpWithUnready {
		for _, name := range g.Unready {
			metrics[name] = PodMetricValue{}
		}
	}
	newRatio, _, _, err := ResourceUtilizationRatio(metrics, requests, targetUtilization)
	if err != nil {
		return Proposal{}, err
	}
	p.Replicas = c.rebalanced(currentReplicas, ratio, newRatio, len(metrics))
	return p, nil
}

// rebalanced is the common tail of the calculators once missing and
// unready pods were filled in: it never lets the filling flip the
// direction of the change.
func (c ReplicaCalculator) rebalanced(currentReplicas int32, ratio, newRatio float64, entries int) int32 {
	if c.Tolerances.IsWithin(newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0) {
		return currentReplicas
	}
	n := ceilToInt32(newRatio * float64(entries))
	if (newRatio < 1.0 && n > currentReplicas) || (newRatio > 1.0 && n < currentReplicas) {
		return currentReplicas
	}
	return n
}

// RawResourceReplicas handles Resource and ContainerResource metrics with
// an AverageValue target (GetRawResourceReplicas).
func (c ReplicaCalculator) RawResourceReplicas(currentReplicas int32, targetMilli int64, resource, container string, in MetricInput, pods []Pod) (Proposal, error) {
	metrics, err := fetchResource(in, resource, container)
	if err != nil {
		return Proposal{}, fmt.Errorf("unable to get metrics for resource %s: %v", resource, err)
	}
	return c.plainMetricReplicas(metrics, currentReplicas, targetMilli, resource, pods)
}

// PodsMetricReplicas handles Pods metrics (GetMetricReplicas).
func (c ReplicaCalculator) PodsMetricReplicas(currentReplicas int32, targetMilli int64, metricName string, in MetricInput, pods []Pod) (Proposal, error) {
	metrics, err := fetchCustom(in)
	if err != nil {
		return Proposal{}, fmt.Errorf("unable to get metric %s: %v", metricName, err)
	}
	return c.plainMetricReplicas(metrics, currentReplicas, targetMilli, "", pods)
}

// plainMetricReplicas mirrors calcPlainMetricReplicas.
func (c ReplicaCalculator) plainMetricReplicas(metrics PodMetrics, currentReplicas int32, targetMilli int64, resource string, pods []Pod) (Proposal, error) {
	if len(pods) == 0 {
		return Proposal{}, errNoPods
	}
	g := c.group(pods, metrics, resource)
	removePods(metrics, g.Ignored)
	removePods(metrics, g.Unready)
	if len(metrics) == 0 {
		return Proposal{}, errors.New("did not receive metrics for targeted pods (pods might be unready)")
	}
	ratio, usage := MetricUsageRatio(metrics, targetMilli)
	p := Proposal{UsageRatio: ratio, AverageValueMilli: &usage, Groups: &g}

	scaleUpWithUnready := len(g.Unready) > 0 && ratio > 1.0
	if !scaleUpWithUnready && len(g.Missing) == 0 {
		if c.Tolerances.IsWithin(ratio) {
			p.Replicas = currentReplicas
		} else {
			p.Replicas = ceilToInt32(ratio * float64(g.ReadyCount))
		}
		return p, nil
	}
	if len(g.Missing) > 0 {
		if ratio < 1.0 {
			// Scale-down: a pod without a sample counts as exactly on target.
			for _, name := range g.Missing {
				metrics[name] = PodMetricValue{ValueMilli: targetMilli}
			}
		} else if ratio > 1.0 {
			for _, name := range g.Missing {
				metrics[name] = PodMetricValue{}
			}
		}
	}
	if scaleUpWithUnready {
		for _, name := range g.Unready {
			metrics[name] = PodMetricValue{}
		}
	}
	newRatio, _ := MetricUsageRatio(metrics, targetMilli)
	p.Replicas = c.rebalanced(currentReplicas, ratio, newRatio, len(metrics))
	return p, nil
}

// ReadyPodsCount counts pods in phase Running with Ready=True
// (getReadyPodsCount).
func ReadyPodsCount(pods []Pod) (int64, error) {
	if len(pods) == 0 {
		return 0, errNoPods
	}
	var n int64
	for _, p := range pods {
		if p.Phase == PodRunning && p.Ready != nil && p.Ready.Status {
			n++
		}
	}
	return n, nil
}

// usageRatioReplicaCount mirrors getUsageRatioReplicaCount: with a
// non-zero current count the ratio multiplies the Running+Ready pods; at
// zero replicas (scale from zero) the ratio itself is rounded up, with no
// tolerance.
func (c ReplicaCalculator) usageRatioReplicaCount(currentReplicas int32, ratio float64, pods []Pod, p *Proposal) error {
	if currentReplicas == 0 {
		p.Replicas = ceilToInt32(ratio)
		return nil
	}
	if c.Tolerances.IsWithin(ratio) {
		p.Replicas = currentReplicas
		return nil
	}
	ready, err := ReadyPodsCount(pods)
	if err != nil {
		return fmt.Errorf("unable to calculate ready pods: %s", err)
	}
	p.ReadyPods = &ready
	f := ratio * float64(ready)
	if f > math.MaxInt32 && c.minor() >= 35 {
		// 1.35 caps the count (kubernetes PR #130364); before, the float
		// overflowed in the conversion.
		p.Replicas = math.MaxInt32
		return nil
	}
	p.Replicas = ceilToInt32(f)
	return nil
}

// ObjectMetricReplicas handles Object metrics with a Value target
// (GetObjectMetricReplicas); currentReplicas is scale.spec.replicas.
func (c ReplicaCalculator) ObjectMetricReplicas(currentReplicas int32, targetMilli int64, metricName string, object CrossVersionObjectReference, namespace string, in MetricInput, pods []Pod) (Proposal, error) {
	value, err := fetchObject(in)
	if err != nil {
		return Proposal{}, c.objectError(metricName, object, namespace, err)
	}
	ratio := float64(value) / float64(targetMilli)
	p := Proposal{UsageRatio: ratio, ValueMilli: &value}
	if err := c.usageRatioReplicaCount(currentReplicas, ratio, pods, &p); err != nil {
		return Proposal{}, err
	}
	return p, nil
}

// ObjectPerPodMetricReplicas handles Object metrics with an AverageValue
// target (GetObjectPerPodMetricReplicas); statusReplicas is
// scale.status.replicas.
func (c ReplicaCalculator) ObjectPerPodMetricReplicas(statusReplicas int32, targetAverageMilli int64, metricName string, object CrossVersionObjectReference, namespace string, in MetricInput) (Proposal, error) {
	value, err := fetchObject(in)
	if err != nil {
		return Proposal{}, c.objectError(metricName, object, namespace, err)
	}
	ratio := float64(value) / (float64(targetAverageMilli) * float64(statusReplicas))
	p := Proposal{UsageRatio: ratio, Replicas: statusReplicas}
	if !c.Tolerances.IsWithin(ratio) {
		p.Replicas = ceilToInt32(float64(value) / float64(targetAverageMilli))
	}
	// At zero status replicas the average is an infinite or NaN float
	// converted to int64.
	avg := toInt64(math.Ceil(float64(value) / float64(statusReplicas)))
	p.AverageValueMilli = &avg
	return p, nil
}

// objectError words a failed Object metric read as the release does:
// 1.37 moved the cause to the end (kubernetes PR #133012); before, the
// cause came between the metric and the object.
func (c ReplicaCalculator) objectError(metricName string, object CrossVersionObjectReference, namespace string, err error) error {
	if c.minor() >= 37 {
		return fmt.Errorf("unable to get metric %s on %s %s/%s: %v", metricName, object.Kind, namespace, object.Name, err)
	}
	return fmt.Errorf("unable to get metric %s: %v on %s %s/%s", metricName, object.Kind, namespace, object.Name, err)
}

// ExternalMetricReplicas handles External metrics with a Value target
// (GetExternalMetricReplicas); selector is the metric selector as shown in
// messages.
func (c ReplicaCalculator) ExternalMetricReplicas(currentReplicas int32, targetMilli int64, metricName, namespace, selector string, in MetricInput, pods []Pod) (Proposal, error) {
	values, err := fetchExternal(in)
	if err != nil {
		return Proposal{}, fmt.Errorf("unable to get external metric %s/%s/%s: %s", namespace, metricName, FormatLabelSelector(selector), err)
	}
	// The sum wraps on overflow; 1.35 saturates a positive overflow at
	// MaxInt64 (kubernetes PR #130364). A negative overflow still wraps.
	var value int64
	for _, v := range values {
		if c.minor() >= 35 && v > 0 && value > math.MaxInt64-v {
			value = math.MaxInt64
			break
		}
		value += v
	}
	ratio := float64(value) / float64(targetMilli)
	p := Proposal{UsageRatio: ratio, ValueMilli: &value}
	if err := c.usageRatioReplicaCount(currentReplicas, ratio, pods, &p); err != nil {
		return Proposal{}, err
	}
	return p, nil
}

// ExternalPerPodMetricReplicas handles External metrics with an
// AverageValue target (GetExternalPerPodMetricReplicas), the kind KEDA
// creates by default.
func (c ReplicaCalculator) ExternalPerPodMetricReplicas(statusReplicas int32, targetAverageMilli int64, metricName, namespace, selector string, in MetricInput) (Proposal, error) {
	values, err := fetchExternal(in)
	if err != nil {
		return Proposal{}, fmt.Errorf("unable to get external metric %s/%s/%s: %s", namespace, metricName, FormatLabelSelector(selector), err)
	}
	// A running sum that turns negative, from an overflow or from a
	// negative sample, becomes MaxInt64.
	var value int64
	for _, v := range values {
		value += v
		if value < 0 {
			value = math.MaxInt64
			break
		}
	}
	ratio := float64(value) / (float64(targetAverageMilli) * float64(statusReplicas))
	p := Proposal{UsageRatio: ratio, Replicas: statusReplicas}
	if !c.Tolerances.IsWithin(ratio) {
		r := math.Ceil(float64(value) / float64(targetAverageMilli))
		if r > math.MaxInt32 {
			p.Replicas = math.MaxInt32
		} else {
			p.Replicas = toInt32(r)
		}
	}
	avg := int64(math.MaxInt64)
	if float64(value) < math.MaxInt64 {
		avg = toInt64(math.Ceil(float64(value) / float64(statusReplicas)))
	}
	p.AverageValueMilli = &avg
	return p, nil
}

func removePods(m PodMetrics, names []string) {
	for _, n := range names {
		delete(m, n)
	}
}

func fetchResource(in MetricInput, resource, container string) (PodMetrics, error) {
	if in.Err != nil {
		return nil, fmt.Errorf("unable to fetch metrics from resource metrics API: %v", in.Err)
	}
	return ResourceMetrics(in.PodResources, resource, container)
}

func fetchCustom(in MetricInput) (PodMetrics, error) {
	if in.Err != nil {
		return nil, fmt.Errorf("unable to fetch metrics from custom metrics API: %v", in.Err)
	}
	return CustomPodMetrics(in.PodValues)
}

// fetchObject reads an Object metric: the custom metrics client wants
// exactly one value (custom_metrics client GetForObject).
func fetchObject(in MetricInput) (int64, error) {
	if in.Err != nil {
		return 0, fmt.Errorf("unable to fetch metrics from custom metrics API: %v", in.Err)
	}
	if len(in.ValuesMilli) != 1 {
		return 0, fmt.Errorf("unable to fetch metrics from custom metrics API: the custom metrics API server returned %v results when we asked for exactly one", len(in.ValuesMilli))
	}
	return in.ValuesMilli[0], nil
}

// fetchExternal returns the samples of an External metric
// (metrics/client.go: GetExternalMetric).
func fetchExternal(in MetricInput) ([]int64, error) {
	if in.Err != nil {
		return nil, fmt.Errorf("unable to fetch metrics from external metrics API: %v", in.Err)
	}
	if len(in.ValuesMilli) == 0 {
		return nil, errors.New("no metrics returned from external metrics API")
	}
	return in.ValuesMilli, nil
}
