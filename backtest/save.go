package backtest

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/replay"
)

// Series are the recording's series under the exporters' names and
// labels, as Classify reads them back: the HPA's and the Deployment's
// status, KEDA's error counters, each trigger's or HPA metric's input
// (keda_scaler_metrics_value, the HPA's status_target_metric, or the
// answer of the query, which has no name: with several triggers it
// carries TriggerLabel), and the raw series an adapter reads.
func (r *Recording) Series(t Target) ([]replay.Series, error) {
	var out []replay.Series
	add := func(ls map[string]string, ps []replay.Point) {
		if len(ps) > 0 {
			out = append(out, replay.Series{Labels: ls, Points: ps})
		}
	}
	hpa := func(name string) map[string]string {
		return map[string]string{replay.NameLabel: name, openmetrics.LabelNamespace: t.Namespace, openmetrics.LabelHPA: t.HPA}
	}
	add(hpa(openmetrics.HPADesiredReplicas), r.Desired)
	add(hpa(openmetrics.HPACurrentReplicas), r.Current)
	add(map[string]string{replay.NameLabel: openmetrics.DeploymentSpecReplicas, openmetrics.LabelNamespace: t.Namespace, openmetrics.LabelDeployment: t.Deployment}, r.SpecReplicas)
	keda := func(name string, i int) map[string]string {
		return map[string]string{replay.NameLabel: name, openmetrics.LabelNamespace: t.Namespace, openmetrics.LabelScaledObject: t.ScaledObject,
			openmetrics.LabelTriggerIndex: strconv.Itoa(i), openmetrics.LabelType: "scaledobject"}
	}
	for _, tr := range t.Triggers {
		add(keda(openmetrics.KEDAScalerErrors, tr.Index), r.Errors[tr.Index])
		in, ok := r.Inputs[tr.Index]
		if !ok {
			continue
		}
		for _, s := range in.Series {
			if in.Source == InputKEDA {
				add(keda(openmetrics.KEDAScalerMetricsValue, tr.Index), s.Points)
				continue
			}
			if in.Source == InputStatus {
				ls := hpa(openmetrics.HPAStatusTarget)
				ls[openmetrics.LabelMetricName], ls[openmetrics.LabelTargetType] = tr.Metric, statusType(tr)
				add(ls, s.Points)
				continue
			}
			ls := map[string]string{}
			for k, v := range s.Labels {
				if k != replay.NameLabel {
					ls[k] = v
				}
			}
			if len(t.Triggers) > 1 {
				ls[TriggerLabel] = strconv.Itoa(tr.Index)
			}
			add(ls, s.Points)
		}
	}
	// The raw series an adapter's configuration reads, as recorded.
	for _, s := range r.Raw {
		add(s.Labels, s.Points)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out, nil
}

// WriteRecording writes series as a query_range answer of the Prometheus
// HTTP API, which ReadQueryRange (and so backtest --recorded) reads back.
func WriteRecording(w io.Writer, series []replay.Series) error {
	type entry struct {
		Metric map[string]string `json:"metric"`
		Values [][2]any          `json:"values"`
	}
	result := make([]entry, 0, len(series))
	for _, s := range series {
		e := entry{Metric: s.Labels, Values: make([][2]any, 0, len(s.Points))}
		for _, p := range s.Points {
			ts := json.Number(strconv.FormatFloat(float64(p.T.UnixMilli())/1000, 'f', -1, 64))
			e.Values = append(e.Values, [2]any{ts, formatSample(p.V)})
		}
		result = append(result, e)
	}
	doc := map[string]any{"status": "success", "data": map[string]any{"resultType": "matrix", "result": result}}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return bw.Flush()
}

// formatSample writes a value as the HTTP API does.
func formatSample(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
