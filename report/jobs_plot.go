package report

import (
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// backlogPanel draws the first load's true backlog: a queue's waiting
// items, or a Kafka consumer group's lag summed over the partitions. The
// autoscaler's metric may show it capped (KEDA's kafka scaler caps the lag
// at partitions x lagThreshold), so the reviewer sees both.
func backlogPanel(r *sim.Result) *panel {
	if r.Load.Backlog == "" {
		return nil
	}
	var e extent
	for _, s := range r.Samples {
		e.add(s.Backlog)
	}
	title, ylabel := "Backlog: items waiting in the queue", "items"
	if r.Load.Backlog == sim.BacklogKafkaLag {
		title, ylabel = "Consumer lag on the topic, summed over the partitions (log end less committed offset)", "messages"
	}
	p := &panel{class: "backlog", title: title, ylabel: ylabel, height: 70, ys: valueScale(e)}
	st := stroke{color: warnOrange, width: 1.4}
	p.legend = append(p.legend, legendEntry{label: r.Load.Backlog, thumb: thumbLine, stroke: st})
	p.draw = func(s surface, f frame) {
		s.begin("series backlog", "")
		drawSteps(s, f, r, func(x sim.Sample) float64 { return x.Backlog }, st)
		s.end()
	}
	return p
}

// jobsPanel draws a ScaledJob run's Jobs: those unfinished (KEDA's
// running count, what maxReplicaCount bounds), those of them still
// pending (no pod running), and the messages left in the queue.
func jobsPanel(r *sim.Result) *panel {
	if len(r.Samples) == 0 || r.Samples[0].Jobs == nil {
		return nil
	}
	var e extent
	e.add(float64(r.MaxReplicas))
	for _, s := range r.Samples {
		e.add(float64(s.Jobs.Running))
	}
	p := &panel{class: "jobs", title: "Jobs: unfinished (KEDA's running count) and pending (no pod running yet)", ylabel: "Jobs", height: 90, ys: valueScale(e)}
	running := stroke{color: desiredBlue, width: 1.6}
	pending := stroke{color: warnOrange, width: 1.2, dashes: dashed}
	limit := stroke{color: maxRed, width: 1, dashes: dashed}
	p.legend = append(p.legend,
		legendEntry{label: "unfinished Jobs", thumb: thumbLine, stroke: running},
		legendEntry{label: "pending Jobs", thumb: thumbLine, stroke: pending},
		legendEntry{label: "maxReplicaCount", thumb: thumbLine, stroke: limit})
	p.labels = append(p.labels, panelLabel{v: float64(r.MaxReplicas), text: "max " + shortNumber(float64(r.MaxReplicas)), color: maxRed})
	p.draw = func(s surface, f frame) {
		s.begin("limit max", "")
		s.polyline([]pt{{f.px(0), f.py(float64(r.MaxReplicas))}, {f.px(minutes(r.Duration)), f.py(float64(r.MaxReplicas))}}, limit)
		s.end()
		s.begin("series jobs-running", "")
		drawSteps(s, f, r, func(x sim.Sample) float64 { return float64(x.Jobs.Running) }, running)
		s.end()
		s.begin("series jobs-pending", "")
		drawSteps(s, f, r, func(x sim.Sample) float64 { return float64(x.Jobs.Pending) }, pending)
		s.end()
	}
	return p
}
