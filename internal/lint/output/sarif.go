package output

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/imagedrift/imagedrift/internal/lint"
)

// SARIFSchema is the schema URI written into the log.
const SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// SARIFOptions describe the run.
type SARIFOptions struct {
	ToolVersion string
	// Rules go into tool.driver.rules; results refer to them by index.
	// Rules of findings missing here are added with their id only.
	Rules []lint.Rule
	// BaseDir makes absolute file names relative, as code scanning wants
	// them relative to the repository root; empty leaves them.
	BaseDir string
}

// The subset of SARIF 2.1.0 imagedrift writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string        `json:"id"`
		Name                 string        `json:"name,omitempty"`
		ShortDescription     sarifText     `json:"shortDescription"`
		FullDescription      sarifText     `json:"fullDescription"`
		Help                 sarifText     `json:"help"`
		DefaultConfiguration sarifRuleConf `json:"defaultConfiguration"`
	}
	sarifRuleConf struct {
		Level string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)

// sarifLevel maps imagedrift levels to SARIF's.
func sarifLevel(l lint.Level) string {
	switch l {
	case lint.LevelHigh:
		return "error"
	case lint.LevelMedium:
		return "warning"
	}
	return "note"
}

// SARIF writes the findings as a SARIF 2.1.0 log with one run.
func SARIF(w io.Writer, findings []lint.Finding, o SARIFOptions) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "imagedrift",
			Version:        o.ToolVersion,
			InformationURI: "https://github.com/imagedrift/imagedrift",
			Rules:          []sarifRule{},
		}},
		ColumnKind: "utf16CodeUnits",
		Results:    []sarifResult{},
	}
	index := map[string]int{}
	addRule := func(r lint.Rule) int {
		if i, ok := index[r.ID]; ok {
			return i
		}
		index[r.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   r.ID,
			Name:                 ruleName(r.ID),
			ShortDescription:     sarifText{orID(r.Summary, r.ID)},
			FullDescription:      sarifText{orID(r.Help, r.ID)},
			Help:                 sarifText{orID(r.Help, r.ID)},
			DefaultConfiguration: sarifRuleConf{Level: sarifLevel(r.Level)},
		})
		return index[r.ID]
	}
	for _, r := range o.Rules {
		addRule(r)
	}
	for _, f := range findings {
		i := addRule(lint.Rule{ID: f.Rule, Level: f.Level})
		uri, rel := artifactURI(f.File, o.BaseDir)
		loc := sarifArtifact{URI: uri}
		if rel {
			loc.URIBaseID = "%SRCROOT%"
		}
		line := max(f.Line, 1)
		run.Results = append(run.Results, sarifResult{
			RuleID:    f.Rule,
			RuleIndex: i,
			Level:     sarifLevel(f.Level),
			Message:   sarifText{orID(f.Message, f.Rule)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: loc,
				Region:           sarifRegion{StartLine: line, StartColumn: f.Column},
			}}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func orID(s, id string) string {
	if s == "" {
		return id
	}
	return s
}

// ruleName turns apt-unpinned into AptUnpinned, SARIF's name style.
func ruleName(id string) string {
	var b strings.Builder
	for _, p := range strings.Split(id, "-") {
		if p != "" {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}

// artifactURI returns the file as a URI reference: relative (to BaseDir
// when the name is absolute and inside it) or an absolute file URI.
func artifactURI(name, base string) (string, bool) {
	p := name
	if filepath.IsAbs(p) && base != "" {
		if r, err := filepath.Rel(base, p); err == nil && !strings.HasPrefix(r, "..") {
			p = r
		}
	}
	if filepath.IsAbs(p) {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String(), false
	}
	return (&url.URL{Path: filepath.ToSlash(filepath.Clean(p))}).String(), true
}
