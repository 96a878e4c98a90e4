package cluster

import (
	"sort"
	"time"
)

// Span is the life of a node, or the time a pod spent Pending: from Start
// to End, End zero while it lasts.
type Span struct {
	Name       string
	Start, End time.Time
}

func (s Span) until(end time.Time) time.Duration {
	stop := s.End
	if stop.IsZero() || stop.After(end) {
		stop = end
	}
	if !stop.After(s.Start) {
		return 0
	}
	return stop.Sub(s.Start)
}

// Seconds sums the spans cut at end: node-seconds (the cost figure) for
// node lives, pod-seconds Pending for pending spans.
func Seconds(spans []Span, end time.Time) float64 {
	var total time.Duration
	for _, s := range spans {
		total += s.until(end)
	}
	return total.Seconds()
}

// Peak is the largest number of spans open at once before end, and the
// first instant it was reached. A span ending at t is closed at t.
func Peak(spans []Span, end time.Time) (int, time.Time) {
	type edge struct {
		at    time.Time
		delta int
	}
	var edges []edge
	for _, s := range spans {
		if s.until(end) == 0 {
			continue
		}
		edges = append(edges, edge{s.Start, +1})
		if !s.End.IsZero() && s.End.Before(end) {
			edges = append(edges, edge{s.End, -1})
		}
	}
	// Closings before openings at the same instant.
	sort.SliceStable(edges, func(i, j int) bool {
		if !edges[i].at.Equal(edges[j].at) {
			return edges[i].at.Before(edges[j].at)
		}
		return edges[i].delta < edges[j].delta
	})
	peak, open := 0, 0
	var at time.Time
	for _, e := range edges {
		open += e.delta
		if open > peak {
			peak, at = open, e.at
		}
	}
	return peak, at
}
