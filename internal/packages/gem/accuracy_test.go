package gem

import (
	"bufio"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// bigC is the root file system of the big-c fixture image (Debian 12 with
// Python, Node.js and Ruby from Debian), built by ../shared/bench/make-fixtures.sh.
const bigC = "/var/tmp/imagedrift-fixtures/rootfs/big-c"

// installedSpec matches, independently of Match, a specification RubyGems
// keeps for an installed or default gem.
var installedSpec = regexp.MustCompile(`/specifications/(default/)?[^/]+\.gemspec$`)

// TestAccuracyBigC catalogs the whole big-c root file system and checks
// the result against the specifications dpkg installed: each must give
// the gem its file name (NAME-VERSION[-PLATFORM].gemspec) says, and
// nothing else may be found. A specification that is a symbolic link is
// not expected: the inventory hands catalogers regular files only.
func TestAccuracyBigC(t *testing.T) {
	want := map[string]string{}
	for _, p := range dpkgLists(t, bigC) {
		if installedSpec.MatchString(p) && isRegular(t, p) {
			want[p] = strings.TrimSuffix(path.Base(p), ".gemspec")
		}
	}
	if len(want) == 0 {
		t.Fatal("no gem specifications in the dpkg file lists; is Ruby installed in big-c?")
	}
	pkgs, warns := catalogTree(t, New(), bigC, 64<<10)
	for _, w := range warns {
		t.Errorf("warning: %s", w)
	}
	got := map[string]string{}
	for _, p := range pkgs {
		id := p.Name + "-" + p.Version
		if p.Arch != "" {
			id += "-" + p.Arch
		}
		got[p.Location] = id
	}
	for p, w := range want {
		switch g, ok := got[p]; {
		case !ok:
			t.Errorf("missed %s", p)
		case g != w:
			t.Errorf("%s: got %s, want %s", p, g, w)
		}
	}
	for p, g := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("found %s in %s, which no Debian package installed", g, p)
		}
	}
	t.Logf("%d gem specifications installed by dpkg, %d gems found", len(want), len(got))
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
