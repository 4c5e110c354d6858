package diff

import (
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// PackageSet matches packages against patterns "NAME" or
// "ECOSYSTEM:NAME", where NAME may use "*" (any run of characters, "/"
// included, for npm scopes and Go module paths) and "?" (one character).
// A prefix is taken as an ecosystem only when it is one ("dpkg:libc*");
// otherwise the whole pattern applies to the name, so Java's
// "group:artifact" names need no quoting.
type PackageSet struct {
	pats []pkgPattern
}

type pkgPattern struct {
	ecosystem string // "" for any
	name      string
}

var ecosystems = map[string]bool{
	packages.Dpkg: true, packages.Apk: true, packages.RPM: true,
	packages.Python: true, packages.Npm: true, packages.Go: true,
	packages.Java: true, packages.Gem: true, packages.Composer: true,
	packages.Cargo: true, packages.Nuget: true,
}

// CompilePackages compiles package patterns.
func CompilePackages(patterns []string) (*PackageSet, error) {
	s := &PackageSet{}
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		var pp pkgPattern
		if eco, name, ok := strings.Cut(p, ":"); ok && ecosystems[eco] {
			pp = pkgPattern{ecosystem: eco, name: name}
		} else {
			pp = pkgPattern{name: p}
		}
		if pp.name == "" {
			return nil, fmt.Errorf("package pattern %q: empty name", p)
		}
		s.pats = append(s.pats, pp)
	}
	return s, nil
}

// Match reports whether the package matches any pattern. A nil set matches
// nothing.
func (s *PackageSet) Match(ecosystem, name string) bool {
	if s == nil {
		return false
	}
	for _, p := range s.pats {
		if (p.ecosystem == "" || p.ecosystem == ecosystem) && wildcard(p.name, name) {
			return true
		}
	}
	return false
}

// wildcard matches s against a pattern of literals, "*" and "?" in time
// linear in len(p)*len(s) at worst (the classic two-pointer algorithm
// that backtracks only to the last star).
func wildcard(p, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
