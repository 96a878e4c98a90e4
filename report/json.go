package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
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
//
// The samples, nearly all of the document, are written one by one through
// a buffer rather than built as a document for encoding/json: the output
// is the same, byte for byte (TestWriteJSONMatchesEncoder), at a fraction
// of the time and memory. The other parts go through encoding/json.
func WriteJSON(w io.Writer, r *sim.Result) error {
	if err := validate(r); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	jw := jsonWriter{w: bw}
	settings := make([]jsonSetting, len(r.Settings))
	for i, st := range r.Settings {
		settings[i] = jsonSetting{Name: st.Name, Value: st.Value, Source: st.Source, Note: st.Note}
	}
	assumptions := make([]jsonAssumption, len(r.Assumptions))
	for i, a := range r.Assumptions {
		assumptions[i] = jsonAssumption{Message: a.Message, Hint: a.Hint}
	}
	metrics := make([]jsonMetric, len(r.Metrics))
	for i, m := range r.Metrics {
		metrics[i] = jsonMetric{Name: m.Name, Query: m.Query, Target: jsonNumber(m.Target), TargetType: m.TargetType, ActivationTarget: jsonNumber(m.ActivationTarget)}
	}
	events := make([]jsonEvent, len(r.Events))
	for i, e := range r.Events {
		events[i] = jsonEvent{T: jsonSeconds(e.T), Source: e.Source, Type: e.Type, Reason: e.Reason, From: e.From, To: e.To, Message: e.Message}
	}
	var conditions []jsonCondition
	for _, c := range r.Conditions {
		conditions = append(conditions, jsonCondition{T: jsonSeconds(c.T), Type: c.Type, Status: c.Status, Reason: c.Reason, Message: c.Message})
	}
	bw.WriteString("{\n")
	jw.field("name", r.Name)
	jw.field("start", r.Start.UTC().Format(time.RFC3339Nano))
	jw.raw("durationSeconds", seconds(r.Duration))
	jw.raw("seed", strconv.FormatInt(r.Seed, 10))
	jw.field("autoscaler", r.Autoscaler)
	jw.field("workload", r.Workload)
	jw.raw("initialReplicas", strconv.FormatInt(int64(r.InitialReplicas), 10))
	jw.raw("minReplicas", strconv.FormatInt(int64(r.MinReplicas), 10))
	jw.raw("maxReplicas", strconv.FormatInt(int64(r.MaxReplicas), 10))
	jw.field("settings", settings)
	jw.field("assumptions", assumptions)
	jw.field("metrics", metrics)
	jw.samples(r)
	jw.field("events", events)
	if len(conditions) > 0 {
		jw.field("conditions", conditions)
	}
	if r.Load.Backlog != "" {
		jw.field("backlog", r.Load.Backlog)
	}
	bw.WriteString("\n}\n")
	if jw.err == nil {
		jw.err = bw.Flush()
	}
	if jw.err != nil {
		return fmt.Errorf("report: writing JSON: %w", jw.err)
	}
	return nil
}

// jsonWriter writes the members of the top-level object, each on its own
// line after two spaces, separated by commas.
type jsonWriter struct {
	w   *bufio.Writer
	n   int
	err error
	// enc encodes values as the document's encoder did: HTML characters
	// kept, nested lines indented under their member.
	buf bytes.Buffer
	enc *json.Encoder
}

func (j *jsonWriter) key(name string) {
	if j.n > 0 {
		j.w.WriteString(",\n")
	}
	j.n++
	j.w.WriteString(`  "`)
	j.w.WriteString(name) // the member names need no escaping
	j.w.WriteString(`": `)
}

// raw writes a member whose value is already JSON.
func (j *jsonWriter) raw(name, v string) {
	j.key(name)
	j.w.WriteString(v)
}

// field writes a member through encoding/json.
func (j *jsonWriter) field(name string, v any) {
	j.key(name)
	b, err := j.encode(v, "  ")
	if err != nil && j.err == nil {
		j.err = err
	}
	j.w.Write(b)
}

func (j *jsonWriter) encode(v any, prefix string) ([]byte, error) {
	if j.enc == nil {
		j.enc = json.NewEncoder(&j.buf)
		j.enc.SetEscapeHTML(false) // keep "->" and "<" readable in messages and queries
	}
	j.buf.Reset()
	j.enc.SetIndent(prefix, "  ")
	if err := j.enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")), nil
}

// samples writes the samples member, one sample at a time.
func (j *jsonWriter) samples(r *sim.Result) {
	j.key("samples")
	if len(r.Samples) == 0 {
		j.w.WriteString("[]")
		return
	}
	keys := make([][]byte, len(r.Metrics))
	for i, m := range r.Metrics {
		// As the samples' metrics object always wrote its keys:
		// json.Marshal, which escapes HTML characters.
		b, err := json.Marshal(m.Name)
		if err != nil && j.err == nil {
			j.err = err
		}
		keys[i] = append([]byte("        "), b...)
		keys[i] = append(keys[i], ": "...)
	}
	w := j.w
	var num []byte
	number := func(v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			w.WriteString("null")
			return
		}
		num = strconv.AppendFloat(num[:0], v, 'g', -1, 64)
		w.Write(num)
	}
	integer := func(v int32) {
		num = strconv.AppendInt(num[:0], int64(v), 10)
		w.Write(num)
	}
	w.WriteString("[\n")
	for i, s := range r.Samples {
		if i > 0 {
			w.WriteString(",\n")
		}
		w.WriteString("    {\n      \"t\": ")
		w.WriteString(seconds(s.T))
		w.WriteString(",\n      \"desiredReplicas\": ")
		integer(s.DesiredReplicas)
		w.WriteString(",\n      \"replicas\": ")
		integer(s.Replicas)
		w.WriteString(",\n      \"readyReplicas\": ")
		integer(s.ReadyReplicas)
		w.WriteString(",\n      \"load\": ")
		number(s.Load)
		w.WriteString(",\n      \"metrics\": {")
		for k, key := range keys {
			if k > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('\n')
			w.Write(key)
			number(s.Metrics[k])
		}
		if len(keys) > 0 {
			w.WriteString("\n      ")
		}
		w.WriteByte('}')
		if r.Load.Backlog != "" {
			w.WriteString(",\n      \"backlog\": ")
			number(s.Backlog)
		}
		if jb := s.Jobs; jb != nil {
			w.WriteString(",\n      \"jobs\": {\n        \"running\": ")
			integer(jb.Running)
			w.WriteString(",\n        \"pending\": ")
			integer(jb.Pending)
			w.WriteString(",\n        \"succeeded\": ")
			integer(jb.Succeeded)
			w.WriteString(",\n        \"failed\": ")
			integer(jb.Failed)
			w.WriteString(",\n        \"created\": ")
			integer(jb.Created)
			w.WriteString("\n      }")
		}
		w.WriteString("\n    }")
	}
	w.WriteString("\n  ]")
}
