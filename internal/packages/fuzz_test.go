package packages

import "testing"

var fuzzEcosystems = []string{Dpkg, Apk, RPM, Python, Npm, Go, Java, Gem, Composer, Cargo, Nuget, ""}

// FuzzCompare checks that Compare and ClassifyBump never panic on any
// input, that Compare is antisymmetric and fails symmetrically, and that
// ClassifyBump agrees with Compare's direction.
func FuzzCompare(f *testing.F) {
	seeds := [][2]string{
		{"1:2.36-9+deb12u4", "2.36-9"}, {"1.0_rc1-r0", "1.0-r1"}, {"1:1.0^git1~pre-1.el9", "1.0-1"},
		{"1!1.0.post1.dev2+local.1", "1.0a1"}, {"v1.2.3-rc.1+build", "1.2.3"}, {"(devel)", "v0.0.0-20200101000000-abcdef123456"},
		{"1.0.0.RELEASE", "1.0-SNAPSHOT"}, {"1.0.0.pre.rc1", "1.0.0-rc1"}, {"4.0.0.0-preview1", "4.0.0"}, {"go1.21rc2", "go1.21.0"},
	}
	for i, s := range seeds {
		f.Add(uint8(i), s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, e uint8, a, b string) {
		eco := fuzzEcosystems[int(e)%len(fuzzEcosystems)]
		ab, errAB := Compare(eco, a, b)
		ba, errBA := Compare(eco, b, a)
		if (errAB == nil) != (errBA == nil) {
			t.Fatalf("%s: %q vs %q: errors differ: %v / %v", eco, a, b, errAB, errBA)
		}
		if errAB == nil && ab != -ba {
			t.Fatalf("%s: Compare(%q, %q) = %d but Compare(%q, %q) = %d", eco, a, b, ab, b, a, ba)
		}
		if aa, err := Compare(eco, a, a); err == nil && aa != 0 {
			t.Fatalf("%s: Compare(%q, itself) = %d", eco, a, aa)
		}
		bump := ClassifyBump(eco, a, b)
		switch {
		case a == b && bump != BumpNone:
			t.Fatalf("%s: ClassifyBump(%q, itself) = %q", eco, a, bump)
		case a != b && errAB != nil && bump != BumpUnknown:
			t.Fatalf("%s: ClassifyBump(%q, %q) = %q for unparseable versions", eco, a, b, bump)
		case errAB == nil && ab > 0 && bump != BumpDowngrade:
			t.Fatalf("%s: ClassifyBump(%q, %q) = %q, Compare says %d", eco, a, b, bump, ab)
		case errAB == nil && ab < 0 && (bump == BumpDowngrade || bump == BumpNone || bump == BumpUnknown):
			t.Fatalf("%s: ClassifyBump(%q, %q) = %q, Compare says %d", eco, a, b, bump, ab)
		}
	})
}
