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

// TestConformanceModulesInStep holds every conformance module that builds
// this module from the work tree (replace ... => ../..) to the main
// module's versions: a dependency the main module raised and the
// conformance module did not makes its build stop with "updates to go.mod
// needed", and the campaign of .ci/run with it. Run `go mod tidy` in that
// module after changing the main module's requirements.
func TestConformanceModulesInStep(t *testing.T) {
	root := filepath.Join("..", "..")
	main := requires(t, filepath.Join(root, "go.mod"))
	require.NotEmpty(t, main)
	mods, err := filepath.Glob(filepath.Join(root, "conformance", "*", "go.mod"))
	require.NoError(t, err)
	checked := 0
	for _, path := range mods {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		if !strings.Contains(string(b), "github.com/autoscale-sim/autoscale-sim => ../..") {
			continue
		}
		checked++
		for mod, v := range requires(t, path) {
			mv, ok := main[mod]
			if !ok || v == "v0.0.0" {
				// Not a dependency of the main module, or a staging module
				// that prepare.sh points at the release under test.
				continue
			}
			require.Equalf(t, mv, v, "%s requires %s %s, the main module %s: run go mod tidy there", path, mod, v, mv)
		}
	}
	require.NotZero(t, checked, "conformance/hpa builds this module from the work tree")
}
