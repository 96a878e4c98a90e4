package sim

import (
	"fmt"
	"math"
)

// MaxLoad is the largest load value: 2^53, above which float64 no longer
// holds every whole number, so a backlog or a connection count would
// silently lose messages or wrap when made an int64.
const MaxLoad = 1 << 53

// checkShape reports the first value no load can take, of the shapes
// whose values are given (the others compute theirs): NaN, an infinity
// or a negative number, which read as they are would silently make the
// load 0. Steps and Points may hold NaN (a gap that keeps the previous
// value); terms of a Sum may be negative (a dip below a diurnal base).
func checkShape(sh Shape) error { return checkShapeIn(sh, false) }

func checkShapeIn(sh Shape, inSum bool) error {
	loadValue := func(what string, v float64) error {
		if math.IsNaN(v) || math.IsInf(v, 0) || (v < 0 && !inSum) {
			return fmt.Errorf("%s is %v: a load is a finite number, 0 or more", what, v)
		}
		if math.Abs(v) > MaxLoad {
			return fmt.Errorf("%s is %v: above %g, the largest load counted exactly (connections and backlogs are whole numbers)", what, v, float64(MaxLoad))
		}
		return nil
	}
	switch s := sh.(type) {
	case Step:
		if err := loadValue("from", s.From); err != nil {
			return err
		}
		return loadValue("to", s.To)
	case Spike:
		if err := loadValue("base", s.Base); err != nil {
			return err
		}
		return loadValue("peak", s.Peak)
	case Sine:
		if err := loadValue("min", s.Min); err != nil {
			return err
		}
		return loadValue("max", s.Max)
	case Stages:
		if err := loadValue("start", s.Start); err != nil {
			return err
		}
		for i, st := range s.Stages {
			if err := loadValue(fmt.Sprintf("stages[%d].target", i), st.Target); err != nil {
				return err
			}
			if st.Duration <= 0 {
				return fmt.Errorf("stages[%d].duration must be positive", i)
			}
		}
	case Steps:
		for i, v := range s.Values {
			if !math.IsNaN(v) {
				if err := loadValue(fmt.Sprintf("values[%d]", i), v); err != nil {
					return err
				}
			}
		}
	case Points:
		for i, v := range s.V {
			if !math.IsNaN(v) {
				if err := loadValue(fmt.Sprintf("the point at %s", s.T[i]), v); err != nil {
					return err
				}
			}
		}
	case Sum:
		for _, p := range s {
			if err := checkShapeIn(p, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// finite reports whether every value is a finite number.
func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
