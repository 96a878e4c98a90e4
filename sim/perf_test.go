package sim

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// balanceReference is the first implementation of balanceConnections,
// which sorts the ready pods on every call. The bisection in
// connections.go must place connections exactly as it does.
func balanceReference(pods []*pod, li int, want int64) {
	var open int64
	ready := make([]*pod, 0, len(pods))
	for _, p := range pods {
		if !p.inEndpoints() {
			p.load[li] = 0
			continue
		}
		open += p.load[li]
		ready = append(ready, p)
	}
	if len(ready) == 0 {
		return
	}
	switch {
	case want > open:
		fillReference(ready, li, want-open)
	case want < open:
		drainReference(ready, li, open-want)
	}
}

func fillReference(ready []*pod, li int, n int64) {
	sort.SliceStable(ready, func(i, j int) bool {
		if ready[i].load[li] != ready[j].load[li] {
			return ready[i].load[li] < ready[j].load[li]
		}
		return ready[i].seq < ready[j].seq
	})
	k := 1
	for n > 0 {
		level := ready[k-1].load[li]
		next := int64(math.MaxInt64)
		if k < len(ready) {
			next = ready[k].load[li]
		}
		if next != math.MaxInt64 && (next-level)*int64(k) <= n {
			for i := 0; i < k; i++ {
				n -= next - ready[i].load[li]
				ready[i].load[li] = next
			}
			k++
			continue
		}
		per, rest := n/int64(k), n%int64(k)
		for i := 0; i < k; i++ {
			ready[i].load[li] += per
		}
		sort.SliceStable(ready[:k], func(i, j int) bool { return ready[i].seq < ready[j].seq })
		for i := int64(0); i < rest; i++ {
			ready[i].load[li]++
		}
		return
	}
}

func drainReference(ready []*pod, li int, n int64) {
	sort.SliceStable(ready, func(i, j int) bool {
		if ready[i].load[li] != ready[j].load[li] {
			return ready[i].load[li] > ready[j].load[li]
		}
		return ready[i].seq > ready[j].seq
	})
	k := 1
	for n > 0 {
		level := ready[k-1].load[li]
		var next int64
		if k < len(ready) {
			next = ready[k].load[li]
		}
		if (level-next)*int64(k) <= n {
			for i := 0; i < k; i++ {
				n -= ready[i].load[li] - next
				ready[i].load[li] = next
			}
			if k == len(ready) {
				return
			}
			k++
			continue
		}
		per, rest := n/int64(k), n%int64(k)
		for i := 0; i < k; i++ {
			ready[i].load[li] -= per
		}
		sort.SliceStable(ready[:k], func(i, j int) bool { return ready[i].seq > ready[j].seq })
		for i := int64(0); i < rest; i++ {
			ready[i].load[li]--
		}
		return
	}
}

// TestBalanceConnectionsMatchesReference drives both implementations
// through the same random sequence of wanted counts and pod churn and
// requires identical placements after every call.
func TestBalanceConnectionsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for round := 0; round < 300; round++ {
		n := 1 + r.IntN(40)
		mk := func() ([]*pod, []*pod) {
			var a, b []*pod
			for i := 0; i < n; i++ {
				l := int64(r.IntN(50))
				if r.IntN(3) == 0 {
					l = 0
				}
				ready, deleting := r.IntN(5) != 0, r.IntN(8) == 0
				a = append(a, &pod{seq: i, ready: ready, deleting: deleting, load: []int64{l}})
				b = append(b, &pod{seq: i, ready: ready, deleting: deleting, load: []int64{l}})
			}
			return a, b
		}
		got, want := mk()
		for step := 0; step < 50; step++ {
			target := int64(r.IntN(60 * n))
			if r.IntN(4) == 0 {
				// Small moves, as between two ticks of a smooth load.
				var open int64
				for _, p := range want {
					if p.inEndpoints() {
						open += p.load[0]
					}
				}
				target = max(open+int64(r.IntN(7))-3, 0)
			}
			if r.IntN(6) == 0 {
				i := r.IntN(n)
				got[i].ready, want[i].ready = !got[i].ready, !want[i].ready
			}
			balanceConnections(got, 0, target)
			balanceReference(want, 0, target)
			for i := range got {
				require.Equal(t, want[i].load[0], got[i].load[0], "round %d step %d pod %d", round, step, i)
			}
		}
	}
}
