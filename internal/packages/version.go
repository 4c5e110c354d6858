package packages

import (
	"errors"
	"fmt"
	"strings"
)

// ErrVersion is wrapped by every error Compare returns for a version that
// does not parse under its ecosystem's rules.
var ErrVersion = errors.New("invalid version")

// maxVersionLen bounds the work done on one version string: package
// databases are untrusted and real versions are far shorter.
const maxVersionLen = 256

// Compare orders two versions by the ecosystem's rules: -1, 0, +1. An error
// (wrapping ErrVersion) when either does not parse under those rules;
// callers then fall back, e.g. to NaturalCompare. The rules:
//
//   - dpkg: deb-version(7), syntax as dpkg's parser checks it
//     (knqyf263/go-deb-version for the order);
//   - apk: apk-tools 2.14/3.x (version_apk.go says why not a library);
//   - rpm: [epoch:]version[-release] by rpmvercmp, tilde and caret included
//     (knqyf263/go-rpm-version);
//   - python: PEP 440 (aquasecurity/go-pep440-version);
//   - npm, cargo: SemVer 2.0 precedence (Masterminds/semver/v3);
//   - composer: composer/semver's order (version_composer.go says why);
//   - nuget: NuGet's four-number SemVer; go: golang.org/x/mod/semver for
//     modules (with or without "v", pseudo-versions), go/version for
//     toolchains, "(devel)" equal only to itself;
//   - gem: Gem::Version; java: Maven's ComparableVersion
//     (masahiro331/go-mvn-version, one gap filled).
//
// Any other ecosystem name uses NaturalCompare. Versions longer than 256
// bytes are refused whatever the ecosystem.
func Compare(ecosystem, a, b string) (int, error) {
	return Rules(ecosystem).Compare(a, b)
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

// errInvalid says which version failed and why.
func errInvalid(v string, why string) error {
	return fmt.Errorf("%w %q: %s", ErrVersion, v, why)
}

// printable reports whether v is non-empty printable ASCII without blanks,
// the alphabet every distribution's version syntax lives in.
func printable(v string) bool {
	if v == "" {
		return false
	}
	return !strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r >= 0x7f })
}
