package scenarios

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./scenarios -update to create it")
	require.Equal(t, string(want), got, "differs from %s; if intended run go test ./scenarios -update", path)
}

const wsDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ws-server
  namespace: demo
spec:
  replicas: 3
  selector:
    matchLabels: {app: ws}
  template:
    metadata:
      labels: {app: ws}
    spec:
      terminationGracePeriodSeconds: 45
      containers:
      - name: server
        image: example/ws:1
        ports: [{name: http, containerPort: 8080}]
        resources:
          requests: {cpu: 250m}
          limits: {cpu: "1", memory: 512Mi}
        readinessProbe:
          httpGet: {path: /healthz, port: http}
          initialDelaySeconds: 5
          periodSeconds: 10
          successThreshold: 2
      - name: proxy
        image: example/proxy:1
        resources:
          requests: {cpu: 100m, memory: 64Mi}
`

// parseWith parses goodScenario (optionally edited) over the given files.
func parseWith(t *testing.T, scenario string, fs map[string]string) (*Scenario, error) {
	t.Helper()
	return Parse("scenario.yaml", []byte(scenario), files(fs))
}

func settingsOf(sc *Scenario) map[string]sim.Setting {
	out := map[string]sim.Setting{}
	for _, s := range sc.Spec.Settings {
		out[s.Name] = s
	}
	return out
}

// TestWorkloadFromDeployment: the Deployment's replicas, containers,
// requests (limits when a request is missing, as the API defaults them),
// readinessProbe and grace period become the run's, each with its source.
func TestWorkloadFromDeployment(t *testing.T) {
	sc, err := parseWith(t, goodScenario, map[string]string{"so.yaml": goodScaledObject + "---\n" + wsDeployment})
	require.NoError(t, err)
	w := sc.Spec.Workload
	require.Equal(t, int32(3), w.InitialReplicas)
	require.Equal(t, "server", w.Resources.Container)
	require.Equal(t, map[string]int64{"cpu": 250, "memory": 512 * 1024 * 1024 * 1000}, w.Resources.RequestsMilli)
	require.Equal(t, []sim.Container{{Name: "proxy", RequestsMilli: map[string]int64{"cpu": 100, "memory": 64 * 1024 * 1024 * 1000}}}, w.Resources.Sidecars)
	// The first probe that counts at the 5s delay at best, a second
	// success one period (10s) later.
	require.Equal(t, 15*time.Second, w.PodStartup)
	require.Equal(t, 45*time.Second, w.PodTermination)
	st := settingsOf(sc)
	require.Equal(t, "so.yaml:25", strings.TrimSuffix(strings.SplitN(st["initial replicas"].Source, "(", 2)[1], ")"))
	require.Contains(t, st["time to Ready"].Source, "readinessProbe")
	require.NotEmpty(t, sc.Spec.Assumptions, "a probe-derived time to Ready is an assumption the run names")

	// The scenario wins, and says what it overrides.
	edited := strings.Replace(goodScenario, "  load:", "  workload: {replicas: 1, podStartup: 40s}\n  load:", 1)
	sc, err = parseWith(t, edited, map[string]string{"so.yaml": goodScaledObject + "---\n" + wsDeployment})
	require.NoError(t, err)
	require.Equal(t, int32(1), sc.Spec.Workload.InitialReplicas)
	require.Equal(t, 40*time.Second, sc.Spec.Workload.PodStartup)
	st = settingsOf(sc)
	require.Contains(t, st["initial replicas"].Note, "wins over Deployment/ws-server spec.replicas 3 (so.yaml:25)")
	require.Contains(t, st["time to Ready"].Note, "wins over")
}

func TestReadinessDelay(t *testing.T) {
	probe := func(delay, period, success int32) string {
		return "readinessProbe: {exec: {command: [cat, /ready]}, initialDelaySeconds: " + itoa(delay) + ", periodSeconds: " + itoa(period) + ", successThreshold: " + itoa(success) + "}"
	}
	for _, tc := range []struct {
		probe string
		want  time.Duration
	}{
		{probe(0, 10, 1), 0},                                    // probed at once
		{probe(5, 10, 1), 5 * time.Second},                      // at the delay, at best
		{probe(0, 3, 3), 6 * time.Second},                       // three successes 3s apart
		{probe(20, 5, 2), 25 * time.Second},                     // the delay, then one more period
		{"readinessProbe: {exec: {command: [cat, /ready]}}", 0}, // API defaults: delay 0, period 10, threshold 1
	} {
		dep := strings.Replace(wsDeployment, `        readinessProbe:
          httpGet: {path: /healthz, port: http}
          initialDelaySeconds: 5
          periodSeconds: 10
          successThreshold: 2
