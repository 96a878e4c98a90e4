package autoscaler

import (
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/autoscale-sim/autoscale-sim/cluster/scheduler"
)

// utilization is simulator/utilization/info.go Calculate: per resource the
// sum of the pods' requests over the allocatable, and the larger of cpu and
// memory (memory when they are equal). DaemonSet and mirror pods count, as
// by default (--ignore-daemonsets-utilization false).
func utilization(ni scheduler.NodeInfo) (u Utilization, ok bool) {
	u.Node = ni.Node.Name
	if ni.Allocatable.MilliCPU == 0 || ni.Allocatable.Memory == 0 {
		return u, false
	}
	u.CPU = float64(ni.Requested.MilliCPU) / float64(ni.Allocatable.MilliCPU)
	u.Memory = float64(ni.Requested.Memory) / float64(ni.Allocatable.Memory)
	if u.CPU > u.Memory {
		u.Value, u.Resource = u.CPU, corev1.ResourceCPU
	} else {
		u.Value, u.Resource = u.Memory, corev1.ResourceMemory
	}
	return u, true
}

// runScaleDown is StaticAutoscaler.scaleDown: the planner's bookkeeping of
// unneeded nodes runs at every loop, in cooldown too; deletions only when
// not in cooldown (isScaleDownInCooldown).
func runScaleDown(groups []NodeGroup, opts Options, st *State, obs Observation, upcoming []Upcoming, now time.Time, noDeletion bool, res *Result) {
	// unremovable/nodes.go: a node that failed the removal simulation is
	// skipped until its recheck time.
	recent := map[string]bool{}
	keep := st.Unremovable[:0]
	for _, u := range st.Unremovable {
		if u.At.After(now) {
			recent[u.Node] = true
			keep = append(keep, u)
		}
	}
	st.Unremovable = keep

	index := map[string]int{}
	for i, n := range obs.Nodes {
		index[n.Info.Node.Name] = i
	}
	// Candidates: the nodes unneeded before first, in that order, then the
	// others in node order.
	var order []int
	seen := map[string]bool{}
	for _, u := range st.Unneeded {
		if i, ok := index[u.Node]; ok {
			order = append(order, i)
			seen[u.Node] = true
		}
	}
	for i, n := range obs.Nodes {
		if !seen[n.Info.Node.Name] {
			order = append(order, i)
		}
	}

	// planner.go categorizeNodes: each removable node's pods are placed on
	// the remaining destinations and that placement persists for the next
	// candidates (simulator/cluster.go: RemovalSimulator with
	// persistSuccessfulSimulations); a removable node is no longer a
	// destination.
	working := make([]scheduler.NodeInfo, len(obs.Nodes))
	workingPods := make([][]scheduler.Pod, len(obs.Nodes))
	destination := make([]bool, len(obs.Nodes))
	for i, n := range obs.Nodes {
		working[i] = n.Info
		workingPods[i] = n.Pods
		destination[i] = true
	}
	prevSince := map[string]time.Time{}
	for _, u := range st.Unneeded {
		prevSince[u.Node] = u.At
	}
	type removable struct {
		idx  int
		pods []string
	}
	var removables []removable
	gi := groupIndex(groups)
	for _, i := range order {
		n := obs.Nodes[i]
		if _, ok := gi[n.Group]; !ok {
			// Not autoscaled: a destination, never a candidate
			// (eligibility.go: NotAutoscaled).
			continue
		}
		u, ok := utilization(n.Info)
		if !ok {
			continue
		}
		u.BelowThreshold = u.Value < opts.ScaleDownUtilizationThreshold
		if recent[u.Node] {
			u.UnremovableRecently = true
			res.Utilization = append(res.Utilization, u)
			continue
		}
		if !u.BelowThreshold {
			res.Utilization = append(res.Utilization, u)
			continue
		}
		// The pods to move are those on the node in the simulation, which
		// includes pods moved there from earlier candidates.
		trial := slices.Clone(working)
		trialPods := slices.Clone(workingPods)
		placed := true
		for _, p := range workingPods[i] {
			j := -1
			for k := range trial {
				if k == i || !destination[k] {
					continue
				}
				if scheduler.Fits(&trial[k], &p) {
					j = k
					break
				}
			}
			if j < 0 {
				placed = false
				break
			}
			trial[j] = trial[j].Bind(p)
			trialPods[j] = append(slices.Clone(trialPods[j]), p)
		}
		if !placed {
			u.UnremovableNoPlace = true
			st.Unremovable = append(st.Unremovable, Since{Node: u.Node, At: now.Add(opts.UnremovableNodeRecheckTimeout)})
			res.Utilization = append(res.Utilization, u)
			continue
		}
		working, workingPods = trial, trialPods
		destination[i] = false
		var names []string
		for _, p := range n.Pods {
			names = append(names, p.Name)
		}
		removables = append(removables, removable{idx: i, pods: names})
		res.Utilization = append(res.Utilization, u)
	}
	// unneeded/nodes.go Update: a node keeps the time it was first found
	// unneeded.
	st.Unneeded = st.Unneeded[:0]
	for _, r := range removables {
		name := obs.Nodes[r.idx].Info.Node.Name
		since, ok := prevSince[name]
		if !ok {
			since = now
		}
		st.Unneeded = append(st.Unneeded, Since{Node: name, At: since})
	}

	switch {
	case noDeletion:
		res.ScaleDownSkipped = "scale-down disabled for this loop: the unschedulable pods are very new"
		return
	case st.LastScaleUp.Add(opts.ScaleDownDelayAfterAdd).After(now):
		res.ScaleDownSkipped = "in cooldown: --scale-down-delay-after-add"
		return
	case st.LastScaleDownDelete.Add(opts.ScaleDownDelayAfterDelete).After(now):
		res.ScaleDownSkipped = "in cooldown: --scale-down-delay-after-delete"
		return
	}

	// unneeded/nodes.go RemovableAt and verifyMinSize: unneeded for longer
	// than --scale-down-unneeded-time (strictly), and the group stays above
	// its min size (target size, upcoming nodes included).
	size := map[string]int{}
	for _, n := range obs.Nodes {
		size[n.Group]++
	}
	for _, u := range upcoming {
		size[u.Group]++
	}
	var empty, drain []Deletion
	for k, r := range removables {
		n := obs.Nodes[r.idx]
		since := st.Unneeded[k].At
		if !since.Add(opts.ScaleDownUnneededTime).Before(now) {
			continue
		}
		g, ok := gi[n.Group]
		if !ok || size[n.Group] <= groups[g].MinSize {
			continue
		}
		size[n.Group]--
		d := Deletion{Node: n.Info.Node.Name, Group: n.Group, Evicted: r.pods, Empty: len(r.pods) == 0, UnneededSince: since}
		if d.Empty {
			empty = append(empty, d)
		} else {
			drain = append(drain, d)
		}
	}
	// budgets: empty nodes first, up to --max-scale-down-parallelism, then
	// nodes to drain within --max-drain-parallelism
	// (core/scaledown/budgets/budgets.go: CropNodes).
	if len(empty) > opts.MaxScaleDownParallelism {
		empty = empty[:opts.MaxScaleDownParallelism]
	}
	if room := min(opts.MaxDrainParallelism, opts.MaxScaleDownParallelism-len(empty)); len(drain) > room {
		drain = drain[:max(room, 0)]
	}
	res.Deleted = append(empty, drain...)
	if len(res.Deleted) == 0 {
		return
	}
	gone := map[string]bool{}
	for _, d := range res.Deleted {
		gone[d.Node] = true
	}
	keepU := st.Unneeded[:0]
	for _, u := range st.Unneeded {
		if !gone[u.Node] {
			keepU = append(keepU, u)
		}
	}
	st.Unneeded = keepU
	st.LastScaleDownDelete = now
}
