// Command keda-upstream answers conformance cases with KEDA's own code:
// it reads cases as JSON lines on standard input (the format of
// internal/kedaconformance, copied in format.go), serves each case's
// Prometheus answers from a local httptest server and runs the real
// Prometheus scaler (scalers.NewPrometheusScaler, GetMetricSpecForScaling,
// GetMetricsAndActivity) against it, one result line per case. A scale
// loop case (loop.go) runs a ScaledObject through the CRD schema, the
// admission webhook, the reconciler's newHPAForScaledObject and the scale
// handler over a fake API server. The first line names the KEDA release.
//
// It is built from the trimmed copy that ../../prepare.sh writes and runs
// under unshare -rn: only loopback exists, which the program brings up.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	v2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/api/resource"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/kedacore/keda/v2/pkg/scalers"
	"github.com/kedacore/keda/v2/pkg/scalers/scalersconfig"
)

func release() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/kedacore/keda/v2" {
				return "github.com/kedacore/keda/v2 " + d.Version
			}
		}
	}
	return "github.com/kedacore/keda/v2 (unknown)"
}

// server answers the current case's queries in order.
type server struct {
	answers []Answer
	next    atomic.Int64
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.next.Add(1) - 1)
	if i >= len(s.answers) {
		http.Error(w, "no more answers", http.StatusInternalServerError)
		return
	}
	a := s.answers[i]
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.Status)
	_, _ = w.Write([]byte(a.Body))
}

// wireMilli is the value the HPA reads: the quantity goes through the
// external metrics API as JSON, and the HPA takes its MilliValue.
func wireMilli(q resource.Quantity) int64 {
	b, err := json.Marshal(q)
	if err != nil {
		return 0
	}
	var back resource.Quantity
	if err := json.Unmarshal(b, &back); err != nil {
		return 0
	}
	return back.MilliValue()
}

func run(c Case) Result {
	srv := &server{answers: c.Answers}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	md := map[string]string{}
	for k, v := range c.Metadata {
		md[k] = v
	}
	md["serverAddress"] = ts.URL
	cfg := &scalersconfig.ScalerConfig{
		ScalableObjectName:      "so",
		ScalableObjectNamespace: "ns",
		ScalableObjectType:      "ScaledObject",
		TriggerMetadata:         md,
		TriggerType:             "prometheus",
		TriggerIndex:            0,
		MetricType:              v2.MetricTargetType(c.MetricType),
		GlobalHTTPTimeout:       3 * time.Second,
	}
	s, err := scalers.NewPrometheusScaler(cfg)
	if err != nil {
		return Result{Error: err.Error()}
	}
	defer s.Close(context.Background())
	var r Result
	ctx := context.Background()
	if specs := s.GetMetricSpecForScaling(ctx); len(specs) == 1 && specs[0].External != nil {
		t := specs[0].External.Target
		r.TargetType = string(t.Type)
		q := t.Value
		if t.AverageValue != nil {
			q = t.AverageValue
		}
		if q != nil {
			r.TargetMilli = wireMilli(*q)
			// The API server refuses the generated HPA unless the target
			// is positive (autoscaling validation: validateMetricTarget);
			// KEDA then cannot scale with this trigger at all.
			if q.Sign() != 1 {
				return Result{Error: fmt.Sprintf("the generated HPA is invalid: target %s must be positive", q.String())}
			}
		}
	}
	for range c.Answers {
		ms, active, err := s.GetMetricsAndActivity(ctx, "s0-prometheus")
		q := Query{Active: active}
		switch {
		case err != nil:
			q.Error = err.Error()
		case len(ms) != 1:
			q.Error = fmt.Sprintf("%d metrics", len(ms))
		default:
			q.Milli = wireMilli(ms[0].Value)
		}
		r.Queries = append(r.Queries, q)
	}
	return r
}

func main() {
	if os.Getenv("KEDA_UPSTREAM_LOG") != "" {
		// Upstream's own log on standard error, to read while debugging.
		ctrllog.SetLogger(funcr.New(func(prefix, args string) { fmt.Fprintln(os.Stderr, prefix, args) }, funcr.Options{Verbosity: 1}))
	} else {
		ctrllog.SetLogger(logr.Discard())
	}
	if err := loopbackUp(); err != nil {
		fmt.Fprintln(os.Stderr, "keda-upstream: loopback:", err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	_ = enc.Encode(map[string]string{"release": release()})
	out.Flush()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	for in.Scan() {
		var c Case
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			fmt.Fprintln(os.Stderr, "keda-upstream: bad case:", err)
			os.Exit(2)
		}
		if c.Loop != nil {
			_ = enc.Encode(runLoop(c.Loop))
		} else {
			_ = enc.Encode(run(c))
		}
		out.Flush()
	}
}
