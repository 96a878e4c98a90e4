package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Distribution is a spec run n times with seeds Spec.Seed, Spec.Seed+1,
// ...: each variant draws its own phases (with Phases.Random), startup
// delays and noise. Records are in the order of their index, whatever the
// number of workers that ran them, so the same spec and n always give the
// same Distribution. A shard (RunMany with a Shard) holds the records of
// its indices only; Merge puts the shards back together.
type Distribution struct {
	Name string `json:"name"`
	// File is the scenario file the runs came from, as its caller names
	// it (RunMany leaves it empty).
	File string `json:"file,omitempty"`
	// Runs is the number of runs of the whole distribution, Shard which
	// part of them this holds.
	Runs  int   `json:"runs"`
	Shard Shard `json:"shard"`
	// Duration is each run's length.
	Duration time.Duration `json:"duration"`
	// Assertions are the names and quantiles of the claims checked.
	Assertions []AssertionInfo `json:"assertions"`
	Records    []Record        `json:"records"`
}

// AssertionInfo names a claim and the share of runs it must hold in.
type AssertionInfo struct {
	Name     string  `json:"name"`
	Quantile float64 `json:"quantile"`
}

// Record is one run of a distribution.
type Record struct {
	Index   int     `json:"index"`
	Seed    int64   `json:"seed"`
	Figures Figures `json:"figures"`
	// Steps are spec.replicas as steps: the initial value at 0, then
	// every change (what the band plot draws).
	Steps []Step `json:"steps"`
	// Failed are the errors of the assertions, by index ("" when it
	// held).
	Failed []string `json:"failed"`
}

// Shard is part K of N of a distribution: the runs whose index is K
// modulo N (so every shard gets early and late seeds alike).
type Shard struct {
	K int `json:"k"`
	N int `json:"n"`
}

// ParseShard reads K/N (0 <= K < N).
func ParseShard(s string) (Shard, error) {
	var sh Shard
	if _, err := fmt.Sscanf(s, "%d/%d", &sh.K, &sh.N); err != nil || fmt.Sprintf("%d/%d", sh.K, sh.N) != s || sh.N < 1 || sh.K < 0 || sh.K >= sh.N {
		return Shard{}, fmt.Errorf("--shard %q: want K/N with 0 <= K < N, e.g. 0/4 (Kubernetes' JOB_COMPLETION_INDEX as K)", s)
	}
	return sh, nil
}

// Has reports whether the shard runs index i.
func (sh Shard) Has(i int) bool { return sh.N <= 1 || i%sh.N == sh.K }

// Step is spec.replicas from T on.
type Step struct {
	T        time.Duration `json:"t"`
	Replicas int32         `json:"replicas"`
}

// RunMany simulates the runs of shard (all n when shard is zero) among n
// seeded variants of spec, on workers goroutines (GOMAXPROCS when
// workers <= 0), and checks each against the assertions, which must hold
// in the share quantiles gives (1 where it is short or 0). A run that
// fails to simulate fails RunMany with the seed that broke.
func RunMany(ctx context.Context, spec sim.Spec, n, workers int, as []Assertion, quantiles []float64, shard Shard) (*Distribution, error) {
	names := make([]string, len(as))
	for k, a := range as {
		names[k] = a.Name()
	}
	return runMany(ctx, spec.Name, spec.Duration, spec.Defaulted().Seed, n, workers, names, quantiles, shard, func(ctx context.Context, seed int64) (Record, error) {
		v := spec
		v.Seed = seed
		res, err := sim.Run(ctx, v)
		if err != nil {
			return Record{}, err
		}
		rec := Record{Figures: FiguresOf(res), Steps: stepsOf(res), Failed: make([]string, len(as))}
		for k, a := range as {
			if err := a.Check(res); err != nil {
				rec.Failed[k] = err.Error()
			}
		}
		return rec, nil
	})
}

// WorkloadAssertion is a claim about one workload of a namespace, by its
// index.
type WorkloadAssertion struct {
	Workload int
	Assertion
}

