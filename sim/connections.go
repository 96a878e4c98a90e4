package sim

import (
	"math"
	"sort"
)

// balanceConnections moves the open connections of load li towards want,
// the number clients try to hold:
//   - connections of pods that left the endpoints are closed by the server
//     and their clients reconnect, so they count as wanted but unplaced;
//   - new connections go, one by one, to the least-loaded ready pod (ties:
//     the older pod), which is what a least-connections balancer does;
//   - when clients close connections, the busiest pods lose them first
//     (ties: the newer pod), a deterministic stand-in for clients leaving
//     evenly;
//   - with no ready pod, wanted connections wait (clients retry).
func balanceConnections(pods []*pod, li int, want int64) {
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
		fill(ready, li, want-open)
	case want < open:
		drain(ready, li, open-want)
	}
}

// fill adds n connections by water-filling from the least-loaded pod.
func fill(ready []*pod, li int, n int64) {
	sort.SliceStable(ready, func(i, j int) bool {
		if ready[i].load[li] != ready[j].load[li] {
			return ready[i].load[li] < ready[j].load[li]
		}
		return ready[i].seq < ready[j].seq
	})
	// Raise the k least-loaded pods to a common level while n lasts.
	k := 1
	for n > 0 {
		level := ready[k-1].load[li]
		next := int64(math.MaxInt64)
		if k < len(ready) {
			next = ready[k].load[li]
		}
		// Cost of raising the first k pods from level to next.
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
		// The remainder goes to the first pods in balancer order (the
		// older ones at equal load).
		sort.SliceStable(ready[:k], func(i, j int) bool { return ready[i].seq < ready[j].seq })
		for i := int64(0); i < rest; i++ {
			ready[i].load[li]++
		}
		return
	}
}

// drain removes n connections from the busiest pods first.
func drain(ready []*pod, li int, n int64) {
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
