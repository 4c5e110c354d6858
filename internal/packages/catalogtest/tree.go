package catalogtest

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"

	"github.com/imagedrift/imagedrift/internal/golden"
)

// update is the one -update flag of every test binary that imports this
// package; those packages must not define their own, as flag panics on a
// name registered twice.
var update = golden.Update

// Feed writes data to x in chunks of chunk bytes, as the inventory pass
// streams a file, and returns x's Result.
func Feed(x packages.Extractor, data []byte, chunk int) (any, error) {
	for len(data) > 0 {
		n := min(chunk, len(data))
		x.Write(data[:n])
		data = data[n:]
	}
	return x.Result()
}

// Tree feeds every regular file under root through Match, the extractor
// and Catalog, as the inventory pass does, writing content in chunks of
// chunk bytes. Paths are made absolute relative to root.
func Tree(t testing.TB, c packages.Cataloger, root string, chunk int) ([]packages.Package, []packages.Warning) {
	t.Helper()
	var files []packages.File
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		path := "/" + filepath.ToSlash(rel)
		if d.IsDir() && (path == "/proc" || path == "/sys" || path == "/dev") {
			return filepath.SkipDir // a root being built may have them mounted
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		x := c.Match(path, info.Size(), info.Mode())
		if x == nil {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		v, err := Feed(x, data, chunk)
		if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		files = append(files, packages.File{Path: path, Size: info.Size(), Data: v})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return c.Catalog(files)
}

// GoldenTree catalogs testdata/root with c at each chunk size and checks
// the packages and warnings against testdata/root.golden.json.
func GoldenTree(t *testing.T, c packages.Cataloger, chunks ...int) {
	t.Helper()
	for _, chunk := range chunks {
		pkgs, warns := Tree(t, c, "testdata/root", chunk)
		Golden(t, "root.golden.json", struct {
			Packages []packages.Package `json:"packages"`
			Warnings []packages.Warning `json:"warnings"`
		}{pkgs, warns})
	}
}

// Golden checks got, as indented JSON ending in a newline, against the
// file name in testdata, rewriting the file first when -update is set.
func Golden(t testing.TB, name string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs from the output (run with -update after checking):\n%s", golden, b)
	}
}
