package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/internal/textsafe"
)

// APIError is an error answer of the Prometheus HTTP API:
// {"status":"error","errorType":...,"error":...}.
type APIError struct {
	// StatusCode is the HTTP status of the answer; 0 when the body was
	// read without HTTP (ReadQueryRange).
	StatusCode int
	// Type is the API's errorType, such as "bad_data", "execution" or
	// "timeout"; empty when the body was not an API error answer.
	Type string
	// Message is the API's error text, or the start of a body that was
	// not an API answer.
	Message string
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("prometheus")
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.StatusCode)
	}
	// The server's text is shown escaped and cut: it may be anything.
	if e.Type != "" {
		b.WriteString(": ")
		b.WriteString(textsafe.Excerpt(e.Type, 40))
	}
	b.WriteString(": ")
	if e.Message != "" {
		b.WriteString(textsafe.Excerpt(e.Message, 300))
	} else {
		b.WriteString("no error message")
	}
	return b.String()
}

// apiResponse is the envelope of every Prometheus API answer.
type apiResponse struct {
	Status    *string         `json:"status"`
	Data      json.RawMessage `json:"data"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
}

type queryData struct {
	ResultType string          `json:"resultType"`
	Result     json.RawMessage `json:"result"`
}

type matrixEntry struct {
	Metric     map[string]string `json:"metric"`
	Values     []json.RawMessage `json:"values"`
	Histograms []json.RawMessage `json:"histograms"`
}

type vectorEntry struct {
	Metric    map[string]string `json:"metric"`
	Value     json.RawMessage   `json:"value"`
	Histogram json.RawMessage   `json:"histogram"`
}

// ReadQueryRange reads the JSON body of the Prometheus HTTP API's
// /api/v1/query_range: {"status":"success","data":{"resultType":"matrix",
// "result":[{"metric":{...},"values":[[<unix seconds>,"<value>"],...]}]}}.
// The instant answers of /api/v1/query are accepted too: a vector gives
// each series one point, a scalar gives one series without labels and
// one point. Values are the API's strings, including "NaN", "+Inf" and
// "-Inf". Warnings in the body are ignored.
//
// An error answer ({"status":"error","errorType":...,"error":...})
// returns an *[APIError] carrying the message. Malformed bodies give
// errors that name the line and column (JSON syntax) or the field, such
// as `data.result[2].values[5]: "abc" is not a number`. Native histogram
// samples, string results and two entries with the same labels are
// errors.
//
// Series are sorted by [Series.String], points by time; duplicate
// timestamps within a series are errors.
func ReadQueryRange(r io.Reader) ([]Series, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading response: %w", err)
	}
	return decodeQueryResponse(body, 0)
}

func decodeQueryResponse(body []byte, statusCode int) ([]Series, error) {
	var resp apiResponse
	if err := strictUnmarshal(body, &resp); err != nil {
		return nil, jsonError(body, err, "")
	}
	if resp.Status == nil {
		return nil, errors.New("not a Prometheus API response: no \"status\" field")
	}
	switch *resp.Status {
	case "success":
	case "error":
		return nil, &APIError{StatusCode: statusCode, Type: resp.ErrorType, Message: resp.Error}
	default:
		return nil, fmt.Errorf("status: unknown status %q", *resp.Status)
	}
	if len(resp.Data) == 0 || string(resp.Data) == "null" {
		return nil, errors.New("data: missing")
	}
	var data queryData
	if err := strictUnmarshal(resp.Data, &data); err != nil {
		return nil, jsonError(resp.Data, err, "data")
	}
	if len(data.Result) == 0 {
		return nil, errors.New("data.result: missing")
	}
	var series []Series
	var where []string
	switch data.ResultType {
	case "matrix":
		elems, err := resultElements(data.Result)
		if err != nil {
			return nil, err
		}
		for i, raw := range elems {
			path := fmt.Sprintf("data.result[%d]", i)
			var e matrixEntry
			if err := strictUnmarshal(raw, &e); err != nil {
				return nil, jsonError(raw, err, path)
			}
			if len(e.Values) == 0 && len(e.Histograms) > 0 {
				return nil, fmt.Errorf("%s: series %s has native histogram samples, which replay does not support", path, labelsString(e.Metric))
			}
			s := Series{Labels: cloneLabels(e.Metric), Points: make([]Point, 0, len(e.Values))}
			for j, raw := range e.Values {
				p, err := parseSample(raw)
				if err != nil {
					return nil, fmt.Errorf("%s.values[%d]: %w", path, j, err)
				}
				s.Points = append(s.Points, p)
			}
			series = append(series, s)
			where = append(where, path)
		}
	case "vector":
		elems, err := resultElements(data.Result)
		if err != nil {
			return nil, err
		}
		for i, raw := range elems {
			path := fmt.Sprintf("data.result[%d]", i)
			var e vectorEntry
			if err := strictUnmarshal(raw, &e); err != nil {
				return nil, jsonError(raw, err, path)
			}
			if len(e.Value) == 0 || string(e.Value) == "null" {
				if len(e.Histogram) > 0 && string(e.Histogram) != "null" {
					return nil, fmt.Errorf("%s: series %s has a native histogram sample, which replay does not support", path, labelsString(e.Metric))
				}
				return nil, fmt.Errorf("%s.value: missing", path)
			}
			p, err := parseSample(e.Value)
			if err != nil {
				return nil, fmt.Errorf("%s.value: %w", path, err)
			}
			series = append(series, Series{Labels: cloneLabels(e.Metric), Points: []Point{p}})
			where = append(where, path)
		}
	case "scalar":
		p, err := parseSample(data.Result)
		if err != nil {
			return nil, fmt.Errorf("data.result: %w", err)
		}
		series = []Series{{Labels: map[string]string{}, Points: []Point{p}}}
		where = []string{"data.result"}
	case "string":
		return nil, errors.New("data.resultType: a string result holds no samples")
	case "":
		return nil, errors.New("data.resultType: missing")
	default:
		return nil, fmt.Errorf("data.resultType: unknown result type %q", data.ResultType)
	}
	return finish(series, func(i int) string { return where[i] })
}

// resultElements splits a matrix or vector result into its entries.
func resultElements(raw json.RawMessage) ([]json.RawMessage, error) {
	var elems []json.RawMessage
	if err := strictUnmarshal(raw, &elems); err != nil {
		return nil, jsonError(raw, err, "data.result")
	}
	for i, e := range elems {
		if string(e) == "null" {
			return nil, fmt.Errorf("data.result[%d]: null where an object is expected", i)
		}
	}
	return elems, nil
}

// parseSample parses [<unix seconds>, "<value>"].
func parseSample(raw json.RawMessage) (Point, error) {
	var pair []json.RawMessage
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return Point{}, fmt.Errorf("%s is not a [time, \"value\"] pair", abbreviate(raw))
	}
	ts := strings.TrimSpace(string(pair[0]))
	if ts == "" || ts[0] == '"' || ts[0] == '[' || ts[0] == '{' || ts == "null" || ts == "true" || ts == "false" {
		return Point{}, fmt.Errorf("time %s is not a number", abbreviate(pair[0]))
	}
	t, err := parseUnixSeconds(ts)
	if err != nil {
		return Point{}, fmt.Errorf("time: %w", err)
	}
	var vs string
	if err := json.Unmarshal(pair[1], &vs); err != nil {
		return Point{}, fmt.Errorf("value %s is not a string", abbreviate(pair[1]))
	}
	v, err := parseValue(vs)
	if err != nil {
		return Point{}, fmt.Errorf("value: %w", err)
	}
	return Point{T: t, V: v}, nil
}

func cloneLabels(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// strictUnmarshal decodes exactly one JSON value.
func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		if err == io.EOF {
			return &json.SyntaxError{Offset: 0}
		}
		return err
	}
	end := dec.InputOffset()
	rest := bytes.TrimLeft(data[end:], " \t\r\n")
	if len(rest) > 0 {
		// Offsets count bytes read, like json.SyntaxError.Offset.
		return &trailingError{offset: int64(len(data)-len(rest)) + 1}
	}
	return nil
}

type trailingError struct{ offset int64 }

func (e *trailingError) Error() string { return "unexpected data after the JSON value" }

// jsonError describes a decoding error with the line and column in data
// (and the field path within it where known). prefix is the path of data
// within the whole body.
func jsonError(data []byte, err error, prefix string) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var trail *trailingError
	switch {
	case errors.As(err, &syn):
		if len(bytes.TrimSpace(data)) == 0 {
			if prefix == "" {
				return errors.New("empty body, expected a Prometheus API response")
			}
			return fmt.Errorf("%s: empty", prefix)
		}
		line, col := lineCol(data, syn.Offset)
		return fmt.Errorf("%sline %d, column %d: invalid JSON: %s", pathPrefix(prefix), line, col, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &trail):
		line, col := lineCol(data, trail.offset)
		return fmt.Errorf("%sline %d, column %d: %s", pathPrefix(prefix), line, col, trail.Error())
	case errors.As(err, &typ):
		field := typ.Field
		switch {
		case prefix != "" && field != "":
			field = prefix + "." + field
		case prefix != "":
			field = prefix
		case field == "":
			field = "body"
		}
		return fmt.Errorf("%s: JSON %s where %s is expected", field, typ.Value, friendlyType(typ.Type))
	case errors.Is(err, io.ErrUnexpectedEOF):
		if prefix == "" {
			return errors.New("truncated JSON body")
		}
		return fmt.Errorf("%s: truncated JSON", prefix)
	}
	return fmt.Errorf("%sinvalid JSON: %v", pathPrefix(prefix), err)
}

func pathPrefix(prefix string) string {
	if prefix == "" {
		return ""
	}
	return prefix + ": "
}

// friendlyType names the JSON shape a Go type expects.
func friendlyType(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	if t == reflect.TypeOf(json.RawMessage(nil)) {
		return "a JSON value"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Pointer:
		return friendlyType(t.Elem())
	}
	return t.String()
}

// lineCol converts a count of bytes read (the offending byte being the
// last one, as in json.SyntaxError.Offset) into 1-based line and column.
func lineCol(data []byte, offset int64) (line, col int) {
	if offset < 0 {
		offset = 0
	}
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	if col == 0 {
		col = 1
	}
	return line, col
}

// abbreviate shortens raw JSON for messages.
func abbreviate(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}
