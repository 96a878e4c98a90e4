package output

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/check"
)

// SARIF 2.1.0 (OASIS), the format GitHub code scanning and other CI
// systems read; only the properties lint has something to say in are
// written. The document is validated against the published schema in the
// tests.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

// SARIFSchema is the schema the log names.
const SARIFSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// WriteSARIF writes lint's findings as a SARIF 2.1.0 log, one result per
// finding at its file and line (a relative path stays relative, so code
// scanning resolves it against the repository root).
func WriteSARIF(w io.Writer, r LintResult, toolVersion string) error {
	ruleIndex := map[string]int{}
	var ids []string
	for _, f := range r.Files {
		for _, fd := range f.Findings {
			if _, ok := ruleIndex[fd.Rule]; !ok {
				ruleIndex[fd.Rule] = 0
				ids = append(ids, fd.Rule)
			}
		}
	}
	for id := range check.Rules {
		if _, ok := ruleIndex[id]; !ok {
			ruleIndex[id] = 0
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	driver := sarifDriver{Name: "autoscale-sim", Version: toolVersion, InformationURI: "https://github.com/autoscale-sim/autoscale-sim", Rules: []sarifRule{}}
	for i, id := range ids {
		ruleIndex[id] = i
		driver.Rules = append(driver.Rules, sarifRule{ID: id, ShortDescription: sarifMessage{Text: ruleText(id)}})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, f := range r.Files {
		for _, fd := range f.Findings {
			loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(fd.File)}}
			if fd.Line > 0 {
				loc.Region = &sarifRegion{StartLine: fd.Line}
			}
			run.Results = append(run.Results, sarifResult{
				RuleID: fd.Rule, RuleIndex: ruleIndex[fd.Rule], Level: sarifLevel(fd.Severity),
				Message:   sarifMessage{Text: findingText(fd)},
				Locations: []sarifLocation{{PhysicalLocation: loc}},
			})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func ruleText(id string) string {
	switch id {
	case RuleInvalid:
		return "the input is invalid: the simulation cannot run it"
	case RuleLoadWarning:
		return "a warning of the loader about the manifests"
	}
	if s, ok := check.Rules[id]; ok {
		return s
	}
	return id
}

func sarifLevel(severity string) string {
	switch severity {
	case string(check.Error):
		return "error"
	case string(check.Info):
		return "note"
	}
	return "warning"
}

// artifactURI is a file name as a URI reference: forward slashes, a
// relative path kept relative, an absolute one as a file URI.
func artifactURI(file string) string {
	if file == "" {
		return "<stdin>"
	}
	p := filepath.ToSlash(filepath.Clean(file))
	if filepath.IsAbs(file) {
		return "file://" + p
	}
	return p
}

func findingText(f Finding) string {
	s := ""
	if f.Object != "" {
		s = f.Object + ": "
	}
	if f.Path != "" {
		s += f.Path + ": "
	}
	return s + f.Message
}

// WriteGitHub writes lint's findings as GitHub Actions workflow commands
// (::warning file=F,line=L,title=RULE::message), which the runner shows as
// annotations on the pull request's lines.
func WriteGitHub(w io.Writer, r LintResult) error {
	for _, f := range r.Files {
		for _, fd := range f.Findings {
			cmd := "warning"
			switch fd.Severity {
			case string(check.Error):
				cmd = "error"
			case string(check.Info):
				cmd = "notice"
			}
			props := "file=" + escapeProperty(filepath.ToSlash(filepath.Clean(fd.File)))
			if fd.Line > 0 {
				props += fmt.Sprintf(",line=%d", fd.Line)
			}
			props += ",title=" + escapeProperty("autoscale-sim "+fd.Rule)
			if _, err := fmt.Fprintf(w, "::%s %s::%s\n", cmd, props, escapeData(findingText(fd))); err != nil {
				return err
			}
		}
	}
	return nil
}

// escapeData and escapeProperty escape as the Actions toolkit does
// (toolkit/packages/core/src/command.ts escapeData, escapeProperty).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
