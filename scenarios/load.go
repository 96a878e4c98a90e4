package scenarios

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"

	"github.com/autoscale-sim/autoscale-sim/internal/safeio"
	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/replay"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// load reads one entry of spec.load: a metric, a model and its
// parameters, optional noise and exactly one shape (values in promtool
// notation with an interval, k6 stages, step, spike, sine, diurnal or a
// replayed recording); a spike may also be added on top of another shape.
func load(n node, sc *Scenario, index int) (sim.Load, bool) {
	l := sim.Load{Model: sim.Connections}
	var steps *sim.Steps
	var stages *sim.Stages
	var interval time.Duration
	var valuesNode *node
	var shapes []sim.Shape
	var spike *sim.Spike
	replayed, spikeBase := false, false
	var fed *arrival
	n.walk(loadSection, func(key string, v node) {
		switch key {
		case "arrivalsFrom":
			fed = &arrival{load: index, n: v, factor: 1}
			required(v, arrivalsFromSection.required, "{workload: frontend}")
			v.walk(arrivalsFromSection, func(key string, v node) {
				switch key {
				case "workload":
					fed.workload, fed.wn = v.str(), v
				case "load":
					fed.from = int(v.int32())
				case "factor":
					// 0 would feed nothing, and Feed reads 0 as 1.
					if fed.factor = v.float(); fed.factor <= 0 {
						v.fail("must be positive: arrivals per served request (default 1)")
					}
				}
			})
		case "metric":
			l.Metric = v.str()
		case "model":
			l.Model = sim.LoadModel(v.str())
			if !contains(loadSection.field("model").enum, string(l.Model)) {
				v.fail("unsupported value %q; allowed: %v", l.Model, sim.LoadModels)
			}
		case "capacity":
			l.Capacity = v.float()
			if l.Capacity <= 0 {
				v.fail("must be positive (per pod)")
			}
		case "serviceRate":
			l.ServiceRate = v.float()
			if l.ServiceRate <= 0 {
				v.fail("must be positive (items per second per pod)")
			}
		case "kafka":
			l.Kafka = kafkaTopic(v)
		case "noise":
			v.walk(noiseSection, func(key string, v node) {
				x := v.float()
				if x < 0 {
					v.fail("must not be negative")
				}
				if key == "stddev" {
					l.Noise.Stddev = x
				} else {
					l.Noise.Relative = x
				}
			})
		case "values":
			vv := v
			valuesNode = &vv
		case "interval":
			interval = positiveDuration(v)
		case "start":
			if stages == nil {
				stages = &sim.Stages{}
			}
			stages.Start = v.float()
		case "stages":
			if stages == nil {
				stages = &sim.Stages{}
			}
			v.items(func(i int, v node) {
				var st sim.Stage
				v.walk(stageSection, func(key string, v node) {
					switch key {
					case "duration":
						st.Duration = v.duration()
					case "target":
						st.Target = v.float()
					}
				})
				if st.Duration == 0 {
					v.fail("duration must be positive")
				}
				stages.Stages = append(stages.Stages, st)
			})
		case "step":
			var st sim.Step
			required(v, stepSection.required, "{at: 5m, from: 10, to: 60}")
			v.walk(stepSection, func(key string, v node) {
				switch key {
				case "at":
					st.Time = v.duration()
				case "from":
					st.From = v.float()
				case "to":
					st.To = v.float()
				}
			})
			shapes = append(shapes, st)
		case "spike":
			spike = &sim.Spike{}
			spikeBase = hasKey(v.n, "base")
			required(v, spikeSection.required, "{at: 10m, duration: 1m, base: 10, peak: 100}")
			v.walk(spikeSection, func(key string, v node) {
				switch key {
				case "at":
					spike.Time = v.duration()
				case "duration":
					spike.Duration = positiveDuration(v)
				case "base":
					spike.Base = v.float()
				case "peak":
					spike.Peak = v.float()
				}
			})
		case "sine", "diurnal":
			sn := sim.Sine{Period: 24 * time.Hour}
			sec := sineSection
			if key == "diurnal" {
				sec = diurnalSection
			}
			required(v, sec.required, "{period: 1h, min: 10, max: 60, phase: 15m}")
			v.walk(sec, func(k string, v node) {
				switch k {
				case "period":
					sn.Period = v.duration()
					if sn.Period == 0 {
						v.fail("must be positive")
					}
				case "phase":
					sn.Phase = v.duration()
				case "min":
					sn.Min = v.float()
				case "max":
					sn.Max = v.float()
				}
			})
			if sn.Max < sn.Min {
				v.fail("max must not be below min")
			}
			shapes = append(shapes, sn)
		case "replay":
			if r, ok := replayEntry(v); ok {
				r.load = index
				sc.replays = append(sc.replays, r)
			}
			replayed = true
			// The recording replaces this placeholder once read.
			shapes = append(shapes, sim.Points{})
		}
	})
	if valuesNode != nil {
		if steps = seriesSteps(*valuesNode, interval); steps != nil {
			shapes = append(shapes, *steps)
		}
	}
	if stages != nil {
		if len(stages.Stages) == 0 {
			n.fail("stages must list at least one {duration, target}")
		}
		shapes = append(shapes, *stages)
	}
	if l.Metric == "" {
		n.fail("metric must be set, e.g. websocket_connection_count")
	}
	if l.Model == sim.Queue && l.ServiceRate == 0 {
		sc.rateless = append(sc.rateless, n)
	}
	if l.Model == sim.KafkaModel && l.ServiceRate == 0 {
		n.fail("the kafka model needs serviceRate, the messages per second one consumer reads")
	}
	if l.Model == sim.KafkaModel && l.Kafka == nil {
		n.fail("the kafka model needs kafka: {partitions: N}, the topic the pods consume")
	}
	if l.Model != sim.KafkaModel && l.Kafka != nil {
		n.child("kafka", mappingValue(n.n, "kafka")).fail("kafka goes with model: kafka")
	}
	if l.Model != sim.Queue && l.Model != sim.KafkaModel && l.ServiceRate != 0 {
		n.fail("serviceRate goes with model: queue or model: kafka")
	}
	if fed != nil {
		if len(shapes) > 0 || spike != nil || valuesNode != nil {
			n.fail("arrivalsFrom gives the load's arrivals; remove its shape (values, stages, step, spike, sine, diurnal, replay)")
		}
		if l.Model != sim.Requests && l.Model != sim.Queue && l.Model != sim.KafkaModel {
			n.fail("arrivalsFrom goes with model: requests, queue or kafka (served requests arrive as requests, messages or records), not %s", l.Model)
		}
		sc.arrivals = append(sc.arrivals, *fed)
		l.Shape = sim.Fed{}
		return l, true
	}
	switch {
	case len(shapes) == 2 && valuesNode != nil && stages != nil:
		n.fail("give either values (with interval) or stages, not both")
	case len(shapes) > 1:
		n.fail("give one shape (values with interval, stages, step, sine, diurnal or replay), not several; a spike may be added to any")
	case len(shapes) == 1 && spike != nil:
		if spikeBase {
			n.fail("spike.base is the load outside the spike; leave it out when the spike is added to another shape")
		}
		l.Shape = sim.Sum{shapes[0], *spike}
	case len(shapes) == 1:
		l.Shape = shapes[0]
	case spike != nil:
		l.Shape = *spike
	case valuesNode == nil:
		n.fail("a shape must be set: values (promtool notation) with interval, stages, step, spike, sine, diurnal or replay")
	}
	if interval != 0 && valuesNode == nil {
		n.fail("interval goes with values")
	}
	if replayed && spike != nil {
		n.fail("a replayed load cannot take a spike")
	}
	return l, l.Shape != nil
}

