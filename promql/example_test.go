package promql_test

import (
	"context"
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
