package sim

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
//
// pods must be in creation order (podSet keeps them so). When the ready
// pods already hold want connections nothing moves, which is the common
// case between two changes of the load, so that check comes first and
// costs one pass without allocating.
func balanceConnections(pods []*pod, li int, want int64) {
	var open int64
	ready := 0
	for _, p := range pods {
		if !p.inEndpoints() {
			p.load[li] = 0
			continue
		}
		open += p.load[li]
		ready++
	}
	if ready == 0 {
		return
	}
	switch {
	case want > open:
		fill(pods, li, want-open)
	case want < open:
		drain(pods, li, open-want)
	}
}

// fill adds n connections to the ready pods, one by one to the
// least-loaded pod (ties: the older one). The outcome of that greedy
// placement is water-filling: for the highest level T such that raising
// every pod below T to T costs at most n connections, those pods end at
// T and the r connections left over go, one each, to the oldest pods at
// T (r is less than their count, or T+1 would have been affordable).
// Finding T by bisection costs a pass over the pods per halving of n
// instead of a sort per tick.
func fill(pods []*pod, li int, n int64) {
	lo, atLo := int64(-1), int64(0)
	for _, p := range pods {
		if !p.inEndpoints() {
			continue
		}
		switch l := p.load[li]; {
		case lo < 0 || l < lo:
			lo, atLo = l, 1
		case l == lo:
			atLo++
		}
	}
	// cost(lo) = 0 <= n and cost(lo+n+1) > n (some pod sits at lo).
	// When fewer connections arrive than pods sit at lo, as between two
	// ticks of a slowly changing load, cost(lo+1) = atLo > n: T is lo.
	hi := lo + n + 1
	if n < atLo {
		hi = lo + 1
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if fillCost(pods, li, mid, n) <= n {
			lo = mid
		} else {
			hi = mid
		}
	}
	level := lo
	for _, p := range pods {
		if p.inEndpoints() && p.load[li] < level {
			n -= level - p.load[li]
			p.load[li] = level
		}
	}
	for _, p := range pods {
		if n == 0 {
			break
		}
		if p.inEndpoints() && p.load[li] == level {
			p.load[li]++
			n--
		}
	}
}

// fillCost is the number of connections that raise every ready pod to
// level, or some number above limit once it exceeds limit.
func fillCost(pods []*pod, li int, level, limit int64) int64 {
	var c int64
	for _, p := range pods {
		if p.inEndpoints() && p.load[li] < level {
			c += level - p.load[li]
			if c > limit {
				return c
			}
		}
	}
	return c
}

// drain removes n connections from the ready pods, one by one from the
// busiest pod (ties: the newer one): for the lowest level T such that
// lowering every pod above T to T removes at most n connections, those
// pods end at T and the r connections left over are taken, one each,
// from the newest pods at T.
func drain(pods []*pod, li int, n int64) {
	var top, atTop int64
	for _, p := range pods {
		if !p.inEndpoints() {
			continue
		}
		switch l := p.load[li]; {
		case l > top:
			top, atTop = l, 1
		case l == top:
			atTop++
		}
	}
	// cost(top) = 0 <= n; cost(lo) > n below the answer. n never exceeds
	// the open connections, so level 0 is always affordable. When fewer
	// connections close than pods sit at top, cost(top-1) = atTop > n.
	lo, hi := max(top-n, 0)-1, top
	if n < atTop {
		lo = top - 1
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if drainCost(pods, li, mid, n) <= n {
			hi = mid
		} else {
			lo = mid
		}
	}
	level := hi
	for _, p := range pods {
		if p.inEndpoints() && p.load[li] > level {
			n -= p.load[li] - level
			p.load[li] = level
		}
	}
	for i := len(pods) - 1; i >= 0 && n > 0; i-- {
		if p := pods[i]; p.inEndpoints() && p.load[li] == level && level > 0 {
			p.load[li]--
			n--
		}
	}
}

// drainCost is the number of connections that lowering every ready pod
// to level closes, or some number above limit once it exceeds limit.
func drainCost(pods []*pod, li int, level, limit int64) int64 {
	var c int64
	for _, p := range pods {
		if p.inEndpoints() && p.load[li] > level {
			c += p.load[li] - level
			if c > limit {
				return c
			}
		}
	}
	return c
}
