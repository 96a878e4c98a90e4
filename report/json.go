package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// The JSON document is built from explicit structs so that the field order
// is the declaration order and never depends on map iteration.

type jsonResult struct {
	Name            string           `json:"name"`
	Start           string           `json:"start"`
	DurationSeconds jsonSeconds      `json:"durationSeconds"`
	Seed            int64            `json:"seed"`
	Autoscaler      string           `json:"autoscaler"`
	Workload        string           `json:"workload"`
	InitialReplicas int32            `json:"initialReplicas"`
	MinReplicas     int32            `json:"minReplicas"`
	MaxReplicas     int32            `json:"maxReplicas"`
	Settings        []jsonSetting    `json:"settings"`
	Assumptions     []jsonAssumption `json:"assumptions"`
	Metrics         []jsonMetric     `json:"metrics"`
	Samples         []jsonSample     `json:"samples"`
	Events          []jsonEvent      `json:"events"`
	// Conditions are the ScaledObject's status conditions as they changed.
	Conditions []jsonCondition `json:"conditions,omitempty"`
	// Backlog names what the samples' backlog holds ("queue" or "kafka
	// lag"), omitted when nothing.
	Backlog string `json:"backlog,omitempty"`
}

// jsonSetting is a value of the run and where it came from.
type jsonSetting struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source"`
	Note   string `json:"note,omitempty"`
}

// jsonAssumption is a default the run relies on.
type jsonAssumption struct {
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

type jsonMetric struct {
	Name             string     `json:"name"`
	Query            string     `json:"query"`
	Target           jsonNumber `json:"target"`
	TargetType       string     `json:"targetType"`
	ActivationTarget jsonNumber `json:"activationTarget"`
}

type jsonSample struct {
	T               jsonSeconds  `json:"t"`
	DesiredReplicas int32        `json:"desiredReplicas"`
	Replicas        int32        `json:"replicas"`
	ReadyReplicas   int32        `json:"readyReplicas"`
	Load            jsonNumber   `json:"load"`
	Metrics         jsonMetricKV `json:"metrics"`
	// Backlog is the first load's backlog (Result.Load.Backlog says
	// which), omitted when the load has none.
	Backlog *jsonNumber `json:"backlog,omitempty"`
	Jobs    *jsonJobs   `json:"jobs,omitempty"`
}

// jsonJobs are a ScaledJob run's Jobs at a sample.
type jsonJobs struct {
	Running   int32 `json:"running"`
	Pending   int32 `json:"pending"`
	Succeeded int32 `json:"succeeded"`
	Failed    int32 `json:"failed"`
	Created   int32 `json:"created"`
}

type jsonCondition struct {
	T       jsonSeconds `json:"t"`
	Type    string      `json:"type"`
	Status  string      `json:"status"`
	Reason  string      `json:"reason"`
	Message string      `json:"message"`
}

type jsonEvent struct {
	T       jsonSeconds `json:"t"`
	Source  string      `json:"source"`
	Type    string      `json:"type"`
	Reason  string      `json:"reason"`
	From    int32       `json:"from"`
	To      int32       `json:"to"`
	Message string      `json:"message"`
}

// jsonSeconds is a duration written as a JSON number of seconds, exactly
// (see seconds).
type jsonSeconds time.Duration

func (s jsonSeconds) MarshalJSON() ([]byte, error) {
	return []byte(seconds(time.Duration(s))), nil
}

// jsonNumber is a float64 written in its shortest form, or null when it is
// NaN or ±Inf (JSON has no spelling for them).
type jsonNumber float64

func (n jsonNumber) MarshalJSON() ([]byte, error) {
	if s, ok := number(float64(n)); ok {
		return []byte(s), nil
	}
	return []byte("null"), nil
}

// jsonMetricKV is a JSON object whose keys are the metric names in the
// order of sim.Result.Metrics (a Go map would sort them instead).
type jsonMetricKV struct {
	names  []string
	values []float64
}

func (kv jsonMetricKV) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, name := range kv.names {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(name)
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		v, _ := jsonNumber(kv.values[i]).MarshalJSON()
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// WriteJSON writes r as one indented JSON document (two spaces, trailing
// newline). See the package documentation for the schema.
func WriteJSON(w io.Writer, r *sim.Result) error {
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
