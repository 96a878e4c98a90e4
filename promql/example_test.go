package promql_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/autoscale-sim/autoscale-sim/promql"
)

// Three pods report their open WebSocket connections; the trigger's query
// sums them.
func ExampleEngine_Instant() {
	st := promql.NewStore()
	start := time.Unix(0, 0)
	for i, conns := range []float64{120, 50, 30} {
		lbls := promql.Labels{"__name__": "websocket_connection_count", "namespace": "demo", "pod": fmt.Sprintf("ws-%d", i)}
		_ = st.Append(lbls, start, conns)
	}
	e := promql.NewEngine(promql.EngineOptions{})
	res, err := e.Instant(context.Background(), st, `sum(websocket_connection_count{namespace="demo"})`, start.Add(15*time.Second))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Type, res.Samples[0].Value)
	// Output: vector 200
}

func ExampleParseSeriesValues() {
	vals, _ := promql.ParseSeriesValues("0+50x2 _ stale")
	for _, v := range vals {
		switch {
		case v.Omitted:
			fmt.Print("_ ")
		case v.Stale:
			fmt.Print("stale ")
		default:
			fmt.Print(v.Value, " ")
		}
	}
	fmt.Println()
	// Output: 0 50 100 _ stale
}

// A pod disappears after the 30s scrape. The next scrape writes staleness
// markers, so the sum drops at once instead of counting the dead pod for
// the 5m lookback delta.
func ExampleStore_AppendStale() {
	st := promql.NewStore()
	start := time.Unix(0, 0)
	pod := func(name string) promql.Labels {
		return promql.Labels{"__name__": "websocket_connection_count", "pod": name}
	}
	for s := 0; s <= 30; s += 15 {
		_ = st.Append(pod("ws-0"), start.Add(time.Duration(s)*time.Second), 100)
		_ = st.Append(pod("ws-1"), start.Add(time.Duration(s)*time.Second), 100)
	}
	_ = st.Append(pod("ws-0"), start.Add(45*time.Second), 100)
	_ = st.AppendStale(pod("ws-1"), start.Add(45*time.Second))

	e := promql.NewEngine(promql.EngineOptions{})
	for _, s := range []int{44, 45, 60} {
		res, _ := e.Instant(context.Background(), st, `sum(websocket_connection_count)`, start.Add(time.Duration(s)*time.Second))
		fmt.Printf("t=%ds sum=%v\n", s, res.Samples[0].Value)
	}
	// Output:
	// t=44s sum=200
	// t=45s sum=100
	// t=60s sum=100
}

// One range query evaluates an open-loop input at every step.
func ExampleEngine_Range() {
	st := promql.NewStore()
	start := time.Unix(0, 0)
	vals, _ := promql.ParseSeriesValues("0+60x8")
	for i, v := range vals {
		_ = st.Append(promql.Labels{"__name__": "http_requests_total", "job": "app"}, start.Add(time.Duration(i)*15*time.Second), v.Value)
	}
	e := promql.NewEngine(promql.EngineOptions{})
	series, err := e.Range(context.Background(), st, `rate(http_requests_total[1m])`, start.Add(time.Minute), start.Add(2*time.Minute), 30*time.Second)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range series {
		fmt.Println(s.Labels)
		for _, p := range s.Points {
			fmt.Printf("%s %.1f/s\n", p.T.Format("15:04:05"), p.V)
		}
	}
	// Output:
	// {job="app"}
	// 00:01:00 4.0/s
	// 00:01:30 4.0/s
	// 00:02:00 4.0/s
}

// A typo in a trigger's query is located so that the caller can point at
// the line of the scenario file.
func ExampleParseQuery() {
	err := promql.ParseQuery("sum(rate(http_requests_total{job=\"app\"}[2m])")
	var pe *promql.ParseError
	if errors.As(err, &pe) {
		fmt.Printf("line %d, column %d: %s\n", pe.Line, pe.Column, pe.Msg)
	}
	// Output: line 1, column 45: unclosed left parenthesis
}
