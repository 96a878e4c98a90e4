package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// APIVersion is the version of every document of the package.
const APIVersion = "autoscale-sim.dev/v1alpha1"

// Kinds of documents.
const (
	KindRunResult   = "RunResult"
	KindTestResult  = "TestResult"
	KindLintResult  = "LintResult"
	KindExplanation = "Explanation"
	KindSweepResult = "SweepResult"
	KindComparison  = "Comparison"
	KindVersion     = "Version"
	KindBacktest    = "BacktestResult"
	KindRuns        = "RunsResult"
)

// TypeMeta names a document's version and kind.
type TypeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
}

// Meta returns the TypeMeta of a kind.
func Meta(kind string) TypeMeta { return TypeMeta{APIVersion: APIVersion, Kind: kind} }

// Write writes doc as indented JSON (format "json") or YAML ("yaml").
func Write(w io.Writer, format string, doc any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	switch format {
	case "json":
		_, err := w.Write(buf.Bytes())
		return err
	case "yaml":
		return jsonToYAML(w, buf.Bytes())
	}
	return fmt.Errorf("output: unknown format %q", format)
}

// jsonToYAML re-encodes a JSON document as block-style YAML, keeping the
// order of the keys (JSON is YAML: yaml.v3 reads it as nodes).
func jsonToYAML(w io.Writer, data []byte) error {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return err
	}
	var plain func(*yaml.Node)
	plain = func(n *yaml.Node) {
		n.Style = 0
		for _, c := range n.Content {
			plain(c)
		}
	}
	plain(&n)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return err
	}
	return enc.Close()
}

// Seconds is a duration as a number of seconds.
func Seconds(d time.Duration) float64 { return d.Seconds() }

// Figures are the numbers a design review compares (check.Figures).
type Figures struct {
	// ReplicaSeconds is the integral of spec.replicas: the cost.
	ReplicaSeconds float64 `json:"replicaSeconds"`
	// OverloadedSeconds is the time the load exceeded what the ready pods
	// serve.
	OverloadedSeconds float64 `json:"overloadedSeconds"`
	// AboveTargetSeconds is the time a metric per ready pod was above its
	// target.
	AboveTargetSeconds float64 `json:"aboveTargetSeconds"`
	// TimeToFirstScaleUpSeconds is the time from the load's rise to the
	// first scale-up; null when the load never rises or nothing scales up
	// after it.
	TimeToFirstScaleUpSeconds *float64 `json:"timeToFirstScaleUpSeconds"`
	MinReplicas               int32    `json:"minReplicas"`
	MaxReplicas               int32    `json:"maxReplicas"`
	FinalReplicas             int32    `json:"finalReplicas"`
	ScaleEvents               int      `json:"scaleEvents"`
	ScaleUps                  int      `json:"scaleUps"`
	ScaleDowns                int      `json:"scaleDowns"`
	// Flaps counts direction changes (an up after a down or the reverse).
	Flaps int `json:"flaps"`
	// Jobs are the figures of a ScaledJob run.
	Jobs *JobFigures `json:"jobs,omitempty"`
	// Nodes are the figures of a run on a node pool.
	Nodes *NodeFigures `json:"nodes,omitempty"`
}

// NodeFigures are the figures of a run on a node pool (sim.NodeFigures).
type NodeFigures struct {
	PendingSeconds     float64       `json:"pendingSeconds"`
	PodsWaited         int           `json:"podsWaited"`
	LongestWaitSeconds float64       `json:"longestWaitSeconds"`
	NodeSeconds        float64       `json:"nodeSeconds"`
	ReadyNodeSeconds   float64       `json:"readyNodeSeconds"`
	PeakNodes          int           `json:"peakNodes"`
	PeakNodesAtSeconds float64       `json:"peakNodesAtSeconds"`
	NodesAdded         int           `json:"nodesAdded"`
	NodesRemoved       int           `json:"nodesRemoved"`
	ScaleOut           *NodeScaleOut `json:"scaleOut,omitempty"`
}

// NodeScaleOut is the first scale-up after the load rises on a node pool.
type NodeScaleOut struct {
	AtSeconds float64 `json:"atSeconds"`
	Replicas  int32   `json:"replicas"`
	// ReadyAfterSeconds is null when the pods were not all Ready by the end.
	ReadyAfterSeconds *float64 `json:"readyAfterSeconds"`
	NodeWaitSeconds   float64  `json:"nodeWaitSeconds"`
}

