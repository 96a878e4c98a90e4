package safeio_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/internal/safeio"
)

func TestReadFileRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(200<<20)) // sparse: costs no disk
	require.NoError(t, f.Close())
	small := filepath.Join(dir, "ok.yaml")
	require.NoError(t, os.WriteFile(small, []byte("a: 1\n"), 0o600))
	link := filepath.Join(dir, "link.yaml")
	require.NoError(t, os.Symlink(small, link))

	for _, tc := range []struct {
		name, path, want string
	}{
		{"character device", "/dev/zero", "not a regular file (a character device)"},
		{"FIFO, which would block until a writer comes", fifo, "not a regular file (a FIFO)"},
		{"directory", dir, "not a regular file (a directory)"},
		{"200 MB file", big, "is larger than the 64 MiB limit of an input file"},
		{"missing", filepath.Join(dir, "nope"), "no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := safeio.ReadFile(tc.path, 0)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
			require.Less(t, time.Since(start), 2*time.Second)
		})
	}
	data, err := safeio.ReadFile(link, 0)
	require.NoError(t, err, "a symbolic link to a regular file is read, as kubectl reads it")
	require.Equal(t, "a: 1\n", string(data))

	_, err = safeio.ReadFile(small, 3)
	require.EqualError(t, err, small+" is larger than the 3 B limit of an input file")
}

func TestReadAllStopsAtTheLimit(t *testing.T) {
	_, err := safeio.ReadAll(zeros{}, "<stdin>", 1<<20)
	require.EqualError(t, err, "<stdin> is larger than the 1 MiB limit of an input file")
	data, err := safeio.ReadAll(strings.NewReader("abc"), "<stdin>", 3)
	require.NoError(t, err)
	require.Equal(t, "abc", string(data))
}

// zeros is an endless reader, as /dev/zero piped to standard input.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestWriteFileWholeOrNothing(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "scenario.yaml")
	require.NoError(t, os.WriteFile(input, []byte("spec: {}\n"), 0o600))
	victim := filepath.Join(dir, "victim")
	require.NoError(t, os.WriteFile(victim, []byte("keep"), 0o600))
	link := filepath.Join(dir, "out.html")
	require.NoError(t, os.Symlink(victim, link))
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}

	err := safeio.WriteFile(link, nil, write("x"))
	require.ErrorContains(t, err, "is a symbolic link")
	err = safeio.WriteFile(input, []string{input}, write("x"))
	require.ErrorContains(t, err, "is an input of the run")
	data, _ := os.ReadFile(victim)
	require.Equal(t, "keep", string(data))
	data, _ = os.ReadFile(input)
	require.Equal(t, "spec: {}\n", string(data))

	out := filepath.Join(dir, "sub", "trace.csv")
	err = safeio.WriteFile(out, nil, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("the writer failed")
	})
	require.EqualError(t, err, "the writer failed")
	_, err = os.Stat(out)
	require.True(t, os.IsNotExist(err), "a failed write leaves no output")
	entries, _ := os.ReadDir(filepath.Dir(out))
	require.Empty(t, entries, "nor a temporary file")

	require.NoError(t, safeio.WriteFile(out, nil, write("a,b\n")))
	data, _ = os.ReadFile(out)
	require.Equal(t, "a,b\n", string(data))
}