// kafkaTopic reads a load's kafka block:
//
//	kafka: {partitions: 6, assignor: cooperative-sticky, commitInterval: 1s}
func kafkaTopic(v node) *sim.Kafka {
	k := &sim.Kafka{}
	required(v, kafkaSection.required, "{partitions: 6}")
	v.walk(kafkaSection, func(key string, v node) {
		switch key {
		case "partitions":
			k.Partitions = int(v.int32())
			if k.Partitions < 1 {
				v.fail("must be at least 1")
			}
		case "topic":
			k.Topic = v.str()
		case "consumerGroup":
			k.ConsumerGroup = v.str()
		case "assignor":
			k.Assignor = v.str()
			if !contains(kafkaSection.field("assignor").enum, k.Assignor) {
				v.fail("unsupported value %q; allowed: %s, %s", k.Assignor, sim.RangeAssignor, sim.CooperativeStickyAssignor)
			}
		case "rebalancePause":
			k.RebalancePause = positiveDuration(v)
		case "commitInterval":
			k.CommitInterval = positiveDuration(v)
		case "sessionTimeout":
			k.SessionTimeout = positiveDuration(v)
		case "initialLag":
			k.InitialLag = int64(v.int32())
			if k.InitialLag < 0 {
				v.fail("must not be negative")
			}
		}
	})
	return k
}

