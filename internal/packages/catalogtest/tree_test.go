package catalogtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// echo catalogs every *.txt file as one package named by its path, whose
// version is the file's content, so Tree's plumbing shows in the result.
type echo struct{}

func (echo) Ecosystem() string { return "echo" }

func (echo) Match(path string, _ int64, _ os.FileMode) packages.Extractor {
	if strings.HasSuffix(path, ".txt") {
		return packages.Capture(1 << 10)
	}
	return nil
}

func (echo) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	var pkgs []packages.Package
	for _, f := range files {
		c := f.Data.(*packages.Captured)
		pkgs = append(pkgs, packages.Package{Name: f.Path, Version: string(c.Data)})
	}
	return pkgs, nil
}

func TestTree(t *testing.T) {
	root := t.TempDir()
	for name, content := range map[string]string{
		"b/two.txt":      "second file",
		"a.txt":          "first",
		"a.bin":          "not matched",
		"proc/skip.txt":  "a mounted /proc is skipped",
		"b/c/three.txt":  strings.Repeat("x", 100),
		"b/c/empty.txt":  "",
		"b/c/ignore.dat": "not matched",
	} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("a.txt", filepath.Join(root, "link.txt")); err != nil {
		t.Fatal(err)
	}
	want := "/a.txt@first /b/c/empty.txt@ /b/c/three.txt@" + strings.Repeat("x", 100) + " /b/two.txt@second file"
	for _, chunk := range []int{1, 7, 1 << 20} {
		pkgs, warns := Tree(t, echo{}, root, chunk)
		var got []string
		for _, p := range pkgs {
			got = append(got, p.Name+"@"+p.Version)
		}
		if s := strings.Join(got, " "); s != want || len(warns) != 0 {
			t.Errorf("chunk %d: got %q %v, want %q", chunk, s, warns, want)
		}
	}
}

func TestFeed(t *testing.T) {
	data := []byte("0123456789")
	for _, chunk := range []int{1, 3, 10, 11} {
		v, err := Feed(packages.Capture(8), data, chunk)
		c := v.(*packages.Captured)
		if err == nil || !c.Truncated || c.Size != 10 || !bytes.Equal(c.Data, data[:8]) {
			t.Errorf("chunk %d: got %+v, %v; want the first 8 of 10 bytes and an error", chunk, c, err)
		}
	}
}
