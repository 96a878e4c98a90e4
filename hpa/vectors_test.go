package hpa

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// vectorNow is the instant every vector is evaluated at; secondsAgo values
// are relative to it.
var vectorNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// Test parameters of replica_calculator_test.go and horizontal_test.go.
const (
	vecCPUInit        = 120 * time.Second
	vecReadinessDelay = 10 * time.Second
)

type vTime struct {
	Zero       bool     `yaml:"zero"`
	SecondsAgo *float64 `yaml:"secondsAgo"`
}

func (t *vTime) at() time.Time {
	if t == nil || t.Zero || t.SecondsAgo == nil {
		return time.Time{}
	}
	return vectorNow.Add(-time.Duration(*t.SecondsAgo * float64(time.Second)))
}

type vContainer struct {
	Name          string `yaml:"name"`
	RequestMilli  *int64 `yaml:"requestMilli"`
	RestartPolicy string `yaml:"restartPolicy"`
}

type vPod struct {
	Name           string `yaml:"name"`
	Phase          string `yaml:"phase"`
	Deleting       bool   `yaml:"deleting"`
	StartTime      *vTime `yaml:"startTime"`
	ReadyCondition *struct {
		Status             string `yaml:"status"`
		LastTransitionTime *vTime `yaml:"lastTransitionTime"`
	} `yaml:"readyCondition"`
	Containers           []vContainer `yaml:"containers"`
	InitContainers       []vContainer `yaml:"initContainers"`
	PodLevelRequestMilli *int64       `yaml:"podLevelRequestMilli"`
}

func (v vPod) pod(resource string) Pod {
	p := Pod{Name: v.Name, Phase: PodPhase(v.Phase), Deleting: v.Deleting}
	if v.StartTime != nil {
		t := v.StartTime.at()
		p.StartTime = &t
	}
	if v.ReadyCondition != nil {
		p.Ready = &ReadyCondition{Status: v.ReadyCondition.Status == "True", LastTransitionTime: v.ReadyCondition.LastTransitionTime.at()}
	}
	conv := func(cs []vContainer) []Container {
		var out []Container
		for _, c := range cs {
			k := Container{Name: c.Name, RestartPolicyAlways: c.RestartPolicy == "Always"}
			if c.RequestMilli != nil {
				k.RequestsMilli = map[string]int64{resource: *c.RequestMilli}
			}
			out = append(out, k)
		}
		return out
	}
	p.Containers = conv(v.Containers)
	p.InitContainers = conv(v.InitContainers)
	if v.PodLevelRequestMilli != nil {
		p.PodRequestsMilli = map[string]int64{resource: *v.PodLevelRequestMilli}
	}
	return p
}

type vTarget struct {
	Type               string `yaml:"type"`
	AverageUtilization *int32 `yaml:"averageUtilization"`
	AverageValue       string `yaml:"averageValue"`
	Value              string `yaml:"value"`
}

type vMetric struct {
	Type     string `yaml:"type"`
	Resource *struct {
		Name   string  `yaml:"name"`
		Target vTarget `yaml:"target"`
	} `yaml:"resource"`
	ContainerResource *struct {
		Name      string  `yaml:"name"`
		Container string  `yaml:"container"`
		Target    vTarget `yaml:"target"`
	} `yaml:"containerResource"`
	Pods *struct {
		Metric struct {
			Name string `yaml:"name"`
		} `yaml:"metric"`
		Target vTarget `yaml:"target"`
	} `yaml:"pods"`
	Object *struct {
		DescribedObject struct {
			Kind       string `yaml:"kind"`
			Name       string `yaml:"name"`
			APIVersion string `yaml:"apiVersion"`
		} `yaml:"describedObject"`
		Metric struct {
			Name string `yaml:"name"`
		} `yaml:"metric"`
		Target vTarget `yaml:"target"`
	} `yaml:"object"`
	External *struct {
		Metric struct {
			Name     string `yaml:"name"`
			Selector struct {
				MatchLabels map[string]string `yaml:"matchLabels"`
			} `yaml:"selector"`
		} `yaml:"metric"`
		Target vTarget `yaml:"target"`
	} `yaml:"external"`
}

