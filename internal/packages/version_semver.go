package packages

import (
	goversion "go/version"
	"strings"

	semverv3 "github.com/Masterminds/semver/v3"
	pep440 "github.com/aquasecurity/go-pep440-version"
	"golang.org/x/mod/semver"
)

// comparePEP440 orders Python versions by PEP 440.
func comparePEP440(a, b string) (int, error) {
	va, err := pep440.Parse(a)
	if err != nil {
		return 0, errInvalid(a, "not a PEP 440 version")
	}
	vb, err := pep440.Parse(b)
	if err != nil {
		return 0, errInvalid(b, "not a PEP 440 version")
	}
	return va.Compare(vb), nil
}

// compareSemver orders npm and Cargo versions by SemVer 2.0 precedence
// (build metadata ignored). The parser tolerates a leading "v" and a
// missing minor or patch, which lock files of both sometimes hold.
func compareSemver(a, b string) (int, error) {
	va, err := semverv3.NewVersion(a)
	if err != nil {
		return 0, errInvalid(a, "not a semantic version")
	}
	vb, err := semverv3.NewVersion(b)
	if err != nil {
		return 0, errInvalid(b, "not a semantic version")
	}
	return va.Compare(vb), nil
}

// compareGo orders Go module versions (semantic versions with a "v",
// pseudo-versions included) and Go toolchain versions ("go1.22.1",
// "go1.21rc2"). "(devel)", what a main module built from a checkout
// reports, equals only itself and has no order.
func compareGo(a, b string) (int, error) {
	if a == "(devel)" || b == "(devel)" {
		if a == b {
			return 0, nil
		}
		return 0, errInvalid("(devel)", "a development build has no order")
	}
	if isGoToolchain(a) && isGoToolchain(b) {
		return goversion.Compare(a, b), nil
	}
	va, vb := goSemver(a), goSemver(b)
	if !semver.IsValid(va) {
		return 0, errInvalid(a, "not a Go module version")
	}
	if !semver.IsValid(vb) {
		return 0, errInvalid(b, "not a Go module version")
	}
	return semver.Compare(va, vb), nil
}

func isGoToolchain(v string) bool {
	return strings.HasPrefix(v, "go") && goversion.IsValid(v)
}

// goSemver adds the "v" that build info and lock files sometimes omit.
func goSemver(v string) string {
	if strings.HasPrefix(v, "v") {
		return v
	}
	return "v" + v
}
