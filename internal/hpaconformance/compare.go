package hpaconformance

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
)

// Divergence is one difference between the model and upstream.
type Divergence struct {
	// Step is the sync index, -1 for validation.
	Step     int    `json:"step"`
	Field    string `json:"field"`
	Model    string `json:"model"`
	Upstream string `json:"upstream"`
}

func (d Divergence) String() string {
	if d.Step < 0 {
		return fmt.Sprintf("%s: model %s, upstream %s", d.Field, d.Model, d.Upstream)
	}
	return fmt.Sprintf("step %d %s: model %s, upstream %s", d.Step, d.Field, d.Model, d.Upstream)
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

// Compare lists the differences between a model result and an upstream
// result of the same case. Validation messages are compared as sets: the
// API's order is not a behaviour anyone relies on.
func Compare(model, upstream Result) []Divergence {
	var out []Divergence
	if (model.Invalid == nil) != (upstream.Invalid == nil) {
		return append(out, Divergence{Step: -1, Field: "validation", Model: show(model.Invalid), Upstream: show(upstream.Invalid)})
	}
	if model.Invalid != nil {
		m, u := sorted(model.Invalid), sorted(upstream.Invalid)
		if !reflect.DeepEqual(m, u) {
			out = append(out, Divergence{Step: -1, Field: "validation.message", Model: show(m), Upstream: show(u)})
		}
		return out
	}
	n := min(len(model.Steps), len(upstream.Steps))
	for i := 0; i < n; i++ {
		out = append(out, CompareStep(i, model.Steps[i], upstream.Steps[i])...)
		if len(out) > 0 {
			// Later steps follow from the first difference; report one step.
			return out
		}
	}
	if len(model.Steps) != len(upstream.Steps) {
		out = append(out, Divergence{Step: n, Field: "steps", Model: fmt.Sprint(len(model.Steps)), Upstream: fmt.Sprint(len(upstream.Steps))})
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// CompareStep lists the differences of one sync.
func CompareStep(i int, m, u Observation) []Divergence {
	var out []Divergence
	add := func(field string, mv, uv any) {
		if !reflect.DeepEqual(mv, uv) {
			out = append(out, Divergence{Step: i, Field: field, Model: show(mv), Upstream: show(uv)})
		}
	}
	add("scaled", m.Scaled, u.Scaled)
	add("error", m.Error, u.Error)
	add("events", m.Events, u.Events)
	add("conditions", m.Conditions, u.Conditions)
	add("status.currentReplicas", m.Status.CurrentReplicas, u.Status.CurrentReplicas)
	add("status.desiredReplicas", m.Status.DesiredReplicas, u.Status.DesiredReplicas)
	add("status.lastScaleTime", m.Status.LastScaleAt, u.Status.LastScaleAt)
	add("status.currentMetrics", m.Status.Metrics, u.Status.Metrics)
	add("recommendations", m.Recommendations, u.Recommendations)
	add("scaleUpEvents", m.ScaleUpEvents, u.ScaleUpEvents)
	add("scaleDownEvents", m.ScaleDownEvents, u.ScaleDownEvents)
	return out
}

// Kind names a divergence for counting: the field, and for validation
// whether the verdict or only the wording differs.
func (d Divergence) Kind() string { return d.Field }