type vReplicaCase struct {
	Name       string  `yaml:"name"`
	Function   string  `yaml:"function"`
	Metric     vMetric `yaml:"metric"`
	Tolerances struct {
		ScaleDown float64 `yaml:"scaleDown"`
		ScaleUp   float64 `yaml:"scaleUp"`
	} `yaml:"tolerances"`
	CurrentReplicas int32  `yaml:"currentReplicas"`
	Pods            []vPod `yaml:"pods"`
	ResourceMetrics []struct {
		Pod           string `yaml:"pod"`
		Timestamp     *vTime `yaml:"timestamp"`
		WindowSeconds int64  `yaml:"windowSeconds"`
		Containers    []struct {
			Name       string `yaml:"name"`
			UsageMilli *int64 `yaml:"usageMilli"`
		} `yaml:"containers"`
	} `yaml:"resourceMetrics"`
	PodsMetric []struct {
		Pod        string `yaml:"pod"`
		ValueMilli int64  `yaml:"valueMilli"`
	} `yaml:"podsMetric"`
	ObjectMetric *struct {
		ValueMilli int64 `yaml:"valueMilli"`
	} `yaml:"objectMetric"`
	ExternalMetric *struct {
		ValuesMilli []int64 `yaml:"valuesMilli"`
	} `yaml:"externalMetric"`
	Expected struct {
		Replicas             *int32 `yaml:"replicas"`
		Utilization          *int32 `yaml:"utilization"`
		RawAverageValueMilli *int64 `yaml:"rawAverageValueMilli"`
		UsageMilli           *int64 `yaml:"usageMilli"`
		Error                string `yaml:"error"`
	} `yaml:"expected"`
}

type vGroupCase struct {
	Name     string `yaml:"name"`
	Resource string `yaml:"resource"`
	Pods     []vPod `yaml:"pods"`
	Metrics  []struct {
		Pod           string `yaml:"pod"`
		Timestamp     *vTime `yaml:"timestamp"`
		WindowSeconds int64  `yaml:"windowSeconds"`
	} `yaml:"metrics"`
	Expected struct {
		ReadyPodCount int      `yaml:"readyPodCount"`
		Unready       []string `yaml:"unready"`
		Missing       []string `yaml:"missing"`
		Ignored       []string `yaml:"ignored"`
	} `yaml:"expected"`
}

type vRequestCase struct {
	Name                     string `yaml:"name"`
	Resource                 string `yaml:"resource"`
	PodLevelResourcesFeature bool   `yaml:"podLevelResourcesFeature"`
	Pod                      vPod   `yaml:"pod"`
	Container                string `yaml:"container"`
	Expected                 struct {
		RequestMilli *int64 `yaml:"requestMilli"`
		Error        string `yaml:"error"`
	} `yaml:"expected"`
}

type vDerivedCase struct {
	Name                string `yaml:"name"`
	Utilization         int64  `yaml:"utilization"`
	TargetUtilization   int32  `yaml:"targetUtilization"`
	ReadyPods           int    `yaml:"readyPods"`
	ExpectedReplicas    *int32 `yaml:"expectedReplicas"`
	Direction           string `yaml:"direction"`
	PeriodStartReplicas int32  `yaml:"periodStartReplicas"`
	Percent             int32  `yaml:"percent"`
	ExpectedProposal    *int32 `yaml:"expectedProposal"`
}

type replicaVectors struct {
	Cases             []vReplicaCase `yaml:"cases"`
	GroupPods         []vGroupCase   `yaml:"groupPods"`
	CalculateRequests []vRequestCase `yaml:"calculateRequests"`
	DerivedCases      []vDerivedCase `yaml:"derivedCases"`
}

func loadVectors(t *testing.T, name string, into any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "vectors", name))
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(b, into))
}

// milli parses the quantity strings of the vectors ("15000m", "3").
func milli(t *testing.T, q string) int64 {
	t.Helper()
	if strings.HasSuffix(q, "m") {
		v, err := strconv.ParseInt(strings.TrimSuffix(q, "m"), 10, 64)
		require.NoError(t, err, q)
		return v
	}
	v, err := strconv.ParseInt(q, 10, 64)
	require.NoError(t, err, q)
	return v * 1000
}

// vectorCounts tallies vectors per file for the summary test.
type vectorCounts struct{ run, passed int }

