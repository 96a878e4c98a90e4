package sim

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestResultQueries(t *testing.T) {
	r := &Result{
		Duration:        sec(600),
		InitialReplicas: 1,
		Events: []Event{
			{T: sec(60), From: 1, To: 5},
			{T: sec(90), From: 5, To: 5, Reason: "FailedGetExternalMetric"},
			{T: sec(300), From: 5, To: 4},
			{T: sec(360), From: 4, To: 3},
			{T: sec(400), From: 3, To: 4},
		},
	}
	require.Equal(t, int32(1), r.DesiredAt(sec(59)))
	require.Equal(t, int32(5), r.DesiredAt(sec(60)))
	require.Equal(t, int32(3), r.DesiredAt(sec(399)))
	require.Equal(t, int32(4), r.DesiredAt(sec(600)))

	lo, hi := r.DesiredRange(sec(0), sec(600))
	require.Equal(t, [2]int32{1, 5}, [2]int32{lo, hi})
	lo, hi = r.DesiredRange(sec(100), sec(299))
	require.Equal(t, [2]int32{5, 5}, [2]int32{lo, hi})

	at, ok := r.FirstReach(5)
	require.True(t, ok)
	require.Equal(t, sec(60), at)
	_, ok = r.FirstReach(6)
	require.False(t, ok)
	at, ok = r.FirstAtOrBelow(1)
	require.True(t, ok)
	require.Equal(t, sec(0), at, "the initial count already qualifies")
	high := &Result{InitialReplicas: 5, Events: r.Events[2:]}
	at, ok = high.FirstAtOrBelow(3)
	require.True(t, ok)
	require.Equal(t, sec(360), at)
	_, ok = high.FirstAtOrBelow(2)
	require.False(t, ok)

	require.Len(t, r.ScaleEvents(sec(60), sec(360)), 2, "the change at exactly 60s belongs to the earlier window")

	f := r.Figures()
	require.Equal(t, Figures{
		ReplicaSeconds:   1*60 + 5*240 + 4*60 + 3*40 + 4*200,
		MaxReplicas:      5,
		MinReplicas:      1,
		FinalReplicas:    4,
		ScaleEvents:      4,
		ScaleUps:         2,
		ScaleDowns:       2,
		DirectionChanges: 2,
	}, f)
}
