package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadmeTranscripts runs every command block of the README, as a
// testscript transcript: each fenced block whose first line is
// "$ autoscale-sim ..." holds commands ("$ " lines) each followed by what
// it prints (stdout and stderr). A line "..." stands for any number of
// lines, a line ending in "..." for any line starting with the rest. Files
// a command writes (--out, --junit, --html, --csv, --plot) are removed.
func TestReadmeTranscripts(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?ms)^```[a-z]*\n(\\$ autoscale-sim .*?)^```\n").FindAllStringSubmatch(string(readme), -1)
	require.GreaterOrEqual(t, len(blocks), 8, "the README's command blocks")
	t.Chdir("../..")
	n := 0
	for _, b := range blocks {
		for _, c := range splitTranscript(b[1]) {
			n++
			t.Run(c.cmd, func(t *testing.T) {
				args, err := shellWords(strings.TrimPrefix(c.cmd, "autoscale-sim "))
				require.NoError(t, err)
				removeOutputs(t, args)
				_, stdout, stderr := runCLI(t, args...)
				require.True(t, matchTranscript(c.want, strings.Split(strings.TrimSuffix(stdout+stderr, "\n"), "\n")),
					"README block for\n$ %s\nwants:\n%s\ngot:\n%s", c.cmd, strings.Join(c.want, "\n"), stdout+stderr)
			})
		}
	}
	require.GreaterOrEqual(t, n, 10)
}

type transcriptCommand struct {
	cmd  string
	want []string
}

func splitTranscript(block string) []transcriptCommand {
	var out []transcriptCommand
	for _, line := range strings.Split(strings.TrimSuffix(block, "\n"), "\n") {
		if strings.HasPrefix(line, "$ ") {
			out = append(out, transcriptCommand{cmd: strings.TrimPrefix(line, "$ ")})
			continue
		}
		out[len(out)-1].want = append(out[len(out)-1].want, line)
	}
	return out
}

// matchTranscript matches got against want with "..." elisions.
func matchTranscript(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0 || (len(got) == 1 && got[0] == "")
	}
	w := want[0]
	if w == "..." {
		for i := 0; i <= len(got); i++ {
			if matchTranscript(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	if len(got) == 0 {
		return false
	}
	ok := got[0] == w
	if prefix, elided := strings.CutSuffix(w, "..."); elided {
		ok = strings.HasPrefix(got[0], prefix)
	}
	return ok && matchTranscript(want[1:], got[1:])
}

// shellWords splits a command line as sh does for plain words and single
// and double quotes.
func shellWords(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, os.ErrInvalid
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == ' ':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

// removeOutputs deletes, after the test, what the command's output flags
// name and did not exist before.
func removeOutputs(t *testing.T, args []string) {
	for i, a := range args {
		for _, f := range []string{"--out", "--junit", "--html", "--csv", "--plot", "--heatmap"} {
			name := ""
			if a == f && i+1 < len(args) {
				name = args[i+1]
			} else if v, ok := strings.CutPrefix(a, f+"="); ok {
				name = v
			}
			if name == "" {
				continue
			}
			if _, err := os.Stat(name); err == nil {
				continue
			}
			p := filepath.Clean(name)
			t.Cleanup(func() { os.RemoveAll(p) })
		}
	}
}

// TestReadmeOpeningCommands: the README opens with the two commands a
// new user runs, the example and the tests; CI runs both exactly, and the
// example's arguments are run here as the CLI runs them.
func TestReadmeOpeningCommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	first := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(string(readme))
	require.NotNil(t, first)
	lines := strings.Split(strings.TrimSpace(first[1]), "\n")
	require.Len(t, lines, 2, "the opening block holds two commands")
	const example, tests = "go run ./cmd/autoscale-sim run examples/websocket/scenario.yaml --out out/", "go test ./..."
	require.Equal(t, []string{example, tests}, lines)
	ci, err := os.ReadFile("../../.ci/run")
	require.NoError(t, err)
	require.Contains(t, string(ci), "go run ./cmd/autoscale-sim run examples/websocket/scenario.yaml --out \"$out\"")
	require.Regexp(t, `(?m)^go test ./...$`, string(ci))

	t.Chdir("../..")
	out := t.TempDir()
	code, stdout, _ := runCLI(t, "run", "examples/websocket/scenario.yaml", "--out", out)
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "Figures:")
	for _, f := range []string{"trace.csv", "trace.json", "plot.png", "plot.svg"} {
		st, err := os.Stat(filepath.Join(out, f))
		require.NoError(t, err)
		require.Positive(t, st.Size())
	}
}
