package scenarios

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/internal/schematest"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/promql"
)

const schemaFile = "../schema/scenario.schema.json"

// TestSchemaFile: the shipped schema is what JSONSchema generates from the
// loader's sections (go test ./scenarios -run SchemaFile -update
// rewrites it).
func TestSchemaFile(t *testing.T) {
	got := JSONSchema()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(schemaFile), 0o755))
		require.NoError(t, os.WriteFile(schemaFile, got, 0o644))
	}
	want, err := os.ReadFile(schemaFile)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "schema/scenario.schema.json is stale: go test ./scenarios -run SchemaFile -update")
	_, err = schematest.Compile(schemaFile)
	require.NoError(t, err, "the schema compiles")
}

// TestSchemaFollowsLoader: a field added to a section of the loader is
// accepted by the loader and appears in the schema, with its type.
func TestSchemaFollowsLoader(t *testing.T) {
	scenario := strings.Replace(goodScenario, "  load:\n", "  workload:\n    warmup: 1m\n  load:\n", 1)
	_, err := Parse("scenario.yaml", []byte(scenario), files(map[string]string{"so.yaml": goodScaledObject}))
	require.ErrorContains(t, err, `spec.workload.warmup: unknown field "warmup"`)
	require.NotContains(t, string(JSONSchema()), `"warmup"`)

	saved := workloadSection.fields
	t.Cleanup(func() { workloadSection.fields = saved })
	workloadSection.fields = append(append([]field(nil), saved...), field{name: "warmup", typ: tDuration})

	_, err = Parse("scenario.yaml", []byte(scenario), files(map[string]string{"so.yaml": goodScaledObject}))
	require.NoError(t, err, "the loader accepts the new field")
	var schema struct {
		Defs map[string]struct {
			Properties map[string]map[string]any `json:"properties"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(JSONSchema(), &schema))
	require.Equal(t, "#/$defs/duration", schema.Defs["workload"].Properties["warmup"]["$ref"])
}

// TestLoaderWalksSections: the scenario loader lists no keys of its own;
// every mapping of a scenario file is walked with its section, so no field
// can be read that the schema does not describe.
func TestLoaderWalksSections(t *testing.T) {
	fset := token.NewFileSet()
	for _, f := range []string{"scenario.go", "load.go", "faults.go", "expect.go", "workload.go"} {
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		walks := 0
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "fields":
					t.Errorf("%s: %s calls node.fields with a list of its own; walk a section of fields.go instead", f, fset.Position(call.Pos()))
				case "walk":
					walks++
				}
			}
			return true
		})
		require.Positive(t, walks, f)
	}
}

// TestSchemaSections: every section's required keys are fields, enums
// hold what the loader's parsers accept.
func TestSchemaSections(t *testing.T) {
	var visit func(s *section)
	seen := map[*section]bool{}
	visit = func(s *section) {
		if seen[s] {
			return
		}
		seen[s] = true
		for _, r := range s.required {
			require.NotNil(t, s.field(r), "%s: required %s is no field", s.name, r)
		}
		for _, f := range s.fields {
			if f.section != nil {
				visit(f.section)
			}
		}
	}
	visit(rootSection)
	require.Greater(t, len(seen), 20)
	for _, e := range prometheusSection.field("evaluation").enum {
		_, err := promql.ParseEvaluation(e)
		require.NoError(t, err, e)
	}
}

// yamlLanguageServer is the line editors read to find the schema.
var yamlLanguageServer = regexp.MustCompile(`(?m)^# yaml-language-server: \$schema=(\S+)$`)

// TestExamplesMatchSchema: every bundled example scenario names the schema
// for editors (a path relative to the file), loads, and is valid against
// the schema with a real validator; so is the grammar of doc.go.
func TestExamplesMatchSchema(t *testing.T) {
	sch, err := schematest.Compile(schemaFile)
	require.NoError(t, err)
	paths, err := filepath.Glob("../examples/*/*scenario*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(paths), 10)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		m := yamlLanguageServer.FindSubmatch(data)
		require.NotNil(t, m, "%s has no yaml-language-server line", p)
		abs, _ := filepath.Abs(filepath.Join(filepath.Dir(p), string(m[1])))
		want, _ := filepath.Abs(schemaFile)
		require.Equal(t, want, abs, "%s: the $schema path", p)
		_, err = Load(p)
		require.NoError(t, err, p)
		require.NoError(t, schematest.ValidateYAML(sch, data), p)
	}

	// The grammar in the package documentation, unindented.
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	var b bytes.Buffer
	in := false
	for _, line := range strings.Split(string(doc), "\n") {
		switch {
		case strings.HasPrefix(line, "//\tapiVersion:"):
			in = true
		case in && !strings.HasPrefix(line, "//\t"):
			in = false
		}
		if in {
			b.WriteString(strings.TrimPrefix(line, "//\t") + "\n")
		}
	}
	require.Contains(t, b.String(), "kind: Scenario")
	require.NoError(t, schematest.ValidateYAML(sch, b.Bytes()), "the grammar of doc.go:\n%s", b.String())
	var grammar struct {
		Spec struct {
			Versions struct{ Kubernetes, KEDA string } `yaml:"versions"`
		} `yaml:"spec"`
	}
	require.NoError(t, yaml.Unmarshal(b.Bytes(), &grammar))
	_, err = hpa.ConfigForKubernetesVersion(grammar.Spec.Versions.Kubernetes)
	require.NoError(t, err, "doc.go names a modelled Kubernetes version")
	require.Contains(t, keda.SupportedVersions(), grammar.Spec.Versions.KEDA, "doc.go names a modelled KEDA version")
}

// TestSchemaRejects: what the loader refuses for its form, the schema
// refuses too.
func TestSchemaRejects(t *testing.T) {
	sch, err := schematest.Compile(schemaFile)
	require.NoError(t, err)
	for name, doc := range map[string]string{
		"unknown field":       strings.Replace(goodScenario, "  duration: 5m\n", "  duration: 5m\n  durations: 5m\n", 1),
		"Go fraction":         strings.Replace(goodScenario, "duration: 5m", "duration: 1.5m", 1),
		"bare number":         strings.Replace(goodScenario, "duration: 5m", "duration: 300", 1),
		"no duration":         strings.Replace(goodScenario, "  duration: 5m\n", "", 1),
		"unknown model":       strings.Replace(goodScenario, "  - metric: websocket_connection_count\n", "  - metric: websocket_connection_count\n    model: sessions\n", 1),
		"wrong kind":          strings.Replace(goodScenario, "kind: Scenario", "kind: Scenari", 1),
		"string for a number": strings.Replace(goodScenario, "target: 200", "target: lots", 1),
	} {
		_, loadErr := Parse("scenario.yaml", []byte(doc), files(map[string]string{"so.yaml": goodScaledObject}))
		require.Error(t, loadErr, name)
		require.Error(t, schematest.ValidateYAML(sch, []byte(doc)), name)
	}
	for _, d := range []string{"1d", "1w", "1h30m", "500ms", "0"} {
		doc := strings.Replace(goodScenario, "duration: 5m", "duration: "+d, 1)
		require.NoError(t, schematest.ValidateYAML(sch, []byte(doc)), d)
	}
}
