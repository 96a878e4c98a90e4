package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// apiObject is a second ScaledObject, on a request rate.
const apiObject = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: api
  namespace: demo
spec:
  scaleTargetRef:
    name: api
  minReplicaCount: 2
  maxReplicaCount: 6
  triggers:
  - type: prometheus
    metadata:
      serverAddress: http://prometheus:9090
      threshold: '5'
      query: sum(rate(http_requests_total{job="api"}[1m]))
`

const namespaceScenario = `apiVersion: autoscale-sim.dev/v1alpha1
kind: Scenario
metadata:
  name: ns
spec:
  duration: 10m
  workload:
    podStartup: 20s
    podTermination: 5s
  faults:
  - {kind: controllerRestart, at: 4m}
  workloads:
  - autoscaler:
      manifests: so.yaml
    workload:
      podStartup: 7s
    load:
    - metric: websocket_connection_count
      model: requests
      stages: [{duration: 10s, target: 200}]
  - name: backend
    autoscaler:
      manifests: api.yaml
    faults:
    - {kind: scrapeGap, from: 5m, to: 6m}
    load:
    - metric: http_requests_total
      model: requests
      arrivalsFrom: {workload: ws-server, factor: 2}
`

func namespaceFiles() ReadFunc {
	return files(map[string]string{"so.yaml": goodScaledObject, "api.yaml": apiObject})
}

// Each workload is the scenario it would be alone: spec's mappings are
// its defaults key by key (podStartup 7s wins, podTermination 5s comes
// from spec), spec's faults are every workload's with its own added, the
// name defaults to the scaled workload's, and arrivalsFrom names another
// workload. A merge that replaced whole mappings would lose
// podTermination; one that replaced lists would lose the restart.
func TestParseNamespace(t *testing.T) {
	sc, err := Parse("scenario.yaml", []byte(namespaceScenario), namespaceFiles())
	require.NoError(t, err)
	ns := sc.Namespace
	require.NotNil(t, ns)
	require.Equal(t, []string{"ws-server", "backend"}, ns.Names)
	ws, api := ns.Workloads[0].Spec, ns.Workloads[1].Spec
	require.Equal(t, 7*time.Second, ws.Workload.PodStartup)
	require.Equal(t, 5*time.Second, ws.Workload.PodTermination)
	require.Equal(t, 20*time.Second, api.Workload.PodStartup)
	require.Len(t, ws.Faults, 1)
	require.Len(t, api.Faults, 2)
	require.Equal(t, "api", api.Workload.Name)
	require.IsType(t, sim.Fed{}, api.Loads[0].Shape)
	require.Equal(t, []sim.Feed{{From: 0, FromLoad: 0, To: 1, ToLoad: 0, Factor: 2}}, ns.Feeds)
	require.Equal(t, "ns/backend", api.Name)
}

// Problems in a workload's lines are reported at spec.workloads[i], with
// the file's line, as any other problem of the scenario.
func TestParseNamespaceProblems(t *testing.T) {
	tests := map[string]struct {
		edit func(string) string
		want []string
	}{
		"arrivals from a connections load": {func(s string) string {
			return strings.Replace(s, "      model: requests\n      stages", "      stages", 1)
		}, nil},
		"unknown workload": {func(s string) string { return strings.Replace(s, "workload: ws-server,", "workload: front,", 1) }, []string{
			`spec.workloads[1].load[0].arrivalsFrom.workload: no workload named "front" in spec.workloads; have: ws-server, backend`}},
		"typo in a workload": {func(s string) string { return strings.Replace(s, "      podStartup: 7s", "      podStartp: 7s", 1) }, []string{
			`spec.workloads[0].workload.podStartp: unknown field "podStartp"; did you mean podStartup?`}},
		"shared key in a workload": {func(s string) string {
			return strings.Replace(s, "  - name: backend\n", "  - name: backend\n    duration: 5m\n", 1)
		}, []string{
			"spec.workloads[1].duration: duration is the namespace's, set once under spec.duration"}},
		"load under spec": {func(s string) string {
			return strings.Replace(s, "  workloads:\n", "  load:\n  - {metric: x, stages: [{duration: 1m, target: 1}]}\n  workloads:\n", 1)
		}, []string{"spec.load: with spec.workloads each workload gives its own load: move it to spec.workloads[i].load"}},
		"no load": {func(s string) string {
			return strings.Replace(s, "    load:\n    - metric: websocket_connection_count\n      model: requests\n      stages: [{duration: 10s, target: 200}]\n", "", 1)
		}, []string{"spec.workloads[0]: load must be set"}},
		"same workload twice": {func(s string) string { return strings.Replace(s, "manifests: api.yaml", "manifests: so.yaml", 1) }, []string{
			"spec.workloads[1]: scales Deployment/ws-server, which spec.workloads[0] scales too"}},
		"shape and arrivals": {func(s string) string {
			return strings.Replace(s, "      arrivalsFrom: {workload: ws-server, factor: 2}\n", "      arrivalsFrom: {workload: ws-server}\n      stages: [{duration: 1m, target: 3}]\n", 1)
		}, []string{"spec.workloads[1].load[0]: arrivalsFrom gives the load's arrivals; remove its shape"}},
		"factor 0": {func(s string) string { return strings.Replace(s, "factor: 2}", "factor: 0}", 1) }, []string{
			"spec.workloads[1].load[0].arrivalsFrom.factor: must be positive"}},
		"arrivals alone": {func(string) string {
			return strings.Replace(goodScenario, "    stages: [{duration: 10s, target: 200}]\n", "    model: requests\n    arrivalsFrom: {workload: x}\n", 1)
		}, []string{
			"spec.load[0].arrivalsFrom: arrivalsFrom names another workload of the namespace: it needs spec.workloads"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			src := tc.edit(namespaceScenario)
			_, err := Parse("scenario.yaml", []byte(src), namespaceFiles())
			if tc.want == nil {
				// arrivalsFrom a connections load: the source serves no
				// requests.
				require.ErrorContains(t, err, "spec.workloads[1].load[0].arrivalsFrom: workload ws-server's load 0 is a connections load, which serves no requests")
				return
			}
			require.Error(t, err)
			var e *Error
			require.ErrorAs(t, err, &e)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			// One problem, at its own line: the field's (or its
			// item's) in the file.
			require.Len(t, e.Problems, len(tc.want), err.Error())
			p := e.Problems[0]
			key := p.Path[strings.LastIndexAny(p.Path, ".]")+1:]
			lines := strings.Split(src, "\n")
			require.Greater(t, p.Line, 0)
			require.True(t, strings.Contains(lines[p.Line-1], key) || strings.HasPrefix(strings.TrimSpace(lines[p.Line-1]), "-"),
				"line %d %q does not hold %s", p.Line, lines[p.Line-1], p.Path)
		})
	}
}

// A subset: workloads chosen by name from shared manifests; an
// autoscaler of the manifests that no workload simulates is a warning
// that names it and how to add it, not a silent omission.
func TestParseNamespaceSubset(t *testing.T) {
	third := strings.Replace(apiObject, "name: api\n  namespace", "name: batch\n  namespace", 1)
	third = strings.Replace(third, "name: api\n  minReplicaCount", "name: batch\n  minReplicaCount", 1)
	all := goodScaledObject + "---\n" + apiObject + "---\n" + third
	src := strings.Replace(namespaceScenario, "  workloads:\n", "  autoscaler:\n    manifests: all.yaml\n  workloads:\n", 1)
	src = strings.Replace(src, "      manifests: so.yaml\n", "      kind: ScaledObject\n      name: ws\n", 1)
	src = strings.Replace(src, "      manifests: api.yaml\n", "      name: api\n", 1)
	sc, err := Parse("scenario.yaml", []byte(src), files(map[string]string{"all.yaml": all}))
	require.NoError(t, err)
	require.Equal(t, "ws", sc.Namespace.Workloads[0].Spec.KEDA.Object.Name)
	require.Equal(t, "api", sc.Namespace.Workloads[1].Spec.KEDA.Object.Name)
	require.Len(t, sc.Warnings, 1)
	require.Contains(t, sc.Warnings[0].String(), "the manifests hold ScaledObject/batch, which no workload simulates")
	require.Contains(t, sc.Warnings[0].String(), "autoscaler: {kind: ScaledObject, name: batch}")
}

// --set of a manifest field names its workload: the edit goes to that
// workload's autoscaler only, and a problem it causes is at the
// manifest's line; a path without a workload is refused with the form.
func TestNamespaceOverrides(t *testing.T) {
	sc, err := LoadWith("../examples/namespace/scenario.yaml", Options{Overrides: []Override{
		{Path: "api/spec.minReplicaCount", Value: "3"},
		{Path: "websocket/spec.maxReplicaCount", Value: "7"},
		{Path: "spec.nodePool.nodes", Value: "4"},
	}})
	require.NoError(t, err)
	ws, api := sc.Namespace.Workloads[0].Spec, sc.Namespace.Workloads[1].Spec
	require.Equal(t, int32(3), *api.KEDA.Object.MinReplicaCount)
	require.Equal(t, int32(7), *ws.KEDA.Object.MaxReplicaCount)
	require.Equal(t, int32(1), *ws.KEDA.Object.MinReplicaCount, "the other workload is untouched")
	require.Equal(t, 4, ws.NodePool.Nodes)

	_, err = LoadWith("../examples/namespace/scenario.yaml", Options{Overrides: []Override{{Path: "api/spec.minReplicaCount", Value: "abc"}}})
	require.ErrorContains(t, err, "api-scaledobject.yaml:11: spec.minReplicaCount: must be an integer")
	_, err = LoadWith("../examples/namespace/scenario.yaml", Options{Overrides: []Override{{Path: "spec.cooldownPeriod", Value: "30"}}})
	require.ErrorContains(t, err, "names the workload first: WORKLOAD/PATH, e.g. websocket/spec.cooldownPeriod=30 (workloads: websocket, api)")
	_, err = LoadWith("../examples/namespace/scenario.yaml", Options{Overrides: []Override{{Path: "web/spec.cooldownPeriod", Value: "30"}}})
	require.ErrorContains(t, err, "WORKLOAD/PATH")
}
