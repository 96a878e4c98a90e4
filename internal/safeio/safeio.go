package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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
