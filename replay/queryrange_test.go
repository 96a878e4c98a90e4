package replay

import (
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

func TestReadQueryRange(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "matrix sorted by labels, points by time",
			in: `{"status":"success","data":{"resultType":"matrix","result":[
				{"metric":{"__name__":"websocket_connection_count","pod":"ws-1"},"values":[[1700000015,"3"],[1700000000,"1"]]},
				{"metric":{"__name__":"websocket_connection_count","pod":"ws-0"},"values":[[1700000000,"2"],[1700000015,"4"]]}
			]}}`,
			want: "websocket_connection_count{pod=\"ws-0\"}: 1700000000=2 1700000015=4\n" +
				"websocket_connection_count{pod=\"ws-1\"}: 1700000000=1 1700000015=3\n",
		},
		{
			name: "fractional times, NaN and infinities",
			in: `{"status":"success","data":{"resultType":"matrix","result":[
				{"metric":{"job":"api"},"values":[[1435781430.781,"NaN"],[1435781445.781,"+Inf"],[1435781460.781,"-Inf"],[1435781475.781,"1e3"]]}]}}`,
			want: "{job=\"api\"}: 1435781430.781=NaN 1435781445.781=+Inf 1435781460.781=-Inf 1435781475.781=1000\n",
		},
		{
			name: "aggregation without labels",
			in:   `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"7"]]}]}}`,
			want: "{}: 1=7\n",
		},
		{
			name: "empty matrix",
			in:   `{"status":"success","data":{"resultType":"matrix","result":[]}}`,
			want: "",
		},
		{
			name: "warnings, infos and stats are ignored",
			in:   `{"status":"success","warnings":["w"],"infos":["i"],"data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1,"1"]]}],"stats":{}}}`,
			want: "up: 1=1\n",
		},
		{
			name: "vector from /api/v1/query",
			in: `{"status":"success","data":{"resultType":"vector","result":[
				{"metric":{"__name__":"up","instance":"b"},"value":[1700000000.5,"0"]},
				{"metric":{"__name__":"up","instance":"a"},"value":[1700000000.5,"1"]}]}}`,
			want: "up{instance=\"a\"}: 1700000000.5=1\nup{instance=\"b\"}: 1700000000.5=0\n",
		},
		{
			name: "scalar from /api/v1/query",
			in:   `{"status":"success","data":{"resultType":"scalar","result":[1700000000,"42"]}}`,
			want: "{}: 1700000000=42\n",
		},
		{
			name: "scientific timestamp",
			in:   `{"status":"success","data":{"resultType":"scalar","result":[1.7e9,"1"]}}`,
			want: "{}: 1700000000=1\n",
		},
		{
			name: "series without samples",
			in:   `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[]}]}}`,
			want: "up:\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadQueryRange(strings.NewReader(tt.in))
			require.NoError(t, err)
			require.Equal(t, tt.want, dump(got))
			for _, s := range got {
				require.NotNil(t, s.Labels)
			}
		})
	}
}

