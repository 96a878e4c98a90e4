package sim

import (
	"time"

	"github.com/autoscale-sim/autoscale-sim/promql"
)

// The kubelet's cAdvisor series of the workload's container, as the
// kube-prometheus kubelet ServiceMonitor scrapes them from
// /metrics/cadvisor (manifests/kubernetesControlPlane-serviceMonitorKubelet.yaml:
// job from the kubelet Service's app.kubernetes.io/name, __metrics_path__
// relabelled to metrics_path). cAdvisor's other labels (id, image, cpu)
// are left out: triggers do not select on them. They exist when the workload has a cpu or memory usage
// model (workload.resources.usage), so that a trigger can query CPU the way
// clusters usually do, e.g.
//
//	sum(rate(container_cpu_usage_seconds_total{namespace="demo", container="app"}[2m]))
//
// They follow the container, not the endpoints: a starting or terminating
// pod reports usage too (its base usage; load only reaches ready pods), and
// its series go stale at the first scrape after it has gone or failed.
const (
	cadvisorCPUMetric    = "container_cpu_usage_seconds_total"
	cadvisorMemoryMetric = "container_memory_working_set_bytes"
)

// cadvisorState is a pod's cAdvisor bookkeeping.
type cadvisorState struct {
	// cpuSeconds is the container's CPU time so far, the counter value.
	cpuSeconds float64
	// live is true while the pod's series are written; the next scrape
	// after the container goes writes staleness markers.
	live     bool
	cpu, mem promql.SeriesRef
}

// cadvisorSeries says which cAdvisor series the workload exposes: those
// of the resources with a usage model. It is fixed for a run.
type cadvisorSeries struct{ cpu, mem bool }

func cadvisorSeriesOf(r Resources) cadvisorSeries {
	_, cpu := r.Usage["cpu"]
	_, mem := r.Usage["memory"]
	return cadvisorSeries{cpu, mem}
}

// accrueCPU adds one tick of CPU time to every running container.
func (s *Simulator) accrueCPU() {
	if !s.cadvisor.cpu {
		return
	}
	dt := s.spec.Tick.Seconds()
	for _, p := range s.pods.pods {
		if !p.failed {
			p.cadvisor.cpuSeconds += float64(s.usageMilli(p, "cpu")) / 1000 * dt
		}
	}
}

// scrapeCadvisor writes the cAdvisor samples of every pod at now.
func (s *Simulator) scrapeCadvisor(at time.Time) error {
	cpu, mem := s.cadvisor.cpu, s.cadvisor.mem
	if !cpu && !mem {
		return nil
	}
	for _, p := range s.pods.gone {
		if err := s.staleCadvisor(p, at); err != nil {
			return err
		}
	}
	clear(s.pods.gone)
	s.pods.gone = s.pods.gone[:0]
	for _, p := range s.pods.pods {
		c := &p.cadvisor
		if p.failed {
			if err := s.staleCadvisor(p, at); err != nil {
				return err
			}
			continue
		}
		if err := s.cadvisorRefs(p, cpu, mem); err != nil {
			return err
		}
		if cpu {
			if err := s.store.AppendRef(c.cpu, at, c.cpuSeconds); err != nil {
				return err
			}
		}
		if mem {
			if err := s.store.AppendRef(c.mem, at, float64(s.usageMilli(p, "memory"))/1000); err != nil {
				return err
			}
		}
		c.live = true
	}
	return nil
}

// staleCadvisor ends the cAdvisor series of a container that has gone.
func (s *Simulator) staleCadvisor(p *pod, at time.Time) error {
	c := &p.cadvisor
	if !c.live {
		return nil
	}
	for _, ref := range []promql.SeriesRef{c.cpu, c.mem} {
		if ref != (promql.SeriesRef{}) {
			if err := s.store.AppendStaleRef(ref, at); err != nil {
				return err
			}
		}
	}
	c.live = false
	return nil
}

// cadvisorRefs looks up the pod's cAdvisor series once.
func (s *Simulator) cadvisorRefs(p *pod, cpu, mem bool) error {
	c := &p.cadvisor
	lbls := func(metric string) promql.Labels {
		return promql.Labels{
			"__name__":     metric,
			"namespace":    s.spec.Workload.Namespace,
			"pod":          p.name,
			"container":    s.pods.container,
			"job":          "kubelet",
			"metrics_path": "/metrics/cadvisor",
		}
	}
	var err error
	if cpu && c.cpu == (promql.SeriesRef{}) {
		if c.cpu, err = s.store.Ref(lbls(cadvisorCPUMetric)); err != nil {
			return err
		}
	}
	if mem && c.mem == (promql.SeriesRef{}) {
		if c.mem, err = s.store.Ref(lbls(cadvisorMemoryMetric)); err != nil {
			return err
		}
	}
	return nil
}
