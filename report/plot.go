package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// figureWidth is the width of every figure, in points (1040 px in PNG).
const figureWidth = 780

// Plot formats accepted by WritePlot, in the order SavePlots writes them.
var plotFormats = []string{"png", "svg"}

func checkFormat(format string) error {
	for _, f := range plotFormats {
		if f == format {
			return nil
		}
	}
	return fmt.Errorf("report: unknown plot format %q (want %q or %q)", format, plotFormats[0], plotFormats[1])
}

// WritePlot renders the figure of r (see the package documentation) in the
// given format, "png" or "svg", and writes it to w.
func WritePlot(w io.Writer, r *sim.Result, format string) error {
	if err := validate(r); err != nil {
		return err
	}
	if err := checkFormat(format); err != nil {
		return err
	}
	return runFigure(printable(r)).write(w, format, figureWidth)
}

// SavePlots writes the figure of r to dir/plot.png and dir/plot.svg,
// creating dir if needed.
func SavePlots(dir string, r *sim.Result) error {
	if err := validate(r); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, format := range plotFormats {
		if err := savePlot(filepath.Join(dir, "plot."+format), r, format); err != nil {
			return err
		}
	}
	return nil
}

func savePlot(path string, r *sim.Result, format string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("report: %w", cerr)
		}
	}()
	return WritePlot(f, r, format)
}

func minutes(d time.Duration) float64 { return d.Minutes() }

// timeSpan is the length of the time axis: the run's duration, or the last
// sample or event if they go further, and at least one minute.
func timeSpan(r *sim.Result) time.Duration {
	d := r.Duration
	if n := len(r.Samples); n > 0 {
		d = max(d, r.Samples[n-1].T)
	}
	if n := len(r.Events); n > 0 {
		d = max(d, r.Events[n-1].T)
	}
	return max(d, time.Minute)
}

func figureTitle(r *sim.Result) string {
	if r.Name == "" {
		return "unnamed scenario"
	}
	return r.Name
}

// runFigure lays out the figure of one run, top to bottom: fault windows
// and KEDA's activity as strips, the offered load, one panel per metric in
// the unit of its target (and the query result on its own panel when the
// HPA divides it by the pods), the usage ratios when there are several
// metrics, and the replicas.
func runFigure(r *sim.Result) *stackFigure {
	xs, xlabel := timeScale(timeSpan(r))
	fg := &stackFigure{
		title:  figureTitle(r),
		desc:   figureTitle(r) + ": load, metrics against their targets, and replicas over time",
		xs:     xs,
		xlabel: xlabel,
	}
	fg.subtitle = []string{fmt.Sprintf("%s on %s · min %d, max %d replicas · %s simulated · seed %d",
		orDash(r.Autoscaler), orDash(r.Workload), r.MinReplicas, r.MaxReplicas, age(r.Duration), r.Seed)}
	faultStrips(fg, r)
	kedaStrips(fg, r)
	total := r.Autoscaler == sim.NamespaceAutoscaler
	if p := loadPanel(r); p != nil {
		fg.panels = append(fg.panels, p)
	} else if total {
		fg.notes = append(fg.notes, "The namespace as one: replicas summed over its workloads, and the pool. Each workload's load and metrics are in its own plot.")
	} else {
		fg.notes = append(fg.notes, "Not shown: offered load. The scenario has no load model; its metrics come from raw series.")
	}
	if p := backlogPanel(r); p != nil {
		fg.panels = append(fg.panels, p)
	}
	if p := jobsPanel(r); p != nil {
		fg.panels = append(fg.panels, p)
	}
	if len(r.Metrics) == 0 && !total {
		fg.notes = append(fg.notes, "Not shown: metrics. The autoscaler reads none that the simulation traces.")
	}
	for i := range r.Metrics {
		fg.panels = append(fg.panels, metricPanels(r, i)...)
	}
	if p := ratioPanel(r); p != nil {
		fg.panels = append(fg.panels, p)
	}
	fg.panels = append(fg.panels, replicaPanel(r))
	if p := nodesPanel(r); p != nil {
		fg.panels = append(fg.panels, p)
	}
	return fg
}