// positiveDuration reads a duration that must be above zero: a zero
// would silently mean the default.
func positiveDuration(v node) time.Duration {
	d := v.duration()
	if d <= 0 {
		v.fail("must be positive, e.g. 5s")
	}
	return d
}

// required reports the keys a shape mapping lacks.
func required(v node, keys []string, example string) {
	if v.n.Kind != yaml.MappingNode {
		return
	}
	for _, k := range keys {
		if !hasKey(v.n, k) {
			v.fail("%s must be set, e.g. %s", k, example)
		}
	}
}

// rawSeries reads one entry of spec.series: a series selector with
// values in promtool notation, or a replayed recording.
//
//   - {series: 'queue_length{queue="orders"}', interval: 15s, values: "0+10x20"}
//   - {replay: {file: recorded.csv}}
func rawSeries(n node, sc *Scenario, index int) (sim.RawSeries, bool) {
	var r sim.RawSeries
	var interval time.Duration
	var valuesNode *node
	hasReplay := false
	n.walk(seriesSection, func(key string, v node) {
		switch key {
		case "series":
			r.Labels = seriesLabels(v)
		case "interval":
			interval = positiveDuration(v)
		case "values":
			vv := v
			valuesNode = &vv
		case "replay":
			hasReplay = true
			if ref, ok := replayEntry(v); ok {
				ref.series = index
				sc.replays = append(sc.replays, ref)
			}
		}
	})
	switch {
	case hasReplay && valuesNode != nil:
		n.fail("give values or replay, not both")
	case hasReplay:
		if interval != 0 {
			n.fail("interval goes with values; a recording has its own timestamps")
		}
		// Every recorded series is added once read; series, if set,
		// renames the one recorded series.
		return r, true
	case valuesNode == nil:
		n.fail("values (promtool notation) with interval, or replay, must be set")
		return r, false
	}
	if r.Labels == nil {
		n.fail("series must be set, e.g. 'queue_length{queue=\"orders\"}'")
	}
	steps := seriesSteps(*valuesNode, interval)
	if steps == nil || r.Labels == nil {
		return r, false
	}
	vals, _ := promql.ParseSeriesValues(valuesNode.n.Value)
	for i, x := range vals {
		if x.Omitted {
			continue
		}
		r.Points = append(r.Points, sim.RawPoint{T: time.Duration(i) * interval, V: x.Value, Stale: x.Stale})
	}
	return r, true
}

// seriesLabels parses a series selector such as queue_length{queue="orders"}.
func seriesLabels(v node) map[string]string {
	s := v.str()
	ls, err := parser.NewParser(parser.Options{}).ParseMetric(s)
	if err != nil {
		v.fail("must be a series such as queue_length{queue=\"orders\"}: %v", err)
		return nil
	}
	out := map[string]string{}
	ls.Range(func(l labels.Label) { out[l.Name] = l.Value })
	if out["__name__"] == "" {
		v.fail("must start with a metric name, e.g. queue_length{queue=\"orders\"}")
		return nil
	}
	return out
}

// seriesSteps parses promtool's expanding notation ("0+20x10 200x40 _
// stale") with the Prometheus parser and places the samples interval
// apart. A "_" keeps the previous load and "stale" ends it (load 0).
func seriesSteps(v node, interval time.Duration) *sim.Steps {
	s := v.str()
	if interval == 0 {
		v.fail("values need an interval, e.g. interval: 15s")
		return nil
	}
	vals, err := promql.ParseSeriesValues(s)
	if err != nil {
		var pe *promql.ParseError
		if errors.As(err, &pe) && pe.Column > 0 {
			v.fail("column %d: %s", pe.Column, pe.Msg)
		} else {
			v.fail("%v", err)
		}
		return nil
	}
	out := &sim.Steps{Interval: interval, Values: make([]float64, len(vals))}
	for i, x := range vals {
		switch {
		case x.Omitted:
			out.Values[i] = math.NaN()
		case x.Stale:
			out.Values[i] = 0
		default:
			out.Values[i] = x.Value
		}
	}
	return out
}

