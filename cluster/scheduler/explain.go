package scheduler

import (
	"fmt"
	"strings"
)

// Explain says, node by node, why a pod was not placed there (or where it
// went and with which score): the lines an `explain` of a Pending pod
// prints under the FailedScheduling message. d must be the Decision of
// Schedule(nodes, p, ...).
func Explain(nodes []NodeInfo, p Pod, d Decision) []string {
	var lines []string
	for _, r := range d.Rejected {
		if r.Index < 0 || r.Index >= len(nodes) {
			lines = append(lines, fmt.Sprintf("%s: not in the nodes given", r.Name))
			continue
		}
		ni := nodes[r.Index]
		var parts []string
		for _, reason := range r.Status.Reasons {
			parts = append(parts, reason+detail(ni, p, reason))
		}
		lines = append(lines, fmt.Sprintf("%s: %s (%s)", r.Name, strings.Join(parts, ", "), r.Status.Plugin))
	}
	for _, f := range d.Feasible {
		mark := ""
		if d.Scheduled && f.Index == d.Index {
			mark = ", chosen"
		}
		lines = append(lines, fmt.Sprintf("%s: fits, score %d (LeastAllocated %d, BalancedAllocation %d)%s", f.Name, f.Score, f.LeastAllocated, f.BalancedAllocation, mark))
	}
	return lines
}

func detail(ni NodeInfo, p Pod, reason string) string {
	free := ni.Allocatable.Sub(ni.Requested)
	switch reason {
	case ReasonInsufficientCPU:
		req, _ := p.Requests.Quantities()
		fr, _ := free.Quantities()
		al, _ := ni.Allocatable.Quantities()
		return fmt.Sprintf(": requests %s, %s free of %s", req.String(), fr.String(), al.String())
	case ReasonInsufficientMemory:
		_, req := p.Requests.Quantities()
		_, fr := free.Quantities()
		_, al := ni.Allocatable.Quantities()
		return fmt.Sprintf(": requests %s, %s free of %s", req.String(), fr.String(), al.String())
	case ReasonTooManyPods:
		return fmt.Sprintf(": %d of %d pods", len(ni.Pods), ni.AllowedPods)
	case ReasonUntoleratedTaint:
		var ts []string
		for _, t := range ni.Node.Taints {
			ts = append(ts, t.ToString())
		}
		return ": " + strings.Join(ts, ", ")
	}
	return ""
}
