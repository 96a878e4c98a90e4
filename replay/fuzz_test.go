package replay

import (
	"strings"
	"testing"
	"time"
)

// checkSeries asserts the readers' guarantees on a successful result.
func checkSeries(t *testing.T, series []Series) {
	for i, s := range series {
		if s.Labels == nil {
			t.Fatalf("series %d has nil labels", i)
		}
		if i > 0 && series[i-1].String() >= s.String() {
			t.Fatalf("series not strictly sorted: %s before %s", series[i-1], s)
		}
		for j := 1; j < len(s.Points); j++ {
			if !s.Points[j-1].T.Before(s.Points[j].T) {
				t.Fatalf("series %s: points not strictly increasing at %d", s, j)
			}
		}
	}
	// Shift keeps the shape and the order of points.
	epoch := time.Unix(0, 0).UTC()
	shifted := Shift(series, epoch)
	if len(shifted) != len(series) {
		t.Fatalf("Shift changed the number of series")
	}
	for i, s := range shifted {
		if len(s.Points) != len(series[i].Points) {
			t.Fatalf("Shift changed the number of points")
		}
		for j := 1; j < len(s.Points); j++ {
			if !s.Points[j-1].T.Before(s.Points[j].T) {
				t.Fatalf("Shift broke the order of points")
			}
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"time,websocket_connection_count{pod=\"ws-0\"},websocket_connection_count{pod=\"ws-1\"}\n1700000000,1,2\n1700000015,,4\n",
		"timestamp,up\n2024-05-01T12:00:00Z,1\n2024-05-01T12:00:15.5+02:00,NaN\n",
		"time_seconds,load\n0,+Inf\n15.25,-Inf\n-3,1e3\n",
		"time,\"up{job=\"\"api\"\",pod='a'}\",{x=`y`}\n1,1,2\n",
		"time,a\n1,1\n1,2\n",
		"time,a,b\n1,2\n",
		"\ufefftime,a\r\n\"1\",\"\n2\"\r\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		series, err := ReadCSV(strings.NewReader(in))
		if err != nil {
			if series != nil {
				t.Fatalf("error %v with series", err)
			}
			if !strings.HasPrefix(err.Error(), "line ") && !strings.HasPrefix(err.Error(), "reading CSV") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		checkSeries(t, series)
		// Headers round-trip through String.
		for _, s := range series {
			labels, err := parseSelector(s.String())
			if err != nil {
				t.Fatalf("String %s does not parse back: %v", s, err)
			}
			if labelsString(labels) != s.String() {
				t.Fatalf("String %s parses back as %s", s, labelsString(labels))
			}
		}
	})
}

func FuzzReadQueryRange(f *testing.F) {
	for _, seed := range []string{
		`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","pod":"b"},"values":[[1700000000,"1"],[1700000015.5,"NaN"]]},{"metric":{"pod":"a"},"values":[[1,"+Inf"],[2,"-Inf"]]}]}}`,
		`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1.7e9,"1"]}]}}`,
		`{"status":"success","data":{"resultType":"scalar","result":[1700000000,"42"]}}`,
		`{"status":"error","errorType":"bad_data","error":"parse error"}`,
		`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[1,"2"]]}]}}`,
		`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"histograms":[[1,{}]]}]}}`,
		"{\n\"status\": \"success\",\n\"data\": {,}}",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		series, err := ReadQueryRange(strings.NewReader(in))
		if err != nil {
			if series != nil {
				t.Fatalf("error %v with series", err)
			}
			return
		}
		checkSeries(t, series)
	})
}

func FuzzParseSelector(f *testing.F) {
	for _, seed := range []string{
		`up`, `up{pod="a"}`, `{__name__="up",job='x',y=` + "`z`" + `,}`, `up{pod=~"a"}`, `up{a="\x41\u00e9"}`, `{}`, `up{`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		labels, err := parseSelector(in)
		if err != nil {
			return
		}
		s := labelsString(labels)
		again, err := parseSelector(s)
		if err != nil {
			t.Fatalf("%q parsed, but its String %s does not: %v", in, s, err)
		}
		if labelsString(again) != s {
			t.Fatalf("%q: String %s parses back as %s", in, s, labelsString(again))
		}
	})
}