// faultStrips shades every fault window across the figure and names it in
// a strip of its own.
func faultStrips(fg *stackFigure, r *sim.Result) {
	if len(r.Faults) == 0 {
		return
	}
	st := strip{label: "faults", class: "faults"}
	for _, f := range r.Faults {
		sp := span{from: minutes(f.From), to: minutes(f.To), fill: faultStrip, class: "fault", text: string(f.Kind), ink: black}
		what := string(f.Kind)
		if f.Metric != nil {
			name := fmt.Sprintf("metric %d", *f.Metric)
			if *f.Metric < len(r.Metrics) {
				name = r.Metrics[*f.Metric].Name
			}
			what += " on " + name
		}
		if f.Kind == sim.ControllerRestart {
			sp.to = sp.from
			sp.title = fmt.Sprintf("%s at %s", what, age(f.From))
		} else {
			sp.title = fmt.Sprintf("%s from %s to %s", what, age(f.From), age(f.To))
		}
		st.spans = append(st.spans, sp)
		shade := sp
		shade.fill, shade.text, shade.class = faultShade, "", "fault-window"
		fg.shades = append(fg.shades, shade)
		fg.stripLegend = append(fg.stripLegend, legendEntry{label: sp.title, thumb: thumbBand, fill: faultStrip})
	}
	fg.strips = append(fg.strips, st)
}

// kedaStrips draws the ScaledObject's activity (and fallback, when it
// happened) poll by poll.
func kedaStrips(fg *stackFigure, r *sim.Result) {
	if len(r.KEDA) == 0 {
		return
	}
	end := minutes(r.Duration)
	type look struct {
		fill   color.NRGBA
		legend string
	}
	looks := map[string]look{
		sim.KEDAActive:   {activeFill, "KEDA active: a trigger above activation"},
		sim.KEDAInactive: {idleFill, "KEDA inactive"},
		sim.KEDACooldown: {coolFill, "KEDA cooldown: waiting for cooldownPeriod"},
		sim.KEDAPaused:   {pausedFill, "KEDA paused by annotation"},
	}
	activity := strip{label: "KEDA", class: "keda"}
	fallback := strip{label: "fallback", class: "fallback"}
	seen := map[string]bool{}
	var order []string
	for i, st := range r.KEDA {
		to := end
		if i+1 < len(r.KEDA) {
			to = minutes(r.KEDA[i+1].T)
		}
		lk := looks[st.Activity]
		title := fmt.Sprintf("KEDA %s from %s to %s", st.Activity, age(st.T), age(time.Duration(to*float64(time.Minute))))
		activity.spans = append(activity.spans, span{from: minutes(st.T), to: to, fill: lk.fill, class: "keda-" + st.Activity,
			title: title, text: st.Activity, ink: black})
		if !seen[st.Activity] {
			seen[st.Activity] = true
			order = append(order, st.Activity)
		}
		if st.Fallback {
			fallback.spans = append(fallback.spans, span{from: minutes(st.T), to: to, fill: fallbackFil, class: "keda-fallback",
				title: fmt.Sprintf("fallback from %s to %s", age(st.T), age(time.Duration(to*float64(time.Minute)))), text: "fallback", ink: black})
		}
	}
	fg.strips = append(fg.strips, activity)
	for _, a := range []string{sim.KEDAActive, sim.KEDAInactive, sim.KEDACooldown, sim.KEDAPaused} {
		if seen[a] {
			fg.stripLegend = append(fg.stripLegend, legendEntry{label: looks[a].legend, thumb: thumbBand, fill: looks[a].fill})
		}
	}
	if len(fallback.spans) > 0 {
		fg.strips = append(fg.strips, fallback)
		fg.stripLegend = append(fg.stripLegend, legendEntry{label: "fallback: some trigger serves fallback metrics", thumb: thumbBand, fill: fallbackFil})
	}
}

