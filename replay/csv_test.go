package replay

import (
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "unix seconds and selectors",
			in: "time,websocket_connection_count{pod=\"ws-1\"},websocket_connection_count{pod=\"ws-0\"}\n" +
				"1700000015,3,4\n" +
				"1700000000,1,2\n",
			want: "websocket_connection_count{pod=\"ws-0\"}: 1700000000=2 1700000015=4\n" +
				"websocket_connection_count{pod=\"ws-1\"}: 1700000000=1 1700000015=3\n",
		},
		{
			name: "RFC 3339 with offset and fraction",
			in:   "timestamp,up\n2023-11-14T22:13:20Z,1\n2023-11-15T00:13:20.5+02:00,0\n",
			want: "up: 1700000000=1 1700000000.5=0\n",
		},
		{
			name: "fractional unix seconds",
			in:   "time,load\n1700000000.25,1.5\n1700000000.000000001,2e3\n",
			want: "load: 1700000000.000000001=2000 1700000000.25=1.5\n",
		},
		{
			name: "relative seconds",
			in:   "time_seconds,http_requests_per_second\n0,10\n15,20\n30.5,25\n",
			want: "http_requests_per_second: 0=10 15=20 30.5=25\n",
		},
		{
			name: "empty cells are missing samples",
			in:   "time,a,b\n0,1,\n15,,2\n30,,\n",
			want: "a: 0=1\nb: 15=2\n",
		},
		{
			name: "column without samples",
			in:   "time,a,b\n0,1,\n",
			want: "a: 0=1\nb:\n",
		},
		{
			name: "NaN and infinities",
			in:   "time,x\n1,NaN\n2,+Inf\n3,-Inf\n4,Inf\n",
			want: "x: 1=NaN 2=+Inf 3=-Inf 4=+Inf\n",
		},
		{
			name: "case-insensitive time header, spaces, BOM and CRLF",
			in:   "\ufeff Time , up \r\n 1 , 1 \r\n",
			want: "up: 1=1\n",
		},
		{
			name: "quoted header with commas and escapes",
			in:   "time,\"requests{path=\"\"/a,b\"\",code='2\\'00',x=`raw\\`}\"\n1,5\n",
			want: "requests{code=\"2'00\",path=\"/a,b\",x=\"raw\\\\\"}: 1=5\n",
		},
		{
			name: "matchers only and __name__ label",
			in:   "time,{job=\"api\"},\"{__name__=\"\"up\"\",job=\"\"api\"\"}\"\n1,1,2\n",
			want: "up{job=\"api\"}: 1=2\n{job=\"api\"}: 1=1\n",
		},
		{
			name: "empty label value is absent",
			in:   "time,up{job=\"\"}\n1,1\n",
			want: "up: 1=1\n",
		},
		{
			name: "header only",
			in:   "time,up\n",
			want: "up:\n",
		},
		{
			name: "negative relative seconds",
			in:   "time_seconds,up\n-15,1\n0,2\n",
			want: "up: -15=1 0=2\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.in))
			require.NoError(t, err)
			require.Equal(t, tt.want, dump(got))
			for _, s := range got {
				require.NotNil(t, s.Labels)
			}
		})
	}
}

