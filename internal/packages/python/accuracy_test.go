package python

import (
	"bufio"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// bigC is the root file system of the big-c fixture image (Debian 12 with
// Python, Node.js and Ruby from Debian), built by ../shared/bench/make-fixtures.sh.
const bigC = "/var/tmp/imagedrift-fixtures/rootfs/big-c"

// TestAccuracyBigC catalogs the whole big-c root file system and checks
// the result against what dpkg installed: every *.dist-info and
// *.egg-info that a package's file list names must give exactly one
// package, with the name and version its directory name encodes, and
// nothing else may be found. Symbolic links are not expected: the
// inventory hands catalogers regular files only.
func TestAccuracyBigC(t *testing.T) {
	lists := dpkgLists(t, bigC)
	want := map[string]string{} // metadata directory or file → name@version
	for _, p := range lists {
		base := path.Base(p)
		if (strings.HasSuffix(base, ".dist-info") || strings.HasSuffix(base, ".egg-info")) && !isLink(t, p) {
			want[p] = fromDirName(base)
		}
	}
	if len(want) == 0 {
		t.Fatal("no dist-info or egg-info in the dpkg file lists; is Python installed in big-c?")
	}
	pkgs, warns := catalogTree(t, New(), bigC, 64<<10)
	for _, w := range warns {
		t.Errorf("warning: %s", w)
	}
	got := map[string]string{}
	for _, p := range pkgs {
		dir := strings.TrimSuffix(strings.TrimSuffix(p.Location, "/METADATA"), "/PKG-INFO")
		if _, dup := got[dir]; dup {
			t.Errorf("%s: two packages", dir)
		}
		got[dir] = Normalize(p.Name) + "@" + strings.ReplaceAll(p.Version, "-", "_")
	}
	for dir, w := range want {
		switch g, ok := got[dir]; {
		case !ok:
			t.Errorf("missed %s (%s)", dir, w)
		case g != w:
			t.Errorf("%s: got %s, want %s", dir, g, w)
		}
	}
	for dir, g := range got {
		if _, ok := want[dir]; !ok {
			t.Errorf("found %s at %s, which no Debian package installed", g, dir)
		}
	}
	t.Logf("%d Python distributions installed by dpkg, %d found", len(want), len(got))
}

// fromDirName reads NAME-VERSION.dist-info or NAME-VERSION[-pyX.Y].egg-info,
// where setuptools and wheel write "-" inside NAME or VERSION as "_".
func fromDirName(base string) string {
	stem := strings.TrimSuffix(strings.TrimSuffix(base, ".dist-info"), ".egg-info")
	name, version, _ := strings.Cut(stem, "-")
	version, _, _ = strings.Cut(version, "-py")
	return Normalize(name) + "@" + version
}

// isLink reports whether the fixture's path p is a symbolic link.
func isLink(t *testing.T, p string) bool {
	t.Helper()
	fi, err := os.Lstat(filepath.Join(bigC, p))
	if err != nil {
		t.Fatalf("%s is in a dpkg file list but not in the fixture: %v", p, err)
	}
	return fi.Mode()&os.ModeSymlink != 0
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