// loadUnit names the unit of a load model's Load column.
func loadUnit(m sim.LoadModel) (unit, what string) {
	switch m {
	case sim.Connections:
		return "connections", "connections model: open connections stay on their pod"
	case sim.Requests:
		return "requests/s", "requests model: offered request rate, split over the ready pods"
	case sim.Queue:
		return "items/s", "queue model: arrivals into one backlog the ready pods drain"
	}
	return "load", ""
}

// loadPanel draws the offered load and, when a pod's capacity is known,
// what the ready pods serve; nil when the run has no load.
func loadPanel(r *sim.Result) *panel {
	any := r.Load.Metric != ""
	var e extent
	for _, s := range r.Samples {
		e.add(s.Load)
		any = any || s.Load != 0
	}
	if !any {
		return nil
	}
	unit, what := loadUnit(r.Load.Model)
	title := "Offered load"
	if r.Load.Metric != "" {
		title += ": " + r.Load.Metric
	}
	if what != "" {
		title += " (" + what + ")"
	}
	p := &panel{class: "load", title: title, ylabel: unit, height: 70}
	p.legend = append(p.legend, legendEntry{label: "offered load", thumb: thumbBand, fill: loadFill, stroke: stroke{color: loadGrey, width: 1}})
	served := r.Load.PerPod > 0
	if served {
		for _, s := range r.Samples {
			e.add(float64(s.ReadyReplicas) * r.Load.PerPod)
		}
		p.legend = append(p.legend, legendEntry{label: fmt.Sprintf("what the ready pods serve (%s each)", shortNumber(r.Load.PerPod)),
			thumb: thumbLine, stroke: stroke{color: servedGreen, width: 1.2, dashes: dashed}})
	}
	p.ys = valueScale(e)
	p.draw = func(s surface, f frame) {
		s.begin("series load", "")
		for _, seg := range segments(r.Samples, func(x sim.Sample) float64 { return x.Load }) {
			var line []pt
			for _, smp := range seg {
				line = append(line, pt{f.px(minutes(smp.T)), f.py(smp.Load)})
			}
			area := append([]pt{{line[0].x, f.py(0)}}, line...)
			area = append(area, pt{line[len(line)-1].x, f.py(0)})
			s.polygon(simplify(area), loadFill)
			s.polyline(simplify(line), stroke{color: loadGrey, width: 1})
		}
		s.end()
		if served {
			s.begin("series served", "")
			drawSteps(s, f, r, func(x sim.Sample) float64 { return float64(x.ReadyReplicas) * r.Load.PerPod },
				stroke{color: servedGreen, width: 1.2, dashes: dashed})
			s.end()
		}
	}
	return p
}

// segments splits the samples into runs whose value is finite.
func segments(samples []sim.Sample, v func(sim.Sample) float64) [][]sim.Sample {
	var out [][]sim.Sample
	start := -1
	for i, s := range samples {
		if isFinite(v(s)) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, samples[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, samples[start:])
	}
	return out
}

// drawSteps draws v as a step line: each sample's value holds until the
// next sample (or the end of the run); non-finite values are gaps.
func drawSteps(s surface, f frame, r *sim.Result, v func(sim.Sample) float64, st stroke) bool {
	drawn := false
	end := minutes(r.Duration)
	var line []pt
	flush := func() {
		if len(line) > 1 {
			s.polyline(simplify(line), st)
			drawn = true
		}
		line = nil
	}
	for i, smp := range r.Samples {
		y := v(smp)
		if !isFinite(y) {
			flush()
			continue
		}
		next := end
		if i+1 < len(r.Samples) {
			next = minutes(r.Samples[i+1].T)
		}
		next = max(next, minutes(smp.T))
		py := f.clampY(f.py(y))
		if n := len(line); n > 0 && line[n-1].y == py && line[n-2].y == py {
			// The value holds: extend the step instead of adding
			// points that simplify would drop (a day of replicas is a
			// few dozen steps, not 5,761 samples).
			line[n-1].x = f.px(next)
			continue
		}
		line = append(line, pt{f.px(minutes(smp.T)), py}, pt{f.px(next), py})
	}
	flush()
	return drawn
}

