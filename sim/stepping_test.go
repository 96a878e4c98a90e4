package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/autoscale-sim/autoscale-sim/cluster"
	"github.com/autoscale-sim/autoscale-sim/cluster/autoscaler"
	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

func traceJSON(t *testing.T, res *sim.Result) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, report.WriteJSON(&buf, res))
	return buf.String()
}

// steppingSpecs are every example and generated days that stress what
// quiet ticks defer: noise that turns the load every tick, crashes,
// startup delays that fall between ticks of every schedule, scale-downs
// with terminating pods, a queue, and pollingIntervals and syncs that do
// not divide each other.
func steppingSpecs(t *testing.T) map[string]sim.Spec {
	paths, err := filepath.Glob("../examples/*/*scenario*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(paths), 7)
	specs := map[string]sim.Spec{}
	for _, p := range paths {
		sc, err := scenarios.Load(p)
		require.NoError(t, err)
		if sc.Namespace != nil {
			continue // namespaceSpecs
		}
		specs[strings.TrimPrefix(p, "../examples/")] = sc.Spec
	}
	r := rand.New(rand.NewPCG(19, 1))
	for i := range 12 {
		d := daySpec(int32(5+r.IntN(60)), time.Duration(2+r.IntN(5))*time.Hour)
		d.Seed = int64(i)
		d.Loads[0].Shape = sim.Sine{Period: time.Duration(20+r.IntN(100)) * time.Minute, Min: float64(r.IntN(500)), Max: float64(1000 + r.IntN(4000))}
		if i%3 != 2 {
			d.Loads[0].Noise = sim.Noise{Stddev: float64(1 + r.IntN(40))}
		}
		if i%4 == 1 {
			d.Workload.Crashes = []sim.Crash{{At: time.Duration(1+r.IntN(3000)) * time.Second, Count: 1 + r.IntN(3)}}
		}
		if i%4 == 3 {
			// Reaches 27 minutes back: what the bounded store keeps must
			// cover it.
			d.KEDA.Object.Triggers = append(d.KEDA.Object.Triggers, keda.Trigger{Type: "prometheus", Metadata: map[string]string{
				"serverAddress": "http://prometheus:9090",
				"query":         `max_over_time(sum(websocket_connection_count{namespace="bench"})[20m:1m] offset 3m) + min_over_time(count(websocket_connection_count{namespace="bench"})[1m:])`,
				"threshold":     "1000000",
			}})
		}
		if i%2 == 0 {
			// The placement itself shows, not only the total.
			d.KEDA.Object.Triggers = append(d.KEDA.Object.Triggers, keda.Trigger{Type: "prometheus", Metadata: map[string]string{
				"serverAddress": "http://prometheus:9090",
				"query":         `max(websocket_connection_count{namespace="bench"}) - min(websocket_connection_count{namespace="bench"})`,
				"threshold":     "1000000",
			}})
		}
		if i%4 == 2 {
			// Paused and resumed: the poll and the sync restart then.
			d.Annotate = []sim.AnnotationChange{
				{At: time.Duration(3000+r.IntN(500)) * time.Second, Set: map[string]string{"autoscaling.keda.sh/paused": "true"}},
				{At: time.Duration(4000+r.IntN(500)) * time.Second, Remove: []string{"autoscaling.keda.sh/paused"}},
				{At: time.Duration(5000+r.IntN(500)) * time.Second, Set: map[string]string{"autoscaling.keda.sh/paused-replicas": "3"}},
				{At: time.Duration(6000+r.IntN(500)) * time.Second, Remove: []string{"autoscaling.keda.sh/paused-replicas"}},
			}
		}
		if i%3 == 1 {
			d.Phases = sim.Phases{Random: true, ProbePeriod: time.Duration(1+r.IntN(10)) * time.Second}
		}
		if i%3 == 0 {
			// On an autoscaled node pool: pods wait for nodes that come
			// at drawn instants between ticks, and leave for scale-down.
			d.Workload.Resources.RequestsMilli = map[string]int64{"cpu": 1000}
			opts := autoscaler.DefaultOptions()
			opts.ScaleDownUnneededTime = time.Duration(60+r.IntN(600)) * time.Second
			opts.ScaleDownDelayAfterAdd = time.Duration(r.IntN(600)) * time.Second
			d.NodePool = &cluster.Pool{Name: "pool", Nodes: 2, CPU: resource.MustParse("8"), Memory: resource.MustParse("32Gi"), Pods: 110,
				Scheduler: scheduler.DefaultOptions(),
				Autoscaling: &cluster.Autoscaling{MinNodes: 1, MaxNodes: 12, Options: opts,
					Provisioning: autoscaler.Delay{Min: 45 * time.Second, Max: time.Duration(60+r.IntN(200)) * time.Second}}}
		}
		d.Workload.PodStartup = time.Duration(1+r.IntN(40)) * time.Second
		d.Workload.PodTermination = time.Duration(r.IntN(50)) * time.Second
		d.Prometheus.ScrapeInterval = time.Duration(5+r.IntN(25)) * time.Second
		d.KEDA.Object.PollingInterval = i32(int32(7 + r.IntN(40)))
		d.Controller.SyncPeriod = time.Duration(10+r.IntN(20)) * time.Second
		d.TraceInterval = time.Duration(1+r.IntN(60)) * time.Second
		specs[fmt.Sprintf("day-%d", i)] = d
	}
	return specs
}

// TestEventSteppingMatchesEveryTick: the engine that runs a full tick
// only when something is due gives the trace, timeline and figures of
// the engine that runs one at every tick, byte for byte.
func TestEventSteppingMatchesEveryTick(t *testing.T) {
	for name, spec := range steppingSpecs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, err := sim.RunEveryTick(context.Background(), spec)
			require.NoError(t, err)
			got, err := sim.Run(context.Background(), spec)
			require.NoError(t, err)
			sameText(t, traceJSON(t, want), traceJSON(t, got))
			require.Equal(t, want.OverloadedSeconds, got.OverloadedSeconds)
			require.Equal(t, want.LoadRise, got.LoadRise)
		})
	}
}

// sameText fails at the first line where got differs from want.
func sameText(t *testing.T, want, got string) {
	t.Helper()
	if want == got {
		return
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			t.Fatalf("line %d differs:\nwant %.300s\ngot  %.300s", i+1, w[i], g[i])
		}
	}
	t.Fatalf("want %d lines, got %d", len(w), len(g))
}
