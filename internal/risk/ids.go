package risk

import (
	"strings"

	"github.com/imagedrift/imagedrift/internal/lint"
)

// Risk ids, as reports and --fail-on name them. Lint findings become "lint:" + rule.
const (
	MajorBump          = "major-bump"
	Downgrade          = "downgrade"
	PackageRemoved     = "package-removed"
	PackageAdded       = "package-added"
	BaseImageChanged   = "base-image-changed"
	OSChanged          = "os-changed"
	SetuidAdded        = "setuid-added"
	WorldWritableAdded = "world-writable-added"
	UserRoot           = "user-root"
	EntrypointChanged  = "entrypoint-changed"
	PortsChanged       = "ports-changed"
	EnvChanged         = "env-changed"
	SizeIncrease       = "size-increase"
	FilesIncrease      = "files-increase"
	UndeclaredChange   = "undeclared-change"
	// UnownedExecutable: an ELF program or library, or a script, added or
	// changed that no package installed (curl | sh, ADD of a URL, a copied
	// build artifact).
	UnownedExecutable = "unowned-executable"
	// PackageFileModified: a file a package installed whose content no
	// longer matches the package's record: something edited it after.
	PackageFileModified = "package-file-modified"
	// ConffileModified: the same for a file the package declares as
	// configuration, where edits are expected.
	ConffileModified = "conffile-modified"
	// VulnerabilityIntroduced is raised once per known vulnerability
	// (OSV) and package that a change brings in: the head's version is
	// affected, the base's was not.
	VulnerabilityIntroduced = "vulnerability-introduced"
	// NotReproducible: two builds of one commit differ. Its level is the
	// likely cause's (a generated secret high; package versions and
	// unexplained content medium; timestamps and files known to differ
	// per build low); a configured level replaces it for every cause.
	NotReproducible = "not-reproducible"
	LintPrefix      = "lint:"
)

// IDs lists the risk ids in the order reports show them within a level.
var IDs = []string{
	OSChanged, BaseImageChanged, UndeclaredChange, VulnerabilityIntroduced, Downgrade, MajorBump,
	SetuidAdded, WorldWritableAdded, UnownedExecutable, PackageFileModified, ConffileModified,
	UserRoot, EntrypointChanged, PortsChanged, EnvChanged, SizeIncrease, FilesIncrease,
	PackageRemoved, PackageAdded, NotReproducible,
}

// DefaultLevels are the levels of the risks whose level is not decided
// by what they find (lint findings carry their own, base-image-changed
// is medium when the base's name changes and low when only its digest
// does, vulnerability-introduced follows the vulnerability's severity:
// high for critical and high, medium for medium, low otherwise; the
// entry here is the level of a high one).
var DefaultLevels = map[string]Level{
	MajorBump:           Medium,
	Downgrade:           High,
	PackageRemoved:      Low,
	PackageAdded:        Low,
	BaseImageChanged:    Low,
	OSChanged:           High,
	SetuidAdded:         High,
	WorldWritableAdded:  Medium,
	UserRoot:            Medium,
	EntrypointChanged:   Medium,
	PortsChanged:        Low,
	EnvChanged:          Low,
	SizeIncrease:        Medium,
	FilesIncrease:       Low,
	UndeclaredChange:    High,
	UnownedExecutable:   Medium,
	PackageFileModified: Medium,
	ConffileModified:    Low,
	// VulnerabilityIntroduced: see above.
	VulnerabilityIntroduced: High,
	NotReproducible:         Medium,
}

// KnownID reports whether id is a risk id or "lint:RULE".
func KnownID(id string) bool {
	if rule, ok := strings.CutPrefix(id, LintPrefix); ok {
		return lint.IsRule(rule)
	}
	_, ok := DefaultLevels[id]
	return ok
}

func idOrder(id string) int {
	for i, x := range IDs {
		if x == id {
			return i
		}
	}
	return len(IDs) // lint rules last within a level
}
