package check

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRulesDescribed: every rule Lint can report has a description.
func TestRulesDescribed(t *testing.T) {
	src, err := os.ReadFile("lint.go")
	require.NoError(t, err)
	found := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:Rule: |add\(|Rule, f.Severity = )"([a-z-]+)"`).FindAllSubmatch(src, -1) {
		found[string(m[1])] = true
	}
	require.GreaterOrEqual(t, len(found), 10)
	for r := range found {
		require.Contains(t, Rules, r)
	}
	for r := range Rules {
		require.True(t, found[r], "%s is described but never reported", r)
	}
}