// metricView is one metric in the unit of its target.
type metricView struct {
	m     sim.MetricInfo
	i     int
	color color.NRGBA
	// perPod: an External or Object value with an AverageValue target,
	// which the HPA divides by the pods; it is drawn per ready pod, and
	// the query result on a panel of its own.
	perPod bool
}

func viewOf(r *sim.Result, i int) metricView {
	m := r.Metrics[i]
	return metricView{m: m, i: i, color: metricColors[i%len(metricColors)],
		perPod: m.TargetType == string(hpa.AverageValueMetricType) &&
			(m.SourceType == string(hpa.ExternalMetricSourceType) || m.SourceType == string(hpa.ObjectMetricSourceType))}
}

// value is the sample's metric in the target's unit: per ready pod for
// perPod metrics (none without a ready pod), as read otherwise. It is the
// comparison check.Figures.AboveTarget counts.
func (v metricView) value(s sim.Sample) float64 {
	x := s.Metrics[v.i]
	if !v.perPod {
		return x
	}
	if s.ReadyReplicas == 0 {
		return math.NaN()
	}
	return x / float64(s.ReadyReplicas)
}

func (v metricView) hasTarget() bool { return isFinite(v.m.Target) && v.m.Target > 0 }

// tolerance is the band the HPA leaves alone, in the target's unit.
func tolerance(r *sim.Result, target float64) (lo, hi float64, label string) {
	t := r.Tolerances
	down, up := t.ScaleDown, t.ScaleUp
	if t.Legacy {
		down = up
	}
	label = "±" + shortNumber(up*100) + "%"
	if down != up {
		label = "−" + shortNumber(down*100) + "% / +" + shortNumber(up*100) + "%"
	}
	return target * (1 - down), target * (1 + up), label
}

// metricPanels returns the panel of metric i against its target and, for
// a perPod metric, the panel of its query result with the activation
// threshold (KEDA compares the query result itself with it).
func metricPanels(r *sim.Result, i int) []*panel {
	v := viewOf(r, i)
	m := v.m
	target := shortNumber(m.Target)
	var title, ylabel, series string
	switch {
	case m.SourceType == sim.ScaledJobSource:
		title = fmt.Sprintf("%s: the queue length KEDA reads, against %s per Job", m.Name, target)
		ylabel, series = "queue length", "queue length"
	case v.perPod:
		title = fmt.Sprintf("%s per ready pod against its AverageValue target %s (the HPA divides the query result by the pods)", m.Name, target)
		ylabel, series = "per ready pod", "per ready pod"
	case m.TargetType == string(hpa.UtilizationMetricType):
		title = fmt.Sprintf("%s: average utilization against its target %s%% of the requests", m.Name, target)
		ylabel, series = "% of requests", "utilization"
	case m.TargetType == string(hpa.AverageValueMetricType):
		title = fmt.Sprintf("%s: average over the pods against its AverageValue target %s", m.Name, target)
		ylabel, series = "pod average", "pod average"
	default:
		title = fmt.Sprintf("%s against its %s target %s", m.Name, orDash(m.TargetType), target)
		ylabel, series = "value", "value"
	}
	if !v.perPod && m.Query != "" {
		title += ": " + m.Query
	}
	activation := m.ActivationTarget > 0 && isFinite(m.ActivationTarget)
	main := valuePanel(r, v, "metric", title, ylabel, series, v.value, true, activation && !v.perPod)
	if !v.perPod {
		return []*panel{main}
	}
	title = fmt.Sprintf("%s as the query returns it", m.Name)
	if m.Query != "" {
		title += ": " + m.Query
	}
	raw := valuePanel(r, v, "metric-raw", title, "query result", "query result",
		func(s sim.Sample) float64 { return s.Metrics[v.i] }, false, activation)
	raw.height = 60
	return []*panel{main, raw}
}

