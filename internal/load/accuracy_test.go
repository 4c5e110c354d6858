package load

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
)

// truthPackages reads a truth CSV: package → version on side a and b.
func truthPackages(t *testing.T, path string) (a, b map[string]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	a, b = map[string]string{}, map[string]string{}
	for _, r := range rows[1:] { // package,arch,version_a,version_b,...
		if r[2] != "" {
			a[r[0]+":"+r[1]] = r[2]
		}
		if r[3] != "" {
			b[r[0]+":"+r[1]] = r[3]
		}
	}
	return a, b
}

func dpkgSet(inv *inventory.Inventory) map[string]string {
	m := map[string]string{}
	for _, p := range inv.Packages {
		if p.Ecosystem == packages.Dpkg {
			m[p.Name+":"+p.Arch] = p.Version
		}
	}
	return m
}

func sameSet(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	var diffs []string
	for k, v := range want {
		if got[k] != v {
			diffs = append(diffs, k+": got "+q(got[k])+", want "+q(v))
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, k+": got "+q(v)+", not installed")
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("%s: %d of %d differ, e.g.\n  %s", what, len(diffs), len(want), strings.Join(diffs[:min(len(diffs), 15)], "\n  "))
	}
}

func q(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// TestDpkgAccuracy compares the dpkg packages of each fixture pair, read
// from the images, with what dpkg-query says of their root filesystems.
func TestDpkgAccuracy(t *testing.T) {
	for _, pair := range [][2]string{{"bookworm-minbase", "trixie-minbase"}, {"big-c", "big-d"}} {
		t.Run(pair[0]+"--"+pair[1], func(t *testing.T) {
			truth := fixtures.Require(t, "truth", pair[0]+"--"+pair[1]+".packages.csv")
			wantA, wantB := truthPackages(t, truth)
			a, b, err := Pair(context.Background(),
				fixtures.Require(t, "images", pair[0]+".docker.tar"),
				fixtures.Require(t, "images", pair[1]+".oci.tar"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			sameSet(t, pair[0], dpkgSet(a), wantA)
			sameSet(t, pair[1], dpkgSet(b), wantB)
		})
	}
}

// dpkgLists returns every path that the dpkg packages of a root
// filesystem installed, from their .list files.
func dpkgLists(t *testing.T, root string) []string {
	t.Helper()
	lists, err := filepath.Glob(filepath.Join(root, "var/lib/dpkg/info/*.list"))
	if err != nil || len(lists) == 0 {
		t.Fatalf("no dpkg lists under %s: %v", root, err)
	}
	var out []string
	for _, l := range lists {
		data, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Split(strings.TrimSpace(string(data)), "\n")...)
	}
	return out
}

// TestGoAndJavaAccuracy checks, on the big image, that every Go
// executable the distribution installed is found with the version the Go
// toolchain itself reads from it, and every jar it installed is listed.
func TestGoAndJavaAccuracy(t *testing.T) {
	root := fixtures.Require(t, "rootfs", "big-c")
	inv, err := One(context.Background(), NewIndexer(Options{}), fixtures.Require(t, "images", "big-c.docker.tar"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantGo, wantJava := map[string]string{}, map[string]string{}
	for _, p := range dpkgLists(t, root) {
		fi, err := os.Lstat(filepath.Join(root, p))
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		switch {
		case strings.HasSuffix(p, ".jar"):
			wantJava[p] = "listed"
		case fi.Mode()&0o111 != 0 && fi.Size() >= 256<<10:
			if head, _ := readHead(filepath.Join(root, p)); !bytes.HasPrefix(head, []byte("\x7fELF")) {
				continue
			}
			if bi, err := buildinfo.ReadFile(filepath.Join(root, p)); err == nil {
				wantGo[p] = bi.GoVersion
			}
		}
	}
	if len(wantGo) == 0 || len(wantJava) == 0 {
		t.Fatalf("the fixture should hold Go executables and jars: %d, %d", len(wantGo), len(wantJava))
	}
	gotGo, gotJava := map[string]string{}, map[string]string{}
	for _, p := range inv.Packages {
		switch {
		case p.Ecosystem == packages.Go && p.Name == "stdlib":
			gotGo[p.Location] = "go" + strings.TrimPrefix(p.Version, "v")
		case p.Ecosystem == packages.Java:
			outer, _, _ := strings.Cut(p.Location, "!")
			gotJava[outer] = "listed"
		}
	}
	t.Logf("%d Go executables, %d jars installed by dpkg", len(wantGo), len(wantJava))
	sameSet(t, "go executables (stdlib version)", gotGo, normaliseGo(wantGo))
	sameSet(t, "jars", gotJava, wantJava)
}

// normaliseGo writes toolchain versions the way the cataloger reports
// them (go1.19.8 → go1.19.8; go1.21 → go1.21.0 in module form).
func normaliseGo(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if strings.Count(v, ".") == 1 && !strings.Contains(v, "rc") && !strings.Contains(v, "beta") {
			v += ".0"
		}
		out[k] = v
	}
	return out
}

func readHead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 4)
	n, _ := f.Read(b)
	return b[:n], nil
}

// TestFileAccuracyBigPair diffs the two big images end to end (a docker
// save archive against an OCI archive) and checks every changed path
// against the truth computed from their root filesystems.
func TestFileAccuracyBigPair(t *testing.T) {
	truth := fixtures.Require(t, "truth", "big-c--big-d.files.tsv")
	a, b, err := Pair(context.Background(), fixtures.Require(t, "images", "big-c.docker.tar"),
		fixtures.Require(t, "images", "big-d.oci.tar"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := diff.DefaultOptions()
	opts.NoisePaths = nil // the truth counts every path
	got := map[string]string{}
	for _, c := range diff.Compare(a, b, opts).Files.Entries {
		kind := map[diff.Kind]string{diff.Added: "A", diff.Removed: "D", diff.Modified: "M", diff.Metadata: "M"}[c.Kind]
		got[c.Path] = kind
	}
	data, err := os.ReadFile(truth)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		kind, p, _ := strings.Cut(line, "\t")
		want[p] = kind
	}
	sameSet(t, "changed paths (A/D/M)", got, want)
}
