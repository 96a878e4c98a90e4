package replay

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSeriesString(t *testing.T) {
	tests := []struct {
		labels map[string]string
		want   string
	}{
		{nil, "{}"},
		{map[string]string{"__name__": "up"}, "up"},
		{map[string]string{"__name__": "up", "pod": "b", "job": "a"}, `up{job="a",pod="b"}`},
		{map[string]string{"job": "a\"b\\c\n"}, `{job="a\"b\\c\n"}`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, Series{Labels: tt.labels}.String())
		})
	}
}

func TestParseSelectorRoundTrip(t *testing.T) {
	for _, labels := range []map[string]string{
		{"__name__": "up"},
		{"__name__": "ns:http_requests:rate5m", "pod": "ws-0"},
		{"job": "a\"b\\c\n\u00e9"},
		{"__name__": "x", "a": "`'\"{},="},
		{},
	} {
		s := Series{Labels: labels}.String()
		got, err := parseSelector(s)
		require.NoError(t, err, s)
		require.Equal(t, labels, got, s)
	}
}

func TestParseSelectorErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty series name"},
		{"1up", `unexpected '1'`},
		{"up pod", `character 4: unexpected 'p'`},
		{"up{", "character 4: missing closing '}'"},
		{"up{pod}", `character 7: expected '=' after label "pod", found '}'`},
		{"up{pod!=\"a\"}", `label "pod": matcher "!=" selects series; a column names exactly one, use =`},
		{"up{pod=\"a}", `label "pod": character 8: unterminated "-quoted value`},
		{"up{pod=`a}", "label \"pod\": character 8: unterminated `-quoted value"},
		{"up{pod=\"\\q\"}", `label "pod": character 9: invalid escape in quoted value`},
		{"up{pod=\"\\xff\"}", `label "pod": value is not valid UTF-8`},
		{"up{pod=\"a\" job=\"b\"}", `character 12: expected ',' or '}', found 'j'`},
		{"up{pod=\"a\"} x", `character 13: unexpected 'x' after '}'`},
		{"up{,}", `character 4: expected a label name, found ','`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := parseSelector(tt.in)
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestUnixSeconds(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		out  string
	}{
		{"0", time.Unix(0, 0), "0"},
		{"1700000000", time.Unix(1700000000, 0), "1700000000"},
		{"1700000000.5", time.Unix(1700000000, 500_000_000), "1700000000.5"},
		{"+1.000000001", time.Unix(1, 1), "1.000000001"},
		{".25", time.Unix(0, 250_000_000), "0.25"},
		{"-1.5", time.Unix(-2, 500_000_000), "-1.5"},
		{"-0.25", time.Unix(-1, 750_000_000), "-0.25"},
		{"1.7e9", time.Unix(1700000000, 0), "1700000000"},
		{"0001700000000", time.Unix(1700000000, 0), "1700000000"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseUnixSeconds(tt.in)
			require.NoError(t, err)
			require.True(t, tt.want.Equal(got), "got %v", got)
			require.Equal(t, tt.out, formatUnixSeconds(got))
		})
	}
	for _, bad := range []string{"", ".", "-", "1..2", "1.2.3", "abc", "1e", "NaN", "Inf", "0x10", "1_000", "253402300800", "99999999999999999999", "1e12", " 1"} {
		_, err := parseUnixSeconds(bad)
		require.Error(t, err, bad)
	}
	require.Equal(t, "15", formatSeconds(15*time.Second))
	require.Equal(t, "0.001", formatSeconds(time.Millisecond))
}

func TestParseValue(t *testing.T) {
	for in, want := range map[string]float64{"1": 1, "-2.5": -2.5, "1e3": 1000, "+Inf": math.Inf(1), "-Inf": math.Inf(-1), "Inf": math.Inf(1), ".5": 0.5} {
		got, err := parseValue(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	got, err := parseValue("NaN")
	require.NoError(t, err)
	require.True(t, math.IsNaN(got))
	for _, bad := range []string{"", "nan", "inf", "Infinity", "0x1p3", "1_0", "abc", "1,5"} {
		_, err := parseValue(bad)
		require.Error(t, err, bad)
	}
}

func TestShift(t *testing.T) {
	in := []Series{
		{Labels: map[string]string{"__name__": "a"}, Points: []Point{{T: unix(1700000030), V: 1}, {T: unix(1700000045), V: 2}}},
		{Labels: map[string]string{"__name__": "b"}, Points: []Point{{T: unix(1700000015), V: 3}, {T: time.Unix(1700000020, 5), V: 4}}},
		{Labels: map[string]string{"__name__": "c"}},
	}
	epoch := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		epoch time.Time
		want  string
	}{
		{"to 2020", epoch, "a: 1577836815=1 1577836830=2\nb: 1577836800=3 1577836805.000000005=4\nc:\n"},
		{"to the zero time, far beyond a time.Duration", time.Time{}, "a: -62135596785=1 -62135596770=2\nb: -62135596800=3 -62135596794.999999995=4\nc:\n"},
		{"to the Unix epoch", time.Unix(0, 0).UTC(), "a: 15=1 30=2\nb: 0=3 5.000000005=4\nc:\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Shift(in, tt.epoch)
			require.Equal(t, tt.want, dump(got))
			require.True(t, got[1].Points[0].T.Equal(tt.epoch))
		})
	}
	// The input is untouched and the output shares nothing with it.
	require.Equal(t, "a: 1700000030=1 1700000045=2\nb: 1700000015=3 1700000020.000000005=4\nc:\n", dump(in))
	out := Shift(in, epoch)
	out[0].Labels["x"] = "y"
	out[0].Points[0].V = 99
	require.Equal(t, map[string]string{"__name__": "a"}, in[0].Labels)
	require.Equal(t, 1.0, in[0].Points[0].V)

	require.Nil(t, Shift(nil, epoch))
	require.Equal(t, []Series{{Labels: map[string]string{}}}, Shift([]Series{{}}, epoch))
}
