package keda

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParsePrometheusTrigger(t *testing.T) {
	base := func() map[string]string {
		return map[string]string{"serverAddress": "http://p:9090", "query": "up", "threshold": "40"}
	}
	cases := []struct {
		name   string // prometheus_scaler.go prometheusMetadata / typed_config.go
		set    map[string]string
		check  func(t *testing.T, p *PrometheusTrigger)
		errors []FieldError
	}{
		{name: "defaults: ignoreNullValues true, activationThreshold 0", check: func(t *testing.T, p *PrometheusTrigger) {
			require.True(t, p.IgnoreNullValues)
			require.Equal(t, 40.0, p.Threshold)
			require.Equal(t, 0.0, p.ActivationThreshold)
		}},
		{name: "JSON number syntax: exponent accepted", set: map[string]string{"threshold": "1e3", "activationThreshold": "-2.5"}, check: func(t *testing.T, p *PrometheusTrigger) {
			require.Equal(t, 1000.0, p.Threshold)
			require.Equal(t, -2.5, p.ActivationThreshold)
		}},
		{name: "JSON number syntax: leading dot rejected", set: map[string]string{"threshold": ".5"},
			errors: []FieldError{{"threshold", "must be a number greater than 0, got \".5\""}}},
		{name: "values are trimmed; empty counts as absent", set: map[string]string{"threshold": " 7 ", "ignoreNullValues": ""}, check: func(t *testing.T, p *PrometheusTrigger) {
			require.Equal(t, 7.0, p.Threshold)
			require.True(t, p.IgnoreNullValues)
		}},
		{name: "strconv.ParseBool spellings", set: map[string]string{"ignoreNullValues": "F", "unsafeSsl": "1"}, check: func(t *testing.T, p *PrometheusTrigger) {
			require.False(t, p.IgnoreNullValues)
			require.True(t, p.UnsafeSSL)
		}},
		{name: "maps and timeout in milliseconds", set: map[string]string{"queryParameters": "a=1, b=2", "timeout": "1500"}, check: func(t *testing.T, p *PrometheusTrigger) {
			require.Equal(t, map[string]string{"a": "1", "b": "2"}, p.QueryParameters)
			require.Equal(t, 1500*time.Millisecond, p.Timeout)
		}},
		{name: "missing required parameters", set: map[string]string{"serverAddress": "", "threshold": ""},
			errors: []FieldError{{"serverAddress", "is required"}, {"threshold", "is required"}}},
		{name: "bad map", set: map[string]string{"customHeaders": "x"},
			errors: []FieldError{{"customHeaders", "must be a list of key=value pairs separated by commas, got \"x\""}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			for k, v := range tc.set {
				m[k] = v
			}
			p, errs := ParsePrometheusTrigger(m)
			require.Equal(t, tc.errors, errs)
			if tc.check != nil {
				require.NotNil(t, p)
				tc.check(t, p)
			}
		})
	}
}

func TestPrometheusEvaluate(t *testing.T) {
	boom := errors.New("connection refused")
	cases := []struct {
		name       string // prometheus_scaler.go ExecutePromQuery / GetMetricsAndActivity
		ignoreNull bool
		nanThrough bool
		r          QueryResult
		value      float64
		active     bool
		err        string
	}{
		{name: "single value above activationThreshold 0 is active", ignoreNull: true, r: QueryResult{Values: []float64{12}}, value: 12, active: true},
		{name: "zero is not active (value > activationThreshold, strict)", ignoreNull: true, r: QueryResult{Values: []float64{0}}, value: 0},
		{name: "empty result with ignoreNullValues reads 0", ignoreNull: true, r: QueryResult{}, value: 0},
		{name: "empty result without ignoreNullValues is an error", r: QueryResult{}, err: "prometheus metrics 'prometheus' target may be lost, the result is empty"},
		{name: "more than one series is an error", ignoreNull: true, r: QueryResult{Values: []float64{1, 2}}, err: "prometheus query up returned multiple elements"},
		{name: "Inf with ignoreNullValues reads 0", ignoreNull: true, r: QueryResult{Values: []float64{math.Inf(1)}}, value: 0},
		{name: "NaN without ignoreNullValues is an error (v2.20.0+)", r: QueryResult{Values: []float64{math.NaN()}}, err: "prometheus query returns NaN"},
		{name: "negative values pass through the scaler", ignoreNull: true, r: QueryResult{Values: []float64{-3}}, value: -3},
		{name: "scalar results fail to decode", ignoreNull: true, r: QueryResult{Scalar: true}, err: "returned a scalar"},
		{name: "query errors propagate", ignoreNull: true, r: QueryResult{Err: boom}, err: "connection refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &PrometheusTrigger{Query: "up", IgnoreNullValues: tc.ignoreNull, NaNPassesThrough: tc.nanThrough}
			v, a, err := p.Evaluate(tc.r)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.value, v)
			require.Equal(t, tc.active, a)
		})
	}
}

