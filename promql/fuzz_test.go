package promql

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParseSeriesValues: any input either expands into well-formed slots
// or fails with a *ParseError located inside the input; it never panics.
// The seed corpus is in testdata/fuzz/FuzzParseSeriesValues.
func FuzzParseSeriesValues(f *testing.F) {
	for _, s := range []string{"0+20x10 200x40 _ stale", "1 _x3 stale", "Inf -Inf NaN", "1+2", "stalex3", "0x99999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vals, err := ParseSeriesValues(s)
		if err != nil {
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, s, pe.Query)
			require.GreaterOrEqual(t, pe.Offset, 0)
			require.LessOrEqual(t, pe.Offset, len(s))
			require.GreaterOrEqual(t, pe.Line, 1)
			require.GreaterOrEqual(t, pe.Column, 1)
			return
		}
		require.NotEmpty(t, vals)
		require.LessOrEqual(t, len(vals), MaxSeriesValues+len(s))
		for _, v := range vals {
			require.False(t, v.Omitted && v.Stale)
		}
	})
}

// FuzzParseQuery: a query is accepted or rejected with a located error,
// never a panic.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`sum(rate(http_requests_total{job="x"}[2m]))`, `sum(x`, `max_over_time(sum(x)[5m:])`, "a\n+ {"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ParseQuery(s)
		if err == nil {
			return
		}
		var pe *ParseError
		require.ErrorAs(t, err, &pe)
		require.LessOrEqual(t, pe.Offset, len(s))
		require.GreaterOrEqual(t, pe.Line, 1)
	})
}
