package report_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/autoscale-sim/autoscale-sim/report"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// exampleResult is a short HPA run: a scale-up, a scale-down and a warning.
func exampleResult() *sim.Result {
	return &sim.Result{
		Name:            "cpu-spike",
		Start:           time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Duration:        20 * time.Minute,
		Seed:            7,
		Autoscaler:      "hpa",
		Workload:        "Deployment/web",
		InitialReplicas: 2,
		MinReplicas:     2,
		MaxReplicas:     8,
		Metrics: []sim.MetricInfo{
			{Name: "pods/http_requests_per_second", Target: 50, TargetType: "AverageValue"},
		},
		Samples: []sim.Sample{
			{T: 0, DesiredReplicas: 2, Replicas: 2, ReadyReplicas: 2, Load: 90, Metrics: []float64{math.NaN()}},
			{T: 45 * time.Second, DesiredReplicas: 5, Replicas: 5, ReadyReplicas: 2, Load: 240, Metrics: []float64{120}},
			{T: 12*time.Minute + 30*time.Second, DesiredReplicas: 4, Replicas: 4, ReadyReplicas: 4, Load: 160, Metrics: []float64{40}},
		},
		Events: []sim.Event{
			{T: 45 * time.Second, Source: "HPA", Type: "Normal", Reason: "SuccessfulRescale", From: 2, To: 5,
				Message: "New size: 5; reason: pods metric http_requests_per_second above target"},
			{T: 2 * time.Minute, Source: "HPA", Type: "Warning", Reason: "FailedGetPodsMetric", From: 5, To: 5,
				Message: "no metrics returned from custom metrics API"},
			{T: 12*time.Minute + 30*time.Second, Source: "HPA", Type: "Normal", Reason: "SuccessfulRescale", From: 5, To: 4,
				Message: "New size: 4; reason: All metrics below target"},
		},
	}
}

func ExampleWriteTimeline() {
	if err := report.WriteTimeline(os.Stdout, exampleResult()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Scenario cpu-spike: hpa on Deployment/web, min 2, max 8 replicas, seed 7, 20m simulated
	//   TIME    SOURCE  TYPE     REASON               REPLICAS  MESSAGE
	//   45s     HPA     Normal   SuccessfulRescale    2 -> 5    New size: 5; reason: pods metric http_requests_per_second above target
	//   2m      HPA     Warning  FailedGetPodsMetric  -         no metrics returned from custom metrics API
	//   12m30s  HPA     Normal   SuccessfulRescale    5 -> 4    New size: 4; reason: All metrics below target
	// Summary: peak 5 replicas at 45s, final 4 replicas (4 ready), 2 scale events (1 up, 1 down)
}

func ExampleWriteCSV() {
	if err := report.WriteCSV(os.Stdout, exampleResult()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// time_seconds,desired_replicas,replicas,ready_replicas,load,pods/http_requests_per_second
	// 0,2,2,2,90,
	// 45,5,5,2,240,120
	// 750,4,4,4,160,40
}

func ExampleWritePlot() {
	var png bytes.Buffer
	if err := report.WritePlot(&png, exampleResult(), "png"); err != nil {
		fmt.Println(err)
	}
	fmt.Println("PNG:", bytes.HasPrefix(png.Bytes(), []byte("\x89PNG\r\n\x1a\n")))

	err := report.WritePlot(&png, exampleResult(), "pdf")
	fmt.Println(err)
	// Output:
	// PNG: true
	// report: unknown plot format "pdf" (want "png" or "svg")
}
