package sim

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/keda"
)

// ScaledJob makes a KEDA ScaledJob the autoscaler: each poll KEDA creates
// Jobs, whose pods take messages from a queue and complete.
type ScaledJob struct {
	Object *keda.ScaledJob
	// Version is the KEDA version whose behaviour is modelled ("" =
	// newest).
	Version string
	// Model is what a Job's pods do.
	Model JobModel
}

// JobModel is the work of a Job's pods: each pod, once Running
// (Workload.PodStartup after its creation), takes up to MessagesPerPod
// messages from the Queue load and works Duration on each, then succeeds;
// a pod that finds the queue empty succeeds at once, as a queue consumer
// that exits when there is nothing to do. Without a queue (Queue -1) each
// pod works Duration.
type JobModel struct {
	// Queue is the index of the Queue load the Jobs take messages from
	// (-1: none).
	Queue int
	// MessagesPerPod is how many messages a pod takes (default 1).
	MessagesPerPod int
	// Duration is the work per message; DurationDist, when set, draws it
	// per pod from the seeded random stream.
	Duration     time.Duration
	DurationDist *Distribution
}

// ScaledJobSource is the MetricInfo.SourceType of a ScaledJob's triggers:
// no HPA reads them; KEDA divides the queue length by the target to get
// the Jobs it wants (pkg/scaling/scaledjob/metrics.go).
const ScaledJobSource = "ScaledJob"

// job is one Job KEDA created, with its pods.
type job struct {
	name    string
	created time.Duration
	pods    []*jobPod
	// succeeded counts completed pods; finished is Complete or Failed.
	succeeded int32
	finished  bool
	failed    bool
	doneAt    time.Duration
}

type jobPod struct {
	created, runningAt time.Duration
	running            bool
	// taken is the messages the pod holds; doneAt when it succeeds.
	taken  int
	doneAt time.Duration
	done   bool
}

// jobState is the engine's state of a ScaledJob run.
type jobState struct {
	loop    *keda.JobLoop
	jobs    []*job
	nextSeq int
	// succeeded and failed count finished Jobs, created all Jobs.
	succeeded, failed, created int
	// inFlight is the messages pods hold.
	inFlight int
	last     keda.JobPollResult
	lastAt   time.Duration
	polled   bool
}

func (s *Simulator) setUpScaledJob() error {
	sj := s.spec.ScaledJob
	l, err := keda.NewJobLoop(sj.Object, sj.Version)
	if err != nil {
		return fmt.Errorf("ScaledJob %s: %w", sj.Object.Name, err)
	}
	s.sj = &jobState{loop: l}
	s.result.Autoscaler = "keda-scaledjob"
	s.result.Workload = "ScaledJob/" + sj.Object.Name
	min, budget := sj.Object.Bounds()
	s.result.MinReplicas, s.result.MaxReplicas = int32(min), int32(min+budget)
	s.column = map[int]int{}
	for i, tr := range sj.Object.Triggers {
		switch tr.Type {
		case "prometheus", "cron":
		default:
			return &UnsupportedError{Field: fmt.Sprintf("spec.triggers[%d].type", i), What: fmt.Sprintf("%q triggers of a ScaledJob", tr.Type), Supported: "prometheus, cron"}
		}
		info := MetricInfo{Name: l.MetricName(i), Target: l.Target(i), TargetType: "AverageValue", SourceType: ScaledJobSource}
		if p := l.PrometheusTrigger(i); p != nil {
			info.Query, info.ActivationTarget = p.Query, p.ActivationThreshold
		}
		s.column[i] = len(s.result.Metrics)
		s.result.Metrics = append(s.result.Metrics, info)
	}
	if m := sj.Model; m.Queue >= 0 && (m.Queue >= len(s.spec.Loads) || s.spec.Loads[m.Queue].Model != Queue) {
		return fmt.Errorf("the jobs take messages from load %d, which is not a queue load", m.Queue)
	}
	return nil
}

// observeJobTrigger is trigger i of the ScaledJob at now.
func (s *Simulator) observeJobTrigger(ctx context.Context, i int, now time.Duration) keda.TriggerObservation {
	l := s.sj.loop
	var obs keda.TriggerObservation
	switch {
	case l.CronTrigger(i) != nil:
		v, a, err := l.CronTrigger(i).Observe(s.spec.Start.Add(now))
		obs = keda.TriggerObservation{Name: l.MetricName(i), Value: v, Active: a, Err: err}
	default:
		p := l.PrometheusTrigger(i)
		res, err := s.instant(ctx, i, p.Query, now)
		qr := keda.QueryResult{Err: err, Scalar: res.Type == "scalar"}
		for _, smp := range res.Samples {
			qr.Values = append(qr.Values, smp.Value)
		}
		v, a, err := p.Evaluate(qr)
		obs = keda.TriggerObservation{Name: l.MetricName(i), Value: v, Active: a, Err: err}
	}
	if c, ok := s.column[i]; ok {
		s.metrics[c] = obs.Value
		if obs.Err != nil {
			s.metrics[c] = math.NaN()
		}
	}
	return obs
}

