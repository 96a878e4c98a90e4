package scenarios_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// TestManifestNamesCheckedAsTheAPIServer: names end up in output lines,
// events and series labels, so every name the API server would refuse is
// refused here too, at its line, with the value quoted and escaped.
func TestManifestNamesCheckedAsTheAPIServer(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"escape sequence in a name", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: \"web\\e[31m\"\n",
			`m.yaml:4: metadata.name: "web\x1b[31m" is not a valid name (DNS-1123 subdomain)`},
		{"newline forging a line", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"a\\nm.yaml:1: ok\"\n",
			`m.yaml:4: metadata.name: "a\nm.yaml:1: ok" is not a valid name`},
		{"upper case", "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: Web\nspec:\n  scaleTargetRef: {name: web}\n  triggers: []\n",
			`m.yaml:4: metadata.name: "Web" is not a valid name (DNS-1123 subdomain)`},
		{"service name starting with a digit", "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\n",
			`m.yaml:4: metadata.name: "1web" is not a valid Service name (DNS-1035 label)`},
		{"namespace with a dot", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: team.a\n",
			`m.yaml:5: metadata.namespace: "team.a" is not a valid namespace (DNS-1123 label)`},
		{"long value cut", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + string(make([]byte, 0)) + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_\n",
			`m.yaml:4: metadata.name: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... is not a valid name`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenarios.ParseManifests("m.yaml", []byte(tc.doc))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := scenarios.ParseManifests("m.yaml", []byte("apiVersion: v1\nkind: Service\nmetadata:\n  name: demo-ws-server\n  namespace: demo-01\n"))
	require.NoError(t, err, "valid names pass")
}

// TestSyntaxErrorInALargeFile: the broken line of a 1 MB manifest is
// found in a few parses of the file (trying every prefix took 36 s).
func TestSyntaxErrorInALargeFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n")
	n := 5
	for b.Len() < 1<<20 {
		fmt.Fprintf(&b, "  key%07d: value\n", n)
		n++
	}
	b.WriteString("  bad: [unclosed\n  x: 1\n")
	start := time.Now()
	_, err := scenarios.ParseManifests("m.yaml", []byte(b.String()))
	require.ErrorContains(t, err, fmt.Sprintf("m.yaml:%d: YAML syntax error", n+1))
	require.Less(t, time.Since(start), 10*time.Second)
}
