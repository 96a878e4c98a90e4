package scenarios

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Expectation is one entry of spec.expect: a named claim about the run,
// checked by `autoscale-sim test` and by package check. Exactly one kind
// of claim is set:
//
//	expect:
//	- name: scales out in time
//	  reaches: 5          # spec.replicas is at least 5 ...
//	  by: 1m30s           # ... at some instant up to 1m30s
//	- name: replicas after the load
//	  at: 16m
//	  replicas: 1         # spec.replicas at 16m, after every decision taken then
//	- name: five during the load
//	  during: [2m, 11m]
//	  min: 5              # and/or max: the range of spec.replicas in the window
//	  max: 5
//	- name: no flapping while connected
//	  during: [2m, 11m]
//	  noChange: true      # no replica change in (2m, 11m]
//	- name: calm
//	  maxScaleEventsPerHour: 12   # in any hour-long window (the whole run if shorter)
//	- name: idle at night
//	  zeroBy: 18m         # spec.replicas is 0 at some instant up to 18m
//	- name: budget
//	  maxReplicaSeconds: 6000     # the integral of spec.replicas (cost)
//	- name: served
//	  maxAboveTarget: 1m  # time a metric per ready pod exceeds its target
//	  maxOverloaded: 0s   # time the load exceeds what the ready pods serve (capacity)
//	- name: renders start soon
//	  maxMeanMessageWait: 2m  # ScaledJob: mean wait of a message for a Job
type Expectation struct {
	Name string
	// File and Line locate the entry.
	File string
	Line int

	At       *time.Duration
	Replicas *int32

	During   *[2]time.Duration
	Min, Max *int32
	NoChange bool

	Reaches *int32
	By      *time.Duration

	ZeroBy                *time.Duration
	MaxScaleEventsPerHour *int32
	MaxReplicaSeconds     *float64
	MaxAboveTarget        *time.Duration
	MaxOverloaded         *time.Duration
	MaxMeanMessageWait    *time.Duration

	// Quantile, for a scenario of several runs (spec.runs, --runs), is
	// the share of the runs in which the claim must hold (0 < q <= 1);
	// nil: every run.
	Quantile *float64
}

// expectations reads spec.expect.
func expectations(n node) []Expectation {
	var out []Expectation
	names := map[string]int{}
	n.items(func(i int, v node) {
		e := Expectation{File: v.ps.file, Line: v.line()}
		v.walk(expectSection, func(key string, v node) {
			switch key {
			case "name":
				e.Name = v.str()
				if prev, dup := names[e.Name]; dup {
					v.fail("duplicate expectation name %q (first at line %d)", e.Name, prev)
				}
				names[e.Name] = v.line()
			case "at":
				e.At = v.durationp()
			case "replicas":
				e.Replicas = nonNegative(v)
			case "during":
				var w [2]time.Duration
				if v.n.Kind != yaml.SequenceNode || len(v.n.Content) != 2 {
					v.fail("must be a list of two durations, e.g. [2m, 11m]")
					return
				}
				v.items(func(i int, v node) { w[i] = v.duration() })
				if w[1] < w[0] {
					v.fail("the window ends before it starts: [%s, %s]", w[0], w[1])
				}
				e.During = &w
			case "min":
				e.Min = nonNegative(v)
			case "max":
				e.Max = nonNegative(v)
			case "noChange":
				e.NoChange = v.boolean()
			case "reaches":
				e.Reaches = nonNegative(v)
			case "by":
				e.By = v.durationp()
			case "zeroBy":
				e.ZeroBy = v.durationp()
			case "maxScaleEventsPerHour":
				e.MaxScaleEventsPerHour = nonNegative(v)
			case "maxReplicaSeconds":
				f := v.float()
				e.MaxReplicaSeconds = &f
			case "maxAboveTarget":
				e.MaxAboveTarget = v.durationp()
			case "maxOverloaded":
				e.MaxOverloaded = v.durationp()
			case "maxMeanMessageWait":
				e.MaxMeanMessageWait = v.durationp()
			case "quantile":
				q := v.float()
				if !(q > 0 && q <= 1) {
					v.fail("must be in (0, 1], e.g. 0.95 for 95 %% of the runs, got %g", q)
				}
				e.Quantile = &q
			}
		})
		if e.Name == "" {
			v.fail("name must be set")
		}
		checkKinds(v, e)
		out = append(out, e)
	})
	return out
}

func nonNegative(v node) *int32 {
	x := v.int32()
	if x < 0 {
		v.fail("must not be negative, got %d", x)
	}
	return &x
}

// checkKinds reports an entry that makes no claim, several claims or an
// incomplete one.
func checkKinds(v node, e Expectation) {
	var kinds []string
	has := func(ok bool, kind string) {
		if ok {
			kinds = append(kinds, kind)
		}
	}
	has(e.At != nil || e.Replicas != nil, "at/replicas")
	has(e.During != nil || e.Min != nil || e.Max != nil || e.NoChange, "during/min/max/noChange")
	has(e.Reaches != nil || e.By != nil, "reaches/by")
	has(e.ZeroBy != nil, "zeroBy")
	has(e.MaxScaleEventsPerHour != nil, "maxScaleEventsPerHour")
	has(e.MaxReplicaSeconds != nil, "maxReplicaSeconds")
	has(e.MaxAboveTarget != nil, "maxAboveTarget")
	has(e.MaxOverloaded != nil, "maxOverloaded")
	has(e.MaxMeanMessageWait != nil, "maxMeanMessageWait")
	switch {
	case len(kinds) == 0:
		v.fail("no claim; set one of: at+replicas, during+min/max/noChange, reaches+by, zeroBy, maxScaleEventsPerHour, maxReplicaSeconds, maxAboveTarget, maxOverloaded, maxMeanMessageWait")
		return
	case len(kinds) > 1:
		v.fail("several claims (%s); write one expectation per claim", strings.Join(kinds, ", "))
		return
	}
	switch kinds[0] {
	case "at/replicas":
		if e.At == nil || e.Replicas == nil {
			v.fail("at and replicas go together")
		}
	case "during/min/max/noChange":
		if e.During == nil {
			v.fail("min, max and noChange need during: [from, to]")
		} else if e.Min == nil && e.Max == nil && !e.NoChange {
			v.fail("during needs min, max or noChange: true")
		} else if e.NoChange && (e.Min != nil || e.Max != nil) {
			v.fail("noChange and min/max are separate claims; write two expectations")
		}
		if e.Min != nil && e.Max != nil && *e.Min > *e.Max {
			v.fail("min %d is above max %d", *e.Min, *e.Max)
		}
	case "reaches/by":
		if e.Reaches == nil || e.By == nil {
			v.fail("reaches and by go together")
		}
	}
}
