package apk

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

const dbPath = "/lib/apk/db/installed"

// capture runs data through the cataloger's own extractor, as the
// inventory pass does.
func capture(t *testing.T, p string, data []byte) packages.File {
	t.Helper()
	ex := New().Match(p, int64(len(data)), 0o644)
	if ex == nil {
		t.Fatalf("%s not matched", p)
	}
	for chunk := range slices.Chunk(data, 1000) {
		ex.Write(chunk)
	}
	v, _ := ex.Result()
	return packages.File{Path: p, Size: int64(len(data)), Data: v}
}

func TestCatalogGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/installed")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, warns := New().Catalog([]packages.File{capture(t, dbPath, data)})
	if len(pkgs) != 14 || len(warns) != 0 {
		t.Errorf("got %d packages, warnings %v; alpine:3.20 has 14 packages", len(pkgs), warns)
	}
	for _, p := range pkgs {
		if _, err := packages.Compare(packages.Apk, p.Version, p.Version); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
	catalogtest.Golden(t, "golden.json", pkgs)
}

func TestMatch(t *testing.T) {
	tests := []struct {
		path string
		mode fs.FileMode
		want bool
	}{
		{"/lib/apk/db/installed", 0o644, true},
		{"/usr/lib/apk/db/installed", 0o644, true},
		{"/lib/apk/db/installed", fs.ModeSymlink, false},
		{"/lib/apk/db/scripts.tar", 0o644, false},
		{"/etc/apk/world", 0o644, false},
	}
	for _, tt := range tests {
		if got := New().Match(tt.path, 1, tt.mode) != nil; got != tt.want {
			t.Errorf("Match(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestCatalogMalformed(t *testing.T) {
	good := "P:musl\nV:1.2.5-r0\nA:x86_64\no:musl\n\n"
	tests := []struct {
		name, data string
		pkgs       int
		warn       string
	}{
		{"no version", "P:foo\nA:x86_64\n\n" + good, 1, "without P: or V:"},
		{"bad line", good + "P:zlib\nthis is not a field\nV:1.3.1-r1\n", 2, "not a K:value line"},
		{"no trailing blank line", strings.TrimSuffix(good, "\n\n"), 1, ""},
		{"crlf", strings.ReplaceAll(good, "\n", "\r\n"), 1, ""},
		{"binary", "\x00\xff\n\n" + good, 1, "not a K:value line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkgs, warns := New().Catalog([]packages.File{capture(t, dbPath, []byte(tt.data))})
			if len(pkgs) != tt.pkgs {
				t.Errorf("got %d packages, want %d", len(pkgs), tt.pkgs)
			}
			if tt.warn == "" && len(warns) > 0 || tt.warn != "" && (len(warns) == 0 || !strings.Contains(warns[0].Message, tt.warn) || warns[0].Path != dbPath) {
				t.Errorf("warnings %v, want one naming %s containing %q", warns, dbPath, tt.warn)
			}
			for _, p := range pkgs {
				if p.Name == "musl" && (p.Version != "1.2.5-r0" || p.Arch != "x86_64" || p.Source != "") {
					t.Errorf("musl read as %+v", p)
				}
			}
		})
	}
}

func TestCatalogTruncated(t *testing.T) {
	pkgs, warns := New().Catalog([]packages.File{{Path: dbPath, Data: &packages.Captured{Data: []byte("P:a\nV:1\n"), Size: 1 << 30, Truncated: true}}})
	if len(pkgs) != 0 || len(warns) != 1 || !strings.Contains(warns[0].Message, "larger than the cap") {
		t.Errorf("got %v, %v", pkgs, warns)
	}
}

func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("testdata/installed"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("P:a\nV:1\n\nP:\nV:\n"))
	f.Add([]byte("P:a\nV:1\nR:orphan\nZ:Q1x\nF:etc\nR:\nR:x\nZ:Q1ZiyZUgEJsVNxIKMhQR/Hw1x0w5E=\nZ:Q1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ins, _ := parse(data, dbPath)
		for _, in := range ins {
			if in.pkg.Name == "" || in.pkg.Version == "" {
				t.Fatalf("empty name or version: %+v", in.pkg)
			}
			for _, f := range in.files {
				if !strings.HasPrefix(f.Path, "/") || f.Digest.Algo != packages.NoDigest && f.Digest.Algo != packages.SHA1 {
					t.Fatalf("file %+v", f)
				}
			}
		}
	})
}

// The database lists each package's directories and files, with the
// SHA-1 of each file.
func TestCatalogOwned(t *testing.T) {
	data, err := os.ReadFile("testdata/installed")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, owned, warns := New().(packages.Owner).CatalogOwned([]packages.File{{Path: dbPath, Data: &packages.Captured{Data: data}}})
	if len(warns) > 0 || len(owned) != len(pkgs) || len(pkgs) == 0 {
		t.Fatalf("%d packages, %d owned, warnings %v", len(pkgs), len(owned), warns)
	}
	o := owned[0]
	files := slices.Collect(o.Files)
	if pkgs[o.Package].Name != "alpine-baselayout-data" || len(files) < 3 || files[0].Path != "/etc" ||
		files[1].Path != "/etc/fstab" || files[1].Digest.Algo != packages.SHA1 || files[1].Digest.Bytes()[0] != 0x66 {
		t.Errorf("first package owns %+v", files[:min(3, len(files))])
	}
}
