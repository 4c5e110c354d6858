package inventory

import (
	"archive/tar"
	"path"
	"testing"
)

// FuzzLayers feeds arbitrary bytes as two stacked uncompressed layers.
// The inventory must either fail with a layer error or describe a sane
// file system: sorted, unique, clean absolute paths.
func FuzzLayers(f *testing.F) {
	f.Add(tarBytes(f, dir("etc/"), reg("etc/passwd", "root"), sym("bin/sh", "busybox")),
		tarBytes(f, whiteout("etc/.wh.passwd"), hard("bin/ls", "bin/busybox")))
	f.Add(tarBytes(f, dir("opt/a/"), reg("opt/a/x", "1")),
		tarBytes(f, dir("opt/a/"), whiteout("opt/a/.wh..wh..opq"), reg("opt/a/y", "2")))
	f.Add(tarBytes(f, reg("../x", "1")), tarBytes(f, tf{name: "dev/null", typ: tar.TypeChar}))
	f.Add(tarBytes(f, sym("etc/os-release", "/etc/os-release")), tarBytes(f, reg("a", "")))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		la, errA := tarballLayer(a)
		lb, errB := tarballLayer(b)
		if errA != nil || errB != nil {
			return
		}
		inv, err := inventoryOf(t, imageOf(t, la, lb), Options{Limits: Limits{ExpandBase: 1 << 20, ExpandRatio: 10, MaxEntries: 10000}})
		if err != nil {
			return
		}
		prev := ""
		for _, f := range inv.Files {
			if f.Path != path.Clean(f.Path) || !path.IsAbs(f.Path) {
				t.Fatalf("unclean path %q", f.Path)
			}
			if prev != "" && f.Path <= prev {
				t.Fatalf("paths not sorted and unique: %q after %q", f.Path, prev)
			}
			prev = f.Path
		}
	})
}
