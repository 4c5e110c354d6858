package nuget

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// benchPaths lists the regular files of a real root file system: the
// big-c fixture when it exists (about 35,000 files with Python, Node.js
// and Ruby), otherwise this machine's /usr.
var benchPaths = sync.OnceValue(func() []string {
	root, under := "/var/tmp/imagedrift-fixtures/rootfs/big-c", "/"
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

// BenchmarkMatch measures Match over every file path of a real root file
// system, as the inventory pass calls it; ns/op is per path.
func BenchmarkMatch(b *testing.B) {
	paths := benchPaths()
	if len(paths) == 0 {
		b.Skip("no paths to match")
	}
	c := New()
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