// valuePanel draws one series of metric v with, as asked, its target and
// tolerance band and its activation threshold.
func valuePanel(r *sim.Result, v metricView, class, title, ylabel, series string, value func(sim.Sample) float64, withTarget, withActivation bool) *panel {
	p := &panel{class: class, title: title, ylabel: ylabel, height: 85}
	unit := ""
	if v.m.TargetType == string(hpa.UtilizationMetricType) {
		unit = "%"
	}
	var e extent
	finite := false
	for _, s := range r.Samples {
		x := value(s)
		e.add(x)
		finite = finite || isFinite(x)
	}
	line := stroke{color: v.color, width: 1.6}
	p.legend = append(p.legend, legendEntry{label: series, thumb: thumbLine, stroke: line})
	withTarget = withTarget && v.hasTarget()
	// A ScaledJob has no HPA, so no tolerance: KEDA divides the queue by
	// the target and rounds up (scale_jobs.go).
	withBand := withTarget && r.Autoscaler != scaledJobAutoscaler
	var bandLo, bandHi float64
	if withTarget {
		bandLo, bandHi = v.m.Target, v.m.Target
		p.legend = append(p.legend,
			legendEntry{label: "target " + shortNumber(v.m.Target) + unit, thumb: thumbLine, stroke: stroke{color: v.color, width: 1.2, dashes: dashed}})
	}
	if withBand {
		var tol string
		bandLo, bandHi, tol = tolerance(r, v.m.Target)
		p.legend = append(p.legend,
			legendEntry{label: "tolerance " + tol + ": no scaling inside", thumb: thumbBand, fill: withAlpha(v.color, 0x3a)})
	}
	if withTarget {
		e.add(bandLo)
		e.add(bandHi)
		p.labels = append(p.labels, panelLabel{v: v.m.Target, text: "target " + shortNumber(v.m.Target) + unit, color: v.color})
	}
	if withActivation {
		e.add(v.m.ActivationTarget)
		p.legend = append(p.legend, legendEntry{label: "activation threshold " + shortNumber(v.m.ActivationTarget) + " (KEDA active above)",
			thumb: thumbLine, stroke: stroke{color: black, width: 1.2, dashes: dotted}})
		p.labels = append(p.labels, panelLabel{v: v.m.ActivationTarget, text: "activation " + shortNumber(v.m.ActivationTarget), color: black})
	}
	p.ys = valueScale(e)
	if !finite {
		switch {
		case v.perPod && class == "metric" && anyFinite(r, v.i):
			p.note = "no value: no pod was ready while the metric was read"
		default:
			p.note = "no value: the metric was never read"
		}
	}
	p.draw = func(s surface, f frame) {
		if withTarget {
			s.begin("tolerance", "")
			if withBand {
				y0, y1 := f.clampY(f.py(bandHi)), f.clampY(f.py(bandLo))
				s.rect(f.x, y0, f.w, y1-y0, withAlpha(v.color, 0x3a), stroke{}, "")
			}
			y := f.py(v.m.Target)
			s.polyline([]pt{{f.x, y}, {f.x + f.w, y}}, stroke{color: v.color, width: 1.2, dashes: dashed})
			s.end()
		}
		if withActivation {
			s.begin("activation", "")
			y := f.py(v.m.ActivationTarget)
			s.polyline([]pt{{f.x, y}, {f.x + f.w, y}}, stroke{color: black, width: 1.2, dashes: dotted})
			s.end()
		}
		s.begin("series metric", "")
		drawSteps(s, f, r, value, line)
		s.end()
	}
	return p
}

func anyFinite(r *sim.Result, i int) bool {
	for _, s := range r.Samples {
		if isFinite(s.Metrics[i]) {
			return true
		}
	}
	return false
}