`, "        "+tc.probe+"\n", 1)
		sc, err := parseWith(t, goodScenario, map[string]string{"so.yaml": goodScaledObject + "---\n" + dep})
		require.NoError(t, err, tc.probe)
		require.Equal(t, tc.want, sc.Spec.Workload.PodStartup, tc.probe)
	}
}

func itoa(i int32) string { return strconv.Itoa(int(i)) }

// TestNamedDefaults: with neither a probe nor podStartup the run says
// that pods are taken to be Ready at once.
func TestNamedDefaults(t *testing.T) {
	dep := strings.Replace(wsDeployment, `        readinessProbe:
          httpGet: {path: /healthz, port: http}
          initialDelaySeconds: 5
          periodSeconds: 10
          successThreshold: 2
`, "", 1)
	sc, err := parseWith(t, goodScenario, map[string]string{"so.yaml": goodScaledObject + "---\n" + dep})
	require.NoError(t, err)
	var msgs []string
	for _, a := range sc.Spec.Assumptions {
		msgs = append(msgs, a.Message)
	}
	require.Contains(t, strings.Join(msgs, "\n"), "pods are Ready the moment they are created")
}

// TestManifestProblems: every problem of the companion objects, at its
// line, in one error; the messages are golden.
func TestManifestProblems(t *testing.T) {
	for _, tc := range []struct {
		name, manifests string
	}{
		{"unknown-and-ill-typed", goodScaledObject + `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ws-server, namespace: demo}
spec:
  replicas: "3"
  selector: {matchLabels: {app: ws}}
  template:
    metadata: {labels: {app: ws}}
    spec:
      containers:
      - name: server
        imagePullPolcy: Always
        ports: [{containerPort: http}]
        resources: {requests: {cpu: 5zz}}
`},
		{"hpa-v1", `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 10
  targetCPUUtilizationPercentage: 60
`},
		{"hpa-v2beta1", `apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 10
  metrics:
  - type: Pods
    pods: {metricName: rps, targetAverageValue: "10"}
`},
		{"hpa-v2beta2", `apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 10
`},
		{"target-missing", goodScaledObject + "---\n" + strings.Replace(wsDeployment, "name: ws-server", "name: ws-sever", 1)},
		{"target-other-namespace", goodScaledObject + "---\n" + strings.Replace(wsDeployment, "namespace: demo", "namespace: prod", 1)},
		{"hpa-and-scaledobject", goodScaledObject + "---\n" + wsDeployment + `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ws, namespace: demo}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ws-server}
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
`},
		{"not-watched", goodScaledObject + `---
apiVersion: keda.sh/v1alpha1
kind: KedaController
metadata: {name: keda, namespace: openshift-keda}
spec:
  watchNamespace: other
`},
		{"auth-missing", strings.Replace(goodScaledObject, "      query: sum(websocket_connection_count)\n", "      query: sum(websocket_connection_count)\n    authenticationRef: {name: keda-trigger-auth-prometeus}\n", 1) + `---
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: {name: keda-trigger-auth-prometheus, namespace: demo}
spec:
  secretTargetRef:
  - {parameter: bearerToken, name: thanos-token, key: token}
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scenario := goodScenario
			if strings.HasPrefix(tc.name, "hpa-v") {
				scenario = strings.Replace(scenario, "    manifests: so.yaml", "    manifests: so.yaml\n    kind: HorizontalPodAutoscaler", 1)
			}
			_, err := parseWith(t, scenario, map[string]string{"so.yaml": tc.manifests})
			var e *Error
			require.True(t, errors.As(err, &e), "want a located error, got %v", err)
			golden(t, "manifests/"+tc.name+".txt", err.Error()+"\n")
		})
	}
}