func TestReplicaVectors(t *testing.T) {
	var v replicaVectors
	loadVectors(t, "hpa-replicas.yaml", &v)
	require.NotEmpty(t, v.Cases)
	var counts vectorCounts
	for _, c := range v.Cases {
		counts.run++
		if t.Run("calc/"+c.Name, func(t *testing.T) { runReplicaCase(t, c) }) {
			counts.passed++
		}
	}
	for _, c := range v.GroupPods {
		counts.run++
		if t.Run("groupPods/"+c.Name, func(t *testing.T) { runGroupCase(t, c) }) {
			counts.passed++
		}
	}
	for _, c := range v.CalculateRequests {
		counts.run++
		if t.Run("requests/"+c.Name, func(t *testing.T) { runRequestCase(t, c) }) {
			counts.passed++
		}
	}
	for _, c := range v.DerivedCases {
		counts.run++
		if t.Run("derived/"+c.Name, func(t *testing.T) { runDerivedCase(t, c) }) {
			counts.passed++
		}
	}
	t.Logf("hpa-replicas.yaml: %d vectors run, %d passed", counts.run, counts.passed)
	require.Equal(t, 78+14+9+10, counts.run, "every vector of the file must run")
}

func runReplicaCase(t *testing.T, c vReplicaCase) {
	calc := ReplicaCalculator{
		Now:                     vectorNow,
		Tolerances:              Tolerances{ScaleDown: c.Tolerances.ScaleDown, ScaleUp: c.Tolerances.ScaleUp},
		CPUInitializationPeriod: vecCPUInit,
		InitialReadinessDelay:   vecReadinessDelay,
	}
	resource := ""
	switch {
	case c.Metric.Resource != nil:
		resource = c.Metric.Resource.Name
	case c.Metric.ContainerResource != nil:
		resource = c.Metric.ContainerResource.Name
	}
	var pods []Pod
	for _, p := range c.Pods {
		pods = append(pods, p.pod(resource))
	}
	var in MetricInput
	for _, m := range c.ResourceMetrics {
		prm := PodResourceMetric{Pod: m.Pod, Timestamp: m.Timestamp.at(), Window: time.Duration(m.WindowSeconds) * time.Second}
		for _, cu := range m.Containers {
			u := ContainerUsage{Name: cu.Name}
			if cu.UsageMilli != nil {
				u.UsageMilli = map[string]int64{resource: *cu.UsageMilli}
			}
			prm.Containers = append(prm.Containers, u)
		}
		in.PodResources = append(in.PodResources, prm)
	}
	for _, m := range c.PodsMetric {
		in.PodValues = append(in.PodValues, PodMetric{Pod: m.Pod, ValueMilli: m.ValueMilli})
	}
	if c.ObjectMetric != nil {
		in.ValuesMilli = []int64{c.ObjectMetric.ValueMilli}
	}
	if c.ExternalMetric != nil {
		in.ValuesMilli = c.ExternalMetric.ValuesMilli
	}

	var (
		p   Proposal
		err error
	)
	switch {
	case c.Metric.Resource != nil || c.Metric.ContainerResource != nil:
		container := ""
		tg := vTarget{}
		if c.Metric.Resource != nil {
			tg = c.Metric.Resource.Target
		} else {
			container = c.Metric.ContainerResource.Container
			tg = c.Metric.ContainerResource.Target
		}
		require.True(t, strings.HasPrefix(c.Function, "GetResourceReplicas") || strings.HasPrefix(c.Function, "GetRawResourceReplicas"), c.Function)
		if tg.AverageValue != "" {
			p, err = calc.RawResourceReplicas(c.CurrentReplicas, milli(t, tg.AverageValue), resource, container, in, pods)
		} else {
			require.NotNil(t, tg.AverageUtilization)
			p, err = calc.ResourceReplicas(c.CurrentReplicas, *tg.AverageUtilization, resource, container, in, pods)
		}
	case c.Metric.Pods != nil:
		require.Equal(t, "GetMetricReplicas", c.Function)
		p, err = calc.PodsMetricReplicas(c.CurrentReplicas, milli(t, c.Metric.Pods.Target.AverageValue), c.Metric.Pods.Metric.Name, in, pods)
	case c.Metric.Object != nil:
		o := c.Metric.Object
		ref := CrossVersionObjectReference{Kind: o.DescribedObject.Kind, Name: o.DescribedObject.Name, APIVersion: o.DescribedObject.APIVersion}
		switch c.Function {
		case "GetObjectMetricReplicas":
			p, err = calc.ObjectMetricReplicas(c.CurrentReplicas, milli(t, o.Target.Value), o.Metric.Name, ref, "default", in, pods)
		case "GetObjectPerPodMetricReplicas":
			p, err = calc.ObjectPerPodMetricReplicas(c.CurrentReplicas, milli(t, o.Target.AverageValue), o.Metric.Name, ref, "default", in)
		default:
			t.Fatalf("unexpected function %q", c.Function)
		}
	case c.Metric.External != nil:
		e := c.Metric.External
		sel := selectorString(e.Metric.Selector.MatchLabels)
		switch c.Function {
		case "GetExternalMetricReplicas":
			p, err = calc.ExternalMetricReplicas(c.CurrentReplicas, milli(t, e.Target.Value), e.Metric.Name, "default", sel, in, pods)
		case "GetExternalPerPodMetricReplicas":
			p, err = calc.ExternalPerPodMetricReplicas(c.CurrentReplicas, milli(t, e.Target.AverageValue), e.Metric.Name, "default", sel, in)
		default:
			t.Fatalf("unexpected function %q", c.Function)
		}
	default:
		t.Fatalf("case has no metric source")
	}

	if c.Expected.Error != "" {
		require.Error(t, err)
		require.Contains(t, err.Error(), c.Expected.Error)
		return
	}
	require.NoError(t, err)
	require.NotNil(t, c.Expected.Replicas, "vector without expected replicas")
	require.Equal(t, *c.Expected.Replicas, p.Replicas, "replicas")
	if c.Expected.Utilization != nil {
		require.NotNil(t, p.Utilization)
		require.Equal(t, *c.Expected.Utilization, *p.Utilization, "utilization")
	}
	if c.Expected.RawAverageValueMilli != nil {
		require.NotNil(t, p.AverageValueMilli)
		require.Equal(t, *c.Expected.RawAverageValueMilli, *p.AverageValueMilli, "raw average")
	}
	if c.Expected.UsageMilli != nil {
		got := p.AverageValueMilli
		if p.ValueMilli != nil {
			got = p.ValueMilli
		}
		require.NotNil(t, got)
		require.Equal(t, *c.Expected.UsageMilli, *got, "usage")
	}
}

