package sim

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRangeAssign(t *testing.T) {
	// Java RangeAssignor: 7 partitions over 3 members: 3, 2, 2, in order.
	require.Equal(t, []string{"a", "a", "a", "b", "b", "c", "c"}, rangeAssign(7, []string{"a", "b", "c"}))
	// Members beyond the partition count get nothing.
	require.Equal(t, []string{"a", "b"}, rangeAssign(2, []string{"a", "b", "c", "d"}))
	require.Equal(t, []string{"", ""}, rangeAssign(2, nil))
}

func TestStickyAssign(t *testing.T) {
	prev := rangeAssign(6, []string{"a", "b"}) // a a a b b b
	// A third member takes one partition from each, the others stay.
	got := stickyAssign(6, []string{"a", "b", "c"}, prev)
	moved := 0
	for p := range got {
		if got[p] != prev[p] {
			moved++
			require.Equal(t, "c", got[p])
		}
	}
	require.Equal(t, 2, moved, "only the partitions the new member takes move")
	// Range would have moved more: a a b b c c.
	rng := rangeAssign(6, []string{"a", "b", "c"})
	movedRange := 0
	for p := range rng {
		if rng[p] != prev[p] {
			movedRange++
		}
	}
	require.Greater(t, movedRange, moved)
}
