package backtest_test

import (
	"context"
	"fmt"
	"os"

	"github.com/autoscale-sim/autoscale-sim/backtest"
	"github.com/autoscale-sim/autoscale-sim/replay"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// A backtest of examples/backtest against its recorded window: the
// trigger's query_range answer and kube-state-metrics' raw samples, as a
// Prometheus answered them.
func ExampleRun() {
	sc, err := scenarios.Load("../examples/backtest/scenario.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	var series []replay.Series
	for _, f := range []string{"../examples/backtest/trigger.json", "../examples/backtest/kube-state-metrics.json"} {
		r, err := os.Open(f)
		if err != nil {
			fmt.Println(err)
			return
		}
		s, err := replay.ReadQueryRange(r)
		r.Close()
		if err != nil {
			fmt.Println(err)
			return
		}
		series = append(series, s...)
	}
	target, err := backtest.TargetOf(sc.Spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, _, err := backtest.Classify(target, series, backtest.InputQuery)
	if err != nil {
		fmt.Println(err)
		return
	}
	rec.From, rec.To, _ = rec.Span()
	rep, err := backtest.Run(context.Background(), sc.Spec, target, rec, backtest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d of %d syncs agree, lag %s\n", rep.Agreeing, rep.Syncs, rep.Lag)
	for _, d := range rep.Disagreement {
		rv := "none"
		if d.Recorded != nil {
			rv = fmt.Sprint(*d.Recorded)
		}
		fmt.Printf("%s: recorded %s, simulated %d\n", d.Offset, rv, d.Simulated)
	}
	// Output:
	// 98 of 101 syncs agree, lag 0s
	// 6m0s: recorded none, simulated 9
	// 20m0s: recorded 4, simulated 1
	// 20m15s: recorded 4, simulated 1
}

// A backtest of a plain HPA from kube-state-metrics alone: the HPA's
// status holds its Pods metric's average at every sync, which every
// Ready simulated pod reports in the replay.
func ExampleRun_plainHPA() {
	sc, err := scenarios.Load("../examples/backtest-hpa/scenario.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := os.Open("../examples/backtest-hpa/kube-state-metrics.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	series, err := replay.ReadQueryRange(r)
	if err != nil {
		fmt.Println(err)
		return
	}
	target, err := backtest.TargetOf(sc.Spec)
	if err == nil {
		err = target.CheckInput(backtest.InputStatus)
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, _, err := backtest.Classify(target, series, backtest.InputStatus)
	if err != nil {
		fmt.Println(err)
		return
	}
	rec.From, rec.To, _ = rec.Span()
	rep, err := backtest.Run(context.Background(), sc.Spec, target, rec, backtest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %s/%s: %d of %d syncs agree, lag %s\n", rep.Kind, rep.Namespace, rep.HPA, rep.Agreeing, rep.Syncs, rep.Lag)
	for _, d := range rep.Disagreement {
		rv := "none"
		if d.Recorded != nil {
			rv = fmt.Sprint(*d.Recorded)
		}
		fmt.Printf("%s: recorded %s, simulated %d\n", d.Offset, rv, d.Simulated)
	}
	// Output:
	// HorizontalPodAutoscaler demo/myapp: 98 of 101 syncs agree, lag 0s
	// 6m0s: recorded none, simulated 8
	// 20m0s: recorded 4, simulated 2
	// 20m15s: recorded 4, simulated 2
}