// RunManyNamespace is RunMany for a namespace: each run is the
// namespace with the run's seed (each workload's mixed from it, see
// sim.NamespaceSpec), its figures and steps those of the namespace as one
// (NamespaceRun.Total), and each claim is checked against its workload's
// result.
func RunManyNamespace(ctx context.Context, spec sim.NamespaceSpec, n, workers int, as []WorkloadAssertion, quantiles []float64, shard Shard) (*Distribution, error) {
	if len(spec.Workloads) == 0 {
		return nil, errors.New("a namespace needs at least one workload")
	}
	names := make([]string, len(as))
	for k, a := range as {
		if a.Workload < 0 || a.Workload >= len(spec.Workloads) {
			return nil, fmt.Errorf("assertion %q: the namespace has no workload %d", a.Name(), a.Workload)
		}
		names[k] = a.Name()
	}
	first := spec.Workloads[0]
	return runMany(ctx, spec.Name, first.Duration, first.Defaulted().Seed, n, workers, names, quantiles, shard, func(ctx context.Context, seed int64) (Record, error) {
		v := spec
		v.Workloads = slices.Clone(spec.Workloads)
		for i := range v.Workloads {
			v.Workloads[i].Seed = seed
		}
		res, err := sim.RunNamespace(ctx, v)
		if err != nil {
			return Record{}, err
		}
		nr := &NamespaceRun{Result: res}
		for _, w := range res.Workloads {
			nr.Workloads = append(nr.Workloads, &Run{Result: w})
		}
		total, f := nr.Total()
		rec := Record{Figures: f, Steps: stepsOf(total.Result), Failed: make([]string, len(as))}
		for k, a := range as {
			if err := a.Check(res.Workloads[a.Workload]); err != nil {
				rec.Failed[k] = err.Error()
			}
		}
		return rec, nil
	})
}

// runMany runs the records of shard among n runs, one(seed) each.
func runMany(ctx context.Context, name string, duration time.Duration, seed int64, n, workers int, names []string, quantiles []float64, shard Shard,
	one func(ctx context.Context, seed int64) (Record, error)) (*Distribution, error) {
	if n < 1 {
		return nil, fmt.Errorf("runs must be at least 1, got %d", n)
	}
	if shard.N == 0 {
		shard = Shard{0, 1}
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	d := &Distribution{Name: name, Runs: n, Shard: shard, Duration: duration}
	for k, a := range names {
		q := 1.0
		if k < len(quantiles) && quantiles[k] > 0 {
			q = quantiles[k]
		}
		d.Assertions = append(d.Assertions, AssertionInfo{Name: a, Quantile: q})
	}
	var idx []int
	for i := range n {
		if shard.Has(i) {
			idx = append(idx, i)
		}
	}
	d.Records = make([]Record, len(idx))
	errs := make([]error, len(idx))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(idx), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				i := idx[j]
				s := seed + int64(i)
				rec, err := one(ctx, s)
				if err != nil {
					errs[j] = fmt.Errorf("run %d (seed %d): %w", i, s, err)
					continue
				}
				rec.Index, rec.Seed = i, s
				d.Records[j] = rec
			}
		}()
	}
	for j := range idx {
		next <- j
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, nil
}

// valid checks what a shard read from a file must hold for the outputs.
func (r Record) valid(assertions int) error {
	if len(r.Steps) == 0 || r.Steps[0].T != 0 {
		return errors.New("its replica steps must start at 0s")
	}
	for i := 1; i < len(r.Steps); i++ {
		if r.Steps[i].T < r.Steps[i-1].T {
			return errors.New("its replica steps are not in time order")
		}
	}
	if len(r.Failed) != assertions {
		return fmt.Errorf("%d assertion results for %d assertions", len(r.Failed), assertions)
	}
	return nil
}

// Merge puts the shards of one distribution back together: the result is
// the Distribution of one unsharded RunMany.
func Merge(shards ...*Distribution) (*Distribution, error) {
	if len(shards) == 0 {
		return nil, errors.New("merge needs at least one shard")
	}
	first := shards[0]
	total := 0
	for si, sh := range shards {
		total += len(sh.Records)
		for _, r := range sh.Records {
			if err := r.valid(len(first.Assertions)); err != nil {
				return nil, fmt.Errorf("shard %d (%d/%d): run %d: %w", si, sh.Shard.K, sh.Shard.N, r.Index, err)
			}
		}
	}
	if first.Duration <= 0 {
		return nil, fmt.Errorf("shard 0 (%d/%d): the run's duration %s is not positive", first.Shard.K, first.Shard.N, first.Duration)
	}
	if first.Runs < 1 || total > first.Runs {
		return nil, fmt.Errorf("the shards hold %d runs of a distribution of %d: not the shards of one distribution", total, first.Runs)
	}
	if total < first.Runs {
		return nil, fmt.Errorf("the shards hold %d of the %d runs: some run is in no shard; give every shard of the distribution", total, first.Runs)
	}
	out := &Distribution{Name: first.Name, File: first.File, Runs: first.Runs, Shard: Shard{0, 1}, Duration: first.Duration, Assertions: first.Assertions}
	seen := make([]bool, first.Runs)
	for si, sh := range shards {
		if sh.Name != first.Name || sh.File != first.File || sh.Runs != first.Runs || sh.Duration != first.Duration || !slices.Equal(sh.Assertions, first.Assertions) {
			return nil, fmt.Errorf("shard %d (%d/%d) is not of the same distribution as shard 0 (%q, %d runs)", si, sh.Shard.K, sh.Shard.N, first.Name, first.Runs)
		}
		for _, r := range sh.Records {
			if r.Index < 0 || r.Index >= first.Runs || seen[r.Index] {
				return nil, fmt.Errorf("shard %d (%d/%d): run %d is out of range or given twice", si, sh.Shard.K, sh.Shard.N, r.Index)
			}
			seen[r.Index] = true
			out.Records = append(out.Records, r)
		}
	}
	if i := slices.Index(seen, false); i >= 0 {
		return nil, fmt.Errorf("run %d of %d is in no shard: give every shard of the distribution", i, first.Runs)
	}
	slices.SortFunc(out.Records, func(a, b Record) int { return a.Index - b.Index })
	return out, nil
}

