package inventory

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"io"
	"slices"
	"sort"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func sha(s string) Digest {
	return sha256.Sum256([]byte(s))
}

func paths(inv *Inventory) []string {
	var out []string
	for _, f := range inv.Files {
		out = append(out, f.Path)
	}
	return out
}

func TestSquash(t *testing.T) {
	base := layerOf(t,
		dir("etc/"), reg("etc/passwd", "root:x:0:0\n"), reg("etc/hostname", "a\n"),
		dir("opt/"), dir("opt/app/"), reg("opt/app/old.txt", "old"), reg("opt/app/keep.txt", "k"),
		dir("var/"), dir("var/cache/"), reg("var/cache/x", "x"),
		reg("bin/busybox", "BUSYBOX"), sym("bin/sh", "busybox"),
	)
	mid := layerOf(t,
		whiteout("etc/.wh.hostname"),                      // file removed
		dir("opt/app/"), whiteout("opt/app/.wh..wh..opq"), // lower contents hidden
		reg("opt/app/new.txt", "new"),
		whiteout("var/.wh.cache"),      // whole directory removed
		hard("bin/sh2", "bin/busybox"), // hard link to a lower layer's file
	)
	top := layerOf(t,
		reg("etc/passwd", "root:x:0:0\napp:x:1000:1000\n"),
		tf{name: "usr/bin/su", typ: tar.TypeReg, body: "SU", mode: 0o4755},
		reg("a/b/c", "deep"), // parents implied
	)
	inv, err := inventoryOf(t, imageOf(t, base, mid, top), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := paths(inv)
	want := []string{"/a/b/c", "/bin/busybox", "/bin/sh", "/bin/sh2", "/etc", "/etc/passwd",
		"/opt", "/opt/app", "/opt/app/new.txt", "/usr/bin/su", "/var"}
	if !sort.StringsAreSorted(got) || len(got) != len(want) {
		t.Fatalf("paths = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("paths = %q, want %q", got, want)
		}
	}
	m := fileMap(inv)
	if f := m["/etc/passwd"]; f.Layer != 2 || f.SHA256 != sha("root:x:0:0\napp:x:1000:1000\n") {
		t.Errorf("/etc/passwd = %+v, want layer 2 with the new content", f)
	}
	if f := m["/bin/sh2"]; f.Type != TypeFile || !f.HardLink || f.Link != "/bin/busybox" || f.SHA256 != sha("BUSYBOX") || f.Size != 7 {
		t.Errorf("hard link across layers = %+v", f)
	}
	if f := m["/bin/sh"]; f.Type != TypeSymlink || f.Link != "busybox" {
		t.Errorf("symlink = %+v", f)
	}
	if f := m["/usr/bin/su"]; f.Mode != 0o4755 {
		t.Errorf("setuid mode = %o", f.Mode)
	}
	if inv.Size != int64(len("root:x:0:0\napp:x:1000:1000\n")+len("BUSYBOX")*2+len("new")+len("SU")+len("deep")) {
		t.Errorf("size = %d", inv.Size)
	}
	if len(inv.Layers) != 3 || inv.Layers[1].Entries != 6 {
		t.Errorf("layers = %+v", inv.Layers)
	}
}

func TestWhiteoutOnlyHidesLowerLayers(t *testing.T) {
	// The whiteout stands after the file in the same layer: the file stays.
	l1 := layerOf(t, reg("x", "1"))
	l2 := layerOf(t, reg("x", "2"), whiteout(".wh.x"))
	inv, err := inventoryOf(t, imageOf(t, l1, l2), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := fileMap(inv)["/x"]; !ok || f.SHA256 != sha("2") {
		t.Fatalf("/x = %+v, %v; want layer 2's file", f, ok)
	}
}

func TestHardlinkToMissingTargetIsWarned(t *testing.T) {
	inv, err := inventoryOf(t, imageOf(t, layerOf(t, hard("a", "nowhere"))), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Warnings) != 1 || inv.Warnings[0].Path != "/a" {
		t.Fatalf("warnings = %+v", inv.Warnings)
	}
	f, ok := fileMap(inv)["/a"]
	if !ok || !f.HardLink || f.Link != "/nowhere" || !f.SHA256.IsZero() {
		t.Fatalf("the entry must be kept as a hard link of unknown content: %+v, %v", f, ok)
	}
}

func TestOSReleaseThroughSymlink(t *testing.T) {
	l := layerOf(t,
		sym("etc/os-release", "../usr/lib/os-release"),
		reg("usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"),
	)
	inv, err := inventoryOf(t, imageOf(t, l), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := OS{ID: "debian", VersionID: "12", PrettyName: "Debian GNU/Linux 12 (bookworm)"}
	if inv.OS != want {
		t.Fatalf("os = %+v, want %+v", inv.OS, want)
	}
}

func TestSymlinkLoopTerminates(t *testing.T) {
	l := layerOf(t, sym("etc/os-release", "loop"), sym("etc/loop", "os-release"))
	inv, err := inventoryOf(t, imageOf(t, l), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if inv.OS != (OS{}) {
		t.Fatalf("os = %+v", inv.OS)
	}
}

// countingLayer counts how often its content is opened.
type countingLayer struct {
	v1.Layer
	opens *int
}

func (c countingLayer) Compressed() (io.ReadCloser, error) {
	*c.opens++
	return c.Layer.Compressed()
}

// TestSharedLayersReadOnce: two images on the same bottom layer, indexed
// by one Indexer, read that layer once.
func TestSharedLayersReadOnce(t *testing.T) {
	opens := 0
	shared := countingLayer{Layer: layerOf(t, reg("etc/os-release", "ID=debian\n"), reg("bin/sh", "SH")), opens: &opens}
	base := imageOf(t, shared, layerOf(t, reg("app/v", "1")))
	head := imageOf(t, shared, layerOf(t, reg("app/v", "2")))
	x := NewIndexer(Options{})
	for _, img := range []v1.Image{base, head, base} {
		if _, err := x.Inventory(context.Background(), Source{Ref: "x", Image: img}); err != nil {
			t.Fatal(err)
		}
	}
	if opens != 1 {
		t.Fatalf("the shared layer was read %d times, want 1", opens)
	}
}

// gatedLayer opens only once gate is closed, counting how often.
type gatedLayer struct {
	countingLayer
	gate chan struct{}
}

func (g gatedLayer) Compressed() (io.ReadCloser, error) {
	<-g.gate
	return g.countingLayer.Compressed()
}

// With Release, inventories indexed at the same time share a layer, and
// the layer's index is dropped once they are done: a later inventory
// reads it again.
func TestReleasedLayers(t *testing.T) {
	opens := 0
	shared := gatedLayer{countingLayer{Layer: layerOf(t, reg("bin/sh", "SH")), opens: &opens}, make(chan struct{})}
	base := imageOf(t, shared, layerOf(t, reg("app/v", "1")))
	head := imageOf(t, shared, layerOf(t, reg("app/v", "2")))
	x := NewIndexer(Options{Release: true})
	errs := make(chan error, 2)
	for _, img := range []v1.Image{base, head} {
		go func() {
			_, err := x.Inventory(context.Background(), Source{Ref: "x", Image: img})
			errs <- err
		}()
	}
	for users := 0; users < 2; {
		time.Sleep(time.Millisecond)
		x.mu.Lock()
		users = 0
		for _, j := range x.layers {
			users = max(users, j.users)
		}
		x.mu.Unlock()
	}
	close(shared.gate)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if opens != 1 || len(x.layers) != 0 {
		t.Fatalf("the shared layer was read %d times, %d layers kept; want once and none", opens, len(x.layers))
	}
	if _, err := x.Inventory(context.Background(), Source{Ref: "x", Image: base}); err != nil || opens != 2 {
		t.Fatalf("a later inventory: %v, %d reads", err, opens)
	}
}

// The file list is in ComparePaths order, so that a diff merges two lists
// without sorting copies of them.
func TestFilesInComparePathsOrder(t *testing.T) {
	inv, err := inventoryOf(t, imageOf(t, layerOf(t, dir("usr/lib/"), reg("usr/lib/x", "1"), reg("usr/lib-foo", "2"),
		reg("usr/lib.so", "3"), reg("usr/lib/a/b", "4"))), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(inv.Files, func(a, b File) int { return ComparePaths(a.Path, b.Path) }) {
		var paths []string
		for _, f := range inv.Files {
			paths = append(paths, f.Path)
		}
		t.Errorf("not in ComparePaths order: %q", paths)
	}
	for _, c := range []struct {
		a, b string
		want int
	}{{"/usr/lib/x", "/usr/lib-foo", -1}, {"/usr/lib", "/usr/lib/x", -1}, {"/a", "/a", 0}, {"/b", "/a/z", 1}} {
		if got := ComparePaths(c.a, c.b); got < 0 != (c.want < 0) || got > 0 != (c.want > 0) {
			t.Errorf("ComparePaths(%q, %q) = %d", c.a, c.b, got)
		}
	}
}
