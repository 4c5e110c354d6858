package cargo

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// stream runs the extractor over data in chunks of n bytes.
func stream(data []byte, n int) (any, error) {
	x := &extractor{size: int64(len(data))}
	for p := data; len(p) > 0; {
		k := min(n, len(p))
		if m, err := x.Write(p[:k]); m != k || err != nil {
			panic("Write must take everything")
		}
		p = p[k:]
	}
	return x.Result()
}

var chunkSizes = []int{1, 7, 4096, 1 << 20}

// TestAuditable reads the section from real executables, whatever the
// Write boundaries, and checks the packages against a golden file.
func TestAuditable(t *testing.T) {
	var first []byte // the first result as JSON, which every other must equal
	var firstPkgs []packages.Package
	for _, v := range []string{"linked", "linked-debug", "objcopy"} {
		data, err := os.ReadFile(rustBinary(t, v))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range chunkSizes {
			res, err := stream(data, n)
			if err != nil {
				t.Fatalf("%s, chunks of %d: %v", v, n, err)
			}
			pkgs, warns := New().Catalog([]packages.File{{Path: "/usr/local/bin/findtool", Data: res}})
			if len(warns) > 0 {
				t.Errorf("warnings: %v", warns)
			}
			got, _ := json.MarshalIndent(pkgs, "", "  ")
			if first == nil {
				first, firstPkgs = got, pkgs
			} else if !bytes.Equal(got, first) {
				t.Errorf("%s, chunks of %d: got\n%s\nwant\n%s", v, n, got, first)
			}
		}
	}
	catalogtest.Golden(t, "findtool.golden.json", firstPkgs)
}

// TestNotAuditable checks that executables without the section give
// nothing and no error, and that the kept bytes were enough to read
// their section table the way debug/elf reads the whole file.
func TestNotAuditable(t *testing.T) {
	var files []string
	if p := rustBinary(t, "plain"); p != "" {
		files = append(files, p)
	}
	for _, pat := range []string{"/usr/bin/*", "/usr/local/go/bin/*", "/root/.rustup/toolchains/*/bin/*"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	checked := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil || len(data) < minSize {
			continue
		}
		full, err := elf.NewFile(bytes.NewReader(data))
		if err != nil || full.Section(sectionName) != nil || (full.Type != elf.ET_EXEC && full.Type != elf.ET_DYN) {
			continue
		}
		if res, err := stream(data, 1<<18); res != nil || err != nil {
			t.Errorf("%s: got %v, %v", path, res, err)
		}
		// What the extractor keeps (before Result releases it) must
		// hold the section table.
		x := &extractor{size: int64(len(data))}
		x.Write(data)
		sparse, err := elf.NewFile(&x.keep)
		if err != nil {
			t.Errorf("%s: kept bytes do not parse: %v", path, err)
			continue
		}
		if !reflect.DeepEqual(sectionNames(sparse), sectionNames(full)) {
			t.Errorf("%s: sections %v, want %v", path, sectionNames(sparse), sectionNames(full))
		}
		checked++
	}
	t.Logf("checked %d executables", checked)
	if checked == 0 {
		t.Skip("no ELF executables found")
	}
}

func sectionNames(f *elf.File) []string {
	var s []string
	for _, sec := range f.Sections {
		s = append(s, sec.Name)
	}
	return s
}

func TestMalformedSection(t *testing.T) {
	js, err := os.ReadFile("testdata/deps.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		section []byte
		want    string
	}{
		{"not zlib", js, "zlib"},
		{"truncated zlib", zlibOf(t, js)[:100], "zlib"},
		{"not JSON", zlibOf(t, []byte("<xml/>")), "JSON"},
		{"no packages", zlibOf(t, []byte(`{"format":1}`)), "no packages"},
		{"package without version", zlibOf(t, []byte(`{"packages":[{"name":"x","source":"local","root":true}]}`)), "required"},
		{"zlib bomb", zlibOf(t, make([]byte, maxJSON+1)), "more than"},
	}
	for _, tt := range tests {
		data := withSection(t, tt.section)
		for _, n := range []int{4096, 1 << 20} {
			res, err := stream(data, n)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), ".dep-v0") {
				t.Errorf("%s, chunks of %d: got %v, %v; want an error containing %q", tt.name, n, res, err, tt.want)
			}
		}
	}
}

// TestTailCap checks the bound on the bytes kept: the section is still
// found in the last maxTail bytes of a binary with debug info, and a cap
// too small for it gives a Warning rather than silence.
func TestTailCap(t *testing.T) {
	defer func(v int64) { maxTail = v }(maxTail)
	data, err := os.ReadFile(rustBinary(t, "linked-debug"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sec := f.Section(sectionName)
	fromEnd := int64(len(data)) - int64(sec.Offset)
	maxTail = fromEnd + 1024
	if res, err := stream(data, 1<<16); err != nil || res == nil {
		t.Errorf("cap %d (section %d bytes from the end): got %v, %v", maxTail, fromEnd, res, err)
	}
	maxTail = 4096
	if res, err := stream(data, 1<<16); err == nil || !strings.Contains(err.Error(), "kept") {
		t.Errorf("cap %d: got %v, %v; want an error", maxTail, res, err)
	}
}

func TestMatch(t *testing.T) {
	c := New()
	for _, tt := range []struct {
		path string
		size int64
		mode uint32
		want bool
	}{
		{"/usr/local/bin/rg", 5 << 20, 0o755, true},
		{"/app/server", 5 << 20, 0o700, true},
		{"/usr/bin/tool", 5 << 20, 0o644, true},
		{"/usr/local/bin/tiny", 10 << 10, 0o755, false},
		{"/var/lib/data.db", 50 << 20, 0o644, false},
	} {
		if got := c.Match(tt.path, tt.size, os.FileMode(tt.mode)) != nil; got != tt.want {
			t.Errorf("Match(%q, %d, %o) = %v, want %v", tt.path, tt.size, tt.mode, got, tt.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { c.Match("/var/lib/data.db", 5<<20, 0o644) }); n != 0 {
		t.Errorf("Match allocates %v times for a file it skips", n)
	}
}