func stepsOf(r *sim.Result) []Step {
	out := []Step{{0, r.InitialReplicas}}
	for _, s := range r.Samples {
		if last := out[len(out)-1]; s.DesiredReplicas != last.Replicas {
			out = append(out, Step{s.T, s.DesiredReplicas})
		}
	}
	return out
}

// Summary is one figure over the runs: its median, 95th percentile and
// maximum by the nearest-rank method (the value of rank ceil(q*n) among
// the n sorted values, so every figure is one a run had), over the runs
// in which the figure exists (N of them).
type Summary struct {
	Name             string
	N                int
	Median, P95, Max float64
	Min              float64
	// Seconds says the values are durations in seconds.
	Seconds bool
}

// Quantile is the nearest-rank q-quantile of sorted values (0 < q <= 1).
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	k := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}

// Summaries are the figures of the runs as median, p95 and max.
func (d *Distribution) Summaries() []Summary {
	defs := []struct {
		name    string
		seconds bool
		get     func(Figures) (float64, bool)
		// nodes marks the figures of a run on a node pool, listed only
		// when some run has them.
		nodes bool
	}{
		{"cost (replica-seconds)", false, func(f Figures) (float64, bool) { return f.ReplicaSeconds, true }, false},
		{"max replicas", false, func(f Figures) (float64, bool) { return float64(f.MaxReplicas), true }, false},
		{"final replicas", false, func(f Figures) (float64, bool) { return float64(f.FinalReplicas), true }, false},
		{"time overloaded", true, func(f Figures) (float64, bool) { return f.OverloadedSeconds, true }, false},
		{"time above target", true, func(f Figures) (float64, bool) { return f.AboveTarget.Seconds(), true }, false},
		{"time to first scale-up", true, func(f Figures) (float64, bool) {
			return f.TimeToFirstScaleUp.Seconds(), f.ScaledUpAfterRise
		}, false},
		{"scale events", false, func(f Figures) (float64, bool) { return float64(f.ScaleEvents), true }, false},
		{"direction changes", false, func(f Figures) (float64, bool) { return float64(f.DirectionChanges), true }, false},
		{"time Pending (pod-seconds)", true, func(f Figures) (float64, bool) {
			return nodeFigure(f, func(n *sim.NodeFigures) float64 { return n.PendingSeconds })
		}, true},
		{"longest wait for a node", true, func(f Figures) (float64, bool) {
			return nodeFigure(f, func(n *sim.NodeFigures) float64 { return n.LongestWait.Seconds() })
		}, true},
		{"node-seconds", false, func(f Figures) (float64, bool) {
			return nodeFigure(f, func(n *sim.NodeFigures) float64 { return n.NodeSeconds })
		}, true},
		{"peak nodes", false, func(f Figures) (float64, bool) {
			return nodeFigure(f, func(n *sim.NodeFigures) float64 { return float64(n.PeakNodes) })
		}, true},
	}
	out := make([]Summary, 0, len(defs))
	for _, def := range defs {
		var vs []float64
		for _, r := range d.Records {
			if v, ok := def.get(r.Figures); ok {
				vs = append(vs, v)
			}
		}
		if def.nodes && len(vs) == 0 {
			continue
		}
		slices.Sort(vs)
		s := Summary{Name: def.name, N: len(vs), Seconds: def.seconds}
		if len(vs) > 0 {
			s.Median, s.P95, s.Max, s.Min = Quantile(vs, 0.5), Quantile(vs, 0.95), vs[len(vs)-1], vs[0]
		} else {
			s.Median, s.P95, s.Max, s.Min = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		}
		out = append(out, s)
	}
	return out
}

// nodeFigure reads one node figure of a run, absent without a node pool.
func nodeFigure(f Figures, get func(*sim.NodeFigures) float64) (float64, bool) {
	if f.Nodes == nil {
		return 0, false
	}
	return get(f.Nodes), true
}

// Band is spec.replicas over the runs at each instant of grid: the
// median, the 5th and 95th percentiles and the extremes (nearest rank).
type Band struct {
	T                         []time.Duration
	Min, P5, Median, P95, Max []float64
}