// pollJobs is one poll of the ScaledJob: it counts the running and
// pending Jobs, asks the loop how many to create, and creates them.
func (s *Simulator) pollJobs(ctx context.Context, now time.Duration) error {
	st := s.sj
	if st.loop.Paused() {
		return nil
	}
	obs := make([]keda.TriggerObservation, len(s.spec.ScaledJob.Object.Triggers))
	for i := range obs {
		obs[i] = s.observeJobTrigger(ctx, i, now)
	}
	phases := make([]keda.JobPhase, 0, len(st.jobs))
	for _, j := range st.jobs {
		ph := keda.JobPhase{Finished: j.finished}
		for _, p := range j.pods {
			phase := "Pending"
			switch {
			case p.done:
				phase = "Succeeded"
			case p.running:
				phase = "Running"
			}
			jp := keda.JobPod{Phase: phase, Conditions: []string{"PodScheduled"}}
			if p.running && !p.done {
				jp.Conditions = append(jp.Conditions, "Initialized", "ContainersReady", "Ready")
			}
			ph.Pods = append(ph.Pods, jp)
		}
		phases = append(phases, ph)
	}
	res, err := st.loop.Poll(s.spec.Start.Add(now+kedaClockLag), obs, phases)
	if err != nil {
		return err
	}
	st.last, st.lastAt, st.polled = res, now, true
	s.recordConditions(now, res.Conditions)
	before := int32(res.Running)
	for n := int64(0); n < res.Decision.Create; n++ {
		s.createJob(now)
	}
	if res.Decision.Create > 0 {
		s.event(now, "KEDA", "Normal", "KEDAJobsCreated", before, before+int32(res.Decision.Create),
			fmt.Sprintf("Created %d jobs: %s", res.Decision.Create, jobReason(res)))
	} else if res.Scale.Active && s.lastWarn["jobs"] != "none" {
		// Once, when the polls stop creating Jobs, not at every poll.
		s.event(now, "KEDA", "Normal", "NoJobsCreated", before, before, jobReason(res))
	}
	s.lastWarn["jobs"] = "none"
	if res.Decision.Create > 0 {
		s.lastWarn["jobs"] = "created"
	}
	return nil
}

func jobReason(res keda.JobPollResult) string {
	var parts []string
	for _, m := range res.Metrics {
		parts = append(parts, fmt.Sprintf("%s queue %g at target %g", m.Name, m.QueueLength, m.Target))
	}
	return fmt.Sprintf("%s; scaleTo %d, maxScale %d, %d running, %d pending; %s", strings.Join(parts, ", "),
		res.Scale.ScaleTo, res.Scale.MaxScale, res.Running, res.Pending, res.Decision.Reason)
}

// createJob creates a Job and its first pods (the Job controller keeps
// min(parallelism, completions - succeeded) pods active).
func (s *Simulator) createJob(now time.Duration) {
	st := s.sj
	j := &job{name: fmt.Sprintf("%s-%05d", s.spec.ScaledJob.Object.Name, st.nextSeq), created: now}
	st.nextSeq++
	st.created++
	st.jobs = append(st.jobs, j)
	s.fillJob(j, now)
}

func (s *Simulator) fillJob(j *job, now time.Duration) {
	spec := s.spec.ScaledJob.Object.Job
	active := int32(0)
	for _, p := range j.pods {
		if !p.done {
			active++
		}
	}
	want := min(spec.ParallelismOrDefault(), spec.CompletionsOrDefault()-j.succeeded)
	for ; active < want; active++ {
		startup := s.podStartup()
		j.pods = append(j.pods, &jobPod{created: now, runningAt: now + startup})
	}
}

