package sim

import (
	"math"
	"time"
)

func sec(n int) time.Duration { return time.Duration(n) * time.Second }

func nan() float64 { return math.NaN() }
