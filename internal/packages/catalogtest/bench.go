package catalogtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// benchPaths lists the regular files of a real root file system: the
// big-c fixture when it exists (about 35,000 files with Python, Node.js
// and Ruby), otherwise this machine's /usr.
var benchPaths = sync.OnceValue(func() []string {
	root, under := BigC, "/"
	if _, err := os.Stat(filepath.Join(root, "var/lib/dpkg/status")); err != nil {
		root, under = "/", "/usr"
	}
	var paths []string
	filepath.WalkDir(filepath.Join(root, under), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		path := "/" + filepath.ToSlash(rel)
		switch {
		case d.IsDir() && (path == "/proc" || path == "/sys" || path == "/dev"):
			return filepath.SkipDir
		case d.Type().IsRegular():
			paths = append(paths, path)
		}
		return nil
	})
	return paths
})

// BenchMatch measures c.Match over every file path of a real root file
// system, as the inventory pass calls it; ns/op is per path.
func BenchMatch(b *testing.B, c packages.Cataloger) {
	paths := benchPaths()
	if len(paths) == 0 {
		b.Skip("no paths to match")
	}
	matched := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if c.Match(paths[i%len(paths)], 4096, 0o644) != nil {
			matched++
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(paths)), "paths")
	b.ReportMetric(float64(matched)*float64(len(paths))/float64(b.N), "matched")
}

// BenchExtract measures an extractor as the inventory drives it: data in
// 256 KiB writes (its copy buffer), then Result, with a fresh extractor
// from next (given the file's size) each time; it reports ns/byte over
// the whole file.
func BenchExtract(b *testing.B, data []byte, next func(size int64) packages.Extractor) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Feed(next(int64(len(data))), data, 256<<10); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(data)), "ns/byte")
}

// BenchExtractFile is BenchExtract over the file at path, skipping the
// benchmark when this machine has no such file.
func BenchExtractFile(b *testing.B, path string, next func(size int64) packages.Extractor) {
	data, err := os.ReadFile(path)
	if err != nil || len(data) == 0 {
		b.Skip("no ", path)
	}
	BenchExtract(b, data, next)
}
