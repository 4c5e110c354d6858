package vulns

import (
	"strings"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/types/known/structpb"
)

// Rank orders levels: unknown < none < low < medium < high < critical.
func (l Level) Rank() int {
	switch l {
	case LevelNone:
		return 1
	case LevelLow:
		return 2
	case LevelMedium:
		return 3
	case LevelHigh:
		return 4
	case LevelCritical:
		return 5
	}
	return 0
}

// cvssPreference: the newest CVSS version a record gives is the one its
// database published last.
var cvssPreference = []osvschema.Severity_Type{osvschema.Severity_CVSS_V4, osvschema.Severity_CVSS_V3, osvschema.Severity_CVSS_V2}

// severityOf reads a record's severity, looking at the record itself and
// at the affected entries that named the package (Ubuntu and Debian put
// theirs there).
func severityOf(rec *osvschema.Vulnerability, entries []*osvschema.Affected) Severity {
	all := rec.GetSeverity()
	for _, a := range entries {
		all = append(all[:len(all):len(all)], a.GetSeverity()...)
	}
	for _, t := range cvssPreference {
		for _, s := range all {
			if s.GetType() != t {
				continue
			}
			if c, err := osv.ScoreCVSS(s.GetScore()); err == nil {
				return Severity{Level: Level(c.Rating), Score: c.Score, Vector: s.GetScore(), Source: t.String()}
			}
		}
	}
	for _, s := range all {
		if s.GetType() == osvschema.Severity_Ubuntu {
			if l := ratingLevel(s.GetScore()); l != LevelUnknown {
				return Severity{Level: l, Source: "Ubuntu"}
			}
		}
	}
	if l := ratingLevel(stringField(rec.GetDatabaseSpecific(), "severity")); l != LevelUnknown {
		return Severity{Level: l, Source: "database"}
	}
	for _, a := range entries {
		if l := ratingLevel(stringField(a.GetEcosystemSpecific(), "urgency")); l != LevelUnknown {
			return Severity{Level: l, Source: "Debian urgency"}
		}
	}
	return Severity{Level: LevelUnknown}
}

// ratingLevel maps the words databases rate with: GitHub's
// LOW/MODERATE/HIGH/CRITICAL, Debian's urgencies, Ubuntu's priorities.
// "not yet assigned" and "end-of-life" say nothing about severity.
func ratingLevel(s string) Level {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical":
		return LevelCritical
	case "high", "important":
		return LevelHigh
	case "moderate", "medium":
		return LevelMedium
	case "low", "negligible", "unimportant":
		return LevelLow
	}
	return LevelUnknown
}

func stringField(s *structpb.Struct, key string) string {
	if s == nil {
		return ""
	}
	return s.GetFields()[key].GetStringValue()
}

// higher reports whether a is more severe than b; at equal levels a
// scored severity wins over a rating alone.
func higher(a, b Severity) bool {
	if a.Level.Rank() != b.Level.Rank() {
		return a.Level.Rank() > b.Level.Rank()
	}
	return a.Score > b.Score
}
