package hpaconformance

import (
	"sort"
	"time"
)

// Memory windows: which stored recommendations and scale events can still
// count at a later sync. Entries past every window differ between
// implementations only in which slot is reused, never in a decision, so
// observations keep the live ones.
type windows struct {
	recommendation time.Duration
	up, down       time.Duration
}

func (c Case) windows() windows {
	flag := time.Duration(c.Controller.DownscaleStabilizationSeconds) * time.Second
	b := c.HPA.Behavior
	if b == nil {
		return windows{recommendation: flag}
	}
	upW, downW := time.Duration(0), flag
	up, down := 15*time.Second, 15*time.Second
	if r := b.ScaleUp; r != nil {
		if r.StabilizationWindowSeconds != nil {
			upW = time.Duration(*r.StabilizationWindowSeconds) * time.Second
		}
		if r.Policies != nil {
			up = longest(r.Policies)
		}
	}
	if r := b.ScaleDown; r != nil {
		if r.StabilizationWindowSeconds != nil {
			downW = time.Duration(*r.StabilizationWindowSeconds) * time.Second
		}
		if r.Policies != nil {
			down = longest(r.Policies)
		}
	}
	return windows{recommendation: max(upW, downW), up: up, down: down}
}

func longest(ps []Policy) time.Duration {
	var l int32
	for _, p := range ps {
		l = max(l, p.PeriodSeconds)
	}
	return time.Duration(l) * time.Second
}

// LiveRecommendations keeps, sorted, the recommendations younger than the
// longest stabilization window at now.
func (c Case) LiveRecommendations(now int64, all []Recommendation) []Recommendation {
	w := c.windows().recommendation.Milliseconds()
	var out []Recommendation
	for _, r := range all {
		if now-r.At < w {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].At != out[j].At {
			return out[i].At < out[j].At
		}
		return out[i].Replicas < out[j].Replicas
	})
	return out
}

// LiveScaleEvents keeps, sorted, the events younger than the longest
// policy period of their direction.
func (c Case) LiveScaleEvents(now int64, up bool, all []ScaleEvent) []ScaleEvent {
	w := c.windows()
	period := w.down
	if up {
		period = w.up
	}
	var out []ScaleEvent
	for _, e := range all {
		if now-e.At < period.Milliseconds() {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].At != out[j].At {
			return out[i].At < out[j].At
		}
		return out[i].Change < out[j].Change
	})
	return out
}
