package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/check"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// Variant is one run of a sweep or a comparison: what the overview plots
// and pages need of it, which is much less than its trace (a sweep of a
// thousand simulated days keeps no traces).
type Variant struct {
	// Label names the run when it has no Settings (a comparison), e.g.
	// "A examples/websocket/scenario.yaml".
	Label string
	// Settings are the values of the sweep's axes for this run, in axis
	// order.
	Settings []Setting
	// Initial, Changes and Duration are spec.replicas over time: the value
	// at t = 0, the replica changes of the timeline and the run's length.
	Initial  int32
	Changes  []sim.Event
	Duration time.Duration
	// MinReplicas and MaxReplicas are the autoscaler's bounds.
	MinReplicas, MaxReplicas int32
	Figures                  check.Figures
	// Expectations are the results of the scenario's expect: entries.
	Expectations []Expectation
}

// Setting is one value of a sweep axis, e.g. {"threshold", "40"}.
type Setting struct {
	Name, Value string
}

// Axis is one --set axis of a sweep: its name and its values in order.
type Axis struct {
	Name   string
	Values []string
}

// VariantOf summarises a finished run; label and settings name it.
func VariantOf(label string, settings []Setting, run *check.Run) Variant {
	r := run.Result
	return Variant{
		Label: label, Settings: settings,
		Initial: r.InitialReplicas, Changes: r.ScaleEvents(-1, r.Duration), Duration: r.Duration,
		MinReplicas: r.MinReplicas, MaxReplicas: r.MaxReplicas,
		Figures:      run.Figures(),
		Expectations: ExpectationsOf(run),
	}
}

// Name is the variant's label, or its settings ("threshold=40
// cooldownPeriod=300").
func (v Variant) Name() string {
	if len(v.Settings) == 0 {
		return v.Label
	}
	parts := make([]string, len(v.Settings))
	for i, s := range v.Settings {
		parts[i] = s.Name + "=" + s.Value
	}
	return strings.Join(parts, " ")
}

// desiredAt is spec.replicas at t.
func (v Variant) desiredAt(t time.Duration) int32 {
	n := v.Initial
	for _, e := range v.Changes {
		if e.T > t {
			break
		}
		n = e.To
	}
	return n
}

// sameSteps reports whether two variants have the same replicas over
// time.
func sameSteps(a, b Variant) bool {
	if a.Initial != b.Initial || a.Duration != b.Duration || len(a.Changes) != len(b.Changes) {
		return false
	}
	for i := range a.Changes {
		if a.Changes[i].T != b.Changes[i].T || a.Changes[i].To != b.Changes[i].To {
			return false
		}
	}
	return true
}

// group is variants with identical replicas over time.
type group struct {
	members []int // indices into the variants, in order
}

// groupVariants puts variants with identical replicas over time together,
// in the order of their first member.
func groupVariants(vs []Variant) []group {
	var gs []group
next:
	for i, v := range vs {
		for g := range gs {
			if sameSteps(vs[gs[g].members[0]], v) {
				gs[g].members = append(gs[g].members, i)
				continue next
			}
		}
		gs = append(gs, group{members: []int{i}})
	}
	return gs
}

// groupLabel names a group exactly: the one run; or, when its members are
// every combination of some values per axis, those values ("threshold=20,
// any cooldownPeriod"); otherwise the list of its runs.
func groupLabel(vs []Variant, g group, axes []Axis) string {
	first := vs[g.members[0]]
	if len(g.members) == 1 {
		return first.Name()
	}
	if len(first.Settings) == 0 {
		names := make([]string, len(g.members))
		for i, m := range g.members {
			names[i] = vs[m].Name()
		}
		return strings.Join(names, " = ") + " (identical)"
	}
	n := len(first.Settings)
	values := make([][]string, n)
	combos := 1
	for j := range n {
		seen := map[string]bool{}
		for _, m := range g.members {
			val := vs[m].Settings[j].Value
			if !seen[val] {
				seen[val] = true
				values[j] = append(values[j], val)
			}
		}
		combos *= len(values[j])
	}
	if combos != len(g.members) {
		names := make([]string, len(g.members))
		for i, m := range g.members {
			names[i] = vs[m].Name()
		}
		return strings.Join(names, "; ")
	}
	var parts []string
	for j := range n {
		name := first.Settings[j].Name
		switch {
		case len(values[j]) == 1:
			parts = append(parts, name+"="+values[j][0])
		case j < len(axes) && len(values[j]) == len(distinct(axes[j].Values)):
			parts = append(parts, "any "+name)
		default:
			parts = append(parts, name+"="+orList(values[j]))
		}
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(" (%d identical runs)", len(g.members))
}

func distinct(vals []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vals {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// orList writes "a", "a or b", "a, b or c".
func orList(vals []string) string {
	if len(vals) == 1 {
		return vals[0]
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " or " + vals[len(vals)-1]
}

// figureDef is a number of check.Figures that tables and heatmaps show.
type figureDef struct {
	name, title string
	// value is false when the run has none (it never scaled up).
	value  func(check.Figures) (float64, bool)
	format func(float64) string
}

func wholeNumber(v float64) string { return strconv.FormatFloat(math.Round(v), 'f', 0, 64) }

func secondsText(v float64) string {
	return check.Duration(time.Duration(math.Round(v)) * time.Second)
}

var figureDefs = []figureDef{
	{"cost", "cost (replica-seconds)", func(f check.Figures) (float64, bool) { return f.ReplicaSeconds, true }, wholeNumber},
	{"overloaded", "time overloaded", func(f check.Figures) (float64, bool) { return f.OverloadedSeconds, true }, secondsText},
	{"above-target", "time above target", func(f check.Figures) (float64, bool) { return f.AboveTarget.Seconds(), true }, secondsText},
	{"first-scale-up", "time to first scale-up", func(f check.Figures) (float64, bool) {
		return f.TimeToFirstScaleUp.Seconds(), f.ScaledUpAfterRise
	}, secondsText},
	{"max", "peak replicas", func(f check.Figures) (float64, bool) { return float64(f.MaxReplicas), true }, wholeNumber},
	{"events", "scale events", func(f check.Figures) (float64, bool) { return float64(f.ScaleEvents), true }, wholeNumber},
	{"flaps", "direction changes", func(f check.Figures) (float64, bool) { return float64(f.DirectionChanges), true }, wholeNumber},
}

// HeatmapFigures lists the figures WriteHeatmap can show.
func HeatmapFigures() []string {
	out := make([]string, len(figureDefs))
	for i, d := range figureDefs {
		out[i] = d.name
	}
	return out
}

func lookupFigure(name string) (figureDef, error) {
	for _, d := range figureDefs {
		if d.name == name {
			return d, nil
		}
	}
	return figureDef{}, fmt.Errorf("report: unknown figure %q; allowed: %s", name, strings.Join(HeatmapFigures(), ", "))
}
