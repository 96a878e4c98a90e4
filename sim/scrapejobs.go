package sim

import (
	"fmt"
	"time"

	"github.com/prometheus/prometheus/model/labels"

	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/scrape"
)

// PodTemplate is what the scrape jobs see of the workload's pods besides
// their name and state: the pod template's labels, annotations and
// containers with their declared ports.
type PodTemplate struct {
	Labels, Annotations map[string]string
	Containers          []scrape.Container
	// ControllerKind is ReplicaSet or StatefulSet.
	ControllerKind string
}

// scrapeJobState is a pod's bookkeeping for one scrape job.
type scrapeJobState struct {
	// refs caches the pod's series for each state of the pod the job
	// may label differently (see podState), targets x loads.
	refs map[podState][]promql.SeriesRef
	// live are the series written at the job's last scrape of the pod,
	// which get staleness markers when the pod stops being a target.
	live []promql.SeriesRef
}

// podState is what of a pod's state discovery reports.
type podState struct {
	phase       string
	ready       bool
	terminating bool
}

// podIP gives each pod a distinct, deterministic address in the cluster's
// pod network.
func podIP(seq int) string {
	return fmt.Sprintf("10.128.%d.%d", seq/250, seq%250+2)
}

// phaseAt is the pod's phase as discovery sees it: Pending until its
// container starts, Running until it is gone, Failed after a crash.
func (p *pod) phaseAt(now time.Duration) string {
	switch {
	case p.failed:
		return "Failed"
	case now < p.runningAt:
		return "Pending"
	}
	return "Running"
}

// discovered is pod p as the kubernetes service discovery lists it.
func (s *Simulator) discovered(p *pod, st podState) scrape.Pod {
	t := s.spec.Workload.Template
	controller := t.ControllerKind
	name := s.spec.Workload.Name
	if controller == "ReplicaSet" {
		name += "-sim"
	}
	return scrape.Pod{
		Name: p.name, Namespace: s.spec.Workload.Namespace, IP: podIP(p.seq),
		Labels: t.Labels, Annotations: t.Annotations,
		Phase: st.phase, Ready: st.ready, Terminating: st.terminating,
		ControllerKind: controller, ControllerName: name,
		Containers: t.Containers,
	}
}

// scrapeJobs runs the scrape jobs due at now over the workload's pods,
// each pod's series labelled by the job's discovery and relabeling.
func (s *Simulator) scrapeJobs(now time.Duration) error {
	at := s.spec.Start.Add(now)
	for ji, job := range s.spec.Prometheus.Jobs {
		every := job.Interval
		if every == 0 {
			every = s.spec.Prometheus.ScrapeInterval
		}
		if !dueAt(now, every, s.phase.Scrape) {
			continue
		}
		for _, p := range s.pods.pods {
			if len(p.jobs) < len(s.spec.Prometheus.Jobs) {
				p.jobs = make([]scrapeJobState, len(s.spec.Prometheus.Jobs))
			}
			js := &p.jobs[ji]
			var refs []promql.SeriesRef
			if !p.deleting || now < p.goneAt {
				// A pod deleted from the API is no longer discovered.
				st := podState{phase: p.phaseAt(now), ready: p.ready, terminating: p.deleting}
				var err error
				if refs, err = s.jobRefs(job, p, js, st); err != nil {
					return err
				}
			}
			if err := s.staleMissing(js.live, refs, at); err != nil {
				return err
			}
			k := 0
			for range len(refs) / max(s.perPodLoads(), 1) {
				for li, l := range s.spec.Loads {
					if !l.perPod() {
						continue
					}
					if ref := refs[k]; ref != (promql.SeriesRef{}) {
						if err := s.store.AppendRef(ref, at, podValue(&s.spec.Loads[li], p, li)); err != nil {
							return err
						}
					}
					k++
				}
			}
			js.live = refs
		}
	}
	for _, p := range s.pods.pods {
		p.scraped = false
		for _, js := range p.jobs {
			p.scraped = p.scraped || len(js.live) > 0
		}
	}
	return nil
}

// perPodLoads is the number of loads with one series per pod.
func (s *Simulator) perPodLoads() int {
	n := 0
	for _, l := range s.spec.Loads {
		if l.perPod() {
			n++
		}
	}
	return n
}

// jobRefs returns the series of pod p for the job in state st: targets x
// per-pod loads, a zero ref where metric relabeling drops the series; none
// when the job does not scrape the pod in that state.
func (s *Simulator) jobRefs(job *scrape.Job, p *pod, js *scrapeJobState, st podState) ([]promql.SeriesRef, error) {
	if refs, ok := js.refs[st]; ok {
		return refs, nil
	}
	if js.refs == nil {
		js.refs = map[podState][]promql.SeriesRef{}
	}
	var refs []promql.SeriesRef
	for _, target := range job.Targets(s.discovered(p, st)) {
		for _, l := range s.spec.Loads {
			if !l.perPod() {
				continue
			}
			ls, keep := job.SeriesLabels(target, labels.FromStrings(labels.MetricName, l.Metric))
			if !keep {
				refs = append(refs, promql.SeriesRef{})
				continue
			}
			ref, err := s.store.Ref(promql.FromLabels(ls))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", job.Source, err)
			}
			refs = append(refs, ref)
		}
	}
	js.refs[st] = refs
	return refs, nil
}

// staleMissing writes staleness markers for the series of old that are
// not in cur: Prometheus marks the series of a target that has gone stale
// at its first scrape without it (scrape/scrape.go).
func (s *Simulator) staleMissing(old, cur []promql.SeriesRef, at time.Time) error {
	for _, r := range old {
		if r == (promql.SeriesRef{}) || containsRef(cur, r) {
			continue
		}
		if err := s.store.AppendStaleRef(r, at); err != nil {
			return err
		}
	}
	return nil
}

func containsRef(list []promql.SeriesRef, r promql.SeriesRef) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}
