package kedaconformance

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGenerateLoopIsDeterministic(t *testing.T) {
	for seed := int64(1); seed <= 50; seed++ {
		a, b := GenerateLoop(seed, "2.20.2"), GenerateLoop(seed, "2.20.2")
		require.Equal(t, a, b)
		require.NotNil(t, a.Loop)
		require.NotEmpty(t, a.Loop.Steps)
		for _, st := range a.Loop.Steps {
			require.Len(t, st.Answers, len(a.Loop.Triggers), "every step answers every trigger")
		}
		ra, rb := RunLoop(a.Loop), RunLoop(b.Loop)
		ja, _ := json.Marshal(ra)
		jb, _ := json.Marshal(rb)
		require.Equal(t, string(ja), string(jb), "seed %d", seed)
	}
}

func TestCompareLoop(t *testing.T) {
	m := LoopResult{Steps: []LoopStepResult{{Replicas: 1, Ready: "True ScaledObjectReady", Metrics: []int64{5000}}}}
	require.Empty(t, CompareLoop(m, m))

	// A condition upstream has not set is not compared.
	u := LoopResult{Steps: []LoopStepResult{{Replicas: 1, Metrics: []int64{5000}}}}
	require.Empty(t, CompareLoop(m, u))

	u = LoopResult{Steps: []LoopStepResult{{Replicas: 2, Ready: "True ScaledObjectReady", Health: map[string]string{"s0-prometheus": "2 Happy"}, Error: "metric:s0-prometheus encountered error"}}}
	var fields []string
	for _, d := range CompareLoop(m, u) {
		fields = append(fields, d.Field)
	}
	require.Equal(t, []string{"loop.replicas", "loop.health", "loop.hpa.error"}, fields)

	// Admission is compared by presence: the model words its errors per field.
	require.Equal(t, "loop.admission", CompareLoop(LoopResult{Error: "spec.minReplicaCount: ..."}, LoopResult{})[0].Field)
	require.Empty(t, CompareLoop(LoopResult{Error: "a"}, LoopResult{Error: "b"}))
}

func TestMinimizeLoop(t *testing.T) {
	c := GenerateLoop(7, "2.20.2")
	n := len(c.Loop.Steps)
	require.Greater(t, n, 1)
	// Keep any case that still has a step: everything optional goes, one
	// step stays.
	small := MinimizeLoop(c, func(x Case) bool { return len(x.Loop.Steps) > 0 })
	require.Len(t, small.Loop.Steps, 1)
	require.Nil(t, small.Loop.Fallback)
	require.Nil(t, small.Loop.Annotations)
	require.Len(t, c.Loop.Steps, n, "the original is left alone")
}
