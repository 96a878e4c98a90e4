package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// MaxInputBytes is the size limit of one input file: far above any real
// scenario, manifest bundle or recording, far below what exhausts memory.
const MaxInputBytes = 64 << 20

// TooLargeError reports an input above its size limit.
type TooLargeError struct {
	Name  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than the %s limit of an input file", e.Name, Size(e.Limit))
}

// ReadFile reads the regular file name (following symbolic links, as
// kubectl does), refusing devices, FIFOs, sockets and directories, and
// files above limit bytes (MaxInputBytes when limit <= 0).
func ReadFile(name string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = MaxInputBytes
	}
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("not a regular file (%s)", modeName(st.Mode()))}
	}
	if st.Size() > limit {
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Re-check the opened file: name may have been replaced in between.
	if st2, err := f.Stat(); err != nil || !st2.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("not a regular file")}
	}
	return ReadAll(f, name, limit)
}

// ReadAll reads r up to limit bytes (MaxInputBytes when limit <= 0); more
// is a *TooLargeError naming name.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = MaxInputBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	return data, nil
}

func modeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// Size writes n bytes for messages: 64 MiB, 512 KiB, 100 B.
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// WriteFile writes path through f as a whole or not at all: into a
// temporary file beside it, renamed over path once f succeeds, so that a
// failed write leaves no partial output and a reader never sees half a
// file. It refuses a path that is a symbolic link (a link planted where
// an output goes must not redirect the write) and a path that is one of
// the protected files (the inputs of the run), and creates the directory.
func WriteFile(path string, protected []string, f func(io.Writer) error) (err error) {
	if st, err := os.Lstat(path); err == nil {
		if st.Mode()&fs.ModeSymlink != 0 {
			return &fs.PathError{Op: "write", Path: path, Err: errors.New("is a symbolic link; outputs are never written through one")}
		}
		if !st.Mode().IsRegular() {
			return &fs.PathError{Op: "write", Path: path, Err: fmt.Errorf("exists and is %s, not a regular file", modeName(st.Mode()))}
		}
		for _, p := range protected {
			if pst, err := os.Stat(p); err == nil && os.SameFile(st, pst) {
				return &fs.PathError{Op: "write", Path: path, Err: fmt.Errorf("is an input of the run (%s); choose another output", p)}
			}
		}
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := f(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
