package dpkg

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// BenchmarkMatch measures Match over every file path of a real root file
// system, as the inventory pass calls it; ns/op is per path.
func BenchmarkMatch(b *testing.B) { catalogtest.BenchMatch(b, New()) }

// BenchmarkExtractList front-codes the largest .list file of the big-c
// fixture (openjdk's), as the pass does.
func BenchmarkExtractList(b *testing.B) {
	catalogtest.BenchExtractFile(b, filepath.Join(catalogtest.BigC, "var/lib/dpkg/info/openjdk-17-jre-headless:amd64.list"),
		func(int64) packages.Extractor { return &listExtractor{} })
}

// BenchmarkClaims reads the records of every package of the big-c
// fixture and yields every path they claim: what the ownership join
// consumes, per image.
func BenchmarkClaims(b *testing.B) {
	root := catalogtest.BigC
	infos, _ := filepath.Glob(filepath.Join(root, "var/lib/dpkg/info/*"))
	if len(infos) == 0 {
		b.Skipf("fixture %s is absent: build it with ../shared/bench/make-fixtures.sh", root)
	}
	c := New().(packages.Owner)
	var files []packages.File
	for _, p := range append([]string{filepath.Join(root, "var/lib/dpkg/status")}, infos...) {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		img := "/" + filepath.ToSlash(must(filepath.Rel(root, p)))
		if x := c.Match(img, int64(len(data)), 0o644); x != nil {
			v, _ := catalogtest.Feed(x, data, 256<<10)
			files = append(files, packages.File{Path: img, Size: int64(len(data)), Data: v})
		}
	}
	b.ReportAllocs()
	paths := 0
	for b.Loop() {
		_, owned, _ := c.CatalogOwned(files)
		paths = 0
		for _, o := range owned {
			for range o.Files {
				paths++
			}
		}
	}
	b.ReportMetric(float64(paths), "paths")
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}
