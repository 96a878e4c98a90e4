package main

import (
	"bytes"
	"context"
	"strings"
	"syscall"
	"testing"
	"time"
)

// diurnalSweep is the sweep of docs/benchmarks.md as a user types it:
// 10 thresholds x 10 scale-down windows x 10 cooldowns of the 24 h,
// 10-pod diurnal example, 1,000 runs.
var diurnalSweep = []string{"sweep", "../../examples/diurnal/scenario.yaml",
	"--set", "spec.triggers[0].metadata.threshold=80,85,90,95,100,105,110,115,120,125",
	"--set", "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds=0,30,60,90,120,150,180,210,240,270",
	"--set", "spec.cooldownPeriod=60,120,180,240,300,360,420,480,540,600",
}

// BenchmarkSweepCommand1000 runs that sweep through the command (target:
// under 60 s on 2 cores). One iteration takes about half a minute:
//
//	go test ./cmd/autoscale-sim -run '^$' -bench SweepCommand -benchtime 1x
func BenchmarkSweepCommand1000(b *testing.B) {
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), diurnalSweep, &stdout, &stderr); code != exitOK {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
		if rows := strings.Count(stdout.String(), "\n") - 1; rows != 1000 {
			b.Fatalf("%d rows, want 1000", rows)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/sweep")
}

// BenchmarkRunOutDiurnal is `autoscale-sim run examples/diurnal/scenario.yaml
// --out DIR`: the run, its report, trace.csv, trace.json and both plots
// (target: 0.1 s).
func BenchmarkRunOutDiurnal(b *testing.B) {
	dir := b.TempDir()
	b.ReportAllocs()
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"run", "../../examples/diurnal/scenario.yaml", "--out", dir}, &stdout, &stderr); code != exitOK {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
	}
}

// BenchmarkRuns1000WebSocketRandom is `autoscale-sim run
// examples/websocket/scenario-random.yaml`: 1,000 runs of the WebSocket
// tutorial with random phases on every core (target: 2 s on 2 cores).
func BenchmarkRuns1000WebSocketRandom(b *testing.B) {
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"run", "../../examples/websocket/scenario-random.yaml"}, &stdout, &stderr); code != exitOK {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "1000 runs") {
			b.Fatal(stdout.String())
		}
	}
}

// cpuTime is the CPU time the process has used (user and system), which
// other work on a shared machine stretches less than the wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per iteration since start (cpu-s/op;
// on 2 cores, half of it is the wall time of an idle machine at best).
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}
