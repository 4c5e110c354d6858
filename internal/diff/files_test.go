package diff

import (
	"testing"

	"github.com/imagedrift/imagedrift/internal/inventory"
)

func TestCompareFiles(t *testing.T) {
	base := []inventory.File{
		dir("/etc"),
		file("/etc/os-release", 267, "a1"),
		file("/etc/ld.so.cache", 9000, "c1"),
		file("/usr/bin/passwd", 59976, "p1"),
		file("/usr/bin/su", 72000, "s1"),
		symlink("/usr/bin/python3", "python3.11"),
		file("/usr/lib/python3.11/__pycache__/os.cpython-311.pyc", 40000, "o1"),
		file("/usr/lib/x86_64-linux-gnu/libssl.so.3", 700000, "l1"),
		file("/usr/share/doc/bash/copyright", 10000, "d1"),
		with(file("/usr/bin/ls", 100, "ls"), func(f *inventory.File) { f.Layer = 0 }),
		file("/app/VERSION", 6, "v1"),
		file("/opt/link-a", 5, "h1"),
		dir("/var/tmp"),
	}
	head := []inventory.File{
		dir("/etc"),
		file("/etc/os-release", 283, "a2"),
		file("/etc/ld.so.cache", 9100, "c2"),
		with(file("/usr/bin/passwd", 59976, "p1"), func(f *inventory.File) { f.Mode = 0o4755 }),
		with(file("/usr/bin/su", 72000, "s1"), func(f *inventory.File) { f.GID = 42 }),
		symlink("/usr/bin/python3", "python3.13"),
		file("/usr/lib/python3.13/__pycache__/os.cpython-313.pyc", 41000, "o2"),
		symlink("/usr/lib/x86_64-linux-gnu/libssl.so.3", "libssl.so.3.5"),
		file("/usr/lib/x86_64-linux-gnu/libssl.so.3.5", 800000, "l2"),
		// Written again by a later layer with the same content: no change.
		with(file("/usr/bin/ls", 100, "ls"), func(f *inventory.File) { f.Layer = 3 }),
		file("/app/VERSION", 6, "v2"),
		with(file("/opt/link-a", 5, "h1"), func(f *inventory.File) { f.HardLink, f.Link = true, "/opt/other" }),
		with(dir("/var/tmp"), func(f *inventory.File) { f.Mode = 0o1777 }),
	}
	ignore, _ := CompilePaths([]string{"/app/VERSION"})
	noise, _ := CompilePaths(DefaultNoisePaths)
	fc := compareFiles(sides(base, head), ignore, noise)

	want := map[string]Kind{
		"/etc/os-release":  Modified,
		"/etc/ld.so.cache": Modified,
		"/usr/bin/passwd":  Metadata,
		"/usr/bin/su":      Metadata,
		"/usr/bin/python3": Metadata,
		"/usr/lib/python3.11/__pycache__/os.cpython-311.pyc": Removed,
		"/usr/lib/python3.13/__pycache__/os.cpython-313.pyc": Added,
		"/usr/lib/x86_64-linux-gnu/libssl.so.3":              Modified, // file → symlink
		"/usr/lib/x86_64-linux-gnu/libssl.so.3.5":            Added,
		"/usr/share/doc/bash/copyright":                      Removed,
		"/var/tmp":                                           Metadata,
	}
	got := map[string]Kind{}
	for _, e := range fc.Entries {
		got[e.Path] = e.Kind
	}
	for p, k := range want {
		if got[p] != k {
			t.Errorf("%s: got %q, want %q", p, got[p], k)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("unexpected change %s (%s)", p, got[p])
		}
	}
	wantCounts := Counts{Added: 1, Removed: 1, Modified: 2, Metadata: 4,
		SizeDelta: (283 - 267) + (800000 - 700000) - 10000}
	if fc.Counts != wantCounts {
		t.Errorf("counts = %+v, want %+v", fc.Counts, wantCounts)
	}
	wantNoise := Counts{Added: 1, Removed: 1, Modified: 1, SizeDelta: 100 + 1000}
	if fc.Noise != wantNoise {
		t.Errorf("noise = %+v, want %+v", fc.Noise, wantNoise)
	}
	if fc.Ignored != (Counts{Modified: 1}) {
		t.Errorf("ignored = %+v", fc.Ignored)
	}
	for i := 1; i < len(fc.Entries); i++ {
		if fc.Entries[i-1].Path >= fc.Entries[i].Path {
			t.Fatalf("entries not sorted at %s", fc.Entries[i].Path)
		}
	}
}

// Inventories read from JSON files may come unsorted.
func TestCompareFilesUnsorted(t *testing.T) {
	base := []inventory.File{file("/b", 1, "1"), file("/a", 1, "1")}
	head := []inventory.File{file("/a", 1, "1"), file("/c", 1, "1"), file("/b", 1, "1")}
	fc := compareFiles(sides(base, head), nil, nil)
	if len(fc.Entries) != 1 || fc.Entries[0].Path != "/c" || fc.Entries[0].Kind != Added {
		t.Fatalf("entries = %+v", fc.Entries)
	}
	if base[0].Path != "/b" {
		t.Fatal("input was reordered")
	}
}

func TestGrowing(t *testing.T) {
	jvm := "/usr/lib/jvm/java-17-openjdk-amd64/lib/"
	base := []inventory.File{
		file("/usr/bin/bash", 1_200_000, "b"),
		file("/usr/share/doc/old/README", 50_000, "r"),
	}
	head := []inventory.File{
		file("/usr/bin/bash", 1_200_000, "b"),
		file("/usr/bin/java", 20_000, "j"),
		file(jvm+"libjvm.so", 22_000_000, "1"),
		file(jvm+"modules", 130_000_000, "2"),
		file("/usr/share/ca-certificates/a.crt", 2_000, "c"),
		file("/usr/share/ca-certificates/b.crt", 2_000, "d"),
	}
	fc := compareFiles(sides(base, head), nil, nil)
	g := fc.Growing(3)
	if len(g) != 3 {
		t.Fatalf("growing = %+v", g)
	}
	// /usr, /usr/lib, /usr/lib/jvm, ... are explained by the JDK's lib.
	if g[0].Path != "/usr/lib/jvm/java-17-openjdk-amd64/lib" || g[0].Delta() != 152_000_000 {
		t.Errorf("first = %+v", g[0])
	}
	if g[1].Path != "/usr/bin" || g[2].Path != "/usr/share/ca-certificates" {
		t.Errorf("then %+v", g[1:])
	}
	for _, d := range fc.Dirs {
		if d.Path == "/usr/share/doc/old" && d.Delta() != -50_000 {
			t.Errorf("shrinking dir %+v", d)
		}
	}
}

// sides makes inventories of two file lists.
func sides(base, head []inventory.File) [2]*inventory.Inventory {
	return [2]*inventory.Inventory{{Files: base}, {Files: head}}
}
