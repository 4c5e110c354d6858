package elfhead

import (
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// crossBuild builds a tiny Go program for another architecture: a real
// 32-bit or big-endian ELF file.
func crossBuild(t *testing.T, goarch string) string {
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() { println(\"hi\") }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "hi-"+goarch)
	cmd := exec.Command("go", "build", "-o", out, src)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot cross-build for %s: %v: %s", goarch, err, b)
	}
	return out
}

// TestParseMatchesDebugELF compares the header and program headers with
// what debug/elf reads from the whole file.
func TestParseMatchesDebugELF(t *testing.T) {
	files := []string{crossBuild(t, "386"), crossBuild(t, "s390x"), crossBuild(t, "arm64")}
	for _, p := range []string{"/bin/ls", "/usr/bin/gcc", "/usr/local/go/bin/go", "/usr/lib/x86_64-linux-gnu/libc.so.6"} {
		if _, err := os.Stat(p); err == nil {
			files = append(files, p)
		}
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		need, err := Need(data[:64])
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		h, err := Parse(data[:need])
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		f, err := elf.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var want []Prog
		for _, p := range f.Progs {
			want = append(want, Prog{Type: p.Type, Flags: p.Flags, Off: p.Off, Vaddr: p.Vaddr, Filesz: p.Filesz})
		}
		if h.Class != f.Class || h.ByteOrder != f.ByteOrder || h.Type != f.Type || h.Machine != f.Machine {
			t.Errorf("%s: header %v %v %v %v, debug/elf %v %v %v %v", path, h.Class, h.ByteOrder, h.Type, h.Machine,
				f.Class, f.ByteOrder, f.Type, f.Machine)
		}
		if int(h.Shnum) != len(f.Sections) {
			t.Errorf("%s: %d sections, debug/elf %d", path, h.Shnum, len(f.Sections))
		}
		if !reflect.DeepEqual(h.Progs, want) {
			t.Errorf("%s: progs\n%+v\nwant\n%+v", path, h.Progs, want)
		}
		f.Close()
	}
}

func TestNotELF(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("#!/bin/sh\necho hi\n"), []byte("\x7fEL")} {
		if _, err := Need(b); !errors.Is(err, ErrNotELF) {
			t.Errorf("Need(%q) = %v, want ErrNotELF", b, err)
		}
	}
	bad := make([]byte, 64)
	copy(bad, "\x7fELF\x03\x01\x01")
	if _, err := Need(bad); err == nil {
		t.Error("unknown class accepted")
	}
}

// FuzzParse compares Parse with debug/elf where both accept the input.
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("/bin/ls"); err == nil {
		f.Add(b[:4096])
	}
	f.Add([]byte("\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00" + string(make([]byte, 48))))
	f.Fuzz(func(t *testing.T, b []byte) {
		need, err := Need(b)
		if err != nil {
			return
		}
		if need > MaxPrefix {
			t.Fatalf("need %d", need)
		}
		if need > len(b) {
			return
		}
		h, err := Parse(b)
		if err != nil {
			return
		}
		ef, err := elf.NewFile(readerAt(b))
		if err != nil {
			return
		}
		if len(ef.Progs) != len(h.Progs) {
			t.Fatalf("%d progs, debug/elf %d", len(h.Progs), len(ef.Progs))
		}
		for i, p := range ef.Progs {
			if (Prog{p.Type, p.Flags, p.Off, p.Vaddr, p.Filesz}) != h.Progs[i] {
				t.Fatalf("prog %d: %+v, debug/elf %+v", i, h.Progs[i], p.ProgHeader)
			}
		}
	})
}

type readerAt []byte

func (r readerAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(r)) {
		return 0, errors.New("out of range")
	}
	n := copy(p, r[off:])
	if n < len(p) {
		return n, errors.New("short")
	}
	return n, nil
}
