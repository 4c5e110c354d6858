package golang

import (
	"bytes"
	"debug/buildinfo"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/fixtures"
)

var chunkSizes = []int{1, 7, 4096, 1 << 20}

// stream feeds data to a fresh scanner in chunks of size n.
func stream(data []byte, n int) (any, error) {
	s := &scanner{}
	for len(data) > 0 {
		k := min(n, len(data))
		if m, err := s.Write(data[:k]); m != k || err != nil {
			panic("Write must take everything")
		}
		data = data[k:]
	}
	return s.Result()
}

// realBinaries lists executables on this machine: the Go toolchain's own,
// the test module's builds, and, when the fixtures exist, the Go
// toolchain Debian ships in the big-c image.
func realBinaries(t *testing.T) []string {
	var files []string
	for v := range variants {
		files = append(files, helloBinary(t, v))
	}
	goroot := filepath.Join(os.Getenv("GOROOT_FINAL"), "")
	if goroot == "" {
		goroot = filepath.Dir(filepath.Dir(mustLookPath(t, "go")))
	}
	for _, pat := range []string{"bin/*", "pkg/tool/*/*"} {
		m, _ := filepath.Glob(filepath.Join(goroot, pat))
		files = append(files, m...)
	}
	deb, _ := filepath.Glob(fixtures.Path("rootfs/big-c/usr/lib/go-*/bin/*"))
	tools, _ := filepath.Glob(fixtures.Path("rootfs/big-c/usr/lib/go-*/pkg/tool/*/*"))
	deb = append(deb, tools...)
	if len(deb) == 0 {
		t.Log("no Debian Go toolchain under the fixtures' big-c root file system; testing without it")
	}
	return append(files, deb...)
}

// TestStreamMatchesBuildinfo checks that the streaming scanner reads the
// same build info as debug/buildinfo, whatever the Write boundaries.
func TestStreamMatchesBuildinfo(t *testing.T) {
	files := realBinaries(t)
	t.Logf("checking %d Go executables", len(files))
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := buildinfo.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: debug/buildinfo: %v", path, err)
		}
		for _, n := range chunkSizes {
			if n < 4096 && len(data) > 8<<20 {
				continue // byte-sized writes of the big toolchain binaries take too long
			}
			got, err := stream(data, n)
			if err != nil {
				t.Fatalf("%s, chunks of %d: %v", path, n, err)
			}
			b, ok := got.(*Binary)
			if !ok {
				t.Fatalf("%s, chunks of %d: got %T, want *Binary", path, n, got)
			}
			if b.GoVersion != want.GoVersion || b.Info.String() != want.String() {
				t.Errorf("%s, chunks of %d:\n got %s\n%s\nwant %s\n%s", path, n, b.GoVersion, b.Info, want.GoVersion, want)
			}
		}
	}
}

// TestNotGo checks that executables without Go build info give nothing
// and no error: the Rust toolchain, shell scripts, C binaries.
func TestNotGo(t *testing.T) {
	var files []string
	for _, p := range []string{"/bin/sh", "/usr/bin/ls", "/usr/bin/gcc", "/usr/bin/objcopy", "/usr/bin/ldd"} {
		if _, err := os.Stat(p); err == nil {
			files = append(files, p)
		}
	}
	if rustc := lookPath("rustup"); rustc != "" {
		files = append(files, rustc)
	}
	if len(files) == 0 {
		t.Skip("no non-Go executables found")
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := buildinfo.ReadFile(path); err == nil {
			t.Logf("%s is a Go binary; skipped", path)
			continue
		}
		for _, n := range []int{4096, 1 << 20} {
			got, err := stream(data, n)
			if got != nil || err != nil {
				t.Errorf("%s, chunks of %d: got %v, %v; want nothing", path, n, got, err)
			}
		}
	}
}

// blobOffset finds the build info blob in a real binary.
func blobOffset(t *testing.T, data []byte) int {
	i := bytes.LastIndex(data, []byte(magic))
	if i < 0 || i%blobAlign != 0 {
		t.Fatalf("no aligned magic")
	}
	return i
}

