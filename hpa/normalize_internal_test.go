package hpa

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestWindowArena: slices handed out are never written again, and an
// append to one copies instead of running into the next.
func TestWindowArena(t *testing.T) {
	var w windowArena
	t0 := time.Unix(0, 0)
	var kept [][]Recommendation
	for i := 0; i < 3000; i++ {
		n := i % 30
		s := w.room(n)
		for j := 0; j < n/2; j++ {
			s = append(s, Recommendation{Replicas: int32(i), Time: t0})
		}
		s = w.keep(s)
		require.Equal(t, len(s), cap(s))
		kept = append(kept, s)
	}
	grown := append(kept[100], Recommendation{Replicas: -1})
	require.Equal(t, int32(-1), grown[len(grown)-1].Replicas)
	for i, s := range kept {
		require.Len(t, s, (i%30)/2)
		for _, r := range s {
			require.Equal(t, int32(i), r.Replicas)
		}
	}
}
