package packages

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/fixtures"

	"github.com/imagedrift/imagedrift/internal/golden"
)

var update = golden.Update

// TestClassifyBumpRules pins each rule of ClassifyBump on a real-looking
// pair; the reason column says which rule.
func TestClassifyBumpRules(t *testing.T) {
	tests := []struct {
		eco, from, to string
		want          Bump
		why           string
	}{
		{Dpkg, "2.36-9+deb12u4", "2.36-9+deb12u4", BumpNone, "same string"},
		{Dpkg, "2.36-9", "2.36-9+deb12u7", BumpRevision, "Debian revision only"},
		{Dpkg, "12.4+deb12u5", "12.4+deb12u6", BumpRevision, "stable update of a native package"},
		{Dpkg, "5.2.15-2+b2", "5.2.15-2+b3", BumpRevision, "binNMU"},
		{Dpkg, "1.2-3~bpo12+1", "1.2-3", BumpRevision, "backport to the release"},
		{Dpkg, "3.0.11-1~deb12u2", "3.0.13-1~deb12u1", BumpPatch, "third number"},
		{Dpkg, "2.36-9+deb12u7", "2.41-6", BumpMinor, "second number"},
		{Dpkg, "252.22-1~deb12u1", "257.7-1", BumpMajor, "first number"},
		{Dpkg, "1:9.18.24-1", "1:9.18.28-1~deb12u2", BumpPatch, "same epoch"},
		{Dpkg, "1.0-1", "1:0.9-1", BumpMajor, "epoch added"},
		{Dpkg, "1.2~rc1-1", "1.2-1", BumpPatch, "pre-release to its release"},
		{Dpkg, "1.2.3+dfsg-1", "1.2.3+dfsg1-1", BumpPatch, "repack suffix"},
		{Dpkg, "2024a-0+deb12u1", "2025b-0+deb12u1", BumpMinor, "calendar year (tzdata)"},
		{Dpkg, "20230311", "20240203~deb12u1", BumpMinor, "calendar date (ca-certificates)"},
		{Dpkg, "2.41-6", "2.36-9+deb12u7", BumpDowngrade, "older"},
		{Dpkg, "a1", "1.0", BumpUnknown, "does not start with a digit"},
		{Apk, "1.36.1-r2", "1.36.1-r5", BumpRevision, "package release"},
		{Apk, "3.1.4-r5", "3.2.0-r0", BumpMinor, "second number"},
		{Apk, "1.0_rc1-r0", "1.0-r0", BumpPatch, "release candidate to release"},
		{Apk, "2.38.1-r0", "2.38.1_git20230101-r0", BumpPatch, "post-release snapshot"},
		{RPM, "1.0-1.el9", "1.0-2.el9", BumpRevision, "release"},
		{RPM, "2.28-225.el8", "2.34-60.el9", BumpMinor, "second number"},
		{RPM, "1:1.0.2k-19.el7", "1:1.1.1k-4.el8", BumpMinor, "same epoch"},
		{RPM, "0.9.8-1", "1:0.9.8-1", BumpMajor, "epoch"},
		{Python, "1.0", "1.0.post1", BumpRevision, "post-release"},
		{Python, "2.0.1+cu118", "2.0.1+cu121", BumpRevision, "local label"},
		{Python, "1.0rc1", "1.0", BumpPatch, "pre-release to release"},
		{Python, "0.9", "0.10", BumpMinor, "no 0.x rule outside SemVer ecosystems"},
		{Python, "1.0", "1!0.5", BumpMajor, "epoch"},
		{Python, "2023.7.22", "2024.2.2", BumpMinor, "calendar (certifi)"},
		{Python, "1.0", "1.0.0", BumpNone, "equal by PEP 440"},
		{Npm, "1.2.3", "1.3.0", BumpMinor, "minor"},
		{Npm, "1.2.3", "2.0.0", BumpMajor, "major"},
		{Npm, "0.1.2", "0.2.0", BumpMajor, "0.x minor is breaking"},
		{Npm, "0.1.2", "0.1.3", BumpPatch, "0.x patch"},
		{Npm, "0.0.1", "0.0.2", BumpMajor, "0.0.x patch is breaking"},
		{Npm, "2.0.0-rc.1", "2.0.0", BumpPatch, "pre-release to its release"},
		{Npm, "1.9.0", "2.0.0-rc.1", BumpMajor, "pre-release of a major"},
		{Npm, "1.0.0+build.1", "1.0.0+build.2", BumpRevision, "build metadata only"},
		{Cargo, "0.4.20", "0.4.21", BumpPatch, "0.x patch"},
		{Composer, "v5.4.3", "v6.0.0", BumpMajor, "tag with v"},
		{Nuget, "4.0.0.0", "4.0.0.1", BumpPatch, "fourth number"},
		{Go, "v0.0.0-20210101000000-abcdefabcdef", "v0.0.0-20220101000000-abcdefabcdef", BumpPatch, "pseudo-versions of an untagged module"},
		{Go, "v1.2.3", "v1.2.4-0.20230101000000-abcdefabcdef", BumpPatch, "pseudo-version after a tag"},
		{Go, "v0.14.0", "v0.15.0", BumpMajor, "0.x minor"},
		{Go, "go1.21.5", "go1.22.0", BumpMinor, "toolchain"},
		{Go, "(devel)", "v1.0.0", BumpUnknown, "development build"},
		{Gem, "7.0.8", "7.1.0", BumpMinor, "minor"},
		{Gem, "1.15.4", "1.16.0.rc1", BumpMinor, "pre-release of a minor"},
		{Java, "5.3.30", "6.0.0", BumpMajor, "major"},
		{Java, "31.1-jre", "32.0.0-jre", BumpMajor, "guava"},
		{Java, "2.15.2", "2.15.3", BumpPatch, "patch"},
		{Java, "1.0-SNAPSHOT", "1.0", BumpPatch, "snapshot to release"},
		{"", "r42", "r43", BumpPatch, "free-form, no numbers in front"},
		{"", "1.2", "1.10", BumpMinor, "free-form numbers"},
	}
	for _, tt := range tests {
		if got := ClassifyBump(tt.eco, tt.from, tt.to); got != tt.want {
			t.Errorf("ClassifyBump(%s, %q, %q) = %q, want %q (%s)", tt.eco, tt.from, tt.to, got, tt.want, tt.why)
		}
		if c, _ := Compare(tt.eco, tt.from, tt.to); c < 0 {
			if got := ClassifyBump(tt.eco, tt.to, tt.from); got != BumpDowngrade {
				t.Errorf("ClassifyBump(%s, %q, %q) = %q, want downgrade", tt.eco, tt.to, tt.from, got)
			}
		}
	}
}

