package keda

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// PrometheusTrigger is the parsed metadata of a "prometheus" trigger
// (pkg/scalers/prometheus_scaler.go prometheusMetadata). Authentication
// settings are accepted and ignored: the simulation queries its own data.
type PrometheusTrigger struct {
	ServerAddress       string
	Query               string
	Threshold           float64
	ActivationThreshold float64
	// IgnoreNullValues defaults to true: an empty result or a NaN/Inf value
	// reads as 0 instead of an error.
	IgnoreNullValues bool
	UnsafeSSL        bool
	Namespace        string
	QueryParameters  map[string]string
	CustomHeaders    map[string]string
	AWSRegion        string
	IdentityOwner    string
	Timeout          time.Duration
	// NaNPassesThrough reproduces KEDA before v2.20.0, where a NaN value was
	// not treated as null but returned as the metric value. Loop sets it
	// from the version.
	NaNPassesThrough bool

	// headerErr is set when customHeaders cannot form an HTTP header: the
	// scaler is created, but net/http refuses every request.
	headerErr error
}

// FieldError is a validation error at a field path, in the user's
// vocabulary: Path like "spec.triggers[0].metadata.threshold".
type FieldError struct {
	Path    string
	Message string
}

func (e FieldError) Error() string { return e.Path + ": " + e.Message }

// metaValue is typed_config.go configParamValue: values are trimmed and an
// empty value counts as absent.
func metaValue(m map[string]string, key string) (string, bool) {
	v, ok := m[key]
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

// ParsePrometheusTrigger reads trigger metadata the way NewPrometheusScaler
// does (typed metadata: serverAddress, query and threshold required; floats
// in JSON number syntax; booleans as strconv.ParseBool; maps as
// "key=value,key=value"). Paths in the errors are metadata keys. All errors
// are returned, not only the first.
func ParsePrometheusTrigger(metadata map[string]string) (*PrometheusTrigger, []FieldError) {
	p := &PrometheusTrigger{IgnoreNullValues: true}
	var errs []FieldError
	req := func(key string) string {
		v, ok := metaValue(metadata, key)
		if !ok {
			errs = append(errs, FieldError{key, "is required"})
		}
		return v
	}
	p.ServerAddress = req("serverAddress")
	p.Query = req("query")
	if v := req("threshold"); v != "" {
		f, err := parseJSONFloat(v)
		if err != nil {
			errs = append(errs, FieldError{"threshold", fmt.Sprintf("must be a number greater than 0, got %q", v)})
		} else {
			p.Threshold = f
		}
	}
	if v, ok := metaValue(metadata, "activationThreshold"); ok {
		f, err := parseJSONFloat(v)
		if err != nil {
			errs = append(errs, FieldError{"activationThreshold", fmt.Sprintf("must be a number, got %q", v)})
		} else {
			p.ActivationThreshold = f
		}
	}
	parseBool := func(key string, dst *bool) {
		if v, ok := metaValue(metadata, key); ok {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, FieldError{key, fmt.Sprintf("must be true or false, got %q", v)})
				return
			}
			*dst = b
		}
	}
	parseBool("ignoreNullValues", &p.IgnoreNullValues)
	parseBool("unsafeSsl", &p.UnsafeSSL)
	parseMap := func(key string) map[string]string {
		v, ok := metaValue(metadata, key)
		if !ok {
			return nil
		}
		out := map[string]string{}
		for _, kv := range strings.Split(v, ",") {
			parts := strings.Split(strings.TrimSpace(kv), "=")
			if len(parts) != 2 {
				errs = append(errs, FieldError{key, fmt.Sprintf("must be a list of key=value pairs separated by commas, got %q", v)})
				return nil
			}
			out[strings.TrimSpace(parts[0])] = strings.TrimSpace(parts[1])
		}
		return out
	}
	p.QueryParameters = parseMap("queryParameters")
	p.CustomHeaders = parseMap("customHeaders")
	p.headerErr = headerError(p.CustomHeaders)
	p.Namespace, _ = metaValue(metadata, "namespace")
	p.AWSRegion, _ = metaValue(metadata, "awsRegion")
	p.IdentityOwner, _ = metaValue(metadata, "identityOwner")
	if v, ok := metaValue(metadata, "timeout"); ok {
		d, err := parseTimeout(v)
		if err != nil {
			errs = append(errs, FieldError{"timeout", err.Error()})
		} else {
			p.Timeout = d
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Path < errs[j].Path })
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// parseTimeout is typed_config.go's time.Duration rule: a Go duration, or
// else an integer number of milliseconds; never negative.
func parseTimeout(v string) (time.Duration, error) {
	if d, err := time.ParseDuration(v); err == nil {
		if d < 0 {
			return 0, fmt.Errorf("must not be negative, got %q", v)
		}
		return d, nil
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("must be a duration such as 30s or a number of milliseconds, got %q", v)
	}
	if ms < 0 {
		return 0, fmt.Errorf("must not be negative, got %q", v)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// QueryResult is what the Prometheus HTTP API answered to the trigger's
// instant query.
type QueryResult struct {
	// Type is data.resultType: "vector" (or ""), "scalar", "string" or
	// "matrix".
	Type string
	// Values holds one value per series of an instant vector; of a matrix,
	// one entry per series (the values are not read).
	Values []float64
	// Scalar marks a scalar result (as Type "scalar"). KEDA decodes the
	// response into a list of series, so a scalar or string result fails
	// to decode.
	Scalar bool
	// Err is a failed query (HTTP error, unreachable server, bad PromQL).
	Err error

	// Set by DecodeQueryResponse when the first series has an empty value
	// list, or only one element in it.
	emptyValue, shortValue bool
}

// Evaluate turns a query result into the trigger's metric value and
// activity exactly as prometheus_scaler.go ExecutePromQuery and
// GetMetricsAndActivity do: an empty result is 0 when ignoreNullValues
// (else an error), more than one series is an error, NaN/Inf read as null,
// and the trigger is active iff value > activationThreshold. Negative
// values pass through here; the quantity conversion decides what the HPA
// sees.
func (p *PrometheusTrigger) Evaluate(r QueryResult) (value float64, active bool, err error) {
	v, err := p.value(r)
	if err != nil {
		return 0, false, err
	}
	return v, v > p.ActivationThreshold, nil
}

func (p *PrometheusTrigger) value(r QueryResult) (float64, error) {
	// Bad custom headers fail the request before any answer is read.
	if p.headerErr != nil {
		return 0, p.headerErr
	}
	if r.Err != nil {
		return 0, r.Err
	}
	switch {
	case r.Scalar || r.Type == "scalar":
		return 0, fmt.Errorf("prometheus query %s returned a scalar, but KEDA can only read an instant vector (json: cannot unmarshal number into the result list)", p.Query)
	case r.Type == "string":
		return 0, fmt.Errorf("prometheus query %s returned a string, but KEDA can only read an instant vector (json: cannot unmarshal number into the result list)", p.Query)
	case (r.Type == "matrix" || r.emptyValue) && len(r.Values) == 1:
		// A range vector's series carry "values", not "value": KEDA sees
		// one series with an empty value list.
		if p.IgnoreNullValues {
			return 0, nil
		}
		return 0, fmt.Errorf("prometheus metrics 'prometheus' target may be lost, the value list is empty")
	}
	switch {
	case len(r.Values) == 0:
		if p.IgnoreNullValues {
			return 0, nil
		}
		return 0, fmt.Errorf("prometheus metrics 'prometheus' target may be lost, the result is empty")
	case len(r.Values) > 1:
		return 0, fmt.Errorf("prometheus query %s returned multiple elements", p.Query)
	}
	if r.shortValue {
		return 0, fmt.Errorf("prometheus query %s didn't return enough values", p.Query)
	}
	v := r.Values[0]
	if math.IsInf(v, 0) || (math.IsNaN(v) && !p.NaNPassesThrough) {
		if p.IgnoreNullValues {
			return 0, nil
		}
		return 0, fmt.Errorf("prometheus query returns %f", v)
	}
	return v, nil
}

// headerError is what http.Client.Do answers for customHeaders that are not
// a valid header field name or value (net/http validates them when the
// request is sent, not when KEDA builds the scaler). Names are checked in
// sorted order; Go ranges over the map, so with several bad headers
// upstream names any one of them.
func headerError(h map[string]string) error {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !httpguts.ValidHeaderFieldName(k) {
			return fmt.Errorf("net/http: invalid header field name %q", k)
		}
	}
	for _, k := range names {
		if !httpguts.ValidHeaderFieldValue(h[k]) {
			return fmt.Errorf("net/http: invalid header field value for %q", k)
		}
	}
	return nil
}

// promAnswer has the shape prometheus_scaler.go decodes an answer into:
// data.result is a list of series, each with a "value" pair. Decoding into
// the same shape yields the same outcome, including encoding/json's
// error for a scalar or string result.
type promAnswer struct {
	Status string `json:"status"`
	Data   struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Metric struct{} `json:"metric"`
			Value  []any    `json:"value"`
		} `json:"result"`
	} `json:"data"`
}