// JobFigures are the figures of a ScaledJob run (sim.JobFigures).
type JobFigures struct {
	MeanMessageWaitSeconds float64 `json:"meanMessageWaitSeconds"`
	MessagesTaken          int     `json:"messagesTaken"`
	MessagesWaiting        int     `json:"messagesWaiting"`
	JobsCreated            int     `json:"jobsCreated"`
	JobsSucceeded          int     `json:"jobsSucceeded"`
	JobsFailed             int     `json:"jobsFailed"`
	PeakRunning            int     `json:"peakRunning"`
}

// FiguresOf converts check.Figures.
func FiguresOf(f check.Figures) Figures {
	out := Figures{
		ReplicaSeconds:     f.ReplicaSeconds,
		OverloadedSeconds:  f.OverloadedSeconds,
		AboveTargetSeconds: Seconds(f.AboveTarget),
		MinReplicas:        f.MinReplicas,
		MaxReplicas:        f.MaxReplicas,
		FinalReplicas:      f.FinalReplicas,
		ScaleEvents:        f.ScaleEvents,
		ScaleUps:           f.ScaleUps,
		ScaleDowns:         f.ScaleDowns,
		Flaps:              f.DirectionChanges,
	}
	if f.ScaledUpAfterRise {
		s := Seconds(f.TimeToFirstScaleUp)
		out.TimeToFirstScaleUpSeconds = &s
	}
	if n := f.Nodes; n != nil {
		out.Nodes = &NodeFigures{PendingSeconds: n.PendingSeconds, PodsWaited: n.PodsWaited, LongestWaitSeconds: Seconds(n.LongestWait),
			NodeSeconds: n.NodeSeconds, ReadyNodeSeconds: n.ReadyNodeSeconds, PeakNodes: n.PeakNodes, PeakNodesAtSeconds: Seconds(n.PeakNodesAt),
			NodesAdded: n.NodesAdded, NodesRemoved: n.NodesRemoved}
		if so := n.ScaleOut; so != nil {
			o := &NodeScaleOut{AtSeconds: Seconds(so.At), Replicas: so.To, NodeWaitSeconds: Seconds(n.ScaleOutNodeWait)}
			if so.Reached {
				v := Seconds(so.Ready - so.At)
				o.ReadyAfterSeconds = &v
			}
			out.Nodes.ScaleOut = o
		}
	}
	if j := f.Jobs; j != nil {
		out.Jobs = &JobFigures{MeanMessageWaitSeconds: Seconds(j.MeanMessageWait), MessagesTaken: j.MessagesTaken, MessagesWaiting: j.MessagesWaiting,
			JobsCreated: j.JobsCreated, JobsSucceeded: j.JobsSucceeded, JobsFailed: j.JobsFailed, PeakRunning: j.PeakRunning}
	}
	return out
}

// Event is a line of the timeline.
type Event struct {
	// T is the offset from the start of the run, in seconds.
	T       float64 `json:"t"`
	Source  string  `json:"source"`
	Type    string  `json:"type"`
	Reason  string  `json:"reason"`
	From    int32   `json:"from"`
	To      int32   `json:"to"`
	Message string  `json:"message"`
}

// Problem is a located problem of an input file.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// ProblemsOf lists the located problems of a load error (one problem
// without a location for any other error).
func ProblemsOf(err error) []Problem {
	if e, ok := err.(*scenarios.Error); ok {
		out := make([]Problem, len(e.Problems))
		for i, p := range e.Problems {
			out[i] = Problem(p)
		}
		return out
	}
	return []Problem{{Message: err.Error()}}
}

// Setting is a value of the run and where it came from.
type Setting struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source"`
	Note   string `json:"note,omitempty"`
}

