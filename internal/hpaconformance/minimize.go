package hpaconformance

import "encoding/json"

// Minimize shrinks a case while keep still holds: fewer steps, metrics,
// pods and spec features, one greedy change at a time until none helps.
// keep must be true for the case given.
func Minimize(c Case, keep func(Case) bool) Case {
	for changed := true; changed; {
		changed = false
		for _, cand := range candidates(c) {
			if keep(cand) {
				c = cand
				changed = true
				break
			}
		}
	}
	return c
}

func clone(c Case) Case {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	var out Case
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// candidates lists one-step simplifications of c, the biggest first.
func candidates(c Case) []Case {
	var out []Case
	try := func(f func(*Case) bool) {
		n := clone(c)
		if f(&n) {
			out = append(out, n)
		}
	}
	// Fewer steps: keep the last one (where the difference shows).
	for i := 0; i < len(c.Steps)-1; i++ {
		try(func(n *Case) bool {
			n.Steps = append(n.Steps[:i], n.Steps[i+1:]...)
			return true
		})
	}
	for i := range c.HPA.Metrics {
		try(func(n *Case) bool {
			if len(n.HPA.Metrics) < 2 {
				return false
			}
			n.HPA.Metrics = append(n.HPA.Metrics[:i], n.HPA.Metrics[i+1:]...)
			for k := range n.Steps {
				if i < len(n.Steps[k].Metrics) {
					n.Steps[k].Metrics = append(n.Steps[k].Metrics[:i], n.Steps[k].Metrics[i+1:]...)
				}
			}
			return true
		})
		try(func(n *Case) bool {
			if n.HPA.Metrics[i].Selector == nil {
				return false
			}
			n.HPA.Metrics[i].Selector = nil
			return true
		})
	}
	try(func(n *Case) bool {
		if n.HPA.Behavior == nil {
			return false
		}
		n.HPA.Behavior = nil
		return true
	})
	if b := c.HPA.Behavior; b != nil {
		for _, up := range []bool{true, false} {
			try(func(n *Case) bool {
				r := &n.HPA.Behavior.ScaleDown
				if up {
					r = &n.HPA.Behavior.ScaleUp
				}
				if *r == nil {
					return false
				}
				*r = nil
				return true
			})
			try(func(n *Case) bool {
				r := n.HPA.Behavior.ScaleDown
				if up {
					r = n.HPA.Behavior.ScaleUp
				}
				if r == nil || (r.Tolerance == nil && r.SelectPolicy == nil && r.StabilizationWindowSeconds == nil) {
					return false
				}
				r.Tolerance, r.SelectPolicy, r.StabilizationWindowSeconds = nil, nil, nil
				return true
			})
			try(func(n *Case) bool {
				r := n.HPA.Behavior.ScaleDown
				if up {
					r = n.HPA.Behavior.ScaleUp
				}
				if r == nil || len(r.Policies) < 2 {
					return false
				}
				r.Policies = r.Policies[:1]
				return true
			})
		}
	}
	try(func(n *Case) bool {
		if n.Gates == (Gates{}) {
			return false
		}
		n.Gates = Gates{}
		return true
	})
	try(func(n *Case) bool {
		d := Controller{Tolerance: 0.1, DownscaleStabilizationSeconds: 300, CPUInitializationSeconds: 300, InitialReadinessDelaySeconds: 30}
		if n.Controller == d {
			return false
		}
		n.Controller = d
		return true
	})
	// Fewer pods: drop one pod name everywhere.
	names := map[string]bool{}
	for _, s := range c.Steps {
		for _, p := range s.Pods {
			names[p.Name] = true
		}
	}
	for name := range names {
		try(func(n *Case) bool {
			for k := range n.Steps {
				s := &n.Steps[k]
				var pods []Pod
				for _, p := range s.Pods {
					if p.Name != name {
						pods = append(pods, p)
					}
				}
				s.Pods = pods
				if s.Resources != nil {
					var rs []PodResource
					for _, r := range s.Resources.PodResources {
						if r.Pod != name {
							rs = append(rs, r)
						}
					}
					s.Resources.PodResources = rs
				}
				for m := range s.Metrics {
					var vs []PodValue
					for _, v := range s.Metrics[m].PodValues {
						if v.Pod != name {
							vs = append(vs, v)
						}
					}
					s.Metrics[m].PodValues = vs
				}
			}
			return true
		})
	}
	// Simpler pods: no init containers, no second container.
	try(func(n *Case) bool {
		did := false
		for k := range n.Steps {
			for p := range n.Steps[k].Pods {
				pod := &n.Steps[k].Pods[p]
				if len(pod.InitContainers) > 0 {
					pod.InitContainers = nil
					did = true
				}
				if len(pod.Containers) > 1 {
					pod.Containers = pod.Containers[:1]
					did = true
				}
			}
		}
		return did
	})
	try(func(n *Case) bool {
		did := false
		for k := range n.Steps {
			if n.Steps[k].Restart {
				n.Steps[k].Restart = false
				did = true
			}
		}
		return did
	})
	return out
}
