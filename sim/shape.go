package sim

import (
	"math"
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
