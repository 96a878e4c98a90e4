package hpa

import (
	"errors"
	"time"
)

// ContainerUsage is one container entry of a metrics.k8s.io PodMetrics.
type ContainerUsage struct {
	Name string
	// UsageMilli maps resource names to usage in milli-units.
	UsageMilli map[string]int64
}

// PodResourceMetric is one metrics.k8s.io PodMetrics item.
type PodResourceMetric struct {
	Pod        string
	Timestamp  time.Time
	Window     time.Duration
	Containers []ContainerUsage
}

// PodMetric is one custom.metrics.k8s.io value for a pod.
type PodMetric struct {
	Pod        string
	ValueMilli int64
	Timestamp  time.Time
	// Window is the sample window; zero means the API left it unset and
	// the controller assumes one minute.
	Window time.Duration
}

// defaultCustomMetricWindow is metricServerDefaultMetricWindow of
// metrics/client.go, used when a custom metric carries no window.
const defaultCustomMetricWindow = time.Minute

// MetricInput is what the metrics APIs returned, at one reconcile, for the
// metric spec with the same index.
type MetricInput struct {
	// Err is a failed metrics API call; the metric then fails as upstream.
	Err error
	// PodResources feeds Resource and ContainerResource metrics.
	PodResources []PodResourceMetric
	// PodValues feeds Pods metrics.
	PodValues []PodMetric
	// ValuesMilli feeds Object metrics (the first value) and External
	// metrics (all samples for name and selector, summed).
	ValuesMilli []int64
}

// ResourceMetrics turns metrics.k8s.io items into per-pod samples for one
// resource (metrics/client.go: getPodMetrics and getContainerMetrics).
// With container "" a pod's usage is the sum over all its containers and a
// pod with no containers, or with one lacking the resource, has no sample.
// With a container name only that container counts; a pod without it has
// no sample (the v1.32+ behaviour).
func ResourceMetrics(items []PodResourceMetric, resource, container string) (PodMetrics, error) {
	if len(items) == 0 {
		return nil, errors.New("no metrics returned from resource metrics API")
	}
	out := make(PodMetrics, len(items))
	for _, m := range items {
		var sum int64
		found := false
		if container == "" {
			found = len(m.Containers) > 0
			for _, c := range m.Containers {
				v, ok := c.UsageMilli[resource]
				if !ok {
					found = false
					break
				}
				sum += v
			}
		} else {
			for _, c := range m.Containers {
				if c.Name != container {
					continue
				}
				sum, found = c.UsageMilli[resource]
				break
			}
		}
		if found {
			out[m.Pod] = PodMetricValue{ValueMilli: sum, Timestamp: m.Timestamp, Window: m.Window}
		}
	}
	return out, nil
}

// CustomPodMetrics turns custom.metrics.k8s.io values into per-pod samples
// (metrics/client.go: GetRawMetric).
func CustomPodMetrics(items []PodMetric) (PodMetrics, error) {
	if len(items) == 0 {
		return nil, errors.New("no metrics returned from custom metrics API")
	}
	out := make(PodMetrics, len(items))
	for _, m := range items {
		w := m.Window
		if w == 0 {
			w = defaultCustomMetricWindow
		}
		out[m.Pod] = PodMetricValue{ValueMilli: m.ValueMilli, Timestamp: m.Timestamp, Window: w}
	}
	return out, nil
}

// ResourceUtilizationRatio computes, over the samples of pods with a known
// request, the utilization percentage (integer division, truncated to
// int32), its ratio to the target and the raw average usage
// (metrics/utilization.go: GetResourceUtilizationRatio). The sums and the
// product by 100 are int64 arithmetic and wrap on overflow, as upstream's
// do.
func ResourceUtilizationRatio(metrics PodMetrics, requests map[string]int64, targetUtilization int32) (ratio float64, utilization int32, rawAverageMilli int64, err error) {
	var usageTotal, requestTotal int64
	n := 0
	for pod, m := range metrics {
		req, ok := requests[pod]
		if !ok {
			continue
		}
		usageTotal += m.ValueMilli
		requestTotal += req
		n++
	}
	if requestTotal == 0 {
		return 0, 0, 0, errors.New("no metrics returned matched known pods")
	}
	utilization = int32(usageTotal * 100 / requestTotal)
	return float64(utilization) / float64(targetUtilization), utilization, usageTotal / int64(n), nil
}

// MetricUsageRatio computes the average sample (integer division over all
// map entries, a wrapping int64 sum) and its ratio to the target
// (metrics/utilization.go: GetMetricUsageRatio).
func MetricUsageRatio(metrics PodMetrics, targetMilli int64) (ratio float64, averageMilli int64) {
	var total int64
	for _, m := range metrics {
		total += m.ValueMilli
	}
	avg := total / int64(len(metrics))
	return float64(avg) / float64(targetMilli), avg
}
