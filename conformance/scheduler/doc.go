// Package scheduler is the differential test of cluster/scheduler against
// the kube-scheduler's own plugins (k8s.io/kubernetes, the version in
// go.mod): random pools and pods go through NodeUnschedulable,
// TaintToleration, NodeAffinity and NodeResourcesFit (Filter, and the
// LeastAllocated Score) and NodeResourcesBalancedAllocation (Score) and through scheduler.Schedule, and every node's
// verdict, every score and the FitError text must agree. Run by
// conformance/run.sh inside a network namespace with loopback only.
package scheduler
