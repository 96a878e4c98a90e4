package promql

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLimits(t *testing.T) {
	for _, tc := range []struct {
		query, want string
	}{
		{`max_over_time(rate(x[5m])[30d:1ms])`, "the subquery [30d:1ms] evaluates 2592000000 points per series; at most 11000"},
		{`max_over_time(x[1d:])`, "the subquery [1d:1m] evaluates 1440 points"}, // within: no error
		{strings.Repeat("(", 200) + "x" + strings.Repeat(")", 200), "nest more than 128 deep"},
		{"x" + strings.Repeat(" + x", 5000), "is 20001 bytes long; at most 16384"},
	} {
		err := ParseQuery(tc.query)
		if strings.Contains(tc.want, "1440") {
			require.NoError(t, err)
			continue
		}
		var pe *ParseError
		require.True(t, errors.As(err, &pe), "%v", err)
		require.Contains(t, pe.Msg, tc.want)
	}
	require.NoError(t, ParseQuery(`sum(rate(http_requests_total[5m]))`))
}

// TestMaxSamples: a query that would hold more samples than the engine's
// limit fails instead of exhausting memory.
func TestMaxSamples(t *testing.T) {
	st := NewStore()
	t0 := time.Unix(0, 0)
	for i := 0; i < 200; i++ {
		for s := 0; s < 300; s++ {
			require.NoError(t, st.Append(Labels{"__name__": "x", "i": string(rune('a'+i%26)) + string(rune('a'+i/26))}, t0.Add(time.Duration(s)*time.Second), 1))
		}
	}
	at := t0.Add(5 * time.Minute)
	_, err := NewEngine(EngineOptions{Evaluation: EngineOnly}).Instant(t.Context(), st, `count_over_time(x[5m])`, at)
	require.NoError(t, err, "60,000 samples are well within the default limit")
	_, err = NewEngine(EngineOptions{Evaluation: EngineOnly, MaxSamples: 10_000}).Instant(t.Context(), st, `x[5m]`, at)
	var le *LimitError
	require.True(t, errors.As(err, &le), "%v", err)
	require.Contains(t, le.Error(), "too many samples")
}
