package packages

import (
	"bufio"
	"cmp"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ascending lists versions in strictly increasing order, taken from the
// test suites the reference implementations publish (named per list);
// every pair i < j must compare -1. Each list was also checked against the
// reference tool, and is again whenever the tool is installed.
var ascending = []struct {
	eco, source string
	versions    []string
}{
	{Dpkg, "deb-version(7) and Debian Policy 5.6.12 tilde examples", []string{
		"1.0~~", "1.0~~a", "1.0~", "1.0", "1.0-1", "1.0-1+b1", "1.0-1.1", "1.0-2", "1.0a", "1.0+dfsg", "1.0.1", "1.0.10-1",
		"1.2-3~bpo12+1", "1.2-3", "1.10", "2.36-9+deb12u4", "2.36-9+deb12u7", "12.4+deb12u5", "1:0.1", "1:1.0", "2:0"}},
	{Dpkg, "dpkg lib/dpkg/t/t-version.c", []string{"0:0-0", "0:0-a", "0:0-b", "1:0-0", "2:0-0"}},
	{RPM, "rpm tests/rpmvercmp.at", []string{"1.0~rc1~git123", "1.0~rc1", "1.0~rc1^git1", "1.0~rc2", "1.0", "1.0^", "1.0^git1", "1.0^git2", "1.01", "2.0", "2.0.1", "2.0.1a", "5.5p1", "5.5p2", "5.5p10", "5.6p1", "6.0", "6.0.rc1", "6.5p1", "10xyz", "10.1xyz", "20101121", "20101122"}},
	{RPM, "rpm tests/rpmvercmp.at (caret)", []string{"1.0^git1~pre", "1.0^git1", "1.0^20160101", "1.0^20160101^git1", "1.0^20160102", "1.0.1"}},
	{RPM, "rpm tests/rpmvercmp.at (alpha)", []string{"xyz.4", "1.0a", "1.0aa", "2", "8", "10a1", "10a2", "10b2"}},
	{RPM, "rpm EVR (epoch, release)", []string{"1.0-1.el9", "1.0-2.el9", "1.0-10.el9", "1.0.1-1.el9", "1:0.5-1"}},
	{Apk, "apk-tools test/version.data", []string{"1.0_alpha", "1.0_alpha1", "1.0_alpha2", "1.0_beta1", "1.0_pre1", "1.0_rc1", "1.0",
		"1.0-r1", "1.0-r2", "1.0_cvs1", "1.0_svn1", "1.0_git20200101", "1.0_hg1", "1.0_p1", "1.0_p2", "1.0a", "1.0b", "1.0.1", "1.1"}},
	{Python, "pypa/packaging tests/test_version.py VERSIONS", []string{
		"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456",
		"1.0b2.post345", "1.0b2-346", "1.0c1.dev456", "1.0c1", "1.0rc2", "1.0c3", "1.0", "1.0.post456.dev34", "1.0.post456",
		"1.1.dev1", "1.2+123abc", "1.2+123abc456", "1.2+abc", "1.2+abc123", "1.2+abc123def", "1.2+1234.abc", "1.2+123456",
		"1.2.r32+123456", "1.2.rev33+123456", "1!1.0.dev456", "1!1.0a1", "1!1.0a2.dev456", "1!1.0a12.dev456", "1!1.0a12",
		"1!1.0b1.dev456", "1!1.0b2", "1!1.0b2.post345.dev456", "1!1.0b2.post345", "1!1.0b2-346", "1!1.0c1.dev456",
		"1!1.0c1", "1!1.0rc2", "1!1.0c3", "1!1.0", "1!1.0.post456.dev34", "1!1.0.post456", "1!1.1.dev1", "1!1.2+123abc"}},
	{Npm, "semver.org 2.0.0 §11", []string{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
		"1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"}},
	{Cargo, "semver.org 2.0.0 §11", []string{"0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0", "1.0.1", "1.10.0"}},
	{Composer, "composer/semver tests (VersionParser, Comparator)", []string{"1.0.0-dev", "v1.0.0-alpha1", "1.0.0-a2", "v1.0.0-beta1",
		"v1.0.0-BETA2", "1.0.0-b3", "1.0.0-RC1", "v1.0.0-rc.2", "v1.0.0", "1.0.0-patch1", "1.0.0-pl2", "1.0.0.1", "v1.0.1", "1.1", "2.0.0-beta1-dev", "2.0.0-beta1"}},
	{Nuget, "NuGet versioning (NuGetVersion)", []string{"1.0.0-alpha", "1.0.0-Beta", "1.0.0-beta.2", "1.0.0-beta.10", "1.0.0-RC.1",
		"1.0.0", "1.0.0.1", "1.0.1", "4.0.0.0-preview1", "4.0.0.0", "4.0.10"}},
	{Go, "golang.org/x/mod/semver and module pseudo-versions", []string{"v0.0.0-20190101000000-abcdefabcdef",
		"v0.0.0-20200101000000-abcdefabcdef", "v0.1.0", "v1.2.3", "v1.2.4-0.20190101000000-abcdefabcdef", "1.2.4", "v1.10.0",
		"v2.0.0-rc.1", "v2.0.0", "v2.1.0+incompatible"}},
	{Go, "Go toolchain versions (go/version)", []string{"go1.20", "go1.21rc1", "go1.21rc2", "go1.21.0", "go1.21.1", "go1.22.0"}},
	{Gem, "rubygems test/rubygems/test_gem_version.rb", []string{"0.beta.1", "0.0.beta.2", "1.0.0-rc1", "1.0.0",
		"1.8.2.a", "1.8.2.a9", "1.8.2.a10", "1.8.2.b", "1.8.2", "5.a", "5.0.0.rc2", "5.0.0"}},
	{Java, "Maven ComparableVersionTest VERSIONS_QUALIFIER", []string{"1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2",
		"1-beta123", "1-m2", "1-m11", "1-rc", "1-cr2", "1-rc123", "1-SNAPSHOT", "1", "1-sp", "1-sp2", "1-sp123", "1-abc",
		"1-def", "1-pom-1", "1-1-snapshot", "1-1", "1-2", "1-123"}},
	{Java, "Maven ComparableVersionTest VERSIONS_NUMBER", []string{"2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a",
		"2.1b", "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11", "11",
		"11.a", "11b", "11c", "11m"}},
	{"", "natural order of free-form versions", []string{"", "0", "1", "1.0", "1.0a", "1.0b", "1.0rc1", "1.0.1", "1.9", "1.10", "2"}},
}

// equal lists versions that compare 0 to each other although spelled apart.
var equal = []struct{ eco, a, b string }{
	{Dpkg, "0:0", "0"}, {Dpkg, "0:0.0-0.0", "0.0-0.0"}, {Dpkg, "00", "0"},
	{Dpkg, "0:0-0-0", "0-0-0"}, {Dpkg, "  \t0:0-1", "0:0-1\t  "}, {Dpkg, "0:09azAZ.-+~:-0", "0:09azAZ.-+~:-0"},
	{RPM, "10.0001", "10.1"}, {RPM, "2_0", "2.0"}, {RPM, "a+", "a_"}, {RPM, "0:1.0-1", "1.0-1"},
	{Apk, "0.2.0-r1", "0.2.0-r1"},
	{Python, "1.0", "1.0.0"}, {Python, "1.0alpha1", "1.0a1"}, {Python, "1.0-1", "1.0.post1"}, {Python, "v1.0", "1.0"},
	{Npm, "1.0.0+20130313144700", "1.0.0"}, {Nuget, "1.0.0.0", "1.0.0"}, {Composer, "v1.2", "1.2.0.0"},
	{Composer, "1.0.0-beta.1", "1.0.0-BETA1"}, {Nuget, "1.0.0-RC1", "1.0.0-rc1"},
	{Go, "v1.2.3", "1.2.3"}, {Go, "(devel)", "(devel)"}, {Gem, "1.0", "1.0.0"}, {Gem, "", "0"},
	{Java, "1.0", "1"}, {Java, "1-ga", "1"}, {Java, "1.0-final", "1"}, {Java, "1-cr2", "1-rc2"},
}

// invalid lists versions each ecosystem's reference refuses.
var invalid = []struct{ eco, v string }{
	{Dpkg, ""}, {Dpkg, "  "}, {Dpkg, "0:"}, {Dpkg, "0:0 0-1"}, {Dpkg, "-1:0-1"}, {Dpkg, "999999999999999999999999:0-1"},
	{Dpkg, "a:0-0"}, {Dpkg, "A:0-0"}, {Dpkg, "-0"}, {Dpkg, "0:-0"}, {Dpkg, "0:abc3-0"}, {Dpkg, "0:0-0:0"},
	{Dpkg, "0:0_-0"}, {Dpkg, "0:0!-0"}, {Dpkg, "0:0-0_"}, {Dpkg, "1.0é"},
	{Dpkg, "0:0-"}, {Dpkg, "09azAZ.-+~:-0"},
	{RPM, ""}, {RPM, "a:1.0"}, {RPM, "1:"}, {RPM, "1.0-1-1"}, {RPM, "1.0 1"},
	{Apk, ""}, {Apk, "1.0bc"}, {Apk, "1.0_foo"}, {Apk, "1.0-r"}, {Apk, "a1.0"},
	{Python, "french toast"}, {Python, "1.0+"}, {Python, "1.0.dev-1-"}, {Python, "1.0+_foobar"},
	{Npm, "1.0.0.0"}, {Npm, "not a version"}, {Cargo, ""}, {Composer, "dev-main"}, {Composer, "1.0.0-foo"},
	{Nuget, "1.0.0.0.0"}, {Nuget, "1.0.0-"}, {Nuget, "x"},
	{Go, "(devel)x"}, {Go, "v1.2.3.4"}, {Go, "latest"},
	{Gem, "junk"}, {Gem, "1.0\n2.0"}, {Gem, "1..2"},
	{Java, ""}, {Java, "1.0 beta"},
}

func TestCompareVectors(t *testing.T) {
	for _, l := range ascending {
		for i := range l.versions {
			for j := range l.versions {
				want := cmp.Compare(i, j)
				got, err := Compare(l.eco, l.versions[i], l.versions[j])
				if err != nil || got != want {
					t.Errorf("%s (%s): Compare(%q, %q) = %d, %v; want %d", l.eco, l.source, l.versions[i], l.versions[j], got, err, want)
				}
			}
		}
	}
	for _, e := range equal {
		for _, p := range [][2]string{{e.a, e.b}, {e.b, e.a}} {
			if got, err := Compare(e.eco, p[0], p[1]); err != nil || got != 0 {
				t.Errorf("%s: Compare(%q, %q) = %d, %v; want 0", e.eco, p[0], p[1], got, err)
			}
		}
	}
	for _, e := range invalid {
		if _, err := Compare(e.eco, e.v, "1.0"); !errors.Is(err, ErrVersion) {
			t.Errorf("%s: Compare(%q, 1.0) error = %v; want ErrVersion", e.eco, e.v, err)
		}
		if _, err := Compare(e.eco, "1.0", e.v); !errors.Is(err, ErrVersion) {
			t.Errorf("%s: Compare(1.0, %q) error = %v; want ErrVersion", e.eco, e.v, err)
		}
	}
}

// TestCompareVectorsAgainstReferences asks the reference tools about the
// same vectors, so that a wrong transcription cannot hide.
func TestCompareVectorsAgainstReferences(t *testing.T) {
	byEco := map[string][][2]string{}
	for _, l := range ascending {
		for i := 0; i+1 < len(l.versions); i++ {
			byEco[l.eco] = append(byEco[l.eco], [2]string{l.versions[i], l.versions[i+1]}, [2]string{l.versions[i+1], l.versions[i]})
		}
	}
	for _, e := range equal {
		byEco[e.eco] = append(byEco[e.eco], [2]string{e.a, e.b})
	}
	for _, e := range invalid {
		if strings.TrimSpace(e.v) != "" {
			byEco[e.eco] = append(byEco[e.eco], [2]string{e.v, "1.0"})
		}
	}
	for eco, pairs := range byEco {
		if len(references[eco]) == 0 {
			continue
		}
		t.Run(eco, func(t *testing.T) { checkReference(t, eco, pairs, 200) })
	}
}

// TestCompareApkToolsVectors runs apk-tools' own test/version.data.
func TestCompareApkToolsVectors(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "apk-version.data"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, skipped := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.Contains(line, "invalid") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 3 {
			t.Fatalf("bad line %q", line)
		}
		if !validApk(fs[0]) || !validApk(fs[2]) {
			// apk compares up to the first bad token ("23_foo" > "4_beta");
			// Compare refuses such versions whole.
			skipped++
			continue
		}
		want := map[string]int{"<": -1, "=": 0, ">": 1}[fs[1]]
		got, err := Compare(Apk, fs[0], fs[2])
		if err != nil || got != want {
			t.Errorf("Compare(apk, %q, %q) = %d, %v; want %d", fs[0], fs[2], got, err, want)
		}
		n++
	}
	if n < 700 || skipped > 2 {
		t.Fatalf("%d vectors checked, %d skipped as invalid", n, skipped)
	}
}
