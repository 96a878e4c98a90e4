package scenarios

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

const goodScaledObject = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: ws
  namespace: demo
spec:
  scaleTargetRef:
    name: ws-server
  minReplicaCount: 1
  maxReplicaCount: 5
  pollingInterval: 15
  triggers:
  - type: prometheus
    metadata:
      serverAddress: http://prometheus:9090
      threshold: '40'
      query: sum(websocket_connection_count)
`

const goodScenario = `apiVersion: autoscale-sim.dev/v1alpha1
kind: Scenario
metadata:
  name: ws
spec:
  duration: 5m
  autoscaler:
    manifests: so.yaml
  load:
  - metric: websocket_connection_count
    stages: [{duration: 10s, target: 200}]
`

// files serves in-memory manifests to Parse.
func files(m map[string]string) ReadFunc {
	return func(name string) ([]byte, error) {
		if s, ok := m[name]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: no such file or directory", name)
	}
}

func TestParseGood(t *testing.T) {
	sc, err := Parse("scenario.yaml", []byte(goodScenario), files(map[string]string{"so.yaml": goodScaledObject}))
	require.NoError(t, err)
	require.Equal(t, "ws", sc.Name)
	require.Equal(t, 5*time.Minute, sc.Spec.Duration)
	require.NotNil(t, sc.Spec.KEDA)
	require.Nil(t, sc.Spec.HPA)
	require.Equal(t, "ws", sc.Spec.KEDA.Object.Name)
	require.Equal(t, "ws-server", sc.Spec.Workload.Name)
	require.Equal(t, "demo", sc.Spec.Workload.Namespace)
	require.Equal(t, int32(1), sc.Spec.Workload.InitialReplicas)
	require.Len(t, sc.Spec.Loads, 1)
	require.Equal(t, sim.Connections, sc.Spec.Loads[0].Model)
	require.InDelta(t, 100, sc.Spec.Loads[0].Shape.At(5*time.Second), 1e-9)
}

func TestParseValuesNotation(t *testing.T) {
	scen := strings.Replace(goodScenario, "stages: [{duration: 10s, target: 200}]", `interval: 15s
    values: "0 0+100x2 _ stale"`, 1)
	sc, err := Parse("scenario.yaml", []byte(scen), files(map[string]string{"so.yaml": goodScaledObject}))
	require.NoError(t, err)
	shape := sc.Spec.Loads[0].Shape
	for _, c := range []struct {
		at   time.Duration
		want float64
	}{{0, 0}, {15 * time.Second, 0}, {30 * time.Second, 100}, {45 * time.Second, 200}, {60 * time.Second, 200}, {75 * time.Second, 0}} {
		require.Equal(t, c.want, shape.At(c.at), "at %s", c.at)
	}
}

// TestParseErrors pins the exact message, file and line of each kind of
// bad input.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		so       string
		want     []string
	}{
		{
			name:     "unknown scenario field",
			scenario: strings.Replace(goodScenario, "  duration: 5m\n", "  duration: 5m\n  durations: 5m\n", 1),
			want:     []string{`scenario.yaml:7: spec.durations: unknown field "durations"; did you mean duration? allowed: duration, autoscaler, adapter, versions, controller, prometheus, workload, load, jobs, sim`},
		},
		{
			name:     "bad duration",
			scenario: strings.Replace(goodScenario, "duration: 5m", "duration: 300", 1),
			want:     []string{`scenario.yaml:6: spec.duration: must be a duration such as 15s, 5m, 1h30m or 1d (units y, w, d, h, m, s, ms), got "300"`},
		},
		{
			name:     "a fraction is Go's notation, not Prometheus'",
			scenario: strings.Replace(goodScenario, "duration: 5m", "duration: 1.5m", 1),
			want:     []string{`scenario.yaml:6: spec.duration: must be a duration such as 15s, 5m, 1h30m or 1d (units y, w, d, h, m, s, ms), got "1.5m" (whole numbers only: write 1500ms for 1.5s, 90s for 1.5m)`},
		},
		{
			name:     "a negative duration",
			scenario: strings.Replace(goodScenario, "duration: 5m", "duration: -5m", 1),
			want:     []string{`scenario.yaml:6: spec.duration: must not be negative, got -5m`},
		},
		{
			name:     "a bare tag is a null scenario",
			scenario: "!",
			want:     []string{`scenario.yaml:1: the scenario is null; want a mapping with apiVersion: autoscale-sim.dev/v1alpha1, kind: Scenario, metadata and spec`},
		},
		{
			name:     "wrong kind",
			scenario: strings.Replace(goodScenario, "kind: Scenario", "kind: Scenari", 1),
			want:     []string{`scenario.yaml:2: kind: unsupported value "Scenari"; allowed: Scenario`},
		},
		{
			name:     "missing manifest file",
			scenario: strings.Replace(goodScenario, "so.yaml", "other.yaml", 1),
			want:     []string{`scenario.yaml:8: spec.autoscaler.manifests: cannot read manifest file: open other.yaml: no such file or directory`},
		},
		{
			name:     "stages and values together",
			scenario: strings.Replace(goodScenario, "    stages:", "    interval: 15s\n    values: \"1 2\"\n    stages:", 1),
			want:     []string{`scenario.yaml:10: spec.load[0]: give either values (with interval) or stages, not both`},
		},
		{
			name:     "bad series notation",
			scenario: strings.Replace(goodScenario, "stages: [{duration: 10s, target: 200}]", "interval: 15s\n    values: \"0 1+2\"", 1),
			want:     []string{`scenario.yaml:12: spec.load[0].values: `},
		},
		{
			name: "unquoted trigger metadata number",
			so:   strings.Replace(goodScaledObject, "threshold: '40'", "threshold: 40", 1),
			want: []string{`so.yaml:16: spec.triggers[0].metadata.threshold: must be a string, got the number 40; quote it: "40"`},
		},
		{
			name: "unknown ScaledObject field",
			so:   strings.Replace(goodScaledObject, "  pollingInterval: 15\n", "  pollingInterval: 15\n  pollingIntervall: 15\n", 1),
			want: []string{`so.yaml:12: spec.pollingIntervall: unknown field "pollingIntervall"`},
		},
		{
			name: "minReplicaCount above maxReplicaCount",
			so:   strings.Replace(goodScaledObject, "minReplicaCount: 1", "minReplicaCount: 7", 1),
			want: []string{`so.yaml:`, `spec.minReplicaCount`},
		},
		{
			name: "PromQL typo in a trigger query",
			so:   strings.Replace(goodScaledObject, "query: sum(websocket_connection_count)", "query: sum(websocket_connection_count", 1),
			want: []string{`so.yaml:17: spec.triggers[0].metadata.query: invalid PromQL: column`},
		},
		{
			name: "string where an integer belongs",
			so:   strings.Replace(goodScaledObject, "pollingInterval: 15", "pollingInterval: '15'", 1),
			want: []string{`so.yaml:11: spec.pollingInterval: must be an integer, got the string "15"`},
		},
		{
			name: "several problems reported at once",
			so:   strings.Replace(strings.Replace(goodScaledObject, "pollingInterval: 15", "pollingInterval: x", 1), "name: ws-server", "name: [a]", 1),
			want: []string{`so.yaml:8: spec.scaleTargetRef.name: must be a string, got a list`, `so.yaml:11: spec.pollingInterval: must be an integer`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			scen, so := tc.scenario, tc.so
			if scen == "" {
				scen = goodScenario
			}
			if so == "" {
				so = goodScaledObject
			}
			_, err := Parse("scenario.yaml", []byte(scen), files(map[string]string{"so.yaml": so}))
			require.Error(t, err)
			var e *Error
			require.True(t, errors.As(err, &e), "want *Error, got %T: %v", err, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadTutorialAsPrinted(t *testing.T) {
	_, err := Load("../testdata/openshift-tutorial/scenario.yaml")
	require.Error(t, err)
	require.Contains(t, err.Error(), "../testdata/openshift-tutorial/scaledobject-as-printed.yaml:14: YAML syntax error")
}

func TestLoadExamples(t *testing.T) {
	sc, err := Load("../examples/websocket/scenario.yaml")
	require.NoError(t, err)
	so := sc.Spec.KEDA.Object
	require.Equal(t, "demo-ws-server", sc.Spec.Workload.Name)
	require.Equal(t, "custom-metric-autoscaler-demo", sc.Spec.Workload.Namespace)
	require.Equal(t, int32(15), *so.PollingInterval)
	require.Equal(t, int32(45), *so.CooldownPeriod)
	require.Equal(t, int32(60), *so.Advanced.HorizontalPodAutoscalerConfig.Behavior.ScaleDown.StabilizationWindowSeconds)
}

// FuzzParse feeds arbitrary scenario and manifest text to the loader: it
// may reject the input but must never panic.
func FuzzParse(f *testing.F) {
	f.Add(goodScenario, goodScaledObject)
	f.Add("apiVersion: x\n", "kind: ScaledObject\n")
	f.Add(strings.Replace(goodScenario, "  load:", "  runs: 3\n  phases: {mode: random, sync: 5s, probePeriod: 4s}\n  load:", 1), goodScaledObject)
	f.Add(strings.Replace(goodScenario, "  load:", "  nodePool:\n    name: pool\n    nodes: 2\n    allocatable: {cpu: 1500m, memory: 8Gi, pods: 110}\n    taints: [{key: k, effect: NoSchedule}]\n    autoscaler: {minNodes: 1, maxNodes: 4, provisioning: {min: 1m, max: 2m}}\n  load:", 1), goodScaledObject)
	f.Add(goodScenario, "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec: {maxReplicas: 3, metrics: [{type: Pods}]}\n")
	f.Add(namespaceScenario, goodScaledObject)
	f.Fuzz(func(t *testing.T, scenario, manifest string) {
		if len(scenario)+len(manifest) > 1<<14 {
			return
		}
		_, _ = Parse("scenario.yaml", []byte(scenario), files(map[string]string{"so.yaml": manifest, "api.yaml": apiObject}))
	})
}

// TestLoadAbsoluteManifestPath: a manifest named by an absolute path is
// read from there, not joined onto the scenario's directory.
func TestLoadAbsoluteManifestPath(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	so := filepath.Join(other, "so.yaml")
	require.NoError(t, os.WriteFile(so, []byte(goodScaledObject), 0o644))
	scen := filepath.Join(dir, "scenario.yaml")
	require.NoError(t, os.WriteFile(scen, []byte(strings.Replace(goodScenario, "manifests: so.yaml", "manifests: "+so, 1)), 0o644))
	sc, err := Load(scen)
	require.NoError(t, err)
	require.Equal(t, "ws", sc.Spec.KEDA.Object.Name)
}

// TestKubernetesVersionKept: the release is kept as written, for reports,
// besides the controller configuration it selects.
func TestKubernetesVersionKept(t *testing.T) {
	sc, err := Parse("scenario.yaml", []byte(goodScenario), files(map[string]string{"so.yaml": goodScaledObject}))
	require.NoError(t, err)
	require.Empty(t, sc.KubernetesVersion, "the default release")
	withVersion := strings.Replace(goodScenario, "  duration: 5m\n", "  duration: 5m\n  versions: {kubernetes: \"1.32\"}\n", 1)
	sc, err = Parse("scenario.yaml", []byte(withVersion), files(map[string]string{"so.yaml": goodScaledObject}))
	require.NoError(t, err)
	require.Equal(t, "1.32", sc.KubernetesVersion)
	require.True(t, sc.Spec.Controller.LegacyToleranceCheck, "1.32 predates the inclusive tolerance band")
}

// TestPrometheusDurations: every duration of a scenario is read as
// Prometheus and promtool write them, days and weeks included.
func TestPrometheusDurations(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"1d":     24 * time.Hour,
		"1w":     7 * 24 * time.Hour,
		"1h30m":  90 * time.Minute,
		"2d12h":  60 * time.Hour,
		"1m15s":  75 * time.Second,
		"1500ms": 1500 * time.Millisecond,
		"0":      0,
	} {
		got, err := ParseDuration(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"300", "1.5s", "5 m", "1m1h", "", "5M"} {
		_, err := ParseDuration(bad)
		require.Error(t, err, bad)
	}
	sc := strings.Replace(goodScenario, "duration: 5m", "duration: 1d", 1)
	sc = strings.Replace(sc, "stages: [{duration: 10s, target: 200}]", "stages: [{duration: 1h30m, target: 200}]\n  workload:\n    podStartup: 1m\n  controller:\n    downscaleStabilization: 1h", 1)
	got, err := Parse("scenario.yaml", []byte(sc), files(map[string]string{"so.yaml": goodScaledObject}))
	require.NoError(t, err)
	require.Equal(t, 24*time.Hour, got.Spec.Duration)
	require.Equal(t, time.Hour, got.Spec.Controller.DownscaleStabilization)
	require.Equal(t, 90*time.Minute, got.Spec.Loads[0].Shape.(sim.Stages).Stages[0].Duration)
}
