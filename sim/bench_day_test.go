package sim_test

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// The performance benchmarks of docs/benchmarks.md. They simulate one day
// of a WebSocket service whose connections follow a diurnal sine, scaled
// by a KEDA ScaledObject on a Prometheus query: scrape every 15s, HPA
// sync every 15s, KEDA polling every 30s, a 1s tick.

// sweepSize is the number of configurations BenchmarkSweep1000x10Pods
// runs per iteration. The target is 1,000 configurations; the
// default runs 100 of them and reports the time 1,000 would take
// (sweep-1000-s), since runs are independent and equally expensive.
var sweepSize = flag.Int("sweep.size", 100, "configurations run per iteration of BenchmarkSweep1000x10Pods (1000 for the full sweep)")

// sweepParallel is how many configurations run at once.
var sweepParallel = flag.Int("sweep.parallel", runtime.GOMAXPROCS(0), "configurations run at once by BenchmarkSweep1000x10Pods")

func i32(v int32) *int32 { return &v }

// daySpec is one simulated day for a workload that ranges over about
// maxPods/10 .. maxPods replicas: each pod is meant to hold 100
// connections (the KEDA threshold) and clients hold between 10*maxPods
// and 100*maxPods connections, lowest at midnight and highest at noon.
func daySpec(maxPods int32, d time.Duration) sim.Spec {
	const perPod = 100
	return sim.Spec{
		Name:     fmt.Sprintf("diurnal-%d-pods", maxPods),
		Duration: d,
		Workload: sim.Workload{
			Name:            "ws",
			Namespace:       "bench",
			InitialReplicas: max(maxPods/10, 1),
			PodStartup:      10 * time.Second,
			PodTermination:  30 * time.Second,
		},
		Prometheus: sim.Prometheus{ScrapeInterval: 15 * time.Second},
		Loads: []sim.Load{{
			Metric: "websocket_connection_count",
			Model:  sim.Connections,
			Shape: sim.Sine{
				Period: 24 * time.Hour,
				Min:    float64(perPod * maxPods / 10),
				Max:    float64(perPod * maxPods * 11 / 10),
			},
			Capacity: 1.2 * perPod,
		}},
		KEDA: &sim.KEDA{Object: &keda.ScaledObject{
			Name:            "ws",
			Namespace:       "bench",
			ScaleTargetRef:  keda.ScaleTarget{Name: "ws"},
			PollingInterval: i32(30),
			MinReplicaCount: i32(1),
			MaxReplicaCount: i32(maxPods),
			Triggers: []keda.Trigger{{
				Type: "prometheus",
				Metadata: map[string]string{
					"serverAddress": "http://prometheus:9090",
					"query":         `sum(websocket_connection_count{namespace="bench"})`,
					"threshold":     strconv.Itoa(perPod),
				},
			}},
		}},
	}
}

// runDays runs spec b.N times and reports the simulation speed: simulated
// seconds per wall second and wall nanoseconds per tick of the virtual
// clock.
func runDays(b *testing.B, spec sim.Spec) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	var peak int32
	for i := 0; i < b.N; i++ {
		res, err := sim.Run(ctx, spec)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range res.Samples {
			peak = max(peak, s.Replicas)
		}
	}
	reportSpeed(b, spec, b.N)
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(peak), "max-pods")
}

// cpuTime is the CPU time the process has used (user and system): on a
// shared machine it varies less than the wall time, which other work
// stretches. It includes the garbage collector's background work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportSpeed(b *testing.B, spec sim.Spec, runs int) {
	wall := b.Elapsed().Seconds()
	tick := spec.Defaulted().Tick
	ticks := float64(spec.Duration/tick+1) * float64(runs)
	b.ReportMetric(spec.Duration.Seconds()*float64(runs)/wall, "sim-s/wall-s")
	b.ReportMetric(wall*1e9/ticks, "ns/tick")
}

// BenchmarkDay100Pods: target 35 ms of CPU time per simulated day on one
// core (-cpu 1); cpu-s/op reports it.
func BenchmarkDay100Pods(b *testing.B) { runDays(b, daySpec(100, 24*time.Hour)) }

// BenchmarkDay1000Pods: target 0.3 s of CPU time per simulated day.
func BenchmarkDay1000Pods(b *testing.B) { runDays(b, daySpec(1000, 24*time.Hour)) }

// BenchmarkDay10Pods is one configuration of the sweep, alone.
func BenchmarkDay10Pods(b *testing.B) { runDays(b, daySpec(10, 24*time.Hour)) }

// BenchmarkDay100PodsEngineOnly is the 100-pod day with every query
// through the Prometheus engine (prometheus.evaluation: engine), to show
// what direct evaluation saves.
func BenchmarkDay100PodsEngineOnly(b *testing.B) {
	spec := daySpec(100, 24*time.Hour)
	spec.Prometheus.Evaluation = promql.EngineOnly
	runDays(b, spec)
}

