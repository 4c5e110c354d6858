package nuget

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
)

var update = flag.Bool("update", false, "rewrite golden files")

// catalogTree feeds every regular file under root through Match, the
// extractor and Catalog, as the inventory pass does, writing content in
// chunks of chunk bytes. Paths are made absolute relative to root.
func catalogTree(t testing.TB, c packages.Cataloger, root string, chunk int) ([]packages.Package, []packages.Warning) {
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
		for len(data) > 0 {
			n := min(chunk, len(data))
			x.Write(data[:n])
			data = data[n:]
		}
		v, err := x.Result()
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

func checkGolden(t *testing.T, name string, got any) {
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