// ratioPanel puts every metric's usage ratio on one axis when there are
// several: the HPA proposes replicas from each and takes the highest, so
// the top line is the one that decides.
func ratioPanel(r *sim.Result) *panel {
	var views []metricView
	for i := range r.Metrics {
		if v := viewOf(r, i); v.hasTarget() {
			views = append(views, v)
		}
	}
	if len(r.Metrics) < 2 || len(views) == 0 {
		return nil
	}
	p := &panel{class: "ratio", title: "Usage ratio of each metric (value ÷ target): the HPA scales for the highest", ylabel: "ratio", height: 80}
	var e extent
	for _, v := range views {
		for _, s := range r.Samples {
			e.add(v.value(s) / v.m.Target)
		}
		p.legend = append(p.legend, legendEntry{label: v.m.Name, thumb: thumbLine, stroke: stroke{color: v.color, width: 1.4}})
	}
	lo, hi, tol := tolerance(r, 1)
	e.add(lo)
	e.add(hi)
	p.ys = valueScale(e)
	p.legend = append(p.legend, legendEntry{label: "tolerance " + tol, thumb: thumbBand, fill: rgba(0x80, 0x80, 0x80, 0x30)})
	p.labels = append(p.labels, panelLabel{v: 1, text: "target", color: black})
	p.draw = func(s surface, f frame) {
		s.begin("tolerance", "")
		y0, y1 := f.clampY(f.py(hi)), f.clampY(f.py(lo))
		s.rect(f.x, y0, f.w, y1-y0, rgba(0x80, 0x80, 0x80, 0x30), stroke{}, "")
		s.polyline([]pt{{f.x, f.py(1)}, {f.x + f.w, f.py(1)}}, stroke{color: black, width: 1, dashes: dashed})
		s.end()
		for _, v := range views {
			s.begin("series ratio", "")
			drawSteps(s, f, r, func(x sim.Sample) float64 { return v.value(x) / v.m.Target }, stroke{color: v.color, width: 1.4})
			s.end()
		}
	}
	return p
}

// timelineLine is an event as the timeline prints it.
func timelineLine(e sim.Event) string {
	return strings.Join([]string{age(e.T), e.Source, e.Type, e.Reason, change(e.From, e.To), oneLine(e.Message)}, "  ")
}

// scaledJobAutoscaler is sim.Result.Autoscaler for a ScaledJob.
const scaledJobAutoscaler = "keda-scaledjob"

