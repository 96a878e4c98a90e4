package sim_test

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// TestLarge5000Pods30Days checks the targets of a large run: 5,000 pods
// for 30 simulated days in under 3 minutes of CPU time and under 1 GB
// peak resident memory (the store keeps what the queries reach, not 30
// days of samples). It takes about a minute, so it runs only with
// AUTOSCALE_SIM_LARGE=1:
//
//	AUTOSCALE_SIM_LARGE=1 go test ./sim/ -run TestLarge5000Pods30Days -v
func TestLarge5000Pods30Days(t *testing.T) {
	if os.Getenv("AUTOSCALE_SIM_LARGE") == "" {
		t.Skip("set AUTOSCALE_SIM_LARGE=1 to run 5,000 pods for 30 days")
	}
	spec := daySpec(5000, 30*24*time.Hour)
	cpu0 := cpuTime()
	start := time.Now()
	res, err := sim.Run(context.Background(), spec)
	require.NoError(t, err)
	cpu, wall := cpuTime()-cpu0, time.Since(start)
	var ru syscall.Rusage
	require.NoError(t, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	rss := ru.Maxrss << 10 // kilobytes on Linux
	var peak int32
	for _, s := range res.Samples {
		peak = max(peak, s.Replicas)
	}
	t.Logf("5,000 pods x 30 days: %.1f s CPU, %.1f s wall, peak RSS %.0f MB, %d trace rows, up to %d pods",
		cpu.Seconds(), wall.Seconds(), float64(rss)/(1<<20), len(res.Samples), peak)
	require.Equal(t, int32(5000), peak)
	require.Less(t, cpu, 3*time.Minute)
	require.Less(t, rss, int64(1<<30))
}