func TestReadCSVLabels(t *testing.T) {
	got, err := ReadCSV(strings.NewReader("time,\"ws{pod=\"\"a\"\", namespace = \"\"demo\"\",}\"\n1,1\n"))
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, map[string]string{"__name__": "ws", "pod": "a", "namespace": "demo"}, got[0].Labels)
	require.Equal(t, []Point{{T: unix(1), V: 1}}, got[0].Points)
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty input", "", "line 1: empty input, expected a header row"},
		{"bad time header", "when,up\n1,1\n", `line 1, column 1: time column is "when", expected time, timestamp or time_seconds`},
		{"no series", "time\n1\n", "line 1: header has no series columns"},
		{"empty series name", "time,up,\n1,1,1\n", "line 1, column 3: empty series name"},
		{"bad selector", "time,up{pod=a}\n1,1\n", `line 1, column 2: series "up{pod=a}": label "pod": character 8: expected a quoted value, found 'a'`},
		{"regex matcher", "time,up{pod=~\"a\"}\n1,1\n", `line 1, column 2: series "up{pod=~\"a\"}": label "pod": matcher "=~" selects series; a column names exactly one, use =`},
		{"unclosed brace", "time,up{pod=\"a\"\n1,1\n", `line 1, column 2: series "up{pod=\"a\"": character 11: missing closing '}'`},
		{"unquoted comma in header", "time,up{a=\"1\",b=\"2\"}\n1,1,2\n", `line 1, column 2: series "up{a=\"1\"": character 9: missing closing '}' (quote a header that contains commas, as CSV requires)`},
		{"duplicate label", "time,\"up{a=\"\"1\"\",a=\"\"2\"\"}\"\n1,1\n", `line 1, column 2: series "up{a=\"1\",a=\"2\"}": label "a" appears twice`},
		{"name twice", "time,up{__name__=\"x\"}\n1,1\n", `line 1, column 2: series "up{__name__=\"x\"}": metric name set twice: "up" and __name__="x"`},
		{"duplicate column", "time,up{a=\"1\"},up{ a = '1' }\n1,1,2\n", `line 1, column 3: series up{a="1"} appears twice (also line 1, column 2)`},
		{"not a number", "time,a,b\n1,1,2\n2,3,4\n3,5,6\n4,7,8\n5,9,10\n6,13,abc\n", `line 7, column 3: "abc" is not a number`},
		{"nan spelling", "time,a\n1,nan\n", `line 2, column 2: "nan" is not a number (use NaN, +Inf or -Inf)`},
		{"hex value", "time,a\n1,0x10\n", `line 2, column 2: "0x10" is not a number`},
		{"value out of range", "time,a\n1,1e999\n", `line 2, column 2: "1e999" is out of range for a float64`},
		{"bad time", "time,a\n1,1\nyesterday,2\n", `line 3, column 1: "yesterday" is neither an RFC 3339 time nor Unix seconds`},
		{"bad relative time", "time_seconds,a\n1m,2\n", `line 2, column 1: "1m" is not a number of seconds`},
		{"bad RFC 3339", "time,a\n2024-13-01T00:00:00Z,2\n", `line 2, column 1: "2024-13-01T00:00:00Z" is not an RFC 3339 time`},
		{"too precise", "time,a\n1.0000000001,2\n", `line 2, column 1: "1.0000000001" has more than 9 fractional digits`},
		{"empty time", "time,a\n,2\n", "line 2, column 1: empty time"},
		{"too few cells", "time,a,b\n1,2\n", "line 2: 2 cells, the header has 3"},
		{"too many cells", "time,a\n1,2,3\n", "line 2: 3 cells, the header has 2"},
		{"duplicate timestamp", "time,a,b\n1,1,\n2,2,\n1,3,4\n", `line 4, column 2: series a has a second sample at 1970-01-01T00:00:01Z (first on line 2)`},
		{"same instant two spellings", "time,a\n1700000000,1\n2023-11-14T22:13:20Z,2\n", `line 3, column 2: series a has a second sample at 2023-11-14T22:13:20Z (first on line 2)`},
		{"line of a multi-line cell", "time,a\n\"1\",\"\nx\"\n", `line 2, column 2: "x" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.in))
			require.EqualError(t, err, tt.want)
			require.Nil(t, got)
		})
	}
}

func TestReadCSVReadError(t *testing.T) {
	_, err := ReadCSV(iotest.ErrReader(iotest.ErrTimeout))
	require.ErrorIs(t, err, iotest.ErrTimeout)
	_, err = ReadCSV(iotest.OneByteReader(strings.NewReader("\ufefftime,a\n1,2\n")))
	require.NoError(t, err)
}