// Options change how a scenario is loaded.
type Options struct {
	// PrometheusURL is the Prometheus that live replays read from when
	// they name none (the CLI's --prometheus-url); a replay's own
	// prometheusURL wins.
	PrometheusURL string
	// HTTP sends live replay requests (nil: a client bounded by Context
	// or replay.DefaultTimeout).
	HTTP *http.Client
	// Context bounds live replay requests (nil: context.Background()).
	Context context.Context
	// Overrides edit the autoscaler manifest before it is decoded (the
	// CLI's --set).
	Overrides []Override
	// Manifests are read besides the files the scenario names (the CLI's
	// -f, standard input included).
	Manifests []Input
	// Limits bound the cost of the run (sim.Spec.Limits; zero fields:
	// sim.DefaultLimits); they are checked when the scenario is loaded,
	// so a run that would exceed them never starts.
	Limits sim.Limits
	// ReplayTimeout bounds each live replay request (0:
	// replay.DefaultTimeout, or Context's deadline when it has one).
	ReplayTimeout time.Duration

	// scenarioSets are the Overrides that edit the scenario itself.
	scenarioSets []Override
	// inNamespace says the document is one workload of spec.workloads.
	inNamespace bool

	// dir is the scenario's directory, where manifest globs and
	// directories are expanded (set by LoadWith).
	dir string
}

// LoadWith is Load with options.
func LoadWith(path string, opts Options) (*Scenario, error) {
	data, err := safeio.ReadFile(path, 0)
	if err != nil {
		return nil, err
	}
	opts.dir = filepath.Dir(path)
	files := []string{path}
	read := readBeside(path)
	recording := func(name string) ([]byte, error) {
		data, err := read(name)
		if err == nil {
			if !filepath.IsAbs(name) {
				name = filepath.Join(filepath.Dir(path), name)
			}
			files = append(files, name)
		}
		return data, err
	}
	sc, err := ParseWith(path, data, recording, opts)
	if sc != nil {
		sc.Files = files
	}
	return sc, err
}

// readBeside reads the files a scenario names, relative to the scenario's
// directory unless the name is absolute.
func readBeside(scenarioPath string) ReadFunc {
	return func(name string) ([]byte, error) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(filepath.Dir(scenarioPath), name)
		}
		return safeio.ReadFile(name, 0)
	}
}

// replayRef is a recording named by a load (load >= 0) or by spec.series
// (series >= 0), or a usage model's load named by metric (usage != "").
type replayRef struct {
	at           node
	load, series int
	// file is read through the scenario's ReadFunc; .csv (replay.ReadCSV)
	// or .json (replay.ReadQueryRange).
	file string
	// match picks one recorded series by its selector string.
	match string
	// url, query, start, end and step ask a live Prometheus.
	url, query string
	start, end time.Time
	step       time.Duration

	usage, metric string
}

// replayEntry reads a replay mapping:
//
//	replay: {file: recorded.csv, match: 'http_requests{pod="a"}'}
//	replay: {prometheusURL: http://prometheus:9090, query: 'sum(rate(x[1m]))',
//	         start: "2026-01-01T00:00:00Z", end: "2026-01-01T01:00:00Z", step: 30s}
func replayEntry(v node) (replayRef, bool) {
	r := replayRef{at: v, load: -1, series: -1}
	v.walk(replaySection, func(key string, v node) {
		switch key {
		case "file":
			r.file = v.str()
			if ext := filepath.Ext(r.file); ext != ".csv" && ext != ".json" {
				v.fail("must be a .csv export or a .json query_range answer, got %q", r.file)
			}
		case "match":
			r.match = v.str()
		case "prometheusURL":
			r.url = v.str()
		case "query":
			r.query = v.str()
			checkQuery(v, r.query)
		case "start", "end":
			str := v.str()
			t, err := time.Parse(time.RFC3339, str)
			if err != nil {
				v.fail("must be an RFC 3339 time such as 2026-01-01T00:00:00Z, got %q", str)
			}
			if key == "start" {
				r.start = t
			} else {
				r.end = t
			}
		case "step":
			r.step = v.duration()
			if r.step == 0 {
				v.fail("must be positive")
			}
		}
	})
	live := r.query != "" || r.url != "" || !r.start.IsZero() || !r.end.IsZero() || r.step != 0
	switch {
	case v.n.Kind != yaml.MappingNode:
		return r, false
	case r.file != "" && live:
		v.fail("give file, or query with start, end and step (live Prometheus), not both")
	case r.file == "" && !live:
		v.fail("give file (.csv or .json), or query with start, end and step to read a live Prometheus")
	case live && (r.query == "" || r.start.IsZero() || r.end.IsZero() || r.step == 0):
		v.fail("a live replay needs query, start, end and step")
	case live && !r.end.After(r.start):
		v.fail("end must be after start")
	}
	return r, true
}

