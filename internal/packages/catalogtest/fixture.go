package catalogtest

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/imagedrift/imagedrift/internal/fixtures"
)

// BigC is the root file system of the big-c fixture image (Debian 12 with
// Python, Node.js and Ruby from Debian), built by ../shared/bench/make-fixtures.sh.
var BigC = fixtures.Path("rootfs", "big-c")

// DpkgLists returns every path named by root's /var/lib/dpkg/info/*.list
// files, skipping the test when the fixture is absent.
func DpkgLists(t *testing.T, root string) []string {
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

// ListedMode returns the mode, without following a link, of the path p
// that a dpkg file list of the fixture at root names.
func ListedMode(t *testing.T, root, p string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(filepath.Join(root, p))
	if err != nil {
		t.Fatalf("%s is in a dpkg file list but not in the fixture: %v", p, err)
	}
	return fi.Mode()
}

// CompareFound checks what a cataloger found in the fixture against what
// its dpkg file lists say was installed, both keyed by location: every
// location of want must be found with the same value, and nothing else.
func CompareFound(t *testing.T, want, got map[string]string) {
	t.Helper()
	for p, w := range want {
		switch g, ok := got[p]; {
		case !ok:
			t.Errorf("missed %s (%s)", p, w)
		case g != w:
			t.Errorf("%s: got %s, want %s", p, g, w)
		}
	}
	for p, g := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("found %s at %s, which no Debian package installed", g, p)
		}
	}
}
