package output

import (
	"math"

	"github.com/autoscale-sim/autoscale-sim/check"
)

// RunsResult is autoscale-sim run --runs N -o json (or merge -o json): the
// figures over N seeded runs as median, p95 and max, each expectation
// judged over the runs, and every run's own figures.
type RunsResult struct {
	TypeMeta
	File     string `json:"file"`
	Scenario string `json:"scenario"`
	Runs     int    `json:"runs"`
	// DurationSeconds is each run's length.
	DurationSeconds float64         `json:"durationSeconds"`
	Figures         []RunsFigure    `json:"figures"`
	Expectations    []RunsVerdict   `json:"expectations"`
	PerRun          []RunsRunRecord `json:"perRun"`
	Passed          bool            `json:"passed"`
}

// RunsFigure is one figure over the runs (nearest-rank quantiles over the
// runs in which it exists; null where none has it).
type RunsFigure struct {
	Name string `json:"name"`
	// Unit is "seconds" for durations, "" for counts and replica-seconds.
	Unit   string   `json:"unit"`
	Runs   int      `json:"runs"`
	Min    *float64 `json:"min"`
	Median *float64 `json:"median"`
	P95    *float64 `json:"p95"`
	Max    *float64 `json:"max"`
}

// RunsVerdict is an expectation over the runs: it holds when at least
// Quantile of them pass.
type RunsVerdict struct {
	Name       string  `json:"name"`
	Quantile   float64 `json:"quantile"`
	Runs       int     `json:"runs"`
	Failed     int     `json:"failed"`
	FailedRuns []int   `json:"failedRuns"`
	// RerunSeed reruns the first failing run (spec.sim.seed), with its
	// error; both absent when no run failed.
	RerunSeed *int64 `json:"rerunSeed"`
	Error     string `json:"error,omitempty"`
	Passed    bool   `json:"passed"`
}

// RunsRunRecord is one run: its index, seed and figures.
type RunsRunRecord struct {
	Index   int     `json:"index"`
	Seed    int64   `json:"seed"`
	Figures Figures `json:"figures"`
	// Failed names the expectations that failed in this run.
	Failed []string `json:"failed"`
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// RunsResultOf is the document of a distribution of runs.
func RunsResultOf(d *check.Distribution) RunsResult {
	out := RunsResult{TypeMeta: Meta(KindRuns), File: d.File, Scenario: d.Name, Runs: len(d.Records),
		DurationSeconds: Seconds(d.Duration), Figures: []RunsFigure{}, Expectations: []RunsVerdict{}, PerRun: []RunsRunRecord{}, Passed: !d.Failing()}
	for _, s := range d.Summaries() {
		f := RunsFigure{Name: s.Name, Runs: s.N, Min: finite(s.Min), Median: finite(s.Median), P95: finite(s.P95), Max: finite(s.Max)}
		if s.Seconds {
			f.Unit = "seconds"
		}
		out.Figures = append(out.Figures, f)
	}
	for _, v := range d.Verdicts() {
		rv := RunsVerdict{Name: v.Name, Quantile: v.Quantile, Runs: v.Runs, Failed: len(v.Failed), FailedRuns: append([]int{}, v.Failed...), Passed: v.Holds()}
		if len(v.Failed) > 0 {
			seed := v.Seed
			rv.RerunSeed, rv.Error = &seed, v.Error
		}
		out.Expectations = append(out.Expectations, rv)
	}
	for _, r := range d.Records {
		rec := RunsRunRecord{Index: r.Index, Seed: r.Seed, Figures: FiguresOf(r.Figures), Failed: []string{}}
		for k, msg := range r.Failed {
			if msg != "" && k < len(d.Assertions) {
				rec.Failed = append(rec.Failed, d.Assertions[k].Name)
			}
		}
		out.PerRun = append(out.PerRun, rec)
	}
	return out
}
