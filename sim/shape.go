package sim

import (
	"math"
	"sort"
	"time"
)

// Shape is offered load as a function of the offset from t = 0.
type Shape interface {
	At(t time.Duration) float64
}

// Steps is a load given as samples at a fixed interval (the promtool
// notation): sample i holds from i*Interval until the next sample. A NaN
// sample (a "_" in the notation) keeps the previous value; after the last
// sample the last value holds.
type Steps struct {
	Interval time.Duration
	Values   []float64
}

// At implements Shape.
func (s Steps) At(t time.Duration) float64 {
	if len(s.Values) == 0 || s.Interval <= 0 {
		return 0
	}
	i := int(t / s.Interval)
	if i >= len(s.Values) {
		i = len(s.Values) - 1
	}
	for ; i >= 0; i-- {
		if !math.IsNaN(s.Values[i]) {
			return s.Values[i]
		}
	}
	return 0
}

// Stage is one k6-style stage: ramp linearly to Target over Duration.
type Stage struct {
	Duration time.Duration
	Target   float64
}

// Stages is a k6-style ramp: starting at Start, each stage moves linearly
// to its target over its duration; after the last stage its target holds.
type Stages struct {
	Start  float64
	Stages []Stage
}

// At implements Shape.
func (s Stages) At(t time.Duration) float64 {
	from := s.Start
	var begin time.Duration
	for _, st := range s.Stages {
		end := begin + st.Duration
		if t < end {
			frac := float64(t-begin) / float64(st.Duration)
			return from + (st.Target-from)*frac
		}
		from, begin = st.Target, end
	}
	return from
}

// Step is From before Time and To from Time on.
type Step struct {
	Time     time.Duration
	From, To float64
}

// At implements Shape.
func (s Step) At(t time.Duration) float64 {
	if t < s.Time {
		return s.From
	}
	return s.To
}

// Spike is Base, except Peak during [Time, Time+Duration).
type Spike struct {
	Time, Duration time.Duration
	Base, Peak     float64
}

// At implements Shape.
func (s Spike) At(t time.Duration) float64 {
	if t >= s.Time && t < s.Time+s.Duration {
		return s.Peak
	}
	return s.Base
}

// Sine oscillates between Min and Max with the given Period: Min at
// t = -Phase, Max half a period later. A diurnal load is a Sine with a
// 24h period.
type Sine struct {
	Period, Phase time.Duration
	Min, Max      float64
}

// At implements Shape.
func (s Sine) At(t time.Duration) float64 {
	if s.Period <= 0 {
		return s.Min
	}
	x := 2 * math.Pi * float64(t+s.Phase) / float64(s.Period)
	return s.Min + (s.Max-s.Min)*(1-math.Cos(x))/2
}

// Points is a load given by samples at arbitrary offsets (a replayed
// recording): each value holds until the next point; before the first
// point the load is 0 and after the last the last value holds. NaN
// samples keep the previous value.
type Points struct {
	T []time.Duration // strictly increasing
	V []float64
}

// At implements Shape.
func (p Points) At(t time.Duration) float64 {
	i := sort.Search(len(p.T), func(i int) bool { return p.T[i] > t }) - 1
	for ; i >= 0; i-- {
		if !math.IsNaN(p.V[i]) {
			return p.V[i]
		}
	}
	return 0
}

// Sum adds shapes, e.g. a diurnal base plus a spike.
type Sum []Shape

// At implements Shape.
func (s Sum) At(t time.Duration) float64 {
	var v float64
	for _, sh := range s {
		v += sh.At(t)
	}
	return v
}

// Fed is the shape of a load whose arrivals another workload of a
// Namespace serves (see Feed): it has no shape of its own, and is 0 in a
// run of its own.
type Fed struct{}

// At implements Shape.
func (Fed) At(time.Duration) float64 { return 0 }
