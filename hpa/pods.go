package hpa

import (
	"fmt"
	"sort"
	"time"
)

// PodPhase is status.phase of a pod.
type PodPhase string

// The pod phases of core/v1.
const (
	PodPending   PodPhase = "Pending"
	PodRunning   PodPhase = "Running"
	PodSucceeded PodPhase = "Succeeded"
	PodFailed    PodPhase = "Failed"
	PodUnknown   PodPhase = "Unknown"
)

// ReadyCondition is the pod's Ready condition.
type ReadyCondition struct {
	Status             bool
	LastTransitionTime time.Time
}

// Container is one container (or init container) of a pod spec.
type Container struct {
	Name string
	// RequestsMilli maps a resource name ("cpu", "memory") to its request
	// in milli-units; a missing key means no request.
	RequestsMilli map[string]int64
	// RestartPolicyAlways marks a sidecar init container (restartPolicy:
	// Always); only those count towards the pod request.
	RestartPolicyAlways bool
}

// Pod is what the controller's pod lister returns for one pod selected by
// the scale target's selector.
type Pod struct {
	Name     string
	Phase    PodPhase
	Deleting bool // metadata.deletionTimestamp set
	// StartTime is status.startTime; nil when unset.
	StartTime *time.Time
	// Ready is the Ready condition; nil when the pod has none.
	Ready          *ReadyCondition
	Containers     []Container
	InitContainers []Container
	// PodRequestsMilli is pod-level spec.resources.requests; nil if unset.
	PodRequestsMilli map[string]int64
}

// PodMetricValue is one pod's sample as the calculator keeps it
// (metrics/interfaces.go: PodMetric).
type PodMetricValue struct {
	ValueMilli int64
	Timestamp  time.Time
	Window     time.Duration
}

// PodMetrics maps pod names to samples (metrics: PodMetricsInfo).
type PodMetrics map[string]PodMetricValue

func (m PodMetrics) clone() PodMetrics {
	out := make(PodMetrics, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// PodGroups is the classification of the selected pods for one metric.
type PodGroups struct {
	ReadyCount int
	// Unready, Missing and Ignored hold pod names, sorted.
	Unready []string
	Missing []string
	Ignored []string
}

// cpuResource is the only resource whose samples are filtered by readiness.
const cpuResource = "cpu"

// GroupPods sorts pods into ready, unready, missing and ignored for one
// metric, as replica_calculator.go: groupPods does. resource is the
// resource name of a Resource/ContainerResource metric and "" for Pods
// metrics; the readiness rules apply to "cpu" only.
func GroupPods(now time.Time, pods []Pod, metrics PodMetrics, resource string, cpuInitializationPeriod, initialReadinessDelay time.Duration) PodGroups {
	var g PodGroups
	for _, pod := range pods {
		if pod.Deleting || pod.Phase == PodFailed {
			g.Ignored = append(g.Ignored, pod.Name)
			continue
		}
		if pod.Phase == PodPending {
			g.Unready = append(g.Unready, pod.Name)
			continue
		}
		metric, found := metrics[pod.Name]
		if !found {
			g.Missing = append(g.Missing, pod.Name)
			continue
		}
		if resource == cpuResource && cpuSampleUnready(now, pod, metric, cpuInitializationPeriod, initialReadinessDelay) {
			g.Unready = append(g.Unready, pod.Name)
			continue
		}
		g.ReadyCount++
	}
	g.Unready = sortedUnique(g.Unready)
	g.Missing = sortedUnique(g.Missing)
	g.Ignored = sortedUnique(g.Ignored)
	return g
}

// cpuSampleUnready decides whether a cpu sample is too early to trust: a
// pod still in its initialization period must be ready for a whole metric
// window; after it, only a pod that never became ready is excluded.
func cpuSampleUnready(now time.Time, pod Pod, metric PodMetricValue, initPeriod, readinessDelay time.Duration) bool {
	if pod.Ready == nil || pod.StartTime == nil {
		return true
	}
	start := *pod.StartTime
	if start.Add(initPeriod).After(now) {
		return !pod.Ready.Status || metric.Timestamp.Before(pod.Ready.LastTransitionTime.Add(metric.Window))
	}
	return !pod.Ready.Status && start.Add(readinessDelay).After(pod.Ready.LastTransitionTime)
}

func sortedUnique(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	sort.Strings(s)
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// PodRequest returns one pod's request for resource in milli-units
// (replica_calculator.go: calculateRequests for one pod). container selects
// one container (ContainerResource); "" sums the containers and sidecar
// init containers, or takes the pod-level request when podLevelResources
// is on and the pod sets one.
func PodRequest(pod Pod, container, resource string, podLevelResources bool) (int64, error) {
	if podLevelResources && container == "" && podLevelRequestsSet(pod) {
		if v, ok := pod.PodRequestsMilli[resource]; ok {
			return v, nil
		}
		// Pod-level requests for another resource only: the aggregate of
		// the containers stands in for this one (component-helpers
		// resource.PodRequests); summing them is the same for pods
		// without plain init containers.
	}
	return containerRequests(pod, container, resource)
}

// podLevelRequestsSet mirrors resourcehelpers.IsPodLevelRequestsSet: only
// cpu and memory count as pod-level resources.
func podLevelRequestsSet(pod Pod) bool {
	for name := range pod.PodRequestsMilli {
		if name == "cpu" || name == "memory" {
			return true
		}
	}
	return false
}

// containerRequests mirrors calculatePodRequestsFromContainers.
func containerRequests(pod Pod, container, resource string) (int64, error) {
	all := append([]Container{}, pod.Containers...)
	for _, c := range pod.InitContainers {
		if c.RestartPolicyAlways {
			all = append(all, c)
		}
	}
	var total int64
	for _, c := range all {
		if container == "" || container == c.Name {
			v, ok := c.RequestsMilli[resource]
			if !ok {
				return 0, fmt.Errorf("missing request for %s in container %s of Pod %s", resource, c.Name, pod.Name)
			}
			total += v
		}
		if container == c.Name {
			return total, nil
		}
	}
	if container != "" {
		return 0, fmt.Errorf("container %s not found in Pod %s", container, pod.Name)
	}
	return total, nil
}

// CalculateRequests returns the request of every listed pod; the first
// pod without a request fails the whole metric.
func CalculateRequests(pods []Pod, container, resource string, podLevelResources bool) (map[string]int64, error) {
	out := make(map[string]int64, len(pods))
	for _, p := range pods {
		v, err := PodRequest(p, container, resource, podLevelResources)
		if err != nil {
			return nil, err
		}
		out[p.Name] = v
	}
	return out, nil
}
