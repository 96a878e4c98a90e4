package backtest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/autoscale-sim/autoscale-sim/openmetrics"
	"github.com/autoscale-sim/autoscale-sim/replay"
)

// Fetch reads the recording of [from, to] from a live Prometheus: the
// HPA's and the Deployment's status as raw samples (an instant query of
// a range selector, so that each sample keeps its scrape time and a
// missing scrape stays missing), from lookback before from on, and each
// trigger's input over the window at step (query_range of the trigger's
// query, or of keda_scaler_metrics_value for InputKEDA).
func Fetch(ctx context.Context, c *replay.Client, t Target, from, to time.Time, step, lookback time.Duration, input string) (*Recording, error) {
	if !to.After(from) {
		return nil, fmt.Errorf("--to %s is not after --from %s", to.UTC().Format(time.RFC3339), from.UTC().Format(time.RFC3339))
	}
	rec := &Recording{From: from, To: to, Inputs: map[int]Input{}, Errors: map[int][]replay.Point{}}
	window := to.Sub(from) + lookback
	raw := func(name, objLabel, obj string) ([]replay.Point, error) {
		// The namespace is matched here, not in the selector: it may
		// be exported_namespace (see ObjectNamespace).
		q := fmt.Sprintf("%s{%s=%s}[%dms]", name, objLabel, strconv.Quote(obj), window.Milliseconds())
		series, err := c.Query(ctx, q, to)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
		series = inNamespace(series, t.Namespace)
		switch len(series) {
		case 0:
			return nil, nil
		case 1:
			return series[0].Points, nil
		}
		return nil, fmt.Errorf("%s: %d series answer, want one (is kube-state-metrics scraped twice? add the job label to tell them apart)", q, len(series))
	}
	var err error
	if rec.Desired, err = raw(openmetrics.HPADesiredReplicas, openmetrics.LabelHPA, t.HPA); err != nil {
		return nil, err
	}
	if rec.Current, err = raw(openmetrics.HPACurrentReplicas, openmetrics.LabelHPA, t.HPA); err != nil {
		return nil, err
	}
	if rec.SpecReplicas, err = raw(openmetrics.DeploymentSpecReplicas, openmetrics.LabelDeployment, t.Deployment); err != nil {
		return nil, err
	}
	if t.Kind == KindHPA {
		return fetchHPAInputs(ctx, c, t, rec, from, to, step, window, input)
	}
	for _, tr := range t.Triggers {
		q := fmt.Sprintf("%s{%s=%s,%s=%s}[%dms]", openmetrics.KEDAScalerErrors, openmetrics.LabelScaledObject, strconv.Quote(t.ScaledObject),
			openmetrics.LabelTriggerIndex, strconv.Quote(strconv.Itoa(tr.Index)), window.Milliseconds())
		series, err := c.Query(ctx, q, to)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
		var errs []replay.Series
		for _, s := range inNamespace(series, t.Namespace) {
			if s.Labels[openmetrics.LabelType] != "scaledjob" {
				errs = append(errs, s)
			}
		}
		switch len(errs) {
		case 0:
		case 1:
			rec.Errors[tr.Index] = errs[0].Points
		default:
			return nil, fmt.Errorf("%s: %d series answer, want one (is KEDA's operator scraped twice? add the job label to tell them apart)", q, len(errs))
		}
	}
	for _, tr := range t.Triggers {
		q, source := tr.Query, InputQuery
		if input == InputKEDA {
			q, source = fmt.Sprintf("%s{%s=%s,%s=%s}", openmetrics.KEDAScalerMetricsValue,
				openmetrics.LabelScaledObject, strconv.Quote(t.ScaledObject),
				openmetrics.LabelTriggerIndex, strconv.Quote(strconv.Itoa(tr.Index))), InputKEDA
		}
		series, err := queryRange(ctx, c, q, from, to, step)
		if err != nil {
			return nil, fmt.Errorf("spec.triggers[%d]: %w", tr.Index, err)
		}
		if source == InputKEDA {
			series = inNamespace(series, t.Namespace)
		}
		rec.Inputs[tr.Index] = Input{Source: source, Series: series}
	}
	return rec, nil
}

