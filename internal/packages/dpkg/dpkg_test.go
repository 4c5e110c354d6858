package dpkg

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"

	"github.com/imagedrift/imagedrift/internal/fixtures"
)

// capture runs data through the cataloger's own extractor, as the
// inventory pass does, and returns the File it would hand to Catalog.
func capture(t *testing.T, c packages.Cataloger, p string, data []byte) (packages.File, bool) {
	t.Helper()
	ex := c.Match(p, int64(len(data)), 0o644)
	if ex == nil {
		return packages.File{}, false
	}
	for chunk := range slices.Chunk(data, 4096) {
		if n, err := ex.Write(chunk); err != nil || n != len(chunk) {
			t.Fatalf("write: %d, %v", n, err)
		}
	}
	v, _ := ex.Result()
	return packages.File{Path: p, Size: int64(len(data)), Data: v}, true
}

// catalogDir catalogs testdata laid out as in an image under root.
func catalogDir(t *testing.T, files map[string]string) ([]packages.Package, []packages.Warning) {
	t.Helper()
	c := New()
	var fs []packages.File
	for imgPath, local := range files {
		data, err := os.ReadFile(local)
		if err != nil {
			t.Fatal(err)
		}
		if f, ok := capture(t, c, imgPath, data); ok {
			fs = append(fs, f)
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
	return c.Catalog(fs)
}

func testdataFiles(t *testing.T) map[string]string {
	files := map[string]string{statusPath: "testdata/status"}
	entries, err := filepath.Glob("testdata/status.d/*")
	if err != nil || len(entries) == 0 {
		t.Fatalf("no testdata/status.d: %v", err)
	}
	for _, e := range entries {
		files[statusDir+"/"+filepath.Base(e)] = e
	}
	return files
}

func TestCatalogGolden(t *testing.T) {
	pkgs, warns := catalogDir(t, testdataFiles(t))
	catalogtest.Golden(t, "golden.json", struct {
		Packages []packages.Package
		Warnings []packages.Warning
	}{pkgs, warns})
}

func TestMatch(t *testing.T) {
	c := New()
	tests := []struct {
		path string
		mode fs.FileMode
		want bool
	}{
		{"/var/lib/dpkg/status", 0o644, true},
		{"/var/lib/dpkg/status-old", 0o644, false},
		{"/var/lib/dpkg/status.d/libc6", 0o644, true},
		{"/var/lib/dpkg/status.d/libc6.md5sums", 0o644, true},
		{"/var/lib/dpkg/info/libc6:amd64.list", 0o644, true},
		{"/var/lib/dpkg/info/bash.md5sums", 0o644, true},
		{"/var/lib/dpkg/info/bash.postinst", 0o755, true},
		{"/var/lib/dpkg/info/format", 0o644, false},
		{"/var/lib/dpkg/info/sub/bash.list", 0o644, false},
		{"/var/lib/dpkg/diversions", 0o644, true},
		{"/var/lib/dpkg/status.d/sub/libc6", 0o644, false},
		{"/var/lib/dpkg/status", fs.ModeSymlink | 0o777, false},
		{"/usr/var/lib/dpkg/status", 0o644, false},
	}
	for _, tt := range tests {
		if got := c.Match(tt.path, 10, tt.mode) != nil; got != tt.want {
			t.Errorf("Match(%q, %v) = %v, want %v", tt.path, tt.mode, got, tt.want)
		}
	}
}

// TestCatalogMalformed checks that a bad paragraph costs a warning naming
// the file, and that the good paragraphs around it survive.
func TestCatalogMalformed(t *testing.T) {
	good := "Package: a\nStatus: install ok installed\nVersion: 1.0-1\n\n"
	tests := []struct {
		name, data string
		pkgs       int
		warn       string
	}{
		{"no version", good + "Package: b\nStatus: install ok installed\n\n" + good, 2, "without Package or Version"},
		{"no status", good + "Package: b\nVersion: 1\n", 1, "has no Status"},
		{"bad status", "Package: b\nStatus: installed\nVersion: 1\n\n" + good, 1, "malformed Status"},
		{"not a field", good + "garbage line\nPackage: c\nStatus: install ok installed\nVersion: 2\n", 2, "not a field"},
		{"stray continuation", " continued\n" + good, 1, "continuation line outside a field"},
		{"binary junk", "\x00\x01\x02\n\n" + good, 1, "not a field"},
		{"crlf", strings.ReplaceAll(good, "\n", "\r\n"), 1, ""},
		{"empty", "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := capture(t, New(), statusPath, []byte(tt.data))
			pkgs, warns := New().Catalog([]packages.File{f})
			if len(pkgs) != tt.pkgs {
				t.Errorf("got %d packages, want %d: %+v", len(pkgs), tt.pkgs, pkgs)
			}
			if tt.warn == "" && len(warns) > 0 || tt.warn != "" && (len(warns) == 0 || !strings.Contains(warns[0].Message, tt.warn)) {
				t.Errorf("warnings %v, want one containing %q", warns, tt.warn)
			}
			for _, w := range warns {
				if w.Path != statusPath || w.Ecosystem != packages.Dpkg {
					t.Errorf("warning does not name the file: %+v", w)
				}
			}
		})
	}
}

func TestCatalogTruncatedAndForeignData(t *testing.T) {
	c := New()
	pkgs, warns := c.Catalog([]packages.File{
		{Path: statusPath, Data: &packages.Captured{Data: []byte("Package: a\n"), Size: 100 << 20, Truncated: true}},
		{Path: statusDir + "/x", Data: nil},
	})
	if len(pkgs) != 0 || len(warns) != 2 || !strings.Contains(warns[0].Message, "larger than the cap") {
		t.Errorf("got %v, %v", pkgs, warns)
	}
}

func TestWarningsAreCapped(t *testing.T) {
	data := strings.Repeat("junk\n\n", 100)
	f, _ := capture(t, New(), statusPath, []byte(data))
	_, warns := New().Catalog([]packages.File{f})
	if len(warns) != maxWarnings+1 || !strings.Contains(warns[maxWarnings].Message, "80 more") {
		t.Errorf("got %d warnings, last %v", len(warns), warns[len(warns)-1])
	}
}

// queryInstalled asks dpkg-query what an admin directory holds, in the
// cataloger's terms: installed-state packages with their source.
func queryInstalled(t *testing.T, admindir string) map[string]string {
	t.Helper()
	if _, err := exec.LookPath("dpkg-query"); err != nil {
		t.Skip("dpkg-query not installed")
	}
	out, err := exec.Command("dpkg-query", "--admindir="+admindir, "-W", "-f",
		"${db:Status-Status}\t${Package}\t${Architecture}\t${Version}\t${source:Package}\t${source:Version}\n").Output()
	if err != nil {
		t.Fatalf("dpkg-query --admindir=%s: %v", admindir, err)
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 6 || !installedStates[f[0]] {
			continue
		}
		src, srcVer := f[4], f[5]
		if src == f[1] && srcVer == f[3] {
			src, srcVer = "", ""
		}
		want[f[1]+":"+f[2]] = fmt.Sprintf("%s %s %s", f[3], src, srcVer)
	}
	return want
}

// checkAgainstDpkgQuery catalogs root's status file and compares the
// result with dpkg-query's view of the same database.
func checkAgainstDpkgQuery(t *testing.T, root string) {
	admindir := filepath.Join(root, "var/lib/dpkg")
	want := queryInstalled(t, admindir)
	pkgs, warns := catalogDir(t, map[string]string{statusPath: filepath.Join(admindir, "status")})
	for _, w := range warns {
		t.Errorf("warning: %s", w)
	}
	got := map[string]string{}
	for _, p := range pkgs {
		key := p.Name + ":" + p.Arch
		if _, dup := got[key]; dup {
			t.Errorf("%s listed twice", key)
		}
		got[key] = fmt.Sprintf("%s %s %s", p.Version, p.Source, p.SourceVersion)
	}
	for k, w := range want {
		if g := got[k]; g != w {
			t.Errorf("%s: got %q, dpkg-query says %q", k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s found, dpkg-query does not list it as installed", k)
		}
	}
	t.Logf("%s: %d packages, as dpkg-query lists them", root, len(got))
}

func TestCatalogThisMachine(t *testing.T) {
	if _, err := os.Stat(statusPath); err != nil {
		t.Skip("no dpkg database on this machine")
	}
	checkAgainstDpkgQuery(t, "/")
}

func TestCatalogFixtureRootfs(t *testing.T) {
	roots, _ := filepath.Glob(fixtures.Path("rootfs", "*"))
	var found bool
	for _, root := range roots {
		if _, err := os.Stat(filepath.Join(root, "var/lib/dpkg/status")); err != nil {
			continue
		}
		found = true
		t.Run(filepath.Base(root), func(t *testing.T) { checkAgainstDpkgQuery(t, root) })
	}
	if !found {
		t.Skip("no fixture root file systems in /var/tmp/imagedrift-fixtures/rootfs; build them with ../shared/bench/make-fixtures.sh")
	}
}

func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/status", "testdata/status.d/libc6"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, false)
		}
	}
	f.Add([]byte("Package: a\nSource: b (\nVersion: 1\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, noStatus bool) {
		pkgs, _ := Parse(data, statusPath, noStatus)
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.Location != statusPath {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
