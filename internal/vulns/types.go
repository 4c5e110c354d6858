package vulns

import (
	"github.com/imagedrift/imagedrift/internal/packages"
)

// Request is what Lookup evaluates: the OS release of each image and the
// packages that differ between them.
type Request struct {
	Base, Head packages.Distro
	Changes    []Change
}

// Change is one package that differs between the images. From is empty
// for an added package, To for a removed one.
type Change struct {
	Ecosystem string // packages.Dpkg, packages.Python, ...
	Name      string // the head's name (the base's for a removed package)
	// PreviousName is the base's name when it differs (a renamed binary
	// such as libssl3 → libssl3t64); empty otherwise.
	PreviousName string
	From, To     string
	// Before and After carry the source package of each side, which is
	// how OSV keys Debian, Ubuntu and Alpine packages.
	Before, After Origin
	// Location is passed through to the result for the caller's use (Go
	// binaries each have their own stdlib).
	Location string
}

// Origin is the source package a binary was built from; empty fields mean
// the binary's own name and version.
type Origin struct {
	Source, SourceVersion string
}

// ChangeOf builds the Change between two copies of a package; before is
// nil for an added package, after for a removed one.
func ChangeOf(before, after *packages.Package) Change {
	var c Change
	if before != nil {
		c.Ecosystem, c.Name, c.From, c.Location = before.Ecosystem, before.Name, before.Version, before.Location
		c.Before = Origin{before.Source, before.SourceVersion}
	}
	if after != nil {
		if before != nil && before.Name != after.Name {
			c.PreviousName = before.Name
		}
		c.Ecosystem, c.Name, c.To, c.Location = after.Ecosystem, after.Name, after.Version, after.Location
		c.After = Origin{after.Source, after.SourceVersion}
	}
	return c
}

// Result is the vulnerability delta of a request.
type Result struct {
	// Packages has one entry per evaluated change that has any
	// vulnerability on either side, in request order.
	Packages []PackageResult
	// Skipped lists the changes that could not be evaluated, and why.
	Skipped []Skipped
	// Totals count distinct vulnerabilities (by ID) over all packages.
	Totals Totals
}

// PackageResult is the delta of one change. A vulnerability affects the
// base's version, the head's, or both.
type PackageResult struct {
	Index     int // of the change in Request.Changes
	Ecosystem string
	Name      string
	From, To  string
	Location  string
	// OSVBefore and OSVAfter say how the package was looked up, e.g.
	// "Debian:12/openssl@3.0.11-1~deb12u2"; empty for an absent side.
	OSVBefore, OSVAfter string
	Fixed               []Vuln // affects From, not To
	Introduced          []Vuln // affects To, not From
	StillPresent        []Vuln // affects both
	// Notes say what the evaluation had to leave aside: a range whose
	// versions do not parse under the ecosystem's ordering.
	Notes []string
}

// Vuln is one vulnerability: records that name each other as aliases
// (a GHSA and a PYSEC for the same CVE) count once.
type Vuln struct {
	ID       string
	Aliases  []string // other ids of the same vulnerability, sorted
	Upstream []string // related upstream ids (Debian's CVEs), sorted
	Summary  string
	Severity Severity
	Link     string // https://osv.dev/vulnerability/ID
	// FixedIn lists the versions that fix it on the head's side
	// (Introduced and StillPresent only), as the advisory writes them.
	FixedIn []string
}

// Level is a qualitative severity.
type Level string

const (
	LevelUnknown  Level = "unknown"
	LevelNone     Level = "none"
	LevelLow      Level = "low"
	LevelMedium   Level = "medium"
	LevelHigh     Level = "high"
	LevelCritical Level = "critical"
)

// Severity is a vulnerability's severity: from a CVSS vector when the
// record has one (Score and Vector set), else from the database's own
// rating (GitHub's, Debian's urgency, Ubuntu's priority), else unknown.
type Severity struct {
	Level  Level
	Score  float64 // CVSS score, 0 when none
	Vector string  // CVSS vector, empty when none
	Source string  // "CVSS_V3", "CVSS_V4", "CVSS_V2", "database", "Ubuntu", "Debian urgency"
}

// Skipped is a change that could not be evaluated.
type Skipped struct {
	Index     int
	Ecosystem string
	Name      string
	From, To  string
	Reason    string
}

// Totals count distinct vulnerabilities per outcome, and the changes
// evaluated and skipped.
type Totals struct {
	Fixed, Introduced, StillPresent int
	Evaluated, Skipped              int
}
