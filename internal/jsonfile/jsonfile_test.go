package jsonfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRoundTrip(t *testing.T) {
	type rec struct {
		Kind string `json:"kind"`
		N    int    `json:"n"`
	}
	path := filepath.Join(t.TempDir(), "r.json")
	require.NoError(t, Write(path, rec{"x", 2}))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "{\n  \"kind\": \"x\",\n  \"n\": 2\n}\n", string(b))
	got, err := Read[rec](path)
	require.NoError(t, err)
	require.Equal(t, rec{"x", 2}, got)

	require.NoError(t, os.WriteFile(path, []byte("{"), 0o644))
	_, err = Read[rec](path)
	require.ErrorContains(t, err, path+": ")
}