// Assumption is a default the run relies on that may flatter the result.
type Assumption struct {
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

// KEDAState is the ScaledObject's state from T on.
type KEDAState struct {
	T        float64 `json:"t"`
	Activity string  `json:"activity"`
	Fallback bool    `json:"fallback"`
}

// RunResult is what `run -o json` writes.
type RunResult struct {
	TypeMeta
	// Scenario is the scenario file.
	Scenario        string       `json:"scenario"`
	Name            string       `json:"name"`
	Autoscaler      string       `json:"autoscaler"`
	Workload        string       `json:"workload"`
	Seed            int64        `json:"seed"`
	DurationSeconds float64      `json:"durationSeconds"`
	InitialReplicas int32        `json:"initialReplicas"`
	MinReplicas     int32        `json:"minReplicas"`
	MaxReplicas     int32        `json:"maxReplicas"`
	Figures         Figures      `json:"figures"`
	Events          []Event      `json:"events"`
	KEDA            []KEDAState  `json:"keda"`
	Settings        []Setting    `json:"settings"`
	Assumptions     []Assumption `json:"assumptions"`
	Warnings        []Problem    `json:"warnings"`
}

// RunResultOf describes a finished run.
func RunResultOf(run *check.Run) RunResult {
	r := run.Result
	out := RunResult{
		TypeMeta: Meta(KindRunResult), Name: r.Name, Autoscaler: r.Autoscaler, Workload: r.Workload,
		Seed: r.Seed, DurationSeconds: Seconds(r.Duration), InitialReplicas: r.InitialReplicas,
		MinReplicas: r.MinReplicas, MaxReplicas: r.MaxReplicas, Figures: FiguresOf(run.Figures()),
		Events: []Event{}, KEDA: []KEDAState{}, Settings: []Setting{}, Assumptions: []Assumption{}, Warnings: []Problem{},
	}
	if run.Scenario != nil {
		out.Scenario = run.Scenario.File
		for _, w := range run.Scenario.Warnings {
			out.Warnings = append(out.Warnings, Problem(w))
		}
	}
	out.Events = eventsOf(r.Events)
	for _, k := range r.KEDA {
		out.KEDA = append(out.KEDA, KEDAState{T: Seconds(k.T), Activity: k.Activity, Fallback: k.Fallback})
	}
	for _, s := range r.Settings {
		out.Settings = append(out.Settings, Setting(s))
	}
	for _, a := range r.Assumptions {
		out.Assumptions = append(out.Assumptions, Assumption(a))
	}
	return out
}

// Statuses of a file, an expectation or a run.
const (
	Passed  = "passed"
	Failed  = "failed"
	Invalid = "invalid"
)

// TestResult is what `test -o json` writes.
type TestResult struct {
	TypeMeta
	Files []TestFile `json:"files"`
	// Passed and Failed count the files; an invalid file counts as failed.
	Passed int `json:"passed"`
	Failed int `json:"failed"`
}

// TestFile is one scenario file of a test run.
type TestFile struct {
	File string `json:"file"`
	// Status is passed, failed (an expectation failed) or invalid (the
	// file could not be loaded or run; see Problems).
	Status       string        `json:"status"`
	Problems     []Problem     `json:"problems"`
	Expectations []Expectation `json:"expectations"`
}

// Expectation is the result of one entry of spec.expect.
type Expectation struct {
	Name    string `json:"name"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

// Finding is a lint finding, located in the manifest (or the scenario
// file) when known.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Object   string `json:"object,omitempty"`
	Path     string `json:"path,omitempty"`
	Message  string `json:"message"`
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
}

// Rules of findings that are not check.Lint's.
const (
	// RuleInvalid is a problem that makes the input invalid.
	RuleInvalid = "invalid"
	// RuleLoadWarning is a warning of the loader (an authenticationRef to
	// credentials the manifests do not hold, ...).
	RuleLoadWarning = "load-warning"
)

// FindingOf converts a lint finding; file is the scenario, the location
// when the finding has none.
func FindingOf(f check.Finding, file string) Finding {
	out := Finding{Rule: f.Rule, Severity: string(f.Severity), Object: f.Object, Path: f.Path, Message: f.Message, File: f.File, Line: f.Line}
	if out.File == "" {
		out.File, out.Line = file, 0
	}
	return out
}

// ProblemFinding converts a load problem (rule invalid, an error) or
// warning (rule load-warning).
func ProblemFinding(p scenarios.Problem, severity check.Severity, file string) Finding {
	rule := RuleInvalid
	if severity == check.Warning {
		rule = RuleLoadWarning
	}
	f := Finding{Rule: rule, Severity: string(severity), Path: p.Path, Message: p.Message, File: p.File, Line: p.Line}
	if f.File == "" {
		f.File = file
	}
	return f
}

// LintResult is what `lint -o json` writes.
type LintResult struct {
	TypeMeta
	Files []LintFile `json:"files"`
	// Passed and Failed count the files: a file fails with an error, or
	// with a warning under --strict.
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// LintFile is one scenario (or the default scenario of lint -f alone).
type LintFile struct {
	// File is the scenario file, "" for the default scenario.
	File string `json:"file"`
	// Status is passed, failed or invalid.
	Status   string    `json:"status"`
	Findings []Finding `json:"findings"`
}

// Row is one run of a sweep: the values of the axes and its figures.
type Row struct {
	Values  []string `json:"values"`
	Figures Figures  `json:"figures"`
}

// SweepResult is what `sweep -o json` writes.
type SweepResult struct {
	TypeMeta
	Scenario string `json:"scenario"`
	// Axes are the --set paths, in order; Rows hold their values in the
	// same order, the first axis varying slowest.
	Axes []string `json:"axes"`
	Rows []Row    `json:"rows"`
}

// Compared is one side of a comparison.
type Compared struct {
	Scenario string  `json:"scenario"`
	Figures  Figures `json:"figures"`
}

// Comparison is what `compare -o json` writes.
type Comparison struct {
	TypeMeta
	A Compared `json:"a"`
	B Compared `json:"b"`
}

// Version is what `version -o json` writes.
type Version struct {
	TypeMeta
	// Version is the module version of the build ("(devel)" for a build
	// from a work tree).
	Version   string `json:"version"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
	// Kubernetes is the newest HPA controller release modelled (the
	// default of versions.kubernetes); KEDA likewise, with every release
	// versions.keda accepts.
	Kubernetes   string   `json:"kubernetes"`
	KEDA         string   `json:"keda"`
	KEDAVersions []string `json:"kedaVersions"`
}

// ensure the sim types still convert field for field.
var (
	_ = Setting(sim.Setting{})
	_ = Assumption(sim.Assumption{})
)

// KindNamespaceResult is run -o json of a scenario with spec.workloads.
const KindNamespaceResult = "NamespaceResult"

// NamespaceResult is a run of several workloads: each workload's
// RunResult (its timeline with the pool's events), the pool's own
// events and the namespace's figures.
type NamespaceResult struct {
	TypeMeta
	Scenario        string           `json:"scenario"`
	Name            string           `json:"name"`
	DurationSeconds float64          `json:"durationSeconds"`
	Names           []string         `json:"names"`
	Workloads       []RunResult      `json:"workloads"`
	Events          []Event          `json:"events"`
	Figures         NamespaceFigures `json:"figures"`
	// Warnings are the namespace's own (an autoscaler of the manifests
	// that no workload simulates); each workload's are in its RunResult.
	Warnings []Problem `json:"warnings"`
}

// NamespaceFigures are the workloads' figures summed, and the pool's.
type NamespaceFigures struct {
	ReplicaSeconds    float64      `json:"replicaSeconds"`
	OverloadedSeconds float64      `json:"overloadedSeconds"`
	Nodes             *NodeFigures `json:"nodes,omitempty"`
}

// NamespaceResultOf describes a finished namespace run.
func NamespaceResultOf(run *check.NamespaceRun) NamespaceResult {
	out := NamespaceResult{TypeMeta: Meta(KindNamespaceResult), Scenario: run.Scenario.File, Name: run.Scenario.Name,
		DurationSeconds: Seconds(run.Result.Duration), Names: append([]string{}, run.Scenario.Namespace.Names...),
		Workloads: []RunResult{}, Events: []Event{}, Warnings: []Problem{}}
	for _, w := range run.Scenario.Namespace.Warnings {
		out.Warnings = append(out.Warnings, Problem(w))
	}
	for _, w := range run.Workloads {
		out.Workloads = append(out.Workloads, RunResultOf(w))
	}
	out.Events = eventsOf(run.Result.Events)
	f := run.Figures()
	out.Figures = NamespaceFigures{ReplicaSeconds: f.ReplicaSeconds, OverloadedSeconds: f.OverloadedSeconds}
	if f.Nodes != nil {
		out.Figures.Nodes = FiguresOf(check.Figures{Figures: sim.Figures{Nodes: f.Nodes}}).Nodes
	}
	return out
}

// eventsOf is a timeline as the documents write it (never null).
func eventsOf(es []sim.Event) []Event {
	out := make([]Event, 0, len(es))
	for _, e := range es {
		out = append(out, Event{T: Seconds(e.T), Source: e.Source, Type: e.Type, Reason: e.Reason, From: e.From, To: e.To, Message: e.Message})
	}
	return out
}
