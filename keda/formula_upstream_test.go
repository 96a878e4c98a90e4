package keda

import (
	"testing"

	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/api/resource"
)

func twoTriggerFormulaSO(formula string) *ScaledObject {
	so := promSO()
	so.Triggers[0].Name = "a"
	so.Triggers = append(so.Triggers, Trigger{Type: "prometheus", Name: "b", Metadata: map[string]string{
		"serverAddress": "http://prometheus:9090", "query": "sum(other)", "threshold": "40"}})
	so.Advanced = &Advanced{ScalingModifiers: &ScalingModifiers{Formula: formula, Target: "10"}}
	return so
}

// TestFormulaInputsAreApproximateFloats: formula.go scalingModifierTriggerValue
// reads each metric with Quantity.AsApproximateFloat64, m times
// math.Pow(10, -3), and the composite is int64(result*1000). For 1.001 that
// gives 1001 milli where m/1000 would give 1000.
func TestFormulaInputsAreApproximateFloats(t *testing.T) {
	l, err := NewLoop(twoTriggerFormulaSO("a + b"), "2.20.2", t0)
	require.NoError(t, err)
	got, err := l.MetricsForHPA(CompositeMetricName, obs(1.001, 0), Workload{Current: 1, Ready: 1})
	require.NoError(t, err)
	q := resource.NewMilliQuantity(1001, resource.DecimalSI)
	want := int64(q.AsApproximateFloat64() * 1000)
	require.Equal(t, []int64{want}, got)
	m := int64(1001)
	require.NotEqual(t, int64(float64(m)/1000*1000), want, "the test must tell the two conversions apart")
}

// TestFormulaRuntimeErrorGivesNoMetrics: HandleScalingModifiers logs a
// formula that fails at run time and answers with no metrics and no
// error; the HPA then reads an empty list.
func TestFormulaRuntimeErrorGivesNoMetrics(t *testing.T) {
	l, err := NewLoop(twoTriggerFormulaSO("int(a) % int(b)"), "2.20.2", t0)
	require.NoError(t, err)
	got, err := l.MetricsForHPA(CompositeMetricName, obs(5, 0), Workload{Current: 1, Ready: 1})
	require.NoError(t, err, "a run-time formula error is not an error of the metrics request")
	require.Empty(t, got)
}

// TestCompositeTargetRoundingToZeroIsRefused: hpa.go writes the composite
// target as NewMilliQuantity(int64(target*1000)); 0.0004 passes the
// webhook (> 0) and becomes 0, which the API server refuses.
func TestCompositeTargetRoundingToZeroIsRefused(t *testing.T) {
	so := twoTriggerFormulaSO("a + b")
	so.Advanced.ScalingModifiers.Target = "0.0004"
	errs, err := so.ValidateVersion("2.20.2")
	require.NoError(t, err)
	require.Len(t, errs, 1)
	require.Equal(t, "spec.advanced.scalingModifiers.target", errs[0].Path)
	require.Contains(t, errs[0].Message, `HorizontalPodAutoscaler.autoscaling "keda-hpa-ws" is invalid: spec.metrics[0].external.target.averageValue: Invalid value: "0": must be positive`)
	so.Advanced.ScalingModifiers.Target = "0.001"
	errs, err = so.ValidateVersion("2.20.2")
	require.NoError(t, err)
	require.Empty(t, errs, "one milli is a positive target")
}

// TestForceActivationMessageWhenActive: RequestScale words the Active
// condition after the annotation whenever it is set, even with active
// triggers.
func TestForceActivationMessageWhenActive(t *testing.T) {
	so := promSO()
	so.Annotations = map[string]string{ForceActivationAnnotation: "true"}
	l, err := NewLoop(so, "2.20.2", t0)
	require.NoError(t, err)
	res, err := l.Poll(at(30), Workload{Current: 2, Ready: 2}, obs(100))
	require.NoError(t, err)
	require.True(t, res.Active)
	require.Equal(t, "Scaling is performed because activation is being forced by annotation", res.Conditions.Active.Message)
}

// TestNegativePausedReplicasIsRefused: scaleTargetToPausedCount writes the
// count to the scale subresource and the API server refuses a negative
// one; the reconcile fails (Ready False) and replicas stay.
func TestNegativePausedReplicasIsRefused(t *testing.T) {
	so := promSO()
	so.Annotations = map[string]string{PausedReplicasAnnotation: "-1"}
	l, err := NewLoop(so, "2.20.2", t0)
	require.NoError(t, err)
	res, err := l.Poll(at(30), Workload{Current: 3, Ready: 3}, obs(100))
	require.NoError(t, err)
	require.True(t, res.Paused)
	require.Nil(t, res.ScaleTo, "the write is refused")
	require.Equal(t, "False", res.Conditions.Ready.Status)
	require.Equal(t, "ScaledObjectCheckFailed", res.Conditions.Ready.Reason)
	require.Contains(t, res.Conditions.Ready.Message, `Scale.autoscaling "server" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`)
}
