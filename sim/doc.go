// Package sim is the deterministic discrete-time engine of autoscale-sim.
//
// A Simulator drives a virtual clock from t = 0 (Spec.Start, a fixed epoch,
// never the wall clock) in steps of Spec.Tick. At every tick, in this fixed
// order, it runs whatever is due:
//
//  0. faults (Spec.Faults) start or end, with an event of source "sim";
//     a controller restart clears the HPA's memory;
//  1. pods: pods whose startup delay has passed become Ready; crashes due
//     now fail pods; terminated pods whose grace period has passed (and
//     whose series were marked stale) disappear;
//  2. load: clients open and close connections against the ready pods,
//     requests are served and counted, queues fill and drain (see
//     LoadModel); noise is drawn here; running containers accrue CPU time;
//  3. raw series (Spec.Series) points due are written; scrape (every
//     Prometheus.ScrapeInterval, unless a scrapeGap fault is active): one
//     sample per per-pod load per pod in the endpoints, labelled
//     namespace, pod and job, and one sample per queue; a pod that left
//     the endpoints gets a staleness marker, as Prometheus' scrape loop
//     writes; with a cpu or memory usage model, the kubelet's cAdvisor
//     series of every running container (see cadvisor.go), which end
//     with the container rather than with its endpoint;
//  4. KEDA poll (every pollingInterval of the ScaledObject): each trigger's
//     query runs as an instant query through the real PromQL engine (or
//     its bit-identical direct evaluation, see promql), the
//     scaler turns the result into a value and an activity, and the KEDA
//     loop may scale the workload (activation from 0, cooldown to 0);
//  5. HPA sync (every Controller.SyncPeriod, 15s as kube-controller-manager):
//     the HPA reads its metrics (for KEDA: the External metrics the KEDA
//     metrics server serves, re-querying Prometheus or reusing the polled
//     value as the KEDA version does) and reconciles;
//  6. ReplicaSet: pods are created or deleted to match spec.replicas;
//     deleted pods leave the endpoints at once;
//  7. trace: every TraceInterval a row of the trace is recorded.
//
// A tick at which only the load is due (most of them: nothing is scraped,
// polled, synced or recorded, no pod changes) runs step 2 alone in a few
// operations per load, without visiting the pods; the full tick runs from
// one due instant to the next. The results are those of running every
// step at every tick, byte for byte (stepping.go explains why, and
// TestEventSteppingMatchesEveryTick checks it).
//
// Steps that fall on the same instant always run in that order, so a scale
// decided at t sees the scrape of t, and pods it creates exist from t.
// By default every schedule starts at t = 0: the ScaledObject, its HPA and
// the first scrape are created together, as `kubectl apply` does, which is
// the best case a cluster shows. Spec.Phases moves the first scrape, poll,
// sync and metrics-server scrape, and adds the readiness probe's period,
// given or drawn from the seed (see Phases).
//
// Run keeps only the samples the autoscaler's queries can reach, so memory
// does not grow with the duration; a Simulator from New keeps them all
// unless BoundMemory is called.
//
// The engine holds no global state and draws no random numbers outside
// Spec.Seed (one PCG stream each for startup delays, noise, phase offsets
// and probe offsets), so the same Spec always produces the same Result, byte for
// byte once written by the report package.
//
// The decisions themselves are made by the pure cores in packages hpa and
// keda; this package only wires them to the simulated cluster and to the
// metric store of package promql.
package sim