// fetchHPAInputs reads a plain HPA's metric inputs: with InputStatus its
// status series of each metric over the window at step; with InputQuery
// the answers of each metric's adapter rule query (spec.adapter.rules),
// and for the metrics that the adapter's configuration serves the raw
// samples of every rule's seriesQuery, which the replay's adapter then
// queries as the cluster's did.
func fetchHPAInputs(ctx context.Context, c *replay.Client, t Target, rec *Recording, from, to time.Time, step, window time.Duration, input string) (*Recording, error) {
	if err := t.CheckInput(input); err != nil {
		return nil, err
	}
	raw := false
	for _, tr := range t.Triggers {
		var q string
		switch {
		case input == InputStatus:
			q = fmt.Sprintf("%s{%s=%s,%s=%s,%s=%s}", openmetrics.HPAStatusTarget, openmetrics.LabelHPA, strconv.Quote(t.HPA),
				openmetrics.LabelMetricName, strconv.Quote(tr.Metric), openmetrics.LabelTargetType, strconv.Quote(statusType(tr)))
		case tr.Query != "":
			q = tr.Query
		default:
			raw = true
			continue
		}
		series, err := queryRange(ctx, c, q, from, to, step)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tr.field(), err)
		}
		if input == InputStatus {
			series = inNamespace(series, t.Namespace)
			if len(series) > 1 {
				return nil, fmt.Errorf("%s: %s: %d series answer, want one (is kube-state-metrics scraped twice? add the job label to tell them apart)", tr.field(), q, len(series))
			}
		}
		rec.Inputs[tr.Index] = Input{Source: input, Series: series}
	}
	if raw {
		seen := map[string]bool{}
		for _, sq := range t.SeriesQueries {
			q := fmt.Sprintf("%s[%dms]", sq, window.Milliseconds())
			series, err := c.Query(ctx, q, to)
			if err != nil {
				return nil, fmt.Errorf("the adapter's seriesQuery %s: %w", q, err)
			}
			for _, s := range series {
				// Two rules may select the same series.
				if k := s.String(); !seen[k] {
					seen[k] = true
					rec.Raw = append(rec.Raw, s)
				}
			}
		}
	}
	return rec, nil
}

// inNamespace keeps the series of objects in ns.
func inNamespace(series []replay.Series, ns string) []replay.Series {
	var out []replay.Series
	for _, s := range series {
		if ObjectNamespace(s.Labels) == ns {
			out = append(out, s)
		}
	}
	return out
}

// maxPoints is how many points one query_range asks for: Prometheus
// refuses a range of more than 11,000 steps (web/api/v1/api.go queryRange:
// end.Sub(start)/step > 11000, "exceeded maximum resolution of 11,000
// points per timeseries").
const maxPoints = 10_000

// queryRange asks for [from, to] in pieces of at most maxPoints steps and
// joins the series by label set, so that a window of days at 15 s works.
func queryRange(ctx context.Context, c *replay.Client, q string, from, to time.Time, step time.Duration) ([]replay.Series, error) {
	span := step * (maxPoints - 1)
	byKey := map[string]*replay.Series{}
	var order []string
	for lo := from; !lo.After(to); lo = lo.Add(span + step) {
		hi := lo.Add(span)
		if hi.After(to) {
			hi = to
		}
		part, err := c.QueryRange(ctx, q, lo, hi, step)
		if err != nil {
			return nil, err
		}
		for _, s := range part {
			k := s.String()
			if prev, ok := byKey[k]; ok {
				prev.Points = append(prev.Points, s.Points...)
				continue
			}
			cp := s
			byKey[k] = &cp
			order = append(order, k)
		}
	}
	sort.Strings(order)
	out := make([]replay.Series, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out, nil
}
