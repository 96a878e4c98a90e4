package output

import (
	"time"

	"github.com/autoscale-sim/autoscale-sim/backtest"
)

// BacktestResult is autoscale-sim backtest -o json: the figures of the
// comparison of a replay with what the cluster recorded, and every
// disagreement.
type BacktestResult struct {
	TypeMeta
	File     string `json:"file"`
	Scenario string `json:"scenario"`
	// Namespace, ScaledObject and HPA name the objects compared.
	Namespace    string `json:"namespace"`
	ScaledObject string `json:"scaledObject"`
	HPA          string `json:"hpa"`
	// From and To bound the window (RFC 3339).
	From              string  `json:"from"`
	To                string  `json:"to"`
	SyncPeriodSeconds float64 `json:"syncPeriodSeconds"`
	// WarmupSeconds is the replay before From that is not compared.
	WarmupSeconds float64 `json:"warmupSeconds"`
	// Compared is the recorded series the HPA's decisions are compared
	// with.
	Compared      string              `json:"compared"`
	StartReplicas int32               `json:"startReplicas"`
	StartFrom     string              `json:"startFrom"`
	Inputs        []BacktestInput     `json:"inputs"`
	Syncs         int                 `json:"syncs"`
	Agreeing      int                 `json:"agreeing"`
	Missing       int                 `json:"missing"`
	Agreement     float64             `json:"agreement"`
	MinAgreement  *float64            `json:"minAgreement"`
	Passed        bool                `json:"passed"`
	Simulated     float64             `json:"simulatedReplicaSeconds"`
	Recorded      float64             `json:"recordedReplicaSeconds"`
	Error         float64             `json:"replicaSecondsError"`
	MAE           float64             `json:"meanAbsoluteError"`
	LagSeconds    float64             `json:"lagSeconds"`
	LagAgreement  float64             `json:"lagAgreement"`
	Disagreements []BacktestDisagreed `json:"disagreements"`
	Notes         []string            `json:"notes"`
}

// BacktestInput is what one trigger replayed.
type BacktestInput struct {
	Trigger int    `json:"trigger"`
	Metric  string `json:"metric"`
	Source  string `json:"source"`
	Series  int    `json:"series"`
	Points  int    `json:"points"`
	// FailedSeconds is how long the trigger's reads fail in the replay
	// (from keda_scaler_detail_errors_total).
	FailedSeconds float64 `json:"failedSeconds"`
}

// BacktestDisagreed is one HPA sync whose desired replicas differ from the
// recorded ones; Recorded is null when no recorded sample was in force.
type BacktestDisagreed struct {
	At            string  `json:"at"`
	OffsetSeconds float64 `json:"offsetSeconds"`
	Recorded      *int32  `json:"recorded"`
	Simulated     int32   `json:"simulated"`
	Why           string  `json:"why"`
}

// BacktestResultOf converts a report; minAgreement is nil when no bound
// was asked for.
func BacktestResultOf(r *backtest.Report, file string, minAgreement *float64) BacktestResult {
	out := BacktestResult{TypeMeta: Meta(KindBacktest), File: file, Scenario: r.Scenario,
		Namespace: r.Namespace, ScaledObject: r.ScaledObject, HPA: r.HPA,
		From: r.From.UTC().Format(time.RFC3339Nano), To: r.To.UTC().Format(time.RFC3339Nano),
		SyncPeriodSeconds: Seconds(r.SyncPeriod), WarmupSeconds: Seconds(r.Warmup), Compared: r.Compared, StartReplicas: r.Start, StartFrom: r.StartFrom,
		Inputs: []BacktestInput{}, Syncs: r.Syncs, Agreeing: r.Agreeing, Missing: r.Missing, Agreement: r.Agreement,
		MinAgreement: minAgreement, Passed: minAgreement == nil || r.Agreement >= *minAgreement,
		Simulated: r.SimulatedReplicaSeconds, Recorded: r.RecordedReplicaSeconds, Error: r.ReplicaSecondsError,
		MAE: r.MeanAbsoluteError, LagSeconds: Seconds(r.Lag), LagAgreement: r.LagAgreement,
		Disagreements: []BacktestDisagreed{}, Notes: append([]string{}, r.Notes...)}
	for _, in := range r.Inputs {
		out.Inputs = append(out.Inputs, BacktestInput{Trigger: in.Trigger, Metric: in.Metric, Source: in.Source,
			Series: in.Series, Points: in.Points, FailedSeconds: Seconds(in.FailedFor)})
	}
	for _, d := range r.Disagreement {
		out.Disagreements = append(out.Disagreements, BacktestDisagreed{At: d.At.UTC().Format(time.RFC3339Nano),
			OffsetSeconds: Seconds(d.Offset), Recorded: d.Recorded, Simulated: d.Simulated, Why: d.Why})
	}
	return out
}
