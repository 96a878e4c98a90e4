package sim

import (
	"math"
	"time"
)

// The methods in this file answer the questions policy checks ask of a
// run. They read the timeline of replica changes, so they are exact at
// any instant, not only at trace rows.

// changes returns the events that changed spec.replicas, in time order.
func (r *Result) changes() []Event {
	var out []Event
	for _, e := range r.Events {
		if e.From != e.To {
			out = append(out, e)
		}
	}
	return out
}

// DesiredAt is the workload's spec.replicas at t, after every decision
// taken at t.
func (r *Result) DesiredAt(t time.Duration) int32 {
	n := r.InitialReplicas
	for _, e := range r.changes() {
		if e.T > t {
			break
		}
		n = e.To
	}
	return n
}

// DesiredRange is the lowest and highest spec.replicas during [from, to].
func (r *Result) DesiredRange(from, to time.Duration) (lo, hi int32) {
	lo = r.DesiredAt(from)
	hi = lo
	for _, e := range r.changes() {
		if e.T <= from || e.T > to {
			continue
		}
		lo, hi = min(lo, e.To), max(hi, e.To)
	}
	return lo, hi
}

// FirstReach is the first instant at which spec.replicas is at least n.
func (r *Result) FirstReach(n int32) (time.Duration, bool) {
	if r.InitialReplicas >= n {
		return 0, true
	}
	for _, e := range r.changes() {
		if e.To >= n {
			return e.T, true
		}
	}
	return 0, false
}

// FirstAtOrBelow is the first instant at which spec.replicas is at most n.
func (r *Result) FirstAtOrBelow(n int32) (time.Duration, bool) {
	if r.InitialReplicas <= n {
		return 0, true
	}
	for _, e := range r.changes() {
		if e.To <= n {
			return e.T, true
		}
	}
	return 0, false
}

// ScaleEvents returns the replica changes with from < T <= to (a change
// at exactly from belongs to the earlier window).
func (r *Result) ScaleEvents(from, to time.Duration) []Event {
	var out []Event
	for _, e := range r.changes() {
		if e.T > from && e.T <= to {
			out = append(out, e)
		}
	}
	return out
}

// Figures summarise a run for design reviews and sweeps.
type Figures struct {
	// ReplicaSeconds is the integral of spec.replicas over the run: the
	// cost in pod-seconds.
	ReplicaSeconds float64
	// MaxReplicas and MinReplicas are the extremes of spec.replicas.
	MaxReplicas, MinReplicas int32
	// FinalReplicas is spec.replicas at the end.
	FinalReplicas int32
	// ScaleEvents counts replica changes.
	ScaleEvents int
	// ScaleUps and ScaleDowns split ScaleEvents by direction.
	ScaleUps, ScaleDowns int
	// DirectionChanges counts reversals (an up after a down or a down after
	// an up): the flapping of the policy.
	DirectionChanges int
	// OverloadedSeconds is Result.OverloadedSeconds.
	OverloadedSeconds float64
	// TimeToFirstScaleUp is the time from Result.LoadRise to the first
	// scale-up at or after it; ScaledUpAfterRise is false if there is none.
	TimeToFirstScaleUp time.Duration
	ScaledUpAfterRise  bool
	// Jobs are the figures of a ScaledJob run (nil otherwise).
	Jobs *JobFigures
	// Nodes are the figures of a run on a node pool (nil otherwise).
	Nodes *NodeFigures
}

// JobFigures summarise a ScaledJob run: how long messages waited for a
// Job, and how many Jobs KEDA created.
type JobFigures struct {
	// MeanMessageWait is the mean time a message waited in the queue
	// before a Job's pod took it (messages still waiting at the end count
	// with the time they waited so far).
	MeanMessageWait time.Duration
	// MessagesTaken counts the messages Jobs took; MessagesWaiting those
	// still in the queue at the end.
	MessagesTaken, MessagesWaiting int
	// JobsCreated, JobsSucceeded and JobsFailed count Jobs; PeakRunning
	// is the most unfinished Jobs at once.
	JobsCreated, JobsSucceeded, JobsFailed, PeakRunning int
}

// Figures computes the summary of the run.
func (r *Result) Figures() Figures {
	f := Figures{MinReplicas: r.InitialReplicas, MaxReplicas: r.InitialReplicas}
	cur, last := r.InitialReplicas, time.Duration(0)
	dir := 0
	for _, e := range r.changes() {
		f.ReplicaSeconds += float64(cur) * (e.T - last).Seconds()
		cur, last = e.To, e.T
		f.ScaleEvents++
		d := 1
		if e.To < e.From {
			d = -1
			f.ScaleDowns++
		} else {
			f.ScaleUps++
		}
		if dir != 0 && d != dir {
			f.DirectionChanges++
		}
		dir = d
		f.MinReplicas, f.MaxReplicas = min(f.MinReplicas, cur), max(f.MaxReplicas, cur)
	}
	f.ReplicaSeconds += float64(cur) * (r.Duration - last).Seconds()
	f.FinalReplicas = cur
	f.OverloadedSeconds = r.OverloadedSeconds
	f.Nodes = nodeFigures(r)
	if n := len(r.Samples); n > 0 && r.Samples[n-1].Jobs != nil {
		last := r.Samples[n-1].Jobs
		j := &JobFigures{MessagesTaken: r.MessagesTaken, MessagesWaiting: int(math.Floor(last.Queue)),
			JobsCreated: int(last.Created), JobsSucceeded: int(last.Succeeded), JobsFailed: int(last.Failed)}
		for _, s := range r.Samples {
			j.PeakRunning = max(j.PeakRunning, int(s.Jobs.Running))
		}
		if m := j.MessagesTaken + j.MessagesWaiting; m > 0 {
			j.MeanMessageWait = time.Duration(r.MessageWaitSeconds / float64(m) * float64(time.Second)).Round(time.Second)
		}
		f.Jobs = j
	}
	if r.LoadRises {
		for _, e := range r.changes() {
			if e.T >= r.LoadRise && e.To > e.From {
				f.TimeToFirstScaleUp, f.ScaledUpAfterRise = e.T-r.LoadRise, true
				break
			}
		}
	}
	return f
}
