package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestWriteOutputRegularFiles(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "report.json")
	if err := os.WriteFile(existing, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := writeOutput(existing, nil, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(existing); string(got) != "new" {
		t.Errorf("existing file holds %q, want new", got)
	}
	if fi, _ := os.Stat(existing); fi.Mode().Perm() != 0o640 {
		t.Errorf("existing file's mode became %v, want 0640 kept", fi.Mode().Perm())
	}

	fresh := filepath.Join(dir, "fresh.md")
	if err := writeOutput(fresh, nil, writeString("x")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("new file: %v, mode %v; want 0644", err, fi.Mode())
	}

	// A failed write leaves the old content whole.
	boom := errors.New("boom")
	err := writeOutput(existing, nil, func(w io.Writer) error { io.WriteString(w, "half"); return boom })
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want boom", err)
	}
	if got, _ := os.ReadFile(existing); string(got) != "new" {
		t.Errorf("after a failed write the file holds %q, want new", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".imagedrift-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriteOutputStdout(t *testing.T) {
	for _, path := range []string{"", "-"} {
		var out bytes.Buffer
		if err := writeOutput(path, &out, writeString("report")); err != nil {
			t.Fatal(err)
		}
		if out.String() != "report" {
			t.Errorf("--output %q: stdout got %q", path, out.String())
		}
	}
}

// A character device is written to, never replaced: renaming over
// /dev/null as root would turn it into a regular file. The test makes its
// own null device (1:3) in a temporary folder.
func TestWriteOutputCharDevice(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "null")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("cannot make a device node here (needs root and a mount without nodev): %v", err)
	}
	if err := writeOutput(dev, nil, writeString("report")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(dev)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&fs.ModeCharDevice == 0 || fi.Mode().IsRegular() {
		t.Errorf("%s is now %v, want the character device kept", dev, fi.Mode())
	}
}

func TestWriteOutputFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	if err := writeOutput(fifo, nil, writeString("through the pipe")); err != nil {
		t.Fatal(err)
	}
	if b := <-got; string(b) != "through the pipe" {
		t.Errorf("reader got %q", b)
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("%s is now %v, want the FIFO kept", fifo, fi.Mode())
	}
}

func TestWriteOutputSymlinkAndDir(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.txt")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := writeOutput(link, nil, writeString("via link")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced by %v", fi.Mode())
	}
	if b, _ := os.ReadFile(target); string(b) != "via link" {
		t.Errorf("target holds %q", b)
	}
	if err := writeOutput(dir, nil, writeString("x")); err == nil {
		t.Errorf("writing onto a directory: no error")
	}
}
