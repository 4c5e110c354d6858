package catalogers

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// samples are image paths and contents that every cataloger's Match
// accepts: the ecosystems' test trees (testdata/root), their databases
// placed where images keep them, and files made here for what no test
// tree holds (dpkg's info records, an rpm write-ahead log, a Go binary).
func samples(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	roots, _ := filepath.Glob("../*/testdata/root")
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			out["/"+filepath.ToSlash(rel)] = read(t, p)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	placed := map[string]string{
		"../dpkg/testdata/status":                      "/var/lib/dpkg/status",
		"../dpkg/testdata/status.d/libc6":              "/var/lib/dpkg/status.d/libc6",
		"../dpkg/testdata/status.d/libc6.md5sums":      "/var/lib/dpkg/status.d/libc6.md5sums",
		"../apk/testdata/installed":                    "/lib/apk/db/installed",
		"../rpm/testdata/rpmdb.sqlite":                 "/var/lib/rpm/rpmdb.sqlite",
		"../java/testdata/hamcrest-2.2.jar":            "/app/lib/hamcrest-2.2.jar",
		"../java/testdata/slf4j-api.jar":               "/app/lib/slf4j-api.jar",
		"../dpkg/testdata/status.d/base-files.md5sums": "/var/lib/dpkg/status.d/base-files.md5sums",
		"testdata/auditable.elf":                       "/usr/local/bin/auditable",
	}
	for from, to := range placed {
		out[to] = read(t, from)
	}
	// The cargo cataloger looks only into files of 64 KiB or more; zeros
	// after the section headers change nothing of the ELF file.
	out["/usr/local/bin/auditable"] = append(out["/usr/local/bin/auditable"], make([]byte, 64<<10)...)
	out["/var/lib/dpkg/info/bash.list"] = []byte("/.\n/bin\n/bin/bash\n/etc/bash.bashrc\n")
	out["/var/lib/dpkg/info/bash.md5sums"] = []byte("d41d8cd98f00b204e9800998ecf8427e  etc/bash.bashrc\nnot a sum line\n")
	out["/var/lib/dpkg/info/bash.postinst"] = []byte("#!/bin/sh\n")
	out["/var/lib/dpkg/diversions"] = []byte("/bin/sh\n/bin/sh.distrib\ndash\n")
	out["/var/lib/rpm/rpmdb.sqlite-wal"] = []byte("wal")
	// This test binary is a Go executable with build info, and an ELF
	// file the cargo cataloger looks into.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out["/usr/local/bin/tool"] = read(t, exe)
	return out
}

func read(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEveryCaptureIsStored feeds every cataloger the samples and stores
// and reads back what its extractors kept, as the layer cache does: every
// result must be storable (a cataloger whose result type is not
// registered with packages.RegisterCapture fails here), and Catalog must
// say the same of what was read back as of the original.
func TestEveryCaptureIsStored(t *testing.T) {
	files := samples(t)
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, c := range All() {
		t.Run(c.Ecosystem(), func(t *testing.T) {
			var orig, stored []packages.File
			var results int
			for _, p := range paths {
				x := c.Match(p, int64(len(files[p])), 0o755)
				if x == nil {
					continue
				}
				v, err := catalogtest.Feed(x, files[p], 4096)
				if v != nil {
					results++
				}
				back := roundTrip(t, p, v)
				if err != nil {
					continue // only the message is kept, and Catalog never sees the value
				}
				orig = append(orig, packages.File{Path: p, Size: int64(len(files[p])), Data: v})
				stored = append(stored, packages.File{Path: p, Size: int64(len(files[p])), Data: back})
			}
			if results == 0 {
				t.Fatalf("no sample gave the %s cataloger anything to keep: add one to samples", c.Ecosystem())
			}
			wantPkgs, wantWarns := c.Catalog(orig)
			gotPkgs, gotWarns := c.Catalog(stored)
			if !reflect.DeepEqual(gotPkgs, wantPkgs) || !reflect.DeepEqual(gotWarns, wantWarns) {
				t.Errorf("catalog of stored captures differs:\n got %v %v\nwant %v %v", gotPkgs, gotWarns, wantPkgs, wantWarns)
			}
		})
	}
}

// roundTrip stores v and reads it back; storing it again gives the same
// bytes.
func roundTrip(t *testing.T, p string, v any) any {
	t.Helper()
	var w packages.CaptureWriter
	if !packages.EncodeCapture(&w, v) {
		t.Fatalf("%s: %T cannot be stored: register it with packages.RegisterCapture", p, v)
	}
	r := packages.NewCaptureReader(w.Bytes())
	back, err := packages.DecodeCapture(r)
	if err != nil {
		t.Fatalf("%s: read back %T: %v", p, v, err)
	}
	if r.Len() != 0 {
		t.Fatalf("%s: %T: %d bytes left over", p, v, r.Len())
	}
	var again packages.CaptureWriter
	packages.EncodeCapture(&again, back)
	if !bytes.Equal(again.Bytes(), w.Bytes()) {
		t.Errorf("%s: %T stored again differs", p, v)
	}
	if reflect.TypeOf(back) != reflect.TypeOf(v) {
		t.Errorf("%s: read back a %T, stored a %T", p, back, v)
	}
	return back
}

// FuzzDecodeCapture: stored captures come from disk; whatever the bytes,
// reading them fails or gives a value that stores back the same.
func FuzzDecodeCapture(f *testing.F) {
	files := samples(f)
	for _, c := range All() {
		for p, data := range files {
			x := c.Match(p, int64(len(data)), 0o755)
			if x == nil {
				continue
			}
			v, _ := catalogtest.Feed(x, data, 4096)
			var w packages.CaptureWriter
			if packages.EncodeCapture(&w, v) && w.Len() < 4096 {
				f.Add(bytes.Clone(w.Bytes()))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := packages.NewCaptureReader(data)
		v, err := packages.DecodeCapture(r)
		if err != nil {
			return
		}
		var w packages.CaptureWriter
		if !packages.EncodeCapture(&w, v) {
			t.Fatalf("%T read back cannot be stored", v)
		}
		back, err := packages.DecodeCapture(packages.NewCaptureReader(w.Bytes()))
		if err != nil {
			t.Fatalf("%T stored again does not read: %v", v, err)
		}
		var again packages.CaptureWriter
		packages.EncodeCapture(&again, back)
		if !bytes.Equal(again.Bytes(), w.Bytes()) {
			t.Fatalf("%T does not store the same twice", v)
		}
	})
}