// TestListAndHelmOutput: kubectl's kind: List and helm template's
// comments and empty documents are read like plain documents.
func TestListAndHelmOutput(t *testing.T) {
	item := func(doc string) string {
		return "- " + strings.ReplaceAll(strings.TrimSuffix(doc, "\n"), "\n", "\n  ") + "\n"
	}
	list := "apiVersion: v1\nkind: List\nitems:\n" + item(goodScaledObject) + item(wsDeployment)
	sc, err := parseWith(t, goodScenario, map[string]string{"so.yaml": list})
	require.NoError(t, err)
	require.Equal(t, int32(3), sc.Spec.Workload.InitialReplicas)

	helm := "---\n# Source: ws/templates/scaledobject.yaml\n" + goodScaledObject + "---\n# Source: ws/templates/empty.yaml\n---\n# Source: ws/templates/deployment.yaml\n" + wsDeployment
	sc, err = parseWith(t, goodScenario, map[string]string{"so.yaml": helm})
	require.NoError(t, err)
	require.Equal(t, int32(3), sc.Spec.Workload.InitialReplicas)
}

// TestAuthWithoutAny: an authenticationRef with no TriggerAuthentication
// in the manifests at all is a warning, not an error.
func TestAuthWithoutAny(t *testing.T) {
	so := strings.Replace(goodScaledObject, "      query: sum(websocket_connection_count)\n", "      query: sum(websocket_connection_count)\n    authenticationRef: {name: keda-trigger-auth-prometheus}\n", 1)
	sc, err := parseWith(t, goodScenario, map[string]string{"so.yaml": so})
	require.NoError(t, err)
	require.Len(t, sc.Warnings, 1)
	require.Equal(t, "so.yaml", sc.Warnings[0].File)
	require.Contains(t, sc.Warnings[0].Message, "TriggerAuthentication \"keda-trigger-auth-prometheus\" is not in the manifests, which hold none")
}

// TestStatefulSetOrdered: OrderedReady pods come one at a time.
func TestStatefulSetOrdered(t *testing.T) {
	sts := strings.Replace(strings.Replace(wsDeployment, "kind: Deployment", "kind: StatefulSet", 1), "spec:\n  replicas: 3", "spec:\n  serviceName: ws\n  replicas: 3", 1)
	so := strings.Replace(goodScaledObject, "    name: ws-server", "    name: ws-server\n    kind: StatefulSet", 1)
	sc, err := parseWith(t, goodScenario, map[string]string{"so.yaml": so + "---\n" + sts})
	require.NoError(t, err)
	require.True(t, sc.Spec.Workload.Ordered)
	require.Equal(t, "OrderedReady", settingsOf(sc)["pod management"].Value)

	parallel := strings.Replace(sts, "  serviceName: ws\n", "  serviceName: ws\n  podManagementPolicy: Parallel\n", 1)
	sc, err = parseWith(t, goodScenario, map[string]string{"so.yaml": so + "---\n" + parallel})
	require.NoError(t, err)
	require.False(t, sc.Spec.Workload.Ordered)
}

// TestNodePoolSettings: the run names the pool, its cluster-autoscaler and
// the provisioning delay with their origin, and a provisioning delay the
// scenario does not give is named as the default it is.
func TestNodePoolSettings(t *testing.T) {
	sc, err := Load("../examples/node-pool/scenario.yaml")
	require.NoError(t, err)
	got := settingsOf(sc)
	require.Equal(t, "3 nodes of 1500m cpu, 8Gi memory, 110 pods allocatable", got["node pool"].Value)
	require.Equal(t, "scenario spec.nodePool (../examples/node-pool/scenario.yaml:26)", got["node pool"].Source)
	require.Equal(t, "1m30s to 2m30s (uniform, seeded)", got["node provisioning"].Value)
	require.Equal(t, "scenario spec.nodePool.autoscaler.provisioning (../examples/node-pool/scenario.yaml:33)", got["node provisioning"].Source)
	require.Contains(t, got["cluster-autoscaler"].Value, "3 to 6 nodes, a loop every 10s")

	b, err := os.ReadFile("../examples/node-pool/scenario.yaml")
	require.NoError(t, err)
	text := strings.Replace(string(b), "      provisioning: {min: 90s, max: 150s}\n", "", 1)
	require.NotEqual(t, string(b), text)
	sc, err = Parse("../examples/node-pool/scenario.yaml", []byte(text), func(name string) ([]byte, error) {
		return os.ReadFile(filepath.Join("../examples/node-pool", name))
	})
	require.NoError(t, err)
	got = settingsOf(sc)
	require.Equal(t, "3m to 4m (uniform, seeded)", got["node provisioning"].Value)
	require.Equal(t, "default", got["node provisioning"].Source)
	require.Contains(t, got["node provisioning"].Note, "set spec.nodePool.autoscaler.provisioning")
}