func selectorString(labels map[string]string) string {
	var parts []string
	for k, v := range labels {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func runGroupCase(t *testing.T, c vGroupCase) {
	var pods []Pod
	for _, p := range c.Pods {
		pods = append(pods, p.pod(c.Resource))
	}
	metrics := PodMetrics{}
	for _, m := range c.Metrics {
		metrics[m.Pod] = PodMetricValue{Timestamp: m.Timestamp.at(), Window: time.Duration(m.WindowSeconds) * time.Second}
	}
	g := GroupPods(vectorNow, pods, metrics, c.Resource, vecCPUInit, vecReadinessDelay)
	require.Equal(t, c.Expected.ReadyPodCount, g.ReadyCount, "ready")
	require.Equal(t, sortedUnique(c.Expected.Unready), g.Unready, "unready")
	require.Equal(t, sortedUnique(c.Expected.Missing), g.Missing, "missing")
	require.Equal(t, sortedUnique(c.Expected.Ignored), g.Ignored, "ignored")
}

func runRequestCase(t *testing.T, c vRequestCase) {
	got, err := PodRequest(c.Pod.pod(c.Resource), c.Container, c.Resource, c.PodLevelResourcesFeature)
	if c.Expected.Error != "" {
		require.Error(t, err)
		require.Contains(t, err.Error(), c.Expected.Error)
		return
	}
	require.NoError(t, err)
	require.NotNil(t, c.Expected.RequestMilli)
	require.Equal(t, *c.Expected.RequestMilli, got)
}

func runDerivedCase(t *testing.T, c vDerivedCase) {
	if c.ExpectedReplicas != nil {
		// Pods requesting 1000m and using utilization*10m each give exactly
		// the vector's integer utilization.
		var pods []Pod
		var in MetricInput
		for i := 0; i < c.ReadyPods; i++ {
			name := "p" + strconv.Itoa(i)
			start := time.Time{}
			pods = append(pods, Pod{Name: name, Phase: PodRunning, StartTime: &start, Ready: &ReadyCondition{Status: true},
				Containers: []Container{{Name: "c", RequestsMilli: map[string]int64{"cpu": 1000}}}})
			in.PodResources = append(in.PodResources, PodResourceMetric{Pod: name, Window: time.Minute,
				Containers: []ContainerUsage{{Name: "c", UsageMilli: map[string]int64{"cpu": c.Utilization * 10}}}})
		}
		calc := ReplicaCalculator{Now: vectorNow, Tolerances: UniformTolerances(0.1), CPUInitializationPeriod: vecCPUInit, InitialReadinessDelay: vecReadinessDelay}
		p, err := calc.ResourceReplicas(int32(c.ReadyPods), c.TargetUtilization, "cpu", "", in, pods)
		require.NoError(t, err)
		require.Equal(t, int32(c.Utilization), *p.Utilization)
		require.Equal(t, *c.ExpectedReplicas, p.Replicas)
		return
	}
	require.NotNil(t, c.ExpectedProposal)
	rules := ScalingRules{Policies: []ScalingPolicy{{Type: PercentScalingPolicy, Value: c.Percent, PeriodSeconds: 15}}}
	var got int32
	switch c.Direction {
	case "up":
		got, _ = ScaleUpLimit(vectorNow, c.PeriodStartReplicas, nil, nil, rules)
	case "down":
		got, _ = ScaleDownLimit(vectorNow, c.PeriodStartReplicas, nil, nil, rules)
	default:
		t.Fatalf("unknown direction %q", c.Direction)
	}
	require.Equal(t, *c.ExpectedProposal, got)
}

// ---- hpa-normalize.yaml ----

type vRules struct {
	StabilizationWindowSeconds *int32  `yaml:"stabilizationWindowSeconds"`
	SelectPolicy               *string `yaml:"selectPolicy"`
	Policies                   []struct {
		Type          string `yaml:"type"`
		Value         int32  `yaml:"value"`
		PeriodSeconds int32  `yaml:"periodSeconds"`
	} `yaml:"policies"`
}

func (r *vRules) rules() *ScalingRules {
	if r == nil {
		return nil
	}
	out := &ScalingRules{StabilizationWindowSeconds: r.StabilizationWindowSeconds}
	if r.SelectPolicy != nil {
		s := ScalingPolicySelect(*r.SelectPolicy)
		out.SelectPolicy = &s
	}
	for _, p := range r.Policies {
		out.Policies = append(out.Policies, ScalingPolicy{Type: ScalingPolicyType(p.Type), Value: p.Value, PeriodSeconds: p.PeriodSeconds})
	}
	return out
}

type vEvent struct {
	SecondsAgo    float64 `yaml:"secondsAgo"`
	ReplicaChange int32   `yaml:"replicaChange"`
	Outdated      bool    `yaml:"outdated"`
}

func events(es []vEvent) []ScaleEvent {
	var out []ScaleEvent
	for _, e := range es {
		out = append(out, ScaleEvent{Change: e.ReplicaChange, Time: vectorNow.Add(-time.Duration(e.SecondsAgo * float64(time.Second))), Outdated: e.Outdated})
	}
	return out
}

type vNormCase struct {
	Name                         string  `yaml:"name"`
	Scope                        string  `yaml:"scope"`
	ScaleUpLimitFactor           float64 `yaml:"scaleUpLimitFactor"`
	ScaleUpLimitMinimum          float64 `yaml:"scaleUpLimitMinimum"`
	CurrentReplicas              int32   `yaml:"currentReplicas"`
	PrenormalizedDesiredReplicas int32   `yaml:"prenormalizedDesiredReplicas"`
	MinReplicas                  int32   `yaml:"minReplicas"`
	MaxReplicas                  int32   `yaml:"maxReplicas"`
	Behavior                     *struct {
		ScaleUp   *vRules `yaml:"scaleUp"`
		ScaleDown *vRules `yaml:"scaleDown"`
	} `yaml:"behavior"`
	BehaviorDefaulted *struct {
		ScaleUp   bool `yaml:"scaleUp"`
		ScaleDown bool `yaml:"scaleDown"`
	} `yaml:"behaviorDefaulted"`
	DownscaleStabilizationSeconds int64 `yaml:"downscaleStabilizationSeconds"`
	Recommendations               []struct {
		SecondsAgo float64 `yaml:"secondsAgo"`
		Replicas   int32   `yaml:"replicas"`
	} `yaml:"recommendations"`
	ScaleUpEvents                 []vEvent `yaml:"scaleUpEvents"`
	ScaleDownEvents               []vEvent `yaml:"scaleDownEvents"`
	Rules                         *vRules  `yaml:"rules"`
	BehaviorIsNil                 bool     `yaml:"behaviorIsNil"`
	PreviousEvents                []vEvent `yaml:"previousEvents"`
	ReplicaChange                 int32    `yaml:"replicaChange"`
	PrevReplicas                  int32    `yaml:"prevReplicas"`
	ExpectedChangeWithin60sBefore *int32   `yaml:"expectedChangeWithin60sBefore"`
	ExpectedEventsAfter           []vEvent `yaml:"expectedEventsAfter"`
	ExpectedReplicas              *int32   `yaml:"expectedReplicas"`
	ExpectedLimit                 *int32   `yaml:"expectedLimit"`
	ExpectedRecommendationCount   *int     `yaml:"expectedRecommendationCount"`
	ExpectedRecommendationsAfter  []int32  `yaml:"expectedRecommendationsAfter"`
	ExpectedCondition             *struct {
		Type   string `yaml:"type"`
		Reason string `yaml:"reason"`
	} `yaml:"expectedCondition"`
}

func (c vNormCase) recs() []Recommendation {
	var out []Recommendation
	for _, r := range c.Recommendations {
		out = append(out, Recommendation{Replicas: r.Replicas, Time: vectorNow.Add(-time.Duration(r.SecondsAgo * float64(time.Second)))})
	}
	return out
}

func TestNormalizeVectors(t *testing.T) {
	var v struct {
		Cases []vNormCase `yaml:"cases"`
	}
	loadVectors(t, "hpa-normalize.yaml", &v)
	var counts vectorCounts
	for _, c := range v.Cases {
		counts.run++
		if t.Run(c.Name, func(t *testing.T) { runNormCase(t, c) }) {
			counts.passed++
		}
	}
	t.Logf("hpa-normalize.yaml: %d vectors run, %d passed", counts.run, counts.passed)
	require.Equal(t, 73, counts.run, "every vector of the file must run")
}

func runNormCase(t *testing.T, c vNormCase) {
	switch c.Scope {
	case "legacy-rules":
		require.NotNil(t, c.ExpectedReplicas)
		l := ConvertDesiredReplicasWithRules(c.CurrentReplicas, c.PrenormalizedDesiredReplicas, c.MinReplicas, c.MaxReplicas, c.ScaleUpLimitFactor, c.ScaleUpLimitMinimum)
		require.Equal(t, *c.ExpectedReplicas, l.Replicas)
		require.Equal(t, c.ExpectedCondition.Reason, l.Reason)
	case "legacy-stabilization":
		require.NotNil(t, c.ExpectedReplicas)
		s := StabilizeLegacy(vectorNow, time.Duration(c.DownscaleStabilizationSeconds)*time.Second, c.recs(), c.PrenormalizedDesiredReplicas)
		require.Equal(t, *c.ExpectedReplicas, s.Replicas)
		require.Len(t, s.History, *c.ExpectedRecommendationCount)
	case "behavior-stabilization":
		require.NotNil(t, c.ExpectedReplicas)
		up, down := c.Behavior.ScaleUp.rules(), c.Behavior.ScaleDown.rules()
		s := StabilizeWithBehavior(vectorNow, windowOf(up), windowOf(down), c.recs(), c.CurrentReplicas, c.PrenormalizedDesiredReplicas)
		require.Equal(t, *c.ExpectedReplicas, s.Replicas)
		if c.ExpectedRecommendationsAfter != nil {
			var got []int32
			for _, r := range s.History {
				got = append(got, r.Replicas)
			}
			require.Equal(t, c.ExpectedRecommendationsAfter, got)
		}
	case "behavior-rate":
		require.NotNil(t, c.ExpectedReplicas)
		up, down := c.Behavior.ScaleUp.rules(), c.Behavior.ScaleDown.rules()
		checkDefaulting(t, c, up, down)
		r := ConvertDesiredReplicasWithBehaviorRate(vectorNow, RateArgs{
			CurrentReplicas: c.CurrentReplicas,
			DesiredReplicas: c.PrenormalizedDesiredReplicas,
			MinReplicas:     c.MinReplicas,
			MaxReplicas:     c.MaxReplicas,
			ScaleUp:         *up,
			ScaleDown:       *down,
			UpEvents:        events(c.ScaleUpEvents),
			DownEvents:      events(c.ScaleDownEvents),
		})
		require.Equal(t, *c.ExpectedReplicas, r.Replicas)
		require.Equal(t, c.ExpectedCondition.Reason, r.Reason)
	case "policy-limit-up":
		got, _ := ScaleUpLimit(vectorNow, c.CurrentReplicas, events(c.ScaleUpEvents), events(c.ScaleDownEvents), *c.Rules.rules())
		require.Equal(t, *c.ExpectedLimit, got)
	case "policy-limit-down":
		got, _ := ScaleDownLimit(vectorNow, c.CurrentReplicas, events(c.ScaleUpEvents), events(c.ScaleDownEvents), *c.Rules.rules())
		require.Equal(t, *c.ExpectedLimit, got)
	case "scale-event-storage":
		runStorageCase(t, c)
	default:
		t.Fatalf("unknown scope %q", c.Scope)
	}
}

// checkDefaulting verifies that a direction the upstream test left nil is
// exactly what DefaultBehavior generates.
func checkDefaulting(t *testing.T, c vNormCase, up, down *ScalingRules) {
	if c.BehaviorDefaulted == nil {
		return
	}
	given := &Behavior{}
	if !c.BehaviorDefaulted.ScaleUp {
		given.ScaleUp = up
	}
	if !c.BehaviorDefaulted.ScaleDown {
		given.ScaleDown = down
	}
	d := DefaultBehavior(given, 5*time.Minute)
	if c.BehaviorDefaulted.ScaleUp {
		require.Equal(t, up, d.ScaleUp, "defaulted scaleUp")
	}
	if c.BehaviorDefaulted.ScaleDown {
		require.Equal(t, down, d.ScaleDown, "defaulted scaleDown")
	}
}

func runStorageCase(t *testing.T, c vNormCase) {
	require.NotNil(t, c.ExpectedChangeWithin60sBefore)
	for _, dir := range []string{"up", "down"} {
		var b *Behavior
		if !c.BehaviorIsNil {
			b = &Behavior{ScaleUp: c.Rules.rules(), ScaleDown: c.Rules.rules()}
		}
		prev := events(c.PreviousEvents)
		require.Equal(t, *c.ExpectedChangeWithin60sBefore, ReplicasChangePerPeriod(vectorNow, 60, prev), dir)
		var got []ScaleEvent
		if dir == "up" {
			got = RecordScale(vectorNow, b, ScaleEvents{Up: prev}, c.PrevReplicas, c.PrevReplicas+c.ReplicaChange).Up
		} else {
			got = RecordScale(vectorNow, b, ScaleEvents{Down: prev}, c.PrevReplicas, c.PrevReplicas-c.ReplicaChange).Down
		}
		require.Equal(t, events(c.ExpectedEventsAfter), got, dir)
	}
}

// TestVectorCopiesMatchShared keeps testdata/vectors identical to the
// shared research vectors when those are present next to the repository.
func TestVectorCopiesMatchShared(t *testing.T) {
	shared := filepath.Join("..", "..", "shared", "vectors")
	if _, err := os.Stat(shared); err != nil {
		t.Skip("shared vectors not present")
	}
	for _, name := range []string{"hpa-normalize.yaml", "hpa-replicas.yaml"} {
		want, err := os.ReadFile(filepath.Join(shared, name))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("testdata", "vectors", name))
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got), "%s differs from the shared copy", name)
	}
}
