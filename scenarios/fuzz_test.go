package scenarios

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseManifests feeds arbitrary manifest streams to the decoder of
// kubectl apply -f input: it may refuse them but never panics, and every
// problem is located in the file.
func FuzzParseManifests(f *testing.F) {
	paths, _ := filepath.Glob("../examples/*/*.yaml")
	seeds, _ := filepath.Glob("../testdata/seeds/*/*.yaml")
	for _, p := range append(paths, seeds...) {
		if data, err := os.ReadFile(p); err == nil && len(data) < 1<<14 {
			f.Add(string(data))
		}
	}
	f.Add("kind: List\nitems: [{kind: Deployment, apiVersion: apps/v1, metadata: {name: a}}]\n")
	f.Add("a: &x [*x]\n")
	f.Add("<<: {a: 1}\n")
	f.Fuzz(func(t *testing.T, data string) {
		if len(data) > 1<<14 {
			return
		}
		_, err := ParseManifests("m.yaml", []byte(data))
		if e, ok := err.(*Error); ok {
			for _, p := range e.Problems {
				if p.File != "m.yaml" {
					t.Fatalf("problem outside the file: %v", p)
				}
			}
		}
	})
}

// FuzzParseAdapterFile feeds arbitrary prometheus-adapter configurations
// and Helm values to their reader.
func FuzzParseAdapterFile(f *testing.F) {
	for _, p := range []string{"../examples/adapter-websocket-tutorial/values.yaml", "../examples/prometheus-adapter-websocket/adapter-config.yaml"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(string(data))
		}
	}
	f.Add("rules:\n- seriesQuery: 'x{namespace!=\"\",pod!=\"\"}'\n  resources: {overrides: {namespace: {resource: namespace}}}\n  name: {matches: '^(.*)$', as: '${1}_avg'}\n  metricsQuery: 'avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'\n")
	f.Add("externalRules: [{seriesQuery: '{__name__=~\"x\"}', metricsQuery: 'sum(<<.Series>>)'}]\n")
	f.Fuzz(func(t *testing.T, data string) {
		if len(data) > 1<<14 {
			return
		}
		parseAdapterFile("config.yaml", []byte(data), &problems{file: "scenario.yaml"})
	})
}
