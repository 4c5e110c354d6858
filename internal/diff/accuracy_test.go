package diff

import (
	"crypto/sha256"
	"encoding/csv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
	dpkgdb "github.com/imagedrift/imagedrift/internal/packages/dpkg"
)

// The fixtures of ../shared/bench: two debootstrap root file systems and
// the ground truth that truth.py computed from them with dpkg-query and a
// content comparison.

// TestAccuracyDebianUpgrade compares Debian 12 with Debian 13 (minbase)
// and checks every package and path against the ground truth.
func TestAccuracyDebianUpgrade(t *testing.T) {
	fx := fixtures.Dir()
	a, b := filepath.Join(fx, "rootfs", "bookworm-minbase"), filepath.Join(fx, "rootfs", "trixie-minbase")
	truth := filepath.Join(fx, "truth", "bookworm-minbase--trixie-minbase")
	for _, p := range []string{a, b, truth + ".packages.csv", truth + ".files.tsv"} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("fixture %s missing: build them with ../shared/bench/make-fixtures.sh (SET=small)", p)
		}
	}
	if testing.Short() {
		t.Skip("reads two root file systems")
	}
	base, head := walkRootfs(t, a), walkRootfs(t, b)
	ch := Compare(base, head, Options{})
	checkFilesTruth(t, ch, truth+".files.tsv")
	checkPackagesTruth(t, ch, truth+".packages.csv")
}

func checkFilesTruth(t *testing.T, ch *Changes, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		k, p, _ := strings.Cut(line, "\t")
		want[p] = k
	}
	got := map[string]string{}
	for _, e := range ch.Files.Entries {
		got[e.Path] = map[Kind]string{Added: "A", Removed: "D", Modified: "M", Metadata: "M"}[e.Kind]
	}
	diffs := 0
	for p, k := range want {
		if got[p] != k && diffs < 10 {
			t.Errorf("%s: truth %s, diff %q", p, k, got[p])
			diffs++
		}
	}
	for p, k := range got {
		if want[p] == "" && diffs < 10 {
			t.Errorf("%s: diff %s, not in the truth", p, k)
			diffs++
		}
	}
	t.Logf("%d changed paths, as the truth has %d", len(got), len(want))
}

func checkPackagesTruth(t *testing.T, ch *Changes, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	changed := map[string]PackageChange{}
	replacedFrom, replacedTo := map[string]PackageChange{}, map[string]PackageChange{}
	for _, c := range ch.Packages.Changed {
		if c.PreviousName != "" {
			replacedFrom[c.PreviousName], replacedTo[c.Name] = c, c
		} else {
			changed[c.Name] = c
		}
	}
	removed, added := map[string]bool{}, map[string]bool{}
	for _, p := range ch.Packages.Removed {
		removed[p.Name] = true
	}
	for _, p := range ch.Packages.Added {
		added[p.Name] = true
	}
	for _, r := range rows[1:] {
		name, va, vb, kind := r[0], r[2], r[3], r[4]
		switch c := changed[name]; kind {
		case "upgraded":
			if c.From != va || c.To != vb || c.Bump == packages.BumpDowngrade || c.Bump == packages.BumpNone {
				t.Errorf("%s %s → %s upgraded: diff says %+v", name, va, vb, c)
			}
		case "downgraded":
			if c.Bump != packages.BumpDowngrade {
				t.Errorf("%s downgraded: diff says %+v", name, c)
			}
		case "removed":
			if !removed[name] && replacedFrom[name].Name == "" {
				t.Errorf("%s removed: not in the diff", name)
			}
		case "added":
			if !added[name] && replacedTo[name].Name == "" {
				t.Errorf("%s added: not in the diff", name)
			}
		}
	}
	if n := len(ch.Packages.Changed) + len(ch.Packages.Added) + len(ch.Packages.Removed) + len(replacedFrom); n != len(rows)-1 {
		t.Errorf("the diff accounts for %d packages, the truth has %d", n, len(rows)-1)
	}
	// Debian 13's 64-bit time_t transition and soname bumps renamed
	// libraries: they must read as replacements, not as removals and
	// additions; unrelated packages of one source must not.
	for from, to := range map[string]string{"libnettle8": "libnettle8t64", "libhogweed6": "libhogweed6t64",
		"libdb5.3": "libdb5.3t64", "libapt-pkg6.0": "libapt-pkg7.0"} {
		if c, ok := replacedFrom[from]; !ok || c.Name != to {
			t.Errorf("%s: not read as replaced by %s (%+v)", from, to, c)
		}
	}
	if !removed["util-linux-extra"] || !added["liblastlog2-2"] {
		t.Error("util-linux-extra and liblastlog2-2 are not one package renamed")
	}
	for from, c := range replacedFrom {
		t.Logf("replaced: %s → %s (%s) %s → %s, %s", from, c.Name, c.Source, c.From, c.To, c.Bump)
	}
}

// walkRootfs indexes a root file system as an image inventory would,
// leaving out what the fixtures' image layers leave out.
func walkRootfs(t *testing.T, root string) *inventory.Inventory {
	t.Helper()
	skipContents := map[string]bool{"proc": true, "sys": true, "dev": true, "var/lib/apt/lists": true}
	inv := &inventory.Inventory{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return nil
		}
		if strings.HasPrefix(rel, "var/cache/apt/") && strings.HasSuffix(rel, ".bin") && !strings.Contains(rel[len("var/cache/apt/"):], "/") {
			return nil
		}
		f, err := fileOf(p, "/"+rel)
		if err != nil {
			return err
		}
		inv.Files = append(inv.Files, f)
		if d.IsDir() && skipContents[rel] {
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	status, err := os.ReadFile(filepath.Join(root, "var/lib/dpkg/status"))
	if err != nil {
		t.Fatal(err)
	}
	inv.Packages, _ = dpkgdb.Parse(status, "/var/lib/dpkg/status", false)
	return inv
}

func fileOf(p, name string) (inventory.File, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return inventory.File{}, err
	}
	m := fi.Mode()
	f := inventory.File{Path: name, Mode: uint32(m.Perm())}
	if m&fs.ModeSetuid != 0 {
		f.Mode |= 04000
	}
	if m&fs.ModeSetgid != 0 {
		f.Mode |= 02000
	}
	if m&fs.ModeSticky != 0 {
		f.Mode |= 01000
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		f.UID, f.GID = st.Uid, st.Gid
	}
	switch {
	case m.IsRegular():
		f.Type, f.Size = inventory.TypeFile, fi.Size()
		f.SHA256, err = hashFile(p)
	case m.IsDir():
		f.Type = inventory.TypeDir
	case m&fs.ModeSymlink != 0:
		f.Type = inventory.TypeSymlink
		f.Link, err = os.Readlink(p)
	case m&fs.ModeCharDevice != 0:
		f.Type = inventory.TypeChar
	case m&fs.ModeDevice != 0:
		f.Type = inventory.TypeBlock
	default:
		f.Type = inventory.TypeFifo
	}
	return f, err
}

func hashFile(p string) (inventory.Digest, error) {
	var d inventory.Digest
	f, err := os.Open(p)
	if err != nil {
		return d, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return d, err
	}
	h.Sum(d[:0])
	return d, nil
}