// TestMalformed alters a real binary: each alteration must give an error
// that says what is wrong, for every Write boundary, and never a panic.
func TestMalformed(t *testing.T) {
	orig, err := os.ReadFile(helloBinary(t, "amd64"))
	if err != nil {
		t.Fatal(err)
	}
	at := blobOffset(t, orig)
	tests := []struct {
		name  string
		alter func([]byte) []byte
		want  string
	}{
		{"pre-1.18 pointer format", func(b []byte) []byte {
			b[at+flagsOffset] &^= flagsVersionMask
			return b
		}, "pre-1.18"},
		{"truncated in the module info", func(b []byte) []byte { return b[:at+100] }, "truncated"},
		{"bad module info", func(b []byte) []byte {
			// A fourth column: ParseBuildInfo wants two or three.
			i := at + bytes.Index(b[at:], []byte("v0.43.0\th1:"))
			b[i+len("v0.43.0\t")] = '\t'
			return b
		}, "columns"},
		{"empty Go version", func(b []byte) []byte {
			// A zero version length: the version bytes become the
			// module info's length, which then runs off the segment.
			b[at+blobHeaderSize] = 0
			return b
		}, "empty Go version"},
		{"huge string length", func(b []byte) []byte {
			copy(b[at+blobHeaderSize:], []byte{0xff, 0xff, 0xff, 0xff, 0x7f})
			return b
		}, "larger than"},
	}
	for _, tt := range tests {
		data := tt.alter(bytes.Clone(orig))
		for _, n := range chunkSizes[1:] {
			got, err := stream(data, n)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s, chunks of %d: got %v, %v; want an error containing %q", tt.name, n, got, err, tt.want)
			}
		}
	}
}

// TestMagicOutsideData checks that a magic outside the writable data
// segment (such as the string constant in any binary that links
// debug/buildinfo, the go command itself) is not taken for build info, and
// that a misaligned one inside is skipped.
func TestMagicOutsideData(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.22.1", Path: "example.com/x",
		Main: debug.Module{Path: "example.com/x", Version: "v1.0.0"}}
	blob := makeBlob("go1.22.1", info.String())
	tests := []struct {
		name  string
		elf   []byte
		found bool
	}{
		{"aligned in data", synthELF(t, 0, 0x100, blob, nil), true},
		{"segment phase shifts alignment", synthELF(t, 4, 0x10c, blob, nil), true},
		{"aligned in the file, not in memory", synthELF(t, 4, 0x100, blob, nil), false},
		{"misaligned in data", synthELF(t, 0, 0x108, blob, nil), false},
		{"only in text", synthELF(t, 0, -1, nil, blob), false},
		{"text copy then data", synthELF(t, 0, 0x140, blob, []byte(magic+"\x08\x02garbage")), true},
	}
	for _, tt := range tests {
		for _, n := range chunkSizes {
			got, err := stream(tt.elf, n)
			if err != nil {
				t.Fatalf("%s, chunks of %d: %v", tt.name, n, err)
			}
			b, _ := got.(*Binary)
			if (b != nil) != tt.found {
				t.Fatalf("%s, chunks of %d: found = %v, want %v", tt.name, n, b != nil, tt.found)
			}
			if b != nil && b.Info.String() != info.String() {
				t.Errorf("%s: got %s, want %s", tt.name, b.Info, info)
			}
		}
	}
}

func TestMatch(t *testing.T) {
	c := New()
	tests := []struct {
		path string
		size int64
		mode fs.FileMode
		want bool
	}{
		{"/usr/local/bin/app", 5 << 20, 0o755, true},
		{"/app/server", 5 << 20, 0o700, true},
		{"/usr/bin/tool", 5 << 20, 0o644, true},
		{"/usr/sbin/daemon", 5 << 20, 0o600, true},
		{"/usr/local/bin/app", 100 << 10, 0o755, false},
		{"/usr/share/doc/big.txt", 5 << 20, 0o644, false},
		{"/var/lib/data.db", 50 << 20, 0o600, false},
	}
	for _, tt := range tests {
		if got := c.Match(tt.path, tt.size, tt.mode) != nil; got != tt.want {
			t.Errorf("Match(%q, %d, %o) = %v, want %v", tt.path, tt.size, tt.mode, got, tt.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { c.Match("/usr/share/doc/big.txt", 5<<20, 0o644) }); n != 0 {
		t.Errorf("Match allocates %v times for a file it skips", n)
	}
}
