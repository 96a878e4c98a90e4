package sim_test

import (
	"fmt"
	"time"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// A diurnal base with a one-minute spike on top.
func ExampleSum() {
	load := sim.Sum{
		sim.Sine{Period: 24 * time.Hour, Min: 10, Max: 50},
		sim.Spike{Time: 6 * time.Hour, Duration: time.Minute, Peak: 100},
	}
	for _, t := range []time.Duration{0, 6 * time.Hour, 6*time.Hour + time.Minute, 12 * time.Hour} {
		fmt.Printf("%5s %.0f\n", t, load.At(t))
	}
	// Output:
	//    0s 10
	// 6h0m0s 130
	// 6h1m0s 30
	// 12h0m0s 50
}
