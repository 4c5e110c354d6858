package python

import (
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// TestAccuracyBigC catalogs the whole big-c root file system and checks
// the result against what dpkg installed: every *.dist-info and
// *.egg-info that a package's file list names must give exactly one
// package, with the name and version its directory name encodes, and
// nothing else may be found. Symbolic links are not expected: the
// inventory hands catalogers regular files only.
func TestAccuracyBigC(t *testing.T) {
	lists := catalogtest.DpkgLists(t, catalogtest.BigC)
	want := map[string]string{} // metadata directory or file → name@version
	for _, p := range lists {
		base := path.Base(p)
		meta := strings.HasSuffix(base, ".dist-info") || strings.HasSuffix(base, ".egg-info")
		if meta && catalogtest.ListedMode(t, catalogtest.BigC, p)&fs.ModeSymlink == 0 {
			want[p] = fromDirName(base)
		}
	}
	if len(want) == 0 {
		t.Fatal("no dist-info or egg-info in the dpkg file lists; is Python installed in big-c?")
	}
	pkgs, warns := catalogtest.Tree(t, New(), catalogtest.BigC, 64<<10)
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
	catalogtest.CompareFound(t, want, got)
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