// sweepSpec is configuration i of the sweep: the 10-pod day with one of
// 1,000 combinations of threshold, scale-down stabilization window and
// cooldown, as `autoscale-sim sweep --set ...` would produce.
func sweepSpec(i int) sim.Spec {
	spec := daySpec(10, 24*time.Hour)
	so := spec.KEDA.Object
	so.Triggers[0].Metadata["threshold"] = strconv.Itoa(80 + 5*(i%10))
	window := int32(30 * ((i / 10) % 10))
	so.Advanced = &keda.Advanced{HorizontalPodAutoscalerConfig: &keda.HPAConfig{
		Behavior: sweepBehavior(window),
	}}
	so.CooldownPeriod = i32(int32(60 * (1 + i/100)))
	return spec
}

// BenchmarkSweep1000x10Pods runs -sweep.size configurations of the 10-pod
// day on -sweep.parallel goroutines (default GOMAXPROCS), each building
// its Spec and calling sim.Run, as the sweep command does. sweep-1000-s
// is the wall time 1,000 configurations take at that rate (target: under
// 60 s on 2 cores).
func BenchmarkSweep1000x10Pods(b *testing.B) {
	n, par := *sweepSize, *sweepParallel
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		next := make(chan int)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for w := 0; w < par; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					_, errs[i] = sim.Run(ctx, sweepSpec(i))
				}
			}()
		}
		for i := 0; i < n; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				b.Fatalf("configuration %d: %v", i, err)
			}
		}
	}
	perIter := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(perIter*1000/float64(n), "sweep-1000-s")
	reportSpeed(b, sweepSpec(0), n*b.N)
}

func sweepBehavior(windowSeconds int32) *hpa.Behavior {
	return &hpa.Behavior{ScaleDown: &hpa.ScalingRules{
		StabilizationWindowSeconds: i32(windowSeconds),
		Policies:                   []hpa.ScalingPolicy{{Type: hpa.PercentScalingPolicy, Value: 20, PeriodSeconds: 60}},
	}}
}

// TestDay100PodsHeap checks the memory target: the live heap of the
// 100-pod day stays under 200 MB. It runs the day an hour at a time and,
// after each hour, forces a collection and reads HeapInuse: the bytes in
// in-use heap spans, i.e. what the run retains (the metric store, the
// pods, the trace so far) plus fragmentation, independent of how much
// garbage the run produced (TotalAlloc, reported by -benchmem).
func TestDay100PodsHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a day")
	}
	const limit = 200 << 20
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, total0 := ms.HeapInuse, ms.TotalAlloc
	s, err := sim.New(daySpec(100, 24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var peak uint64
	for h := time.Duration(1); h <= 24; h++ {
		if err := s.RunUntil(ctx, h*time.Hour); err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	res := s.Result()
	runtime.KeepAlive(s)
	t.Logf("peak HeapInuse %.1f MB (%.1f MB before the run), %.0f MB allocated in total, %d trace rows",
		float64(peak)/(1<<20), float64(base)/(1<<20), float64(ms.TotalAlloc-total0)/(1<<20), len(res.Samples))
	if peak > limit {
		t.Fatalf("peak heap %d MB, want under %d MB", peak>>20, limit>>20)
	}
}

// BenchmarkDays runs the 100- and 1,000-pod workloads for 1, 3, 10 and
// 30 simulated days. cpu-s/day is the CPU time per simulated day: with
// quiet ticks skipped, queries walking live series only and the store
// bounded by what the queries reach, it stays flat as the duration grows
// (the sine's period is a day, so every day is alike). The 30-day runs
// of 1,000 pods take a few seconds; -short skips them.
func BenchmarkDays(b *testing.B) {
	for _, pods := range []int32{100, 1000} {
		for _, days := range []int{1, 3, 10, 30} {
			b.Run(fmt.Sprintf("pods=%d/days=%d", pods, days), func(b *testing.B) {
				if testing.Short() && pods*int32(days) > 3000 {
					b.Skip("long")
				}
				spec := daySpec(pods, time.Duration(days)*24*time.Hour)
				ctx := context.Background()
				b.ReportAllocs()
				cpu0 := cpuTime()
				for i := 0; i < b.N; i++ {
					if _, err := sim.Run(ctx, spec); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N*days), "cpu-s/day")
				b.ReportMetric(b.Elapsed().Seconds()/float64(b.N*days), "wall-s/day")
			})
		}
	}
}

// BenchmarkNamespace4Days100Pods is four 100-pod days in one namespace
// (one store, lockstep ticks); against 4 x BenchmarkDay100Pods it is
// the cost of simulating them together.
func BenchmarkNamespace4Days100Pods(b *testing.B) {
	var spec sim.NamespaceSpec
	for i := range 4 {
		d := daySpec(100, 24*time.Hour)
		d.Workload.Name = fmt.Sprintf("ws-%d", i)
		d.KEDA.Object.ScaleTargetRef.Name = d.Workload.Name
		d.KEDA.Object.Triggers[0].Metadata = map[string]string{"serverAddress": "http://prometheus:9090", "threshold": "100",
			"query": fmt.Sprintf(`sum(websocket_connection_count{namespace="bench",job=%q})`, d.Workload.Name)}
		spec.Workloads = append(spec.Workloads, d)
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		if _, err := sim.RunNamespace(context.Background(), spec); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}
