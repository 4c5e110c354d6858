package packages

import "fmt"

// EcosystemRules are the conventions of one ecosystem that the rest of
// imagedrift must not re-derive: how versions order, how a version is cut
// into the parts a bump is read from, when two names are the same package,
// and where OSV keeps the ecosystem's advisories. Keeping them in one table
// means a vulnerability range is checked with the very ordering that the
// bump classification uses and that the tests cross-check against dpkg,
// apk-tools, rpm, pip and the others.
type EcosystemRules struct {
	// Ecosystem is the report's name for the ecosystem ("dpkg", "python").
	Ecosystem string
	compare   func(a, b string) (int, error)
	shape     func(v string) shape
	// zeroUnstable marks the ecosystems whose range operators give 0.x
	// versions the stricter SemVer reading (a 0.x minor change breaks).
	zeroUnstable bool
	normalize    func(name string) string
	osv          func(p Package, d Distro) (OSVPackage, error)
}

var ecosystemRules = map[string]EcosystemRules{
	Dpkg:     {compare: compareDeb, shape: dpkgShape, osv: osvDpkg},
	Apk:      {compare: compareApk, shape: apkShape, osv: osvApk},
	RPM:      {compare: compareRPM, shape: rpmShape, osv: osvRPM},
	Python:   {compare: comparePEP440, shape: pep440Shape, normalize: normalizePEP503, osv: osvLanguage("PyPI")},
	Npm:      {compare: compareSemver, shape: semverShape, zeroUnstable: true, osv: osvLanguage("npm")},
	Cargo:    {compare: compareSemver, shape: semverShape, zeroUnstable: true, osv: osvLanguage("crates.io")},
	Composer: {compare: compareComposer, shape: semverShape, zeroUnstable: true, osv: osvLanguage("Packagist")},
	Nuget:    {compare: compareNuget, shape: semverShape, zeroUnstable: true, osv: osvLanguage("NuGet")},
	Go:       {compare: compareGo, shape: semverShape, zeroUnstable: true, osv: osvGo},
	Gem:      {compare: compareGem, shape: semverShape, zeroUnstable: true, osv: osvLanguage("RubyGems")},
	Java:     {compare: compareMaven, shape: plainShape, osv: osvMaven},
}

// Rules returns the rules of an ecosystem. An ecosystem imagedrift does not
// know gets NaturalCompare, names compared as written and no OSV
// ecosystem; Known reports which case applies.
func Rules(ecosystem string) EcosystemRules {
	r, ok := ecosystemRules[ecosystem]
	if !ok {
		return EcosystemRules{Ecosystem: ecosystem}
	}
	r.Ecosystem = ecosystem
	return r
}

// Known reports whether the ecosystem has rules of its own.
func (r EcosystemRules) Known() bool { return r.compare != nil }

// Compare orders two versions by the ecosystem's rules; see the package
// function Compare.
func (r EcosystemRules) Compare(a, b string) (int, error) {
	if len(a) > maxVersionLen || len(b) > maxVersionLen {
		return 0, fmt.Errorf("%w: longer than %d bytes", ErrVersion, maxVersionLen)
	}
	if r.compare == nil {
		return NaturalCompare(a, b), nil
	}
	c, err := r.compare(a, b)
	if err != nil {
		return 0, fmt.Errorf("%s version: %w", r.Ecosystem, err)
	}
	return sign(c), nil
}

// Normalize returns the form in which the ecosystem compares package
// names: PEP 503 for Python (PyYAML and pyyaml are one distribution), the
// name itself elsewhere.
func (r EcosystemRules) Normalize(name string) string {
	if r.normalize == nil {
		return name
	}
	return r.normalize(name)
}

func (r EcosystemRules) shapeOf(v string) shape {
	if r.shape == nil {
		return plainShape(v)
	}
	return r.shape(v)
}

// normalizePEP503 lowercases ASCII letters and turns every run of "-",
// "_" and "." into one "-", the form pip and PyPI compare names in.
func normalizePEP503(name string) string {
	b := make([]byte, 0, len(name))
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '-' || c == '_' || c == '.':
			sep = true
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if sep {
			b = append(b, '-')
			sep = false
		}
		b = append(b, c)
	}
	if sep {
		b = append(b, '-')
	}
	return string(b)
}