// advanceJobs runs step 1 for Jobs: pods start and take messages, finish
// their work, Jobs complete or pass their activeDeadlineSeconds.
func (s *Simulator) advanceJobs(now time.Duration) {
	st := s.sj
	m := s.spec.ScaledJob.Model
	per := max(m.MessagesPerPod, 1)
	completed := 0
	var names []string
	running := s.runningJobs()
	for _, j := range st.jobs {
		if j.finished {
			continue
		}
		spec := s.spec.ScaledJob.Object.Job
		if d := spec.ActiveDeadlineSeconds; d != nil && now-j.created >= time.Duration(*d)*time.Second {
			// The Job controller fails the Job and kills its pods; the
			// messages they held go back to the queue (never acked).
			for _, p := range j.pods {
				if p.running && !p.done {
					s.requeue(p.taken)
				}
			}
			j.finished, j.failed, j.doneAt = true, true, now
			st.failed++
			completed++
			names = append(names, j.name+" (DeadlineExceeded)")
			continue
		}
		for _, p := range j.pods {
			if p.done {
				continue
			}
			if !p.running && now >= p.runningAt {
				p.running = true
				p.taken = s.takeMessages(per)
				work := s.jobDuration()
				if m.Queue >= 0 {
					work *= time.Duration(p.taken)
				}
				p.doneAt = now + work
			}
			if p.running && now >= p.doneAt {
				p.done = true
				st.inFlight -= p.taken
				j.succeeded++
			}
		}
		if j.succeeded >= spec.CompletionsOrDefault() {
			j.finished, j.doneAt = true, now
			st.succeeded++
			completed++
			names = append(names, j.name)
			continue
		}
		s.fillJob(j, now)
	}
	if completed > 0 {
		shown := names
		if len(shown) > 3 {
			shown = append(shown[:3:3], fmt.Sprintf("%d more", len(names)-3))
		}
		s.event(now, "Job", "Normal", "Completed", running, running-int32(completed), fmt.Sprintf("%d jobs finished: %s", completed, strings.Join(shown, ", ")))
	}
}

// takeMessages takes up to n whole messages from the job queue.
func (s *Simulator) takeMessages(n int) int {
	q := s.spec.ScaledJob.Model.Queue
	if q < 0 {
		return 0
	}
	st := &s.loads[q]
	take := min(n, int(math.Floor(st.backlog)))
	if take <= 0 {
		return 0
	}
	st.backlog -= float64(take)
	s.sj.inFlight += take
	s.result.MessagesTaken += take
	return take
}

func (s *Simulator) requeue(n int) {
	if q := s.spec.ScaledJob.Model.Queue; q >= 0 && n > 0 {
		s.loads[q].backlog += float64(n)
		s.sj.inFlight -= n
	}
}

func (s *Simulator) jobDuration() time.Duration {
	m := s.spec.ScaledJob.Model
	if m.DurationDist != nil {
		return m.DurationDist.Draw(s.startup, s.spec.Tick)
	}
	return m.Duration
}

// runningJobs counts the unfinished Jobs.
func (s *Simulator) runningJobs() int32 {
	n := int32(0)
	for _, j := range s.sj.jobs {
		if !j.finished {
			n++
		}
	}
	return n
}

// jobCounts are the trace's Job figures at now.
func (s *Simulator) jobCounts() JobCounts {
	c := JobCounts{Succeeded: int32(s.sj.succeeded), Failed: int32(s.sj.failed), Created: int32(s.sj.created), InFlight: int32(s.sj.inFlight)}
	for _, j := range s.sj.jobs {
		if j.finished {
			continue
		}
		c.Running++
		started := false
		for _, p := range j.pods {
			started = started || p.running
		}
		if !started {
			c.Pending++
		}
	}
	if q := s.spec.ScaledJob.Model.Queue; q >= 0 {
		c.Queue = s.loads[q].backlog
	}
	return c
}

// JobCounts are a ScaledJob run's Jobs at a trace row.
type JobCounts struct {
	// Running are unfinished Jobs (KEDA's running count), Pending those
	// of them with no pod running yet.
	Running, Pending int32
	// Succeeded and Failed count finished Jobs, Created every Job.
	Succeeded, Failed, Created int32
	// Queue is the messages waiting; InFlight those pods hold.
	Queue    float64
	InFlight int32
}

// LastJobPoll is the last poll of a ScaledJob run with its instant (false
// before the first poll, or without a ScaledJob).
func (s *Simulator) LastJobPoll() (keda.JobPollResult, time.Duration, bool) {
	if s.sj == nil || !s.sj.polled {
		return keda.JobPollResult{}, 0, false
	}
	return s.sj.last, s.sj.lastAt, true
}

// JobLoop is the simulated ScaledJob scale loop, nil without a ScaledJob.
func (s *Simulator) JobLoop() *keda.JobLoop {
	if s.sj == nil {
		return nil
	}
	return s.sj.loop
}
