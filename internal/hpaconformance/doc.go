// Package hpaconformance holds the model side of the differential runs
// against the HPA controller of kube-controller-manager (conformance/hpa):
// the case format both sides read (Case: a release, its gates and
// controller flags, one HorizontalPodAutoscaler and the API's observations
// at each sync), the random cases (Generate), the run through the hpa
// package (RunModel), the comparison after every sync (Compare: replicas
// written, conditions, events, errors, status, stored recommendations and
// scale events), the minimizer and the JSON reproducers that the hpa tests
// replay without the upstream code (hpa/testdata/conformance).
//
// The upstream side, conformance/hpa, is its own module: it imports
// k8s.io/kubernetes and builds against a copy of the release prepared by
// conformance/hpa/prepare.sh (an injectable clock in place of time.Now).
// It imports this package, so both sides read the same cases. A test keeps
// conformance/hpa/go.mod in step with the main module.
package hpaconformance
