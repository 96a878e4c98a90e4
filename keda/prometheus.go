package keda

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
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
	// Values holds one value per series of an instant vector.
	Values []float64
	// Scalar marks a scalar (or string) result. KEDA decodes the response
	// into a list of series, so such a result fails to decode.
	Scalar bool
	// Err is a failed query (HTTP error, unreachable server, bad PromQL).
	Err error
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
	if r.Err != nil {
		return 0, r.Err
	}
	if r.Scalar {
		return 0, fmt.Errorf("prometheus query %s returned a scalar, but KEDA can only read an instant vector (json: cannot unmarshal number into the result list)", p.Query)
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
	v := r.Values[0]
	if math.IsInf(v, 0) || (math.IsNaN(v) && !p.NaNPassesThrough) {
		if p.IgnoreNullValues {
			return 0, nil
		}
		return 0, fmt.Errorf("prometheus query returns %f", v)
	}
	return v, nil
}
