package scenarios

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const overrideSO = `apiVersion: v1
kind: ConfigMap
metadata:
  name: unrelated
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: ws
  namespace: demo
spec:
  scaleTargetRef:
    name: ws-server
  minReplicaCount: 1
  maxReplicaCount: 5
  triggers:
  - type: prometheus
    metadata:
      serverAddress: http://prometheus:9090
      threshold: '40'
      query: sum(websocket_connection_count)
`

func TestParseSet(t *testing.T) {
	got, err := ParseSet("spec.cooldownPeriod=30, 300")
	require.NoError(t, err)
	require.Equal(t, []Override{{"spec.cooldownPeriod", "30"}, {"spec.cooldownPeriod", "300"}}, got)
	for _, bad := range []string{"spec.cooldownPeriod", "=3", "spec.x=1,,2"} {
		_, err := ParseSet(bad)
		require.Error(t, err, bad)
	}
	o, err := ParseOverride("spec.x={a: 1, b: 2}")
	require.NoError(t, err)
	require.Equal(t, "{a: 1, b: 2}", o.Value)
}

func TestParseWithOverrides(t *testing.T) {
	read := func(name string) ([]byte, error) { return []byte(overrideSO), nil }
	tests := []struct {
		name    string
		set     []Override
		check   func(t *testing.T, sc *Scenario)
		wantErr string
	}{
		{name: "string field stays a string", set: []Override{{"spec.triggers[0].metadata.threshold", "25"}},
			check: func(t *testing.T, sc *Scenario) {
				require.Equal(t, "25", sc.Spec.KEDA.Object.Triggers[0].Metadata["threshold"])
			}},
		{name: "new metadata key is a string", set: []Override{{"spec.triggers[0].metadata.activationThreshold", "5"}},
			check: func(t *testing.T, sc *Scenario) {
				require.Equal(t, "5", sc.Spec.KEDA.Object.Triggers[0].Metadata["activationThreshold"])
			}},
		{name: "new integer field", set: []Override{{"spec.cooldownPeriod", "30"}},
			check: func(t *testing.T, sc *Scenario) { require.Equal(t, int32(30), *sc.Spec.KEDA.Object.CooldownPeriod) }},
		{name: "new nested mapping", set: []Override{{"spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds", "0"}},
			check: func(t *testing.T, sc *Scenario) {
				b := sc.Spec.KEDA.Object.Advanced.HorizontalPodAutoscalerConfig.Behavior
				require.Equal(t, int32(0), *b.ScaleDown.StabilizationWindowSeconds)
			}},
		{name: "later override wins", set: []Override{{"spec.maxReplicaCount", "7"}, {"spec.maxReplicaCount", "9"}},
			check: func(t *testing.T, sc *Scenario) { require.Equal(t, int32(9), sc.Spec.KEDA.Object.MaxReplicas()) }},
		{name: "index out of range", set: []Override{{"spec.triggers[1].type", "cpu"}},
			wantErr: "so.yaml:16: spec.triggers: --set spec.triggers[1].type=cpu: spec.triggers has 1 item; indices start at 0"},
		{name: "index into a mapping", set: []Override{{"spec.scaleTargetRef[0]", "x"}},
			wantErr: "so.yaml:12: spec.scaleTargetRef: --set spec.scaleTargetRef[0]=x: spec.scaleTargetRef is a mapping, not a list"},
		{name: "missing list", set: []Override{{"spec.fallback.x[0]", "1"}},
			wantErr: "so.yaml:11: spec.fallback.x: --set spec.fallback.x[0]=1: spec.fallback.x does not exist; only existing list items can be set"},
		{name: "invalid result located in the original file", set: []Override{{"spec.maxReplicaCount", "-1"}},
			wantErr: "so.yaml:15: spec.maxReplicaCount"},
		{name: "unknown field located at its parent", set: []Override{{"spec.coolDown", "1"}},
			wantErr: `so.yaml:11: spec.coolDown: unknown field "coolDown"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := ParseWithOverrides("scenario.yaml", []byte(goodScenario), read, tc.set...)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			tc.check(t, sc)
		})
	}
}

// TestScenarioOverrides: a path into the scenario's own spec edits the
// scenario file, validated as the file is; the others edit the manifest.
func TestScenarioOverrides(t *testing.T) {
	read := files(map[string]string{"so.yaml": goodScaledObject})
	sc, err := ParseWithOverrides("scenario.yaml", []byte(goodScenario), read,
		Override{Path: "spec.workload.podStartup", Value: "1m"},
		Override{Path: "spec.prometheus.scrapeInterval", Value: "30s"},
		Override{Path: "spec.load[0].capacity", Value: "25"},
		Override{Path: "spec.maxReplicaCount", Value: "7"},
	)
	require.NoError(t, err)
	require.Equal(t, time.Minute, sc.Spec.Workload.PodStartup)
	require.Equal(t, 30*time.Second, sc.Spec.Prometheus.ScrapeInterval)
	require.Equal(t, 25.0, sc.Spec.Loads[0].Capacity)
	require.Equal(t, int32(7), sc.Spec.KEDA.Object.MaxReplicas())

	_, err = ParseWithOverrides("scenario.yaml", []byte(goodScenario), read, Override{Path: "spec.workload.podStartup", Value: "1.5m"})
	require.ErrorContains(t, err, `scenario.yaml:5: spec.workload.podStartup: must be a duration`)
	_, err = ParseWithOverrides("scenario.yaml", []byte(goodScenario), read, Override{Path: "spec.load[3].capacity", Value: "1"})
	require.ErrorContains(t, err, "spec.load has 1 item; indices start at 0")
}
