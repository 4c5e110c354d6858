package packages

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNoOSVEcosystem is wrapped by OSV when OSV has no ecosystem for the
// package: an ecosystem or distribution it does not cover, or a release
// imagedrift cannot name.
var ErrNoOSVEcosystem = errors.New("no OSV ecosystem")

// Distro is the operating system release of an image, as /etc/os-release
// names it (ID, VERSION_ID, PRETTY_NAME). OS packages are only meaningful
// within their release: OSV scopes distribution advisories by it.
type Distro struct {
	ID         string
	VersionID  string
	PrettyName string
}

// OSVPackage is a package as OSV keys it: the ecosystem with its release
// suffix where OSV has one ("Debian:12", "Alpine:v3.20"), the name and the
// version OSV's ranges are written in.
type OSVPackage struct {
	Ecosystem string
	Name      string
	Version   string
}

// OSV returns how OSV names p, a package of this ecosystem installed on d
// (d matters for OS packages only). The error wraps ErrNoOSVEcosystem when
// OSV has no ecosystem for it, ErrVersion for a Go module built from a
// checkout ("(devel)"). Other versions are not checked here; Compare says
// whether they parse.
//
// The choices follow the OSV schema's ecosystem definitions and what
// osv-scanner sends:
//   - Debian and Ubuntu key advisories by source package and source
//     version: a binary's own version may carry an epoch the source lacks
//     (bsdutils 1:2.33.1-0.1 of util-linux 2.33.1-0.1), and OSV then
//     finds nothing.
//   - Alpine by origin (the source package) within its vX.Y branch; Wolfi
//     and Chainguard have no release suffix.
//   - rpm only on AlmaLinux and Rocky Linux, whose advisories list binary
//     packages at epoch:version-release, per major release. Red Hat scopes
//     by a product-stream CPE that os-release's ID and VERSION_ID do not
//     give; other rpm distributions have no OSV ecosystem, or one
//     imagedrift cannot name reliably yet.
//   - PyPI names PEP 503-normalised; Go module paths and "stdlib" with the
//     version without its "v"; Maven as groupId:artifactId.
func (r EcosystemRules) OSV(p Package, d Distro) (OSVPackage, error) {
	if r.osv == nil {
		return OSVPackage{}, fmt.Errorf("%w for %s packages", ErrNoOSVEcosystem, r.Ecosystem)
	}
	o, err := r.osv(p, d)
	o.Name = r.Normalize(o.Name)
	return o, err
}

func osvLanguage(ecosystem string) func(Package, Distro) (OSVPackage, error) {
	return func(p Package, _ Distro) (OSVPackage, error) {
		return OSVPackage{Ecosystem: ecosystem, Name: p.Name, Version: p.Version}, nil
	}
}

// osvGo drops the "v" that build info and go.mod write: Go advisories
// give versions without it ("1.0.1-0.2021...", "1.18.0-0").
func osvGo(p Package, _ Distro) (OSVPackage, error) {
	if p.Version == "(devel)" {
		return OSVPackage{}, fmt.Errorf("%w: %s is a development build, (devel) names no release", ErrVersion, p.Name)
	}
	return OSVPackage{Ecosystem: "Go", Name: p.Name, Version: strings.TrimPrefix(p.Version, "v")}, nil
}

// osvMaven needs the groupId: an archive named only by its manifest or
// file name cannot be told apart from another group's artifact.
func osvMaven(p Package, _ Distro) (OSVPackage, error) {
	if g, a, ok := strings.Cut(p.Name, ":"); !ok || g == "" || a == "" {
		return OSVPackage{}, fmt.Errorf("%w for %s: no Maven groupId", ErrNoOSVEcosystem, p.Name)
	}
	return OSVPackage{Ecosystem: "Maven", Name: p.Name, Version: p.Version}, nil
}

func osvDpkg(p Package, d Distro) (OSVPackage, error) {
	var eco string
	switch d.ID {
	case "debian":
		if d.VersionID == "" {
			return OSVPackage{}, fmt.Errorf("%w for Debian without VERSION_ID (testing or unstable)", ErrNoOSVEcosystem)
		}
		eco = "Debian:" + d.VersionID
	case "ubuntu":
		if d.VersionID == "" {
			return OSVPackage{}, fmt.Errorf("%w for Ubuntu without VERSION_ID", ErrNoOSVEcosystem)
		}
		eco = "Ubuntu:" + d.VersionID
		if ubuntuLTS(d) {
			eco += ":LTS"
		}
	default:
		return OSVPackage{}, errDistro(p, d)
	}
	return OSVPackage{Ecosystem: eco, Name: firstNonEmpty(p.Source, p.Name), Version: firstNonEmpty(p.SourceVersion, p.Version)}, nil
}

// ubuntuLTS: the PRETTY_NAME says so ("Ubuntu 22.04.4 LTS"); failing
// that, every April release of an even year is one.
func ubuntuLTS(d Distro) bool {
	if strings.Contains(d.PrettyName, " LTS") {
		return true
	}
	year, month, ok := strings.Cut(d.VersionID, ".")
	return ok && month == "04" && len(year) == 2 && (year[1]-'0')%2 == 0
}

func osvApk(p Package, d Distro) (OSVPackage, error) {
	var eco string
	switch d.ID {
	case "alpine":
		major, rest, _ := strings.Cut(d.VersionID, ".")
		minor, _, _ := strings.Cut(rest, ".")
		if !isDigits(major) || !isDigits(minor) {
			return OSVPackage{}, fmt.Errorf("%w for Alpine VERSION_ID %q", ErrNoOSVEcosystem, d.VersionID)
		}
		eco = "Alpine:v" + major + "." + minor
	case "wolfi":
		eco = "Wolfi"
	case "chainguard":
		eco = "Chainguard"
	default:
		return OSVPackage{}, errDistro(p, d)
	}
	return OSVPackage{Ecosystem: eco, Name: firstNonEmpty(p.Source, p.Name), Version: p.Version}, nil
}

func osvRPM(p Package, d Distro) (OSVPackage, error) {
	var base string
	switch d.ID {
	case "almalinux":
		base = "AlmaLinux"
	case "rocky":
		base = "Rocky Linux"
	default:
		return OSVPackage{}, errDistro(p, d)
	}
	major, _, _ := strings.Cut(d.VersionID, ".")
	if !isDigits(major) {
		return OSVPackage{}, fmt.Errorf("%w for %s VERSION_ID %q", ErrNoOSVEcosystem, base, d.VersionID)
	}
	return OSVPackage{Ecosystem: base + ":" + major, Name: p.Name, Version: p.Version}, nil
}

func errDistro(p Package, d Distro) error {
	id := d.ID
	if id == "" {
		id = "an unknown distribution"
	}
	return fmt.Errorf("%w for %s packages on %s", ErrNoOSVEcosystem, p.Ecosystem, id)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