// replicaPanel draws spec.replicas (from the timeline, exact), the ready
// pods, the bounds with their values in the margin, and a marker at every
// scale event and warning whose hover title is its timeline line.
func replicaPanel(r *sim.Result) *panel {
	minName, maxName := "minReplicas", "maxReplicas"
	if r.Autoscaler == "keda" || r.Autoscaler == scaledJobAutoscaler {
		minName, maxName = "minReplicaCount", "maxReplicaCount"
	}
	// A ScaledJob's replicas are its unfinished Jobs: Job completions are
	// drawn in the Jobs panel, not as scale-downs here.
	jobs := r.Autoscaler == scaledJobAutoscaler
	marked := func(e sim.Event) bool { return !jobs || e.Source != "Job" }
	hi := max(r.MaxReplicas, r.MinReplicas, r.InitialReplicas, 1)
	for _, s := range r.Samples {
		hi = max(hi, s.DesiredReplicas, s.ReadyReplicas)
	}
	for _, e := range r.Events {
		hi = max(hi, e.To)
	}
	top := float64(hi) + max(1, math.Ceil(float64(hi)*0.05))
	ticks := integerTicks(top)
	// Below 0 there is room, so that a line at 0 (minReplicaCount 0, or
	// no replicas) stays apart from the axis.
	ys := scale{lo: -top * 0.045, hi: top, ticks: ticks}

	desired := stroke{color: desiredBlue, width: 2.6}
	ready := stroke{color: readyGreen, width: 1.3}
	minSt := stroke{color: minGrey, width: 1.1, dashes: dashed}
	maxSt := stroke{color: maxRed, width: 1.1, dashes: dashDot}
	title, desiredLabel := "Replicas: spec.replicas as the autoscaler sets it, and the pods that are Ready", "desired (spec.replicas)"
	if jobs {
		title, desiredLabel = "Jobs' pods: the unfinished Jobs KEDA counts as running, and the pods that are Ready", "unfinished Jobs"
	}
	p := &panel{class: "replicas", title: title, ylabel: "replicas", height: 120, ys: ys}
	p.legend = []legendEntry{
		{label: desiredLabel, thumb: thumbLine, stroke: desired},
		{label: "ready pods", thumb: thumbLine, stroke: ready},
		{label: fmt.Sprintf("%s %d", minName, r.MinReplicas), thumb: thumbLine, stroke: minSt},
		{label: fmt.Sprintf("%s %d", maxName, r.MaxReplicas), thumb: thumbLine, stroke: maxSt},
	}
	var ups, downs, warns int
	for _, e := range r.Events {
		if !marked(e) {
			continue
		}
		switch {
		case e.From < e.To:
			ups++
		case e.From > e.To:
			downs++
		case e.Type == "Warning":
			warns++
		}
	}
	if ups > 0 {
		label := "scale up (hover: the event)"
		if jobs {
			label = "Jobs created (hover: the poll)"
		}
		p.legend = append(p.legend, legendEntry{label: label, thumb: thumbMarker, marker: markerUp, fill: eventNavy})
	}
	if downs > 0 {
		p.legend = append(p.legend, legendEntry{label: "scale down (hover: the event)", thumb: thumbMarker, marker: markerDown, fill: eventNavy})
	}
	if warns > 0 {
		p.legend = append(p.legend, legendEntry{label: "warning (hover: the event)", thumb: thumbMarker, marker: markerDiamond, fill: warnOrange})
	}
	p.labels = []panelLabel{
		{v: float64(r.MinReplicas), text: fmt.Sprintf("min %d", r.MinReplicas), color: minGrey},
		{v: float64(r.MaxReplicas), text: fmt.Sprintf("max %d", r.MaxReplicas), color: maxRed},
	}
	p.draw = func(s surface, f frame) {
		s.begin("bounds", "")
		for _, b := range []struct {
			v  int32
			st stroke
		}{{r.MaxReplicas, maxSt}, {r.MinReplicas, minSt}} {
			y := f.py(float64(b.v))
			s.polyline([]pt{{f.x, y}, {f.x + f.w, y}}, b.st)
		}
		s.end()
		s.begin("series desired", "")
		cur := r.InitialReplicas
		line := []pt{{f.px(0), f.py(float64(cur))}}
		for _, e := range r.Events {
			if e.From == e.To {
				continue
			}
			x := f.px(minutes(e.T))
			line = append(line, pt{x, f.py(float64(cur))}, pt{x, f.py(float64(e.To))})
			cur = e.To
		}
		line = append(line, pt{f.px(minutes(r.Duration)), f.py(float64(cur))})
		s.polyline(simplify(line), desired)
		s.end()
		s.begin("series ready", "")
		drawSteps(s, f, r, func(x sim.Sample) float64 { return float64(x.ReadyReplicas) }, ready)
		s.end()
		s.begin("events", "")
		for _, e := range r.Events {
			if !marked(e) {
				continue
			}
			x := f.px(minutes(e.T))
			switch {
			case e.From < e.To:
				s.begin("event scale-up", timelineLine(e))
				drawMarker(s, markerUp, x, f.py(float64(e.To))-5, eventNavy)
			case e.From > e.To:
				s.begin("event scale-down", timelineLine(e))
				y := f.py(float64(e.To)) + 5
				if y+4 > f.y+f.h {
					// no room under a line at the bottom: above it
					y = f.py(float64(e.To)) - 5
				}
				drawMarker(s, markerDown, x, y, eventNavy)
			case e.Type == "Warning":
				s.begin("event warning", timelineLine(e))
				drawMarker(s, markerDiamond, x, f.y+5, warnOrange)
			default:
				continue
			}
			s.end()
		}
		s.end()
	}
	return p
}
