package cargo

import (
	"bytes"
	"compress/zlib"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// No real cargo-auditable binary is reachable here (crates.io is not),
// so the tests make the section the way cargo-auditable does: the zlib
// of its JSON (testdata/deps.json, format 1), in a non-allocated .dep-v0
// section of an object file handed to the linker, or added to a linked
// executable by objcopy. The executables are real: rustc builds them.

const mainRS = `fn main() {
    let v: Vec<u32> = (1..10).collect();
    println!("hello {:?}", v);
}
`

var rustBuilds struct {
	sync.Mutex
	dir  string
	bins map[string]string
	skip string
}

func zlibOf(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func run(dir string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return &exec.Error{Name: name + " " + string(out), Err: err}
	}
	return nil
}

// rustBinary returns a Rust executable: "plain" (no audit data),
// "linked" and "linked-debug" (the section linked in, as cargo-auditable
// does, without and with debug info), "objcopy" (the section added after
// linking).
func rustBinary(t testing.TB, variant string) string {
	t.Helper()
	rustBuilds.Lock()
	defer rustBuilds.Unlock()
	if rustBuilds.skip != "" {
		t.Skip(rustBuilds.skip)
	}
	if rustBuilds.bins == nil {
		if err := buildAll(t); err != nil {
			rustBuilds.skip = "cannot build Rust test executables (needs rustc, as and objcopy): " + err.Error()
			t.Skip(rustBuilds.skip)
		}
	}
	return rustBuilds.bins[variant]
}

func buildAll(t testing.TB) error {
	dir, err := os.MkdirTemp("", "cargo-test-")
	if err != nil {
		return err
	}
	rustBuilds.dir = dir
	js, err := os.ReadFile("testdata/deps.json")
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"main.rs": []byte(mainRS),
		"dep.z":   zlibOf(t, js),
		// sh_flags 0: not allocated, as cargo-auditable's object file.
		"dep.s": []byte(".section .dep-v0,\"\",@progbits\n.incbin \"dep.z\"\n"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	steps := [][]string{
		{"as", "dep.s", "-o", "dep.o"},
		{"rustc", "-C", "opt-level=2", "main.rs", "-o", "plain"},
		{"rustc", "-C", "opt-level=2", "main.rs", "-o", "linked", "-C", "link-arg=" + filepath.Join(dir, "dep.o")},
		{"rustc", "-g", "main.rs", "-o", "linked-debug", "-C", "link-arg=" + filepath.Join(dir, "dep.o")},
		{"objcopy", "--add-section", ".dep-v0=dep.z", "--set-section-flags", ".dep-v0=noload,readonly", "plain", "objcopy"},
	}
	for _, s := range steps {
		if err := run(dir, s[0], s[1:]...); err != nil {
			return err
		}
	}
	rustBuilds.bins = map[string]string{}
	for _, v := range []string{"plain", "linked", "linked-debug", "objcopy"} {
		rustBuilds.bins[v] = filepath.Join(dir, v)
	}
	return nil
}

// withSection returns a copy of the plain executable with data as its
// .dep-v0 section.
func withSection(t *testing.T, data []byte) []byte {
	t.Helper()
	plain := rustBinary(t, "plain")
	dir := t.TempDir()
	sec, out := filepath.Join(dir, "sec"), filepath.Join(dir, "out")
	if err := os.WriteFile(sec, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(dir, "objcopy", "--add-section", ".dep-v0="+sec, "--set-section-flags", ".dep-v0=noload,readonly", plain, out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMain(m *testing.M) {
	code := m.Run()
	if rustBuilds.dir != "" {
		os.RemoveAll(rustBuilds.dir)
	}
	os.Exit(code)
}