// Band samples every run's replicas every step (at most 100,001
// instants: a shorter step is widened).
func (d *Distribution) Band(step time.Duration) Band {
	var b Band
	if len(d.Records) == 0 || d.Duration <= 0 {
		return b
	}
	step = max(step, d.Duration/100000, 1)
	idx := make([]int, len(d.Records))
	vs := make([]float64, len(d.Records))
	for t := time.Duration(0); t <= d.Duration; t += step {
		for i, r := range d.Records {
			st := r.Steps
			if len(st) == 0 {
				vs[i] = 0
				continue
			}
			for idx[i]+1 < len(st) && st[idx[i]+1].T <= t {
				idx[i]++
			}
			vs[i] = float64(st[idx[i]].Replicas)
		}
		sorted := slices.Clone(vs)
		slices.Sort(sorted)
		b.T = append(b.T, t)
		b.Min = append(b.Min, sorted[0])
		b.P5 = append(b.P5, Quantile(sorted, 0.05))
		b.Median = append(b.Median, Quantile(sorted, 0.5))
		b.P95 = append(b.P95, Quantile(sorted, 0.95))
		b.Max = append(b.Max, sorted[len(sorted)-1])
	}
	return b
}

// Verdict is an assertion over the runs: it holds when the share of runs
// in which it holds is at least Quantile (1: every run).
type Verdict struct {
	Name     string
	Quantile float64
	Runs     int
	// Failed are the indices of the runs in which it failed; Seed
	// reruns the first of them, Error is what it said.
	Failed []int
	Seed   int64
	Error  string
}

// Holds reports whether enough runs passed.
func (v Verdict) Holds() bool {
	return float64(v.Runs-len(v.Failed)) >= v.Quantile*float64(v.Runs)-1e-9
}

// Err is nil when the claim holds in enough runs, otherwise how many
// broke it and the seed that reruns the first of them.
func (v Verdict) Err() error {
	if v.Holds() {
		return nil
	}
	return fmt.Errorf("%d of %d runs failed (must hold in %g %%); rerun seed %d (spec.sim.seed: %d): %s",
		len(v.Failed), v.Runs, 100*v.Quantile, v.Seed, v.Seed, v.Error)
}

// Verdicts judges the assertions over the records.
func (d *Distribution) Verdicts() []Verdict {
	out := make([]Verdict, len(d.Assertions))
	for k, a := range d.Assertions {
		v := Verdict{Name: a.Name, Quantile: a.Quantile, Runs: len(d.Records)}
		for _, r := range d.Records {
			if k < len(r.Failed) && r.Failed[k] != "" {
				if len(v.Failed) == 0 {
					v.Seed, v.Error = r.Seed, r.Failed[k]
				}
				v.Failed = append(v.Failed, r.Index)
			}
		}
		out[k] = v
	}
	return out
}

// WriteText prints the distribution: each figure's median, p95 and max,
// then each claim with how many runs broke it and the seed to rerun.
func (d *Distribution) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	p := ew.printf
	first, last := int64(0), int64(0)
	if n := len(d.Records); n > 0 {
		first, last = d.Records[0].Seed, d.Records[n-1].Seed
	}
	p("%s: %d runs (seeds %d to %d), each %s\n\n", d.Name, len(d.Records), first, last, Duration(d.Duration))
	p("  %-24s %12s %12s %12s\n", "figure", "median", "p95", "max")
	for _, s := range d.Summaries() {
		f := func(v float64) string {
			switch {
			case math.IsNaN(v):
				return "-"
			case s.Seconds:
				return Duration(time.Duration(math.Round(v)) * time.Second)
			}
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		name := s.Name
		if s.N < len(d.Records) {
			name = fmt.Sprintf("%s (%d runs)", name, s.N)
		}
		p("  %-24s %12s %12s %12s\n", name, f(s.Median), f(s.P95), f(s.Max))
	}
	if vs := d.Verdicts(); len(vs) > 0 {
		p("\n")
		for _, v := range vs {
			status := "ok  "
			if !v.Holds() {
				status = "FAIL"
			}
			p("  %s %s: %d of %d runs failed", status, v.Name, len(v.Failed), v.Runs)
			if v.Quantile < 1 {
				p(" (must hold in %g %%)", 100*v.Quantile)
			}
			if len(v.Failed) > 0 {
				p("; rerun seed %d (spec.sim.seed: %d): %s", v.Seed, v.Seed, clip(v.Error, 200))
			}
			p("\n")
		}
	}
	return ew.err
}

// Failing reports whether some claim does not hold in enough runs.
func (d *Distribution) Failing() bool {
	for _, v := range d.Verdicts() {
		if !v.Holds() {
			return true
		}
	}
	return false
}
