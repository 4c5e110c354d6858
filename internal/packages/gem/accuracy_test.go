package gem

import (
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

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
	for _, p := range catalogtest.DpkgLists(t, catalogtest.BigC) {
		if installedSpec.MatchString(p) && catalogtest.ListedMode(t, catalogtest.BigC, p).IsRegular() {
			want[p] = strings.TrimSuffix(path.Base(p), ".gemspec")
		}
	}
	if len(want) == 0 {
		t.Fatal("no gem specifications in the dpkg file lists; is Ruby installed in big-c?")
	}
	pkgs, warns := catalogtest.Tree(t, New(), catalogtest.BigC, 64<<10)
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
	catalogtest.CompareFound(t, want, got)
	t.Logf("%d gem specifications installed by dpkg, %d gems found", len(want), len(got))
}
