package npm

import (
	"regexp"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

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
	for _, p := range catalogtest.DpkgLists(t, catalogtest.BigC) {
		if !debianRoot.MatchString(p) {
			continue
		}
		if !catalogtest.ListedMode(t, catalogtest.BigC, p).IsRegular() {
			links++
			continue
		}
		want[p] = true
	}
	if len(want) == 0 {
		t.Fatal("no package roots in the dpkg file lists; is Node.js installed in big-c?")
	}
	pkgs, warns := catalogtest.Tree(t, New(), catalogtest.BigC, 64<<10)
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