func TestReadQueryRangeErrors(t *testing.T) {
	const ok = `{"status":"success","data":{"resultType":"matrix","result":[`
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty body", "", "empty body, expected a Prometheus API response"},
		{"not JSON", "<html>", "line 1, column 1: invalid JSON: invalid character '<' looking for beginning of value"},
		{"syntax error on line 3", "{\n\"status\": \"success\",\n\"data\": {,}}", "line 3, column 10: invalid JSON: invalid character ',' looking for beginning of object key string"},
		{"truncated", `{"status":"success"`, "truncated JSON body"},
		{"trailing data", `{"status":"success","data":{"resultType":"matrix","result":[]}} x`, "line 1, column 65: unexpected data after the JSON value"},
		{"no status", `{"data":{}}`, `not a Prometheus API response: no "status" field`},
		{"unknown status", `{"status":"pending"}`, `status: unknown status "pending"`},
		{"api error", `{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:1: parse error"}`, `prometheus: bad_data: invalid parameter "query": 1:1: parse error`},
		{"api error without text", `{"status":"error"}`, `prometheus: no error message`},
		{"no data", `{"status":"success"}`, "data: missing"},
		{"no result", `{"status":"success","data":{"resultType":"matrix"}}`, "data.result: missing"},
		{"no result type", `{"status":"success","data":{"result":[]}}`, "data.resultType: missing"},
		{"string result", `{"status":"success","data":{"resultType":"string","result":[1,"a"]}}`, "data.resultType: a string result holds no samples"},
		{"unknown result type", `{"status":"success","data":{"resultType":"table","result":[]}}`, `data.resultType: unknown result type "table"`},
		{"status not a string", `{"status":1}`, "status: JSON number where a string is expected"},
		{"result not an array", `{"status":"success","data":{"resultType":"matrix","result":{}}}`, "data.result: JSON object where an array is expected"},
		{"null entry", ok + `null]}}`, "data.result[0]: null where an object is expected"},
		{"label not a string", ok + `{"metric":{},"values":[]},{"metric":{"pod":1},"values":[]}]}}`, "data.result[1].metric: JSON number where a string is expected"},
		{"values not an array", ok + `{"metric":{},"values":5}]}}`, "data.result[0].values: JSON number where an array is expected"},
		{"sample not a pair", ok + `{"metric":{},"values":[[1,"1"],[2]]}]}}`, `data.result[0].values[1]: [2] is not a [time, "value"] pair`},
		{"value not a string", ok + `{"metric":{},"values":[[1,1]]}]}}`, "data.result[0].values[0]: value 1 is not a string"},
		{"value not a number", ok + `{"metric":{},"values":[[1,"1"],[2,"2"],[3,"3"],[4,"4"],[5,"5"],[6,"abc"]]}]}}`, `data.result[0].values[5]: value: "abc" is not a number`},
		{"time a string", ok + `{"metric":{},"values":[["1","1"]]}]}}`, `data.result[0].values[0]: time "1" is not a number`},
		{"time too precise", ok + `{"metric":{},"values":[[1.0000000001,"1"]]}]}}`, `data.result[0].values[0]: time: "1.0000000001" has more than 9 fractional digits`},
		{"time out of range", ok + `{"metric":{},"values":[[1e300,"1"]]}]}}`, `data.result[0].values[0]: time: "1e300" is not a time`},
		{"duplicate timestamp", ok + `{"metric":{"__name__":"up"},"values":[[1,"1"],[2,"2"],[1,"3"]]}]}}`, "data.result[0]: series up: duplicate timestamp 1970-01-01T00:00:01Z"},
		{"duplicate series", ok + `{"metric":{"a":"1"},"values":[]},{"metric":{"b":"1"},"values":[]},{"metric":{"a":"1"},"values":[]}]}}`, `data.result[2]: series {a="1"} appears twice (also data.result[0])`},
		{"native histograms", ok + `{"metric":{"__name__":"h"},"histograms":[[1,{"count":"1"}]]}]}}`, "data.result[0]: series h has native histogram samples, which replay does not support"},
		{"vector histogram", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1,{}]}]}}`, "data.result[0]: series {} has a native histogram sample, which replay does not support"},
		{"vector without value", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{}}]}}`, "data.result[0].value: missing"},
		{"scalar not a pair", `{"status":"success","data":{"resultType":"scalar","result":"1"}}`, `data.result: "1" is not a [time, "value"] pair`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadQueryRange(strings.NewReader(tt.in))
			require.EqualError(t, err, tt.want)
			require.Nil(t, got)
		})
	}
}

func TestReadQueryRangeAPIError(t *testing.T) {
	_, err := ReadQueryRange(strings.NewReader(`{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}`))
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, &APIError{Type: "timeout", Message: "query timed out in expression evaluation"}, apiErr)
}

func TestReadQueryRangeReadError(t *testing.T) {
	_, err := ReadQueryRange(iotest.ErrReader(iotest.ErrTimeout))
	require.ErrorIs(t, err, iotest.ErrTimeout)
}
