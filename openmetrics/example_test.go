package openmetrics_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// A run as OpenMetrics text, here the HPA's desired replicas as
// kube-state-metrics would have exported them during the first minutes
// of examples/queue (the load rises at 3m).
func ExampleSimulate() {
	sc, err := scenarios.Load("../examples/queue/scenario.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	x, err := openmetrics.Simulate(context.Background(), sc.Spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	if err := x.Write(&b); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, openmetrics.HPADesiredReplicas+"{") {
			f := strings.Fields(line)
			if ts := f[2]; ts >= "195" && ts <= "240" && len(ts) == 3 {
				fmt.Println(line)
			}
		}
	}
	fmt.Println(strings.HasSuffix(b.String(), "# EOF\n"))
	// Output:
	// kube_horizontalpodautoscaler_status_desired_replicas{horizontalpodautoscaler="keda-hpa-queue-workers",namespace="demo"} 4 195
	// kube_horizontalpodautoscaler_status_desired_replicas{horizontalpodautoscaler="keda-hpa-queue-workers",namespace="demo"} 6 210
	// kube_horizontalpodautoscaler_status_desired_replicas{horizontalpodautoscaler="keda-hpa-queue-workers",namespace="demo"} 9 225
	// kube_horizontalpodautoscaler_status_desired_replicas{horizontalpodautoscaler="keda-hpa-queue-workers",namespace="demo"} 9 240
	// true
}
