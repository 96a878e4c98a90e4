package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// scenarioArg is one scenario of a batch, or an argument that names none
// (err set), reported in its place.
type scenarioArg struct {
	file string
	err  error
}

// expandScenarios turns the arguments of test and lint into scenario
// files, in order: a file is taken as named; a glob (filepath.Match
// syntax) gives its matches; a directory gives the scenario files
// (apiVersion autoscale-sim.dev/v1alpha1, kind Scenario) of its tree,
// sorted, so that `autoscale-sim test examples/` skips the manifests
// beside them. An argument that matches nothing is reported as such.
func expandScenarios(args []string) []scenarioArg {
	var out []scenarioArg
	seen := map[string]bool{}
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, scenarioArg{file: f})
		}
	}
	for _, a := range args {
		names := []string{a}
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				out = append(out, scenarioArg{file: a, err: fmt.Errorf("%s: bad pattern: %v", a, err)})
				continue
			}
			if len(m) == 0 {
				out = append(out, scenarioArg{file: a, err: fmt.Errorf("%s: no file matches the pattern", a)})
				continue
			}
			names = m
		}
		for _, n := range names {
			st, err := os.Stat(n)
			if err != nil || !st.IsDir() {
				add(n) // the loader reports a missing file
				continue
			}
			found, err := scenariosUnder(n)
			if err != nil {
				out = append(out, scenarioArg{file: n, err: err})
				continue
			}
			if len(found) == 0 {
				out = append(out, scenarioArg{file: n, err: fmt.Errorf("%s: no scenario file (kind: %s) in the directory", n, scenarios.Kind)})
			}
			for _, f := range found {
				add(f)
			}
		}
	}
	return out
}

// scenariosUnder lists the scenario files of a directory tree.
func scenariosUnder(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || (filepath.Ext(p) != ".yaml" && filepath.Ext(p) != ".yml") {
			return nil
		}
		if isScenario(p) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// isScenario reads the header of a file's first document.
func isScenario(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var h struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if dec.Decode(&h) != nil {
		return false
	}
	return h.APIVersion == scenarios.APIVersion && h.Kind == scenarios.Kind
}
