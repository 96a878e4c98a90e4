package sim

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
)

// metricsWindow is the window metrics-server reports with its default
// --metric-resolution of 15s.
const metricsWindow = 15 * time.Second

// checkResources rejects Resource metrics the workload cannot feed: no
// usage model for the resource, or a Utilization target without a
// request (which the HPA would report as FailedGetResourceMetric at every
// sync).
func (s *Simulator) checkResources() error {
	res := s.spec.Workload.Resources
	for i, m := range s.hpaDef.Metrics {
		if m.Type != hpa.ResourceMetricSourceType && m.Type != hpa.ContainerResourceMetricSourceType {
			continue
		}
		if _, ok := res.Usage[m.Name]; !ok {
			return fmt.Errorf("the HPA's metric %d is the %s resource: set workload.resources.usage.%s to simulate its usage", i, m.Name, m.Name)
		}
		if m.Target.Type == hpa.UtilizationMetricType {
			if _, ok := res.RequestsMilli[m.Name]; !ok {
				return fmt.Errorf("the HPA's metric %d targets %s Utilization: set workload.resources.requests.%s", i, m.Name, m.Name)
			}
		}
		if m.Type == hpa.ContainerResourceMetricSourceType && m.Container != s.pods.container {
			return fmt.Errorf("the HPA's metric %d reads container %q but the workload's container is %q (workload.resources.container)", i, m.Container, s.pods.container)
		}
	}
	return nil
}

// resourceTriggerColumn adds the trace column of a KEDA cpu/memory
// trigger and ties it to the matching metric of the generated HPA.
func (s *Simulator) resourceTriggerColumn(tr keda.Trigger) error {
	r, errs := keda.ParseResourceTrigger(tr)
	if len(errs) > 0 {
		return errs[0]
	}
	typ := hpa.ResourceMetricSourceType
	if r.ContainerName != "" {
		typ = hpa.ContainerResourceMetricSourceType
	}
	info := MetricInfo{Name: strings.ToLower(string(typ)) + "/" + r.Resource, TargetType: string(r.MetricType), SourceType: string(typ)}
	if r.MetricType == hpa.UtilizationMetricType {
		info.Target = float64(r.AverageUtilization)
	} else {
		info.Target = float64(r.AverageValueMilli) / 1000
	}
	for j, m := range s.hpaDef.Metrics {
		if m.Type == typ && m.Name == r.Resource && m.Container == r.ContainerName {
			s.resColumn[j] = len(s.result.Metrics)
		}
	}
	s.result.Metrics = append(s.result.Metrics, info)
	return nil
}

// usageMilli is pod p's usage of resource (metrics-server's view).
func (s *Simulator) usageMilli(p *pod, resource string) int64 {
	u := s.spec.Workload.Resources.Usage[resource]
	v := u.BaseMilli
	if u.PerUnitMilli != 0 && p.inEndpoints() {
		v += u.PerUnitMilli * unit(s.spec.Loads[u.Load], p, u.Load)
	}
	return int64(v)
}

// resourceMetric is what metrics-server answers for the HPA's Resource
// or ContainerResource metric i: the usage of every running pod.
func (s *Simulator) resourceMetric(i int, m hpa.MetricSpec, now time.Duration) hpa.MetricInput {
	if s.faultActive(MetricsServerDown, now) {
		if c, ok := s.resColumn[i]; ok {
			s.metrics[c] = math.NaN()
		}
		return hpa.MetricInput{Err: errMetricsServerDown}
	}
	at := s.spec.Start.Add(now)
	var in hpa.MetricInput
	var used, requested, n float64
	for _, p := range s.pods.pods {
		if p.failed {
			continue
		}
		usage, stamp := map[string]int64{}, at
		if s.phase.MetricsResolution > 0 {
			// metrics-server answers from its last scrape of the
			// kubelet; a pod it has not scraped yet has no metrics.
			if p.msUsage == nil {
				continue
			}
			usage, stamp = p.msUsage, s.spec.Start.Add(p.msAt)
		} else {
			for name := range s.spec.Workload.Resources.Usage {
				usage[name] = s.usageMilli(p, name)
			}
		}
		containers := []hpa.ContainerUsage{{Name: s.pods.container, UsageMilli: usage}}
		for _, c := range s.pods.sidecars {
			containers = append(containers, hpa.ContainerUsage{Name: c.Name, UsageMilli: map[string]int64{m.Name: 0}})
		}
		in.PodResources = append(in.PodResources, hpa.PodResourceMetric{
			Pod: p.name, Timestamp: stamp, Window: metricsWindow, Containers: containers,
		})
		if p.inEndpoints() {
			used += float64(usage[m.Name])
			requested += float64(s.pods.requests[m.Name])
			if m.Type == hpa.ResourceMetricSourceType {
				for _, c := range s.pods.sidecars {
					requested += float64(c.RequestsMilli[m.Name])
				}
			}
			n++
		}
	}
	if c, ok := s.resColumn[i]; ok && n > 0 {
		// The trace shows what the target compares with: utilization in
		// percent of requests, or the average per pod.
		if m.Target.Type == hpa.UtilizationMetricType && requested > 0 {
			s.metrics[c] = 100 * used / requested
		} else {
			s.metrics[c] = used / n / 1000
		}
	}
	return in
}

// scrapeMetricsServer is metrics-server reading every running pod's usage
// from the kubelets, every Phases.MetricsResolution
// (metrics-server pkg/server/server.go: one scrape per resolution tick).
func (s *Simulator) scrapeMetricsServer(now time.Duration) {
	for _, p := range s.pods.pods {
		if p.failed {
			continue
		}
		usage := make(map[string]int64, len(s.spec.Workload.Resources.Usage))
		for name := range s.spec.Workload.Resources.Usage {
			usage[name] = s.usageMilli(p, name)
		}
		p.msUsage, p.msAt = usage, now
	}
}
