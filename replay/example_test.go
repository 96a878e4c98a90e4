package replay_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/replay"
)

func ExampleReadCSV() {
	const export = `time,websocket_connection_count{pod="ws-0"},websocket_connection_count{pod="ws-1"}
2024-05-01T12:00:00Z,10,4
2024-05-01T12:00:15Z,12,
2024-05-01T12:00:30Z,15,7
`
	series, err := replay.ReadCSV(strings.NewReader(export))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range series {
		fmt.Println(s)
		for _, p := range s.Points {
			fmt.Printf("  %s %g\n", p.T.Format(time.TimeOnly), p.V)
		}
	}
	// Output:
	// websocket_connection_count{pod="ws-0"}
	//   12:00:00 10
	//   12:00:15 12
	//   12:00:30 15
	// websocket_connection_count{pod="ws-1"}
	//   12:00:00 4
	//   12:00:30 7
}

func ExampleReadCSV_error() {
	_, err := replay.ReadCSV(strings.NewReader("time_seconds,load\n0,1\n15,abc\n"))
	fmt.Println(err)
	// Output:
	// line 3, column 2: "abc" is not a number
}

func ExampleReadQueryRange() {
	// Saved with: curl 'http://prometheus:9090/api/v1/query_range?query=up&start=...&end=...&step=15s'
	const body = `{"status":"success","data":{"resultType":"matrix","result":[
	  {"metric":{"__name__":"up","instance":"b:8080"},"values":[[1714564800,"1"],[1714564815,"NaN"]]},
	  {"metric":{"__name__":"up","instance":"a:8080"},"values":[[1714564800,"1"],[1714564815,"0"]]}]}}`
	series, err := replay.ReadQueryRange(strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range series {
		fmt.Println(s, s.Points[0].T.Unix(), s.Points[1].V)
	}
	// Output:
	// up{instance="a:8080"} 1714564800 0
	// up{instance="b:8080"} 1714564800 NaN
}

func ExampleShift() {
	series := []replay.Series{
		{Labels: map[string]string{"__name__": "a"}, Points: []replay.Point{
			{T: time.Date(2024, 5, 1, 12, 0, 30, 0, time.UTC), V: 1},
			{T: time.Date(2024, 5, 1, 12, 0, 45, 0, time.UTC), V: 2},
		}},
		{Labels: map[string]string{"__name__": "b"}, Points: []replay.Point{
			{T: time.Date(2024, 5, 1, 12, 0, 15, 0, time.UTC), V: 3},
		}},
	}
	epoch := time.Unix(0, 0).UTC() // the simulator's t = 0
	for _, s := range replay.Shift(series, epoch) {
		for _, p := range s.Points {
			fmt.Printf("%s t=%s v=%g\n", s, p.T.Sub(epoch), p.V)
		}
	}
	// Output:
	// a t=15s v=1
	// a t=30s v=2
	// b t=0s v=3
}

func ExampleClient_QueryRange() {
	// A stand-in for a Prometheus server.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("query") == "oops(" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"status":"error","errorType":"bad_data","error":"1:6: parse error: unclosed left parenthesis"}`)
			return
		}
		io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[
		  {"metric":{},"values":[[1714564800,"200"],[1714564815,"180"]]}]}}`)
	}))
	defer srv.Close()

	c := &replay.Client{BaseURL: srv.URL}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Unix(1714564800, 0)
	series, err := c.QueryRange(ctx, "sum(websocket_connection_count)", start, start.Add(15*time.Second), 15*time.Second)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(series[0], series[0].Points[0].V, series[0].Points[1].V)

	_, err = c.QueryRange(ctx, "oops(", start, start.Add(15*time.Second), 15*time.Second)
	fmt.Println(err)
	// Output:
	// {} 200 180
	// prometheus: HTTP 400: bad_data: 1:6: parse error: unclosed left parenthesis
}
