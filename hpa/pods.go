package hpa

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
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
	// Status is true for "True". A false Status is "False" unless Unknown
	// is set: the controller treats "Unknown" as neither (a pod whose
	// readiness is unknown is not ready, but is not excluded as unready
	// either; replica_calculator.go: groupPods compares with False).
	Status             bool
	Unknown            bool
	LastTransitionTime time.Time
}

// isFalse reports status "False".
func (r *ReadyCondition) isFalse() bool { return !r.Status && !r.Unknown }

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
		return pod.Ready.isFalse() || metric.Timestamp.Before(pod.Ready.LastTransitionTime.Add(metric.Window))
	}
	return pod.Ready.isFalse() && start.Add(readinessDelay).After(pod.Ready.LastTransitionTime)
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
// (replica_calculator.go: calculateRequests for one pod) as the newest
// release computes it. container selects one container
// (ContainerResource); "" sums the containers and sidecar init
// containers, or, when podLevelResources is on and the pod sets
// pod-level requests, takes component-helpers' PodRequests aggregate.
func PodRequest(pod Pod, container, resource string, podLevelResources bool) (int64, error) {
	return podRequest(pod, container, resource, podLevelResources, NewestKubernetesMinor)
}

func podRequest(pod Pod, container, resource string, podLevelResources bool, minor int) (int64, error) {
	if podLevelResources && container == "" && podLevelRequestsSet(pod) {
		return podLevelRequest(pod, resource)
	}
	return containerRequests(pod, container, resource, minor)
}

// podLevelResource mirrors resourcehelpers.IsSupportedPodLevelResource:
// cpu, memory and hugepages.
func podLevelResource(name string) bool {
	return name == "cpu" || name == "memory" || strings.HasPrefix(name, "hugepages-")
}

// podLevelRequestsSet mirrors resourcehelpers.IsPodLevelRequestsSet.
func podLevelRequestsSet(pod Pod) bool {
	for name := range pod.PodRequestsMilli {
		if podLevelResource(name) {
			return true
		}
	}
	return false
}

// podLevelRequest is calculatePodLevelRequests: the resource of
// component-helpers' resource.PodRequests, which aggregates the
// containers (sidecars added, each plain init container's need, with the
// sidecars started before it, raising the total to at least that) and
// lets the pod-level requests of supported resources replace the
// aggregate. The arithmetic is resource.Quantity's, exact.
func podLevelRequest(pod Pod, res string) (int64, error) {
	reqs := map[string]resource.Quantity{}
	add := func(to map[string]resource.Quantity, from map[string]int64) {
		for name, v := range from {
			q := *resource.NewMilliQuantity(v, resource.DecimalSI)
			if cur, ok := to[name]; ok {
				cur.Add(q)
				to[name] = cur
			} else {
				to[name] = q
			}
		}
	}
	maxOf := func(to, from map[string]resource.Quantity) {
		for name, q := range from {
			if cur, ok := to[name]; !ok || q.Cmp(cur) > 0 {
				to[name] = q.DeepCopy()
			}
		}
	}
	for _, c := range pod.Containers {
		add(reqs, c.RequestsMilli)
	}
	sidecars := map[string]resource.Quantity{}
	inits := map[string]resource.Quantity{}
	for _, c := range pod.InitContainers {
		need := map[string]resource.Quantity{}
		if c.RestartPolicyAlways {
			add(reqs, c.RequestsMilli)
			add(sidecars, c.RequestsMilli)
			maxOf(need, sidecars)
		} else {
			add(need, c.RequestsMilli)
			for name, q := range sidecars {
				if cur, ok := need[name]; ok {
					cur.Add(q)
					need[name] = cur
				} else {
					need[name] = q.DeepCopy()
				}
			}
		}
		maxOf(inits, need)
	}
	maxOf(reqs, inits)
	for name, v := range pod.PodRequestsMilli {
		if podLevelResource(name) {
			reqs[name] = *resource.NewMilliQuantity(v, resource.DecimalSI)
		}
	}
	q, ok := reqs[res]
	if !ok {
		return 0, fmt.Errorf("missing pod-level request for %s in Pod %s", res, pod.Name)
	}
	return q.MilliValue(), nil
}

// containerRequests mirrors calculatePodRequestsFromContainers. The sum
// wraps as int64 arithmetic does. Since 1.35 a named container the pod
// lacks is an error; before, it counted as a request of 0.
func containerRequests(pod Pod, container, resource string, minor int) (int64, error) {
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
		if container == c.Name && minor >= 35 {
			return total, nil
		}
	}
	if container != "" && minor >= 35 {
		return 0, fmt.Errorf("container %s not found in Pod %s", container, pod.Name)
	}
	return total, nil
}

// CalculateRequests returns the request of every listed pod as the newest
// release computes it; the first pod without a request fails the whole
// metric.
func CalculateRequests(pods []Pod, container, resource string, podLevelResources bool) (map[string]int64, error) {
	return calculateRequests(pods, container, resource, podLevelResources, NewestKubernetesMinor)
}

func calculateRequests(pods []Pod, container, resource string, podLevelResources bool, minor int) (map[string]int64, error) {
	out := make(map[string]int64, len(pods))
	for _, p := range pods {
		v, err := podRequest(p, container, resource, podLevelResources, minor)
		if err != nil {
			return nil, err
		}
		out[p.Name] = v
	}
	return out, nil
}

func (c ReplicaCalculator) calculateRequests(pods []Pod, container, resource string) (map[string]int64, error) {
	return calculateRequests(pods, container, resource, c.PodLevelResources, c.minor())
}