// TestClassifyBumpGolden classifies real version changes (see
// testdata/bumps/README.md) and pins the result.
func TestClassifyBumpGolden(t *testing.T) {
	var out bytes.Buffer
	out.WriteString("# ecosystem\tfrom\tto\tbump\n")
	counts := map[Bump]int{}
	for _, line := range readLines(t, filepath.Join("testdata", "bumps", "pairs.tsv")) {
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			t.Fatalf("bad line %q", line)
		}
		b := ClassifyBump(f[0], f[1], f[2])
		counts[b]++
		fmt.Fprintf(&out, "%s\t%s\t%s\t%s\n", f[0], f[1], f[2], bumpName(b))
	}
	t.Logf("bumps: %v", counts)
	golden := filepath.Join("testdata", "bumps", "golden.tsv")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := lineDiff(string(want), out.String()); diff != "" {
		t.Errorf("classification changed (run with -update if intended):\n%s", diff)
	}
}

func bumpName(b Bump) string {
	if b == BumpNone {
		return "none"
	}
	return string(b)
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var d []string
	for i := 0; i < len(w) || i < len(g); i++ {
		var x, y string
		if i < len(w) {
			x = w[i]
		}
		if i < len(g) {
			y = g[i]
		}
		if x != y {
			d = append(d, fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y))
		}
	}
	return strings.Join(d[:min(len(d), 20)], "\n")
}

var fixturesDir = fixtures.Dir()

// TestClassifyBumpFixtureTruth checks every dpkg change between the
// realistic fixture images against the truth dpkg computed for them.
func TestClassifyBumpFixtureTruth(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "truth", "*.packages.csv"))
	if len(files) == 0 {
		t.Skipf("no %s/truth/*.packages.csv; build them with ../shared/bench/make-fixtures.sh", fixturesDir)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		checked := 0
		for _, r := range rows[1:] {
			// package,arch,version_a,version_b,change,major_a,major_b,major_change
			if len(r) != 8 || r[2] == "" || r[3] == "" {
				continue
			}
			checked++
			b := ClassifyBump(Dpkg, r[2], r[3])
			switch r[4] {
			case "unchanged":
				if b != BumpNone {
					t.Errorf("%s %s: %s -> %s unchanged, got %q", file, r[0], r[2], r[3], b)
				}
			case "downgraded":
				if b != BumpDowngrade {
					t.Errorf("%s %s: %s -> %s downgraded, got %q", file, r[0], r[2], r[3], b)
				}
			case "upgraded":
				if b == BumpDowngrade || b == BumpUnknown || b == BumpNone {
					t.Errorf("%s %s: %s -> %s upgraded, got %q", file, r[0], r[2], r[3], b)
				}
				sa, sb := shapeOf(Dpkg, r[2]), shapeOf(Dpkg, r[3])
				calendar := isCalendar(r[5]) && isCalendar(r[6])
				if r[7] == "1" && sa.epoch == sb.epoch && !calendar && b != BumpMajor {
					t.Errorf("%s %s: %s -> %s changes the first number, got %q", file, r[0], r[2], r[3], b)
				}
				if r[7] == "0" && sa.epoch == sb.epoch && b == BumpMajor {
					t.Errorf("%s %s: %s -> %s keeps the first number, got major", file, r[0], r[2], r[3])
				}
			}
		}
		t.Logf("%s: %d version pairs checked", filepath.Base(file), checked)
	}
}