// DecodeQueryResponse reads a Prometheus /api/v1/query answer the way
// ExecutePromQuery does: a status outside 2xx is an error, the body must
// decode as a list of series, and each series' "value" is [time, "v"]. A
// value that does not parse as a float is an error; a series without a
// value pair keeps no value (Evaluate then applies the empty-list rule).
func DecodeQueryResponse(statusCode int, body []byte) QueryResult {
	if statusCode < 200 || statusCode > 299 {
		return QueryResult{Err: fmt.Errorf("prometheus query api returned error. status: %d", statusCode)}
	}
	var a promAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return QueryResult{Err: err}
	}
	r := QueryResult{Type: a.Data.ResultType}
	// Only a single series is read further; more than one is an error
	// whatever their values (Evaluate).
	for range a.Data.Result {
		r.Values = append(r.Values, math.NaN())
	}
	if len(a.Data.Result) != 1 {
		return r
	}
	value := a.Data.Result[0].Value
	switch {
	case len(value) == 0:
		r.emptyValue = true
	case len(value) < 2:
		r.shortValue = true
	case value[1] == nil:
		// A null value leaves the scaler's initial -1 in place.
		r.Values[0] = -1
	default:
		str, ok := value[1].(string)
		if !ok {
			// The scaler's type assertion would panic here.
			return QueryResult{Err: fmt.Errorf("prometheus value %v is not a string", value[1])}
		}
		f, err := strconv.ParseFloat(str, 64)
		if err != nil {
			return QueryResult{Err: err}
		}
		r.Values[0] = f
	}
	return r
}
