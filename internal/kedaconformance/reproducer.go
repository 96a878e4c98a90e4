package kedaconformance

import (
	"encoding/json"

	"github.com/autoscale-sim/autoscale-sim/internal/jsonfile"
)

// Reproducer is a minimized case with the upstream result, kept under
// keda/testdata/conformance and replayed by the keda tests.
type Reproducer struct {
	Kind     string `json:"kind"`
	Note     string `json:"note,omitempty"`
	Upstream string `json:"upstream"`
	Case     Case   `json:"case"`
	Result   Result `json:"result"`
	// LoopResult is the upstream result of a scale loop case (Case.Loop).
	LoopResult *LoopResult `json:"loopResult,omitempty"`
}

// ReadReproducer loads a reproducer file.
func ReadReproducer(path string) (Reproducer, error) { return jsonfile.Read[Reproducer](path) }

// Write stores the reproducer as indented JSON.
func (r Reproducer) Write(path string) error { return jsonfile.Write(path, r) }

// Minimize drops answers and metadata keys while keep holds.
func Minimize(c Case, keep func(Case) bool) Case {
	for changed := true; changed; {
		changed = false
		var cands []Case
		for i := range c.Answers {
			if len(c.Answers) > 1 {
				n := clone(c)
				n.Answers = append(n.Answers[:i], n.Answers[i+1:]...)
				cands = append(cands, n)
			}
		}
		for k := range c.Metadata {
			if k == "query" || k == "threshold" {
				continue
			}
			n := clone(c)
			delete(n.Metadata, k)
			cands = append(cands, n)
		}
		if c.MetricType != "" {
			n := clone(c)
			n.MetricType = ""
			cands = append(cands, n)
		}
		for _, n := range cands {
			if keep(n) {
				c, changed = n, true
				break
			}
		}
	}
	return c
}

func clone(c Case) Case {
	b, _ := json.Marshal(c)
	var out Case
	_ = json.Unmarshal(b, &out)
	return out
}

// MinimizeLoop drops steps, optional fields, annotations, fallback and
// scalingModifiers of a scale loop case while keep holds.
func MinimizeLoop(c Case, keep func(Case) bool) Case {
	for changed := true; changed; {
		changed = false
		var cands []Case
		edit := func(f func(*LoopCase)) {
			n := clone(c)
			f(n.Loop)
			cands = append(cands, n)
		}
		l := c.Loop
		for i := range l.Steps {
			if len(l.Steps) > 1 {
				i := i
				edit(func(x *LoopCase) { x.Steps = append(x.Steps[:i], x.Steps[i+1:]...) })
			}
		}
		if l.Annotations != nil {
			edit(func(x *LoopCase) { x.Annotations = nil })
		}
		if l.Modifiers != nil && (l.Fallback == nil || l.Fallback.Behavior != "scalingModifiers") {
			edit(func(x *LoopCase) { x.Modifiers = nil })
		}
		if l.Modifiers != nil && l.Modifiers.ActivationTarget != "" {
			edit(func(x *LoopCase) { x.Modifiers.ActivationTarget = "" })
		}
		if l.Fallback != nil {
			edit(func(x *LoopCase) { x.Fallback = nil })
		}
		for _, f := range []func(*LoopCase) **int32{
			func(x *LoopCase) **int32 { return &x.MinReplicaCount },
			func(x *LoopCase) **int32 { return &x.MaxReplicaCount },
			func(x *LoopCase) **int32 { return &x.IdleReplicaCount },
			func(x *LoopCase) **int32 { return &x.CooldownPeriod },
			func(x *LoopCase) **int32 { return &x.InitialCooldownPeriod },
		} {
			if *f(l) != nil {
				edit(func(x *LoopCase) { *f(x) = nil })
			}
		}
		for i, t := range l.Triggers {
			i := i
			if t.ActivationThreshold != "" {
				edit(func(x *LoopCase) { x.Triggers[i].ActivationThreshold = "" })
			}
			if t.UseCachedMetrics {
				edit(func(x *LoopCase) { x.Triggers[i].UseCachedMetrics = false })
			}
			if t.MetricType != "" {
				edit(func(x *LoopCase) { x.Triggers[i].MetricType = "" })
			}
		}
		for _, n := range cands {
			if keep(n) {
				c, changed = n, true
				break
			}
		}
	}
	return c
}
