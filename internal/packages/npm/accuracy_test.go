package npm

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// bigC is the root file system of the big-c fixture image (Debian 12 with
// Python, Node.js and Ruby from Debian), built by ../shared/bench/make-fixtures.sh.
const bigC = "/var/tmp/imagedrift-fixtures/rootfs/big-c"

// debianRoot matches, independently of Match, the package.json of a
// package root Debian installs: NAME or @SCOPE/NAME in /usr/share/nodejs,
// /usr/lib/nodejs or /usr/lib/TRIPLET/nodejs, and the packages bundled
// in their node_modules.
var debianRoot = regexp.MustCompile(`^/usr/(share|lib|lib/[^/]+)/nodejs/((@[^/]+/)?[^/.@][^/]*/node_modules/)*(@[^/]+/)?[^/.@][^/]*/package\.json$`)

// TestAccuracyBigC catalogs the whole big-c root file system and checks
// the result against the package roots named in dpkg's file lists: each
// must give a package (or a warning saying why not), and nothing else
// may be found. Package names that differ from their directory are
// logged: npm aliases make them legitimate, but Debian has none. A
// package.json that is a symbolic link (Debian's lodash-es links to
// lodash's) is not expected: the inventory hands catalogers regular
// files only, and the target is cataloged where it is.
func TestAccuracyBigC(t *testing.T) {
	want := map[string]bool{}
	links := 0
	for _, p := range dpkgLists(t, bigC) {
		if !debianRoot.MatchString(p) {
			continue
		}
		if !isRegular(t, p) {
			links++
			continue
		}
		want[p] = true
	}
	if len(want) == 0 {
		t.Fatal("no package roots in the dpkg file lists; is Node.js installed in big-c?")
	}
	pkgs, warns := catalogTree(t, New(), bigC, 64<<10)
	got := map[string]bool{}
	for _, w := range warns {
		t.Logf("warning: %s", w)
		got[w.Path] = true
	}
	mismatched := 0
	for _, p := range pkgs {
		if got[p.Location] {
			t.Errorf("%s: two results", p.Location)
		}
		got[p.Location] = true
		if dir := strings.TrimSuffix(p.Location, "/package.json"); !strings.HasSuffix(dir, "/"+p.Name) {
			mismatched++
			t.Logf("%s names itself %s", p.Location, p.Name)
		}
	}
	for p := range want {
		if !got[p] {
			t.Errorf("missed %s", p)
		}
	}
	for p := range got {
		if !want[p] {
			t.Errorf("found %s, which is no package root Debian installed", p)
		}
	}
	if len(warns) > len(want)/100 {
		t.Errorf("%d warnings for %d package roots", len(warns), len(want))
	}
	t.Logf("%d package roots installed by dpkg (and %d manifests that are links), %d packages and %d warnings found, %d named unlike their directory",
		len(want), links, len(pkgs), len(warns), mismatched)
}

// isRegular reports whether the fixture's path p is a regular file.
func isRegular(t *testing.T, p string) bool {
	t.Helper()
	fi, err := os.Lstat(filepath.Join(bigC, p))
	if err != nil {
		t.Fatalf("%s is in a dpkg file list but not in the fixture: %v", p, err)
	}
	return fi.Mode().IsRegular()
}

// dpkgLists returns every path named by root's /var/lib/dpkg/info/*.list
// files, skipping the test when the fixture is absent.
func dpkgLists(t *testing.T, root string) []string {
	t.Helper()
	lists, _ := filepath.Glob(filepath.Join(root, "var/lib/dpkg/info/*.list"))
	if len(lists) == 0 {
		t.Skipf("fixture %s is absent (no var/lib/dpkg/info/*.list): build it with ../shared/bench/make-fixtures.sh", root)
	}
	var paths []string
	for _, l := range lists {
		f, err := os.Open(l)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			paths = append(paths, sc.Text())
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatalf("read %s: %v", l, err)
		}
	}
	return paths
}