// resolveReplays reads the recordings the scenario names and puts them in
// place: a load's shape, or raw series.
func resolveReplays(sc *Scenario, read ReadFunc, opts Options, ps *problems) {
	if len(ps.list) > 0 {
		return
	}
	s := &sc.Spec
	for _, r := range sc.replays {
		if r.usage != "" {
			idx := slices.IndexFunc(s.Loads, func(l sim.Load) bool { return l.Metric == r.metric })
			if idx < 0 {
				r.at.fail("no load produces %q", r.metric)
				continue
			}
			u := s.Workload.Resources.Usage[r.usage]
			u.Load = idx
			s.Workload.Resources.Usage[r.usage] = u
			continue
		}
		series, err := r.read(read, opts)
		if err != nil {
			r.at.fail("%v", err)
			continue
		}
		if r.match != "" {
			series = slices.DeleteFunc(series, func(x replay.Series) bool { return x.String() != r.match })
			if len(series) == 0 {
				r.at.fail("no recorded series is %s", r.match)
				continue
			}
		}
		epoch := time.Unix(0, 0).UTC()
		series = replay.Shift(series, epoch)
		switch {
		case r.load >= 0:
			if len(series) != 1 {
				r.at.fail("a load replays one series, the recording holds %d (%s); pick one with match", len(series), names(series))
				continue
			}
			var p sim.Points
			gaps, bad := 0, false
			for _, pt := range series[0].Points {
				switch {
				case math.IsNaN(pt.V):
					gaps++
				case math.IsInf(pt.V, 0) || pt.V < 0:
					r.at.fail("the recorded value %v at %s is not a load: a load is a finite number, 0 or more", pt.V, pt.T.Sub(epoch))
					bad = true
				}
				if bad {
					break
				}
				p.T = append(p.T, pt.T.Sub(epoch))
				p.V = append(p.V, pt.V)
			}
			if bad {
				continue
			}
			if gaps > 0 {
				sc.Warnings = append(sc.Warnings, Problem{File: sc.File, Line: r.at.line(), Path: r.at.path,
					Message: fmt.Sprintf("%d of the %d recorded points are NaN: gaps, where the load keeps its previous value", gaps, len(series[0].Points))})
			}
			s.Loads[r.load].Shape = p
		default:
			named := s.Series[r.series].Labels
			if named != nil && len(series) != 1 {
				r.at.fail("series names one series, the recording holds %d (%s); pick one with match", len(series), names(series))
				continue
			}
			var out []sim.RawSeries
			for _, x := range series {
				rs := sim.RawSeries{Labels: x.Labels}
				if named != nil {
					rs.Labels = named
				}
				if rs.Labels["__name__"] == "" {
					r.at.fail("recorded series %s has no metric name; name it with series", x.String())
					continue
				}
				for _, pt := range x.Points {
					rs.Points = append(rs.Points, sim.RawPoint{T: pt.T.Sub(epoch), V: pt.V})
				}
				out = append(out, rs)
			}
			s.Series = append(s.Series, out...)
		}
	}
	// The entries that named a recording were placeholders.
	placeholder := map[int]bool{}
	for _, r := range sc.replays {
		if r.series >= 0 {
			placeholder[r.series] = true
		}
	}
	kept := s.Series[:0]
	for i, r := range s.Series {
		if !placeholder[i] {
			kept = append(kept, r)
		}
	}
	s.Series = kept
}

func (r replayRef) read(read ReadFunc, opts Options) ([]replay.Series, error) {
	if r.file != "" {
		data, err := read(r.file)
		if err != nil {
			return nil, fmt.Errorf("cannot read recording: %v", unwrapPath(err))
		}
		if filepath.Ext(r.file) == ".csv" {
			return replay.ReadCSV(bytes.NewReader(data))
		}
		return replay.ReadQueryRange(bytes.NewReader(data))
	}
	url := r.url
	if url == "" {
		url = opts.PrometheusURL
	}
	if url == "" {
		return nil, errors.New("a live replay needs prometheusURL here or the --prometheus-url flag")
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.ReplayTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.ReplayTimeout)
		defer cancel()
	}
	c := replay.Client{BaseURL: url, HTTP: opts.HTTP}
	return c.QueryRange(ctx, r.query, r.start, r.end, r.step)
}

func names(series []replay.Series) string {
	var out []string
	for i, x := range series {
		if i == 3 {
			out = append(out, "...")
			break
		}
		out = append(out, x.String())
	}
	return strings.Join(out, ", ")
}
