package load

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
)

// TestDpkgOwnershipAccuracy checks, on every fixture image, that the
// inventory gives each path the dpkg packages that `dpkg -S` would name:
// the truth is computed from the root filesystem's info/*.list files and
// diversions, each listed path resolved through the symlinks of its
// directories (on merged-/usr the lists say /bin/bash, the file is
// /usr/bin/bash). dpkg's own files for a package (info/NAME.*) and the
// links of its alternatives system, which the inventory also gives to
// packages, are left out of the comparison.
func TestDpkgOwnershipAccuracy(t *testing.T) {
	for _, name := range []string{"bookworm-minbase", "trixie-minbase", "big-c", "big-d"} {
		t.Run(name, func(t *testing.T) {
			root := fixtures.Require(t, "rootfs", name)
			img := fixtures.Require(t, "images", name+".docker.tar")
			want := dpkgOwners(t, root)
			inv, err := One(context.Background(), NewIndexer(Options{}), img, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, f := range inv.Files {
				alternative := strings.HasPrefix(f.Path, "/etc/alternatives/") && f.Type == inventory.TypeSymlink && want[f.Path] == ""
				if strings.HasPrefix(f.Path, "/var/lib/dpkg/info/") || alternative {
					continue
				}
				if o := ownerNames(inv, &f, packages.Dpkg); o != "" {
					got[f.Path] = o
				}
			}
			inImage := map[string]bool{}
			for _, f := range inv.Files {
				inImage[f.Path] = true
			}
			for p := range want {
				if !inImage[p] {
					delete(want, p) // left out of the image's tar (/dev, /proc, apt lists)
				}
			}
			t.Logf("%d paths owned by dpkg packages", len(want))
			sameSet(t, "owners", got, want)
		})
	}
}

// ownerNames lists the owners of f in one ecosystem, sorted.
func ownerNames(inv *inventory.Inventory, f *inventory.File, eco string) string {
	var names []string
	for _, o := range f.Owners {
		if p := inv.Packages[o]; p.Ecosystem == eco {
			names = append(names, p.Name)
		}
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// dpkgOwners reads every .list of root into path → owning packages.
func dpkgOwners(t *testing.T, root string) map[string]string {
	t.Helper()
	diverted := map[string][2]string{} // path → diverted to, by
	if data, err := os.ReadFile(filepath.Join(root, "var/lib/dpkg/diversions")); err == nil {
		l := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		for i := 0; i+2 < len(l); i += 3 {
			diverted[l[i]] = [2]string{l[i+1], l[i+2]}
		}
	}
	lists, _ := filepath.Glob(filepath.Join(root, "var/lib/dpkg/info/*.list"))
	if len(lists) == 0 {
		t.Fatalf("no dpkg lists under %s", root)
	}
	owners := map[string][]string{}
	for _, l := range lists {
		pkg, _, _ := strings.Cut(strings.TrimSuffix(filepath.Base(l), ".list"), ":")
		data, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if p == "/." || p == "" {
				continue
			}
			if d, ok := diverted[p]; ok && d[1] != pkg {
				p = d[0]
			}
			real, ok := resolveDirs(root, p)
			if !ok {
				continue // listed, but gone from the file system
			}
			if o := owners[real]; len(o) == 0 || o[len(o)-1] != pkg {
				owners[real] = append(o, pkg)
			}
		}
	}
	out := map[string]string{}
	for p, o := range owners {
		sort.Strings(o)
		out[p] = strings.Join(slicesCompact(o), " ")
	}
	return out
}

func slicesCompact(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// resolveDirs resolves the directories of p within root, as if root were
// "/", and checks that the last component exists (without following it).
func resolveDirs(root, p string) (string, bool) {
	for hops := 0; hops < 40; hops++ {
		parts := strings.Split(strings.TrimPrefix(path.Clean(p), "/"), "/")
		cur := "/"
		restart := false
		for i, part := range parts {
			next := path.Join(cur, part)
			fi, err := os.Lstat(filepath.Join(root, next))
			if err != nil {
				return "", false
			}
			if i < len(parts)-1 && fi.Mode()&os.ModeSymlink != 0 {
				target, err := os.Readlink(filepath.Join(root, next))
				if err != nil {
					return "", false
				}
				if !path.IsAbs(target) {
					target = path.Join(cur, target)
				}
				p = path.Join(target, strings.Join(parts[i+1:], "/"))
				restart = true
				break
			}
			cur = next
		}
		if !restart {
			return cur, true
		}
	}
	return "", false
}

// TestLanguagePackagesFoldedIntoDebian checks on the big-c fixture that
// every Python and npm package Debian installed under
// /usr/lib/python3/dist-packages and /usr/share/nodejs is folded into the
// Debian package whose .list names the file it was read from.
func TestLanguagePackagesFoldedIntoDebian(t *testing.T) {
	root := fixtures.Require(t, "rootfs", "big-c")
	inv, err := One(context.Background(), NewIndexer(Options{}), fixtures.Require(t, "images", "big-c.docker.tar"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	owners := dpkgOwners(t, root)
	n := 0
	for _, p := range inv.Packages {
		if !strings.HasPrefix(p.Location, "/usr/lib/python3/dist-packages/") && !strings.HasPrefix(p.Location, "/usr/share/nodejs/") {
			continue
		}
		n++
		name, ok := strings.CutPrefix(p.OwnedBy, packages.Dpkg+":")
		if !ok || !strings.Contains(" "+owners[p.Location]+" ", " "+name+" ") {
			t.Errorf("%s:%s at %s is owned by %q; its .list owners are %q", p.Ecosystem, p.Name, p.Location, p.OwnedBy, owners[p.Location])
		}
	}
	if n < 100 {
		t.Fatalf("only %d Python and npm packages from Debian in the fixture", n)
	}
	t.Logf("%d Python and npm packages folded into their Debian packages", n)
}

// TestNoDuplicatePackageRisk diffs big-c and big-d: each package change
// raises at most one risk, the Debian package's; the language packages
// that came with it are folded into it.
func TestNoDuplicatePackageRisk(t *testing.T) {
	base, head, err := Pair(context.Background(), fixtures.Require(t, "images", "big-c.docker.tar"),
		fixtures.Require(t, "images", "big-d.docker.tar"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Run(context.Background(), analysis.Input{Base: base, Head: head})
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report
	folded := 0
	for _, ps := range [][]report.Package{rep.Packages.Added, rep.Packages.Removed} {
		for _, p := range ps {
			if p.Ecosystem != packages.Dpkg && p.OwnedBy == "" {
				t.Errorf("%s:%s is not folded into a Debian package", p.Ecosystem, p.Name)
			}
			if p.OwnedBy != "" {
				folded++
			}
		}
	}
	seen := map[string]bool{}
	for _, r := range rep.Risks {
		if !strings.HasPrefix(r.ID, "package-") && r.ID != "major-bump" && r.ID != "downgrade" {
			continue
		}
		if !strings.HasPrefix(r.Subject, packages.Dpkg+":") || seen[r.Subject] {
			t.Errorf("risk %s %s: a language package's or a second one", r.ID, r.Subject)
		}
		seen[r.Subject] = true
	}
	if folded == 0 || len(seen) == 0 {
		t.Errorf("%d folded packages, %d package risks: the pair changes Ruby's gems and Debian packages", folded, len(seen))
	}
	t.Logf("%d package risks, %d language package changes folded", len(seen), folded)
}
