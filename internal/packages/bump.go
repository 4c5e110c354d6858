package packages

import "slices"

// ClassifyBump says how the change from -> to should be read, by the
// ecosystem's rules:
//
//   - BumpNone when the versions are equal under the ecosystem's order
//     (also when only their spelling differs: "1.0" and "1.0.0" in PEP 440);
//     SemVer build metadata that changed alone is BumpRevision.
//   - BumpDowngrade when to orders before from.
//   - BumpMajor when the epoch changed (dpkg, rpm, PEP 440), else the
//     first number of the release that differs decides: the first is major,
//     the second minor, any later one patch. Where SemVer governs (npm,
//     Cargo, Composer, NuGet, Go, RubyGems) a 0.x minor change and a 0.0.x
//     patch change are major, as their caret ranges treat them.
//     Calendar versions are the exception: a change of a leading date
//     (2024 → 2025, 20230311 → 20240203, as tzdata and ca-certificates
//     number) is minor, a data refresh rather than a breaking release.
//   - BumpPatch when the numbers are equal and the rest of the upstream
//     version changed: a pre-release to another or to its release
//     (2.0.0-rc.1 → 2.0.0, 1.2~rc1 → 1.2), a letter or suffix (2024a →
//     2024b). The numbers a reviewer reads did not move, so the lowest
//     level is the honest one.
//   - BumpRevision when only what a distribution or a build adds changed:
//     the Debian revision and stable-update markers (-1 → -2, +deb12u1 →
//     +deb12u2, also in native versions like base-files' 12.4+deb12u5), the
//     apk -rN, the rpm release, a PEP 440 post-release or local label.
//   - BumpUnknown when either version does not parse; never a panic.
func ClassifyBump(ecosystem, from, to string) Bump {
	if from == to {
		return BumpNone
	}
	r := Rules(ecosystem)
	c, err := r.Compare(from, to)
	if err != nil {
		return BumpUnknown
	}
	a, b := r.shapeOf(from), r.shapeOf(to)
	switch {
	case c > 0:
		return BumpDowngrade
	case c == 0 && a.build != b.build:
		return BumpRevision
	case c == 0:
		return BumpNone
	}
	return classify(a, b, r.zeroUnstable)
}

func classify(a, b shape, zeroUnstable bool) Bump {
	if a.epoch != b.epoch {
		return BumpMajor
	}
	n := max(len(a.release), len(b.release))
	for i := 0; i < n; i++ {
		x, y := component(a.release, i), component(b.release, i)
		if x == y {
			continue
		}
		if i == 0 && isCalendar(x) && isCalendar(y) {
			return BumpMinor
		}
		// The components before i are equal in both versions.
		if zeroUnstable && i <= 2 && allZero(a.release[:min(i, len(a.release))]) {
			return BumpMajor
		}
		switch i {
		case 0:
			return BumpMajor
		case 1:
			return BumpMinor
		}
		return BumpPatch
	}
	switch {
	case a.rest != b.rest:
		return BumpPatch
	case a.revision != b.revision, a.build != b.build:
		return BumpRevision
	}
	// Ordered apart, yet the same pieces: a respelling such as dpkg's
	// "1.2" < "1.2.0" ("" < ".0"). Read it at the lowest upstream level.
	return BumpPatch
}

// component is the i-th release number, "0" past the end (1.2 == 1.2.0).
func component(release []string, i int) string {
	if i < len(release) {
		return release[i]
	}
	return "0"
}

func allZero(release []string) bool {
	return !slices.ContainsFunc(release, func(s string) bool { return s != "0" })
}

// isCalendar reports whether a leading release number is a date: a year
// (1990-2099), a year and month, a full date or a timestamp.
func isCalendar(n string) bool {
	if len(n) < 4 || len(n) == 5 || len(n) == 7 || len(n) > 14 {
		return false
	}
	year := n[:4]
	if year < "1990" || year > "2099" {
		return false
	}
	if len(n) >= 6 && (n[4:6] < "01" || n[4:6] > "12") {
		return false
	}
	if len(n) >= 8 && (n[6:8] < "01" || n[6:8] > "31") {
		return false
	}
	return true
}
