package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// writeJSONReference is the first WriteJSON, which builds the whole
// document and hands it to encoding/json; the streaming WriteJSON must
// write the same bytes.
func writeJSONReference(w io.Writer, r *sim.Result) error {
	if err := validate(r); err != nil {
		return err
	}
	doc := jsonResult{
		Name:            r.Name,
		Start:           r.Start.UTC().Format(time.RFC3339Nano),
		DurationSeconds: jsonSeconds(r.Duration),
		Seed:            r.Seed,
		Autoscaler:      r.Autoscaler,
		Workload:        r.Workload,
		InitialReplicas: r.InitialReplicas,
		MinReplicas:     r.MinReplicas,
		MaxReplicas:     r.MaxReplicas,
		Settings:        make([]jsonSetting, len(r.Settings)),
		Assumptions:     make([]jsonAssumption, len(r.Assumptions)),
		Metrics:         make([]jsonMetric, len(r.Metrics)),
		Samples:         make([]jsonSample, len(r.Samples)),
		Events:          make([]jsonEvent, len(r.Events)),
		Backlog:         r.Load.Backlog,
	}
	for i, st := range r.Settings {
		doc.Settings[i] = jsonSetting{Name: st.Name, Value: st.Value, Source: st.Source, Note: st.Note}
	}
	for i, a := range r.Assumptions {
		doc.Assumptions[i] = jsonAssumption{Message: a.Message, Hint: a.Hint}
	}
	names := make([]string, len(r.Metrics))
	for i, m := range r.Metrics {
		names[i] = m.Name
		doc.Metrics[i] = jsonMetric{
			Name:             m.Name,
			Query:            m.Query,
			Target:           jsonNumber(m.Target),
			TargetType:       m.TargetType,
			ActivationTarget: jsonNumber(m.ActivationTarget),
		}
	}
	for i, s := range r.Samples {
		doc.Samples[i] = jsonSample{
			T:               jsonSeconds(s.T),
			DesiredReplicas: s.DesiredReplicas,
			Replicas:        s.Replicas,
			ReadyReplicas:   s.ReadyReplicas,
			Load:            jsonNumber(s.Load),
			Metrics:         jsonMetricKV{names: names, values: s.Metrics},
		}
		if r.Load.Backlog != "" {
			b := jsonNumber(s.Backlog)
			doc.Samples[i].Backlog = &b
		}
		if j := s.Jobs; j != nil {
			doc.Samples[i].Jobs = &jsonJobs{j.Running, j.Pending, j.Succeeded, j.Failed, j.Created}
		}
	}
	for i, e := range r.Events {
		doc.Events[i] = jsonEvent{
			T:       jsonSeconds(e.T),
			Source:  e.Source,
			Type:    e.Type,
			Reason:  e.Reason,
			From:    e.From,
			To:      e.To,
			Message: e.Message,
		}
	}
	for _, c := range r.Conditions {
		doc.Conditions = append(doc.Conditions, jsonCondition{T: jsonSeconds(c.T), Type: c.Type, Status: c.Status, Reason: c.Reason, Message: c.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // keep "->" and "<" readable in messages and queries
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("report: writing JSON: %w", err)
	}
	return nil
}
