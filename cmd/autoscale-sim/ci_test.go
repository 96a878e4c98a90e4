package main

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// dockerInstruction is one instruction of a Dockerfile, continuation
// lines joined.
type dockerInstruction struct {
	cmd, args string
}

func parseDockerfile(t *testing.T, path string) []dockerInstruction {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []dockerInstruction
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, dockerInstruction{strings.ToUpper(cmd), strings.TrimSpace(args)})
		cur.Reset()
	}
	require.NoError(t, sc.Err())
	return out
}

// TestDockerfile checks the Dockerfile without Docker (no daemon runs
// here): a Go build stage that compiles a static binary, and a final
// distroless/static stage that holds only that binary, runs it as
// nonroot, with no shell. The binary built with the RUN line's flags is
// static (no ELF interpreter).
func TestDockerfile(t *testing.T) {
	ins := parseDockerfile(t, "../../Dockerfile")
	var stages [][]dockerInstruction
	for _, in := range ins {
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		require.NotEmpty(t, stages, "the Dockerfile starts with FROM")
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	require.Len(t, stages, 2)
	build, final := stages[0], stages[1]
	require.Regexp(t, `^golang:1\.26(\.\d+)? AS build$`, build[0].args)
	gomod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	require.Regexp(t, `(?m)^go 1\.26(\.\d+)?$`, string(gomod), "the build image has the go.mod's Go release")
	var buildRun string
	for _, in := range build {
		if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			buildRun = in.args
		}
	}
	require.Contains(t, buildRun, "CGO_ENABLED=0")
	require.Contains(t, buildRun, "-o /out/autoscale-sim ./cmd/autoscale-sim")

	require.Regexp(t, `^gcr\.io/distroless/static-debian\d+:nonroot$`, final[0].args)
	var entry []string
	copied, user := "", ""
	for _, in := range final[1:] {
		switch in.cmd {
		case "RUN":
			t.Errorf("the final stage runs %q: distroless has no shell", in.args)
		case "COPY":
			require.True(t, strings.HasPrefix(in.args, "--from=build /out/autoscale-sim "), in.args)
			copied = strings.Fields(in.args)[2]
		case "USER":
			user = in.args
		case "ENTRYPOINT":
			require.NoError(t, json.Unmarshal([]byte(in.args), &entry), "ENTRYPOINT in exec form")
		}
	}
	require.Equal(t, "nonroot:nonroot", user)
	require.Equal(t, []string{copied}, entry)

	// The binary built as the RUN line builds it: .ci/run builds it so
	// (from a clean module cache, as go install does) and names it here.
	bin := os.Getenv("AUTOSCALE_SIM_STATIC_BINARY")
	if bin == "" {
		t.Skip("AUTOSCALE_SIM_STATIC_BINARY unset: .ci/run builds the static binary and sets it")
	}
	f, err := elf.Open(bin)
	require.NoError(t, err)
	defer f.Close()
	for _, p := range f.Progs {
		require.NotEqual(t, elf.PT_INTERP, p.Type, "the binary needs a dynamic loader: not static")
	}
	v, err := exec.Command(bin, "version").Output()
	require.NoError(t, err)
	require.Contains(t, string(v), "kubernetes:")
}

// TestPreCommitHooks: the hooks run existing commands on the files the
// examples name scenarios, and not on the manifests beside them.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	require.NoError(t, err)
	var hooks []struct {
		ID, Name, Entry, Language, Files string
	}
	require.NoError(t, yaml.Unmarshal(data, &hooks))
	require.Len(t, hooks, 2)
	root := newRootCommand(&env{})
	examples, err := filepath.Glob("../../examples/*/*.yaml")
	require.NoError(t, err)
	for _, h := range hooks {
		require.Equal(t, "golang", h.Language, h.ID)
		args := strings.Fields(h.Entry)
		require.Equal(t, "autoscale-sim", args[0])
		c, _, err := root.Find(args[1:])
		require.NoError(t, err)
		require.Contains(t, []string{"lint", "test"}, c.Name())
		re := regexp.MustCompile(h.Files)
		for _, p := range examples {
			rel := strings.TrimPrefix(p, "../../")
			require.Equal(t, isScenario(p), re.MatchString(rel), "%s: %s", h.ID, rel)
		}
	}
}

// TestActionYAML: the action installs this module's command, runs
// action/run.sh (the script .ci/run runs) with every variable it reads,
// and uploads the SARIF and JUnit files it writes.
func TestActionYAML(t *testing.T) {
	data, err := os.ReadFile("../../action.yml")
	require.NoError(t, err)
	var action struct {
		Name   string
		Inputs map[string]struct{ Default string }
		Runs   struct {
			Using string
			Steps []struct {
				Name, Uses, Run, Shell string
				Env                    map[string]string
				With                   map[string]string
			}
		}
	}
	require.NoError(t, yaml.Unmarshal(data, &action))
	require.Equal(t, "composite", action.Runs.Using)
	for _, m := range regexp.MustCompile(`\$\{\{ *inputs\.([a-z-]+) *\}\}`).FindAllStringSubmatch(string(data), -1) {
		require.Contains(t, action.Inputs, m[1], "the action uses an undeclared input")
	}
	script, err := os.ReadFile("../../action/run.sh")
	require.NoError(t, err)
	var install, run bool
	uploads := map[string]bool{}
	for _, s := range action.Runs.Steps {
		if strings.Contains(s.Run, "go install") {
			install = true
			require.Contains(t, s.Run, `"github.com/autoscale-sim/autoscale-sim/cmd/autoscale-sim@${VERSION}"`)
		}
		if strings.Contains(s.Run, "action/run.sh") {
			run = true
			require.Equal(t, "bash", s.Shell)
			for _, v := range regexp.MustCompile(`\$\{(AUTOSCALE_SIM_[A-Z]+)`).FindAllStringSubmatch(string(script), -1) {
				if v[1] != "AUTOSCALE_SIM_BIN" {
					require.Contains(t, s.Env, v[1], "run.sh reads %s", v[1])
				}
			}
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			uploads["sarif"] = s.With["sarif_file"] == "${{ inputs.sarif-file }}"
		}
		if strings.HasPrefix(s.Uses, "actions/upload-artifact@") {
			uploads["junit"] = strings.Contains(s.With["path"], "${{ inputs.junit-file }}")
		}
	}
	require.True(t, install)
	require.True(t, run)
	require.Equal(t, map[string]bool{"sarif": true, "junit": true}, uploads)
}

// TestCIFuzzesEveryTarget: .ci/run fuzzes every fuzz target of the
// module, so that a new one is not forgotten.
func TestCIFuzzesEveryTarget(t *testing.T) {
	ci, err := os.ReadFile("../../.ci/run")
	require.NoError(t, err)
	re := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`)
	n := 0
	err = filepath.WalkDir("../..", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == "conformance" || strings.HasPrefix(d.Name(), ".")) && p != "../.." {
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return err
		}
		if !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		pkg := "./" + filepath.ToSlash(strings.TrimPrefix(filepath.Dir(p), "../../"))
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			n++
			require.Contains(t, string(ci), pkg+":"+m[1], "%s in %s", m[1], p)
		}
		return nil
	})
	require.NoError(t, err)
	require.GreaterOrEqual(t, n, 11)
}