// v2.19.0 let a NaN through as the value: never active.
func TestPrometheusNaNBefore220(t *testing.T) {
	p := &PrometheusTrigger{IgnoreNullValues: false, NaNPassesThrough: true}
	v, a, err := p.Evaluate(QueryResult{Values: []float64{math.NaN()}})
	require.NoError(t, err)
	require.True(t, math.IsNaN(v))
	require.False(t, a)
}

func TestActivationThreshold(t *testing.T) {
	// keda-docs: threshold 10, activation 50, 40 messages: not active.
	p, errs := ParsePrometheusTrigger(map[string]string{"serverAddress": "x", "query": "q", "threshold": "10", "activationThreshold": "50"})
	require.Empty(t, errs)
	_, a, err := p.Evaluate(QueryResult{Values: []float64{40}})
	require.NoError(t, err)
	require.False(t, a)
}

func TestMetricToMilli(t *testing.T) {
	v219, v2201, v2202 := featuresOf("2.19.0"), featuresOf("2.20.1"), featuresOf("2.20.2")
	cases := []struct {
		name string // scaler.go GenerateMetricInMili / quantityFromFloat64
		f    features
		in   float64
		want int64
	}{
		{"2.20 rounds to the nearest thousandth", v2202, 0.0015, 2},
		{"2.19 truncates", v219, 0.0015, 1},
		{"2.19 truncation of 0.1+0.2 style values", v219, 1.005, 1004},
		{"2.20 rounds 1.005 by its binary value", v2202, 1.005, 1005},
		{"2.20.1 keeps negatives", v2201, -2.5, -2500},
		{"2.20.2 maps negatives to 0", v2202, -2.5, 0},
		{"2.20 maps NaN to 0", v2202, math.NaN(), 0},
		{"2.19 NaN converts to MinInt64 (amd64)", v219, math.NaN(), math.MinInt64},
		// The HPA parses the quantity's canonical string and its MilliValue
		// wraps (conformance reproducer value-2202-*): 1e20 reads as 0.
		{"2.20 wraps huge values as MilliValue does", v2202, 1e20, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, metricToMilli(tc.f, tc.in))
		})
	}
}

func TestParseQuantityMilli(t *testing.T) {
	cases := []struct {
		in   string // k8s.io/apimachinery resource.ParseQuantity + MilliValue (ceil)
		want int64
		err  bool
	}{
		{"500m", 500, false}, {"1", 1000, false}, {"1.5", 1500, false}, {"1Ki", 1024000, false},
		{"1Gi", 1073741824000, false}, {"2e3", 2000000, false}, {"0.1m", 1, false}, {"1k", 1000000, false},
		{"abc", 0, true}, {"", 0, true}, {"1Q", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseQuantityMilli(tc.in)
			if tc.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// TestMetricToMilliMatchesExactParse compares the digit reading of
// metricToMilli with an exact rational parse of the same "%.3f" string
// (what resource.MustParse does upstream) over random magnitudes and
// signs, the int64 edges and negative zero.
func TestMetricToMilliMatchesExactParse(t *testing.T) {
	exact := func(v float64) int64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0
		}
		r, ok := new(big.Rat).SetString(strconv.FormatFloat(v, 'f', 3, 64))
		require.True(t, ok)
		return ratToInt64(r.Mul(r, big.NewRat(1000, 1)))
	}
	v2201 := featuresOf("2.20.1") // keeps negative values
	values := []float64{0, math.Copysign(0, -1), 0.0005, -0.0005, 1.0005, 9.2233720368547e15, -9.2233720368547e15,
		9.223372036854775e15, -9.223372036854776e15, 1e16, -1e16, 1e300, -1e300, math.Inf(1), math.NaN(), 5e-324}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		v := (r.Float64()*2 - 1) * math.Pow(10, float64(r.IntN(40)-20))
		values = append(values, v, math.Round(v*1000)/1000)
	}
	for _, v := range values {
		e := exact(v)
		if e == math.MaxInt64 || e == math.MinInt64 {
			// Beyond the int64 milli range the HPA reads MilliValue's
			// wrapped value (TestMetricToMilli).
			continue
		}
		require.Equal(t, e, metricToMilli(v2201, v), "%v", v)
	}
}
