package kedaconformance

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// Upstream is the upstream side, a separate program (conformance/keda)
// that reads cases as JSON lines on its standard input and answers each
// with a result line.
type Upstream struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	// Release is the KEDA release it was built with, from its first line.
	Release string
}

// StartUpstream starts the upstream program (argv, e.g. unshare -rn and
// the binary).
func StartUpstream(argv []string) (*Upstream, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	u := &Upstream{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}
	var hello struct {
		Release string `json:"release"`
	}
	line, err := u.out.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("upstream did not start: %v", err)
	}
	if err := json.Unmarshal(line, &hello); err != nil {
		return nil, fmt.Errorf("upstream greeting %q: %v", line, err)
	}
	u.Release = hello.Release
	return u, nil
}

// Run sends one case and reads its result.
func (u *Upstream) Run(c Case) (Result, error) {
	var r Result
	return r, u.roundTrip(c, &r)
}

// RunLoop sends one scale loop case (c.Loop set) and reads its result.
func (u *Upstream) RunLoop(c Case) (LoopResult, error) {
	var r LoopResult
	if c.Loop == nil {
		return r, fmt.Errorf("case %d is not a scale loop case", c.Seed)
	}
	return r, u.roundTrip(c, &r)
}

func (u *Upstream) roundTrip(c Case, out any) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if _, err := u.in.Write(append(b, '\n')); err != nil {
		return err
	}
	line, err := u.out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("upstream: %v", err)
	}
	return json.Unmarshal(line, out)
}

// Close stops the program.
func (u *Upstream) Close() error {
	u.in.Close()
	return u.cmd.Wait()
}
