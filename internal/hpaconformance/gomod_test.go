package hpaconformance

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// requires reads the require directives of a go.mod: module path to
// version (the single-line and the block form).
func requires(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	out := map[string]string{}
	block := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "require (":
			block = true
			continue
		case block && line == ")":
			block = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !block:
			continue
		}
		if fs := strings.Fields(line); len(fs) >= 2 {
			out[fs[0]] = fs[1]
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// TestConformanceModuleInStep holds conformance/hpa/go.mod to the main
// module's versions: the conformance module builds this module from the
// work tree (a replace), so a dependency the main module raised and the
// conformance module did not makes its build stop with "updates to go.mod
// needed", and the campaign of .ci/run with it. Run `go mod tidy` in
// conformance/hpa after changing the main module's requirements.
func TestConformanceModuleInStep(t *testing.T) {
	root := filepath.Join("..", "..")
	main := requires(t, filepath.Join(root, "go.mod"))
	conf := requires(t, filepath.Join(root, "conformance", "hpa", "go.mod"))
	require.NotEmpty(t, main)
	require.Contains(t, conf, "k8s.io/kubernetes")
	for mod, v := range conf {
		mv, ok := main[mod]
		if !ok || v == "v0.0.0" {
			// Not a dependency of the main module, or a staging module
			// that prepare.sh points at the release under test.
			continue
		}
		require.Equalf(t, mv, v, "conformance/hpa/go.mod requires %s %s, the main module %s: run go mod tidy in conformance/hpa", mod, v, mv)
	}
}
