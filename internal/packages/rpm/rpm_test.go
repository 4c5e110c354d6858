package rpm

import (
	"encoding/binary"
	"hash/adler32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// capture runs data through the cataloger's own extractor, as the
// inventory pass does.
func capture(t *testing.T, p string, data []byte) packages.File {
	t.Helper()
	ex := New().Match(p, int64(len(data)), 0o644)
	if ex == nil {
		t.Fatalf("%s not matched", p)
	}
	for chunk := range slices.Chunk(data, 64<<10) {
		ex.Write(chunk)
	}
	v, _ := ex.Result()
	return packages.File{Path: p, Size: int64(len(data)), Data: v}
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// rpmQA reads testdata/rpm-qa.tsv, what rpm -qa said of the test
// databases, as name → "evr arch source source-version" lines.
func rpmQA(t *testing.T, file string) map[string]string {
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(readFile(t, file))), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("bad line %q", line)
		}
		h := header{name: f[0], sourceRPM: f[3]}
		_, vr, _ := strings.Cut(f[1], ":")
		if !strings.Contains(f[1], ":") {
			vr = f[1]
		}
		h.version, h.release, _ = strings.Cut(vr, "-")
		p := packages.Package{Name: f[0]}
		if name, srcVR := h.source(); name != "" && (name != f[0] || srcVR != vr) {
			p.Source, p.SourceVersion = name, srcVR
		}
		want[f[0]+" "+f[1]+" "+f[2]] = p.Source + " " + p.SourceVersion
	}
	return want
}

func checkPackages(t *testing.T, pkgs []packages.Package, want map[string]string, location string) {
	t.Helper()
	got := map[string]string{}
	for _, p := range pkgs {
		if p.Location != location || p.Ecosystem != packages.RPM {
			t.Errorf("%s: location %q ecosystem %q", p.Name, p.Location, p.Ecosystem)
		}
		got[p.Name+" "+p.Version+" "+p.Arch] = p.Source + " " + p.SourceVersion
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s: got %q (found %v), rpm says %q", k, g, ok, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s found, rpm does not list it", k)
		}
	}
}

// ndbFrom writes header blobs into an NDB package database laid out as
// rpm's lib/backend/ndb/rpmpkg.c writes one (one slot page, blobs after it).
func ndbFrom(blobs [][]byte) []byte {
	le := binary.LittleEndian
	out := make([]byte, ndbPageSize)
	le.PutUint32(out, ndbMagic)
	le.PutUint32(out[8:], 7) // generation
	le.PutUint32(out[12:], 1)
	le.PutUint32(out[16:], uint32(len(blobs)+1))
	for off := 2 * ndbSlotSize; off < ndbPageSize; off += ndbSlotSize {
		le.PutUint32(out[off:], ndbSlotMagic)
	}
	for i, b := range blobs {
		pkg := uint32(i + 1)
		blocks := (ndbHeadSize + len(b) + ndbTailSize + ndbBlockSize - 1) / ndbBlockSize
		blkoff := len(out) / ndbBlockSize
		blob := make([]byte, blocks*ndbBlockSize)
		le.PutUint32(blob, ndbBlobHead)
		le.PutUint32(blob[4:], pkg)
		le.PutUint32(blob[8:], 1704067200)
		le.PutUint32(blob[12:], uint32(len(b)))
		copy(blob[ndbHeadSize:], b)
		tail := blob[len(blob)-ndbTailSize:]
		le.PutUint32(tail, adler32.Checksum(blob[:len(blob)-ndbTailSize]))
		le.PutUint32(tail[4:], uint32(len(b)))
		le.PutUint32(tail[8:], ndbBlobTail)
		out = append(out, blob...)
		slot := out[(2+i)*ndbSlotSize:]
		le.PutUint32(slot[4:], pkg)
		le.PutUint32(slot[8:], uint32(blkoff))
		le.PutUint32(slot[12:], uint32(blocks))
	}
	return out
}

// testDatabases returns the test databases in the three formats, keyed by
// the path they are given in the image.
func testDatabases(t *testing.T) map[string][]byte {
	sqlite := readFile(t, "testdata/rpmdb.sqlite")
	blobs, problems, err := sqliteBlobs(sqlite)
	if err != nil || len(problems) > 0 {
		t.Fatalf("sqlite: %v %v", err, problems)
	}
	return map[string][]byte{
		"/var/lib/rpm/rpmdb.sqlite":         sqlite,
		"/var/lib/rpm/Packages":             readFile(t, "testdata/Packages"),
		"/usr/lib/sysimage/rpm/Packages.db": ndbFrom(blobs),
	}
}

// TestCatalogFormats reads the same packages from each format and checks
// them against what rpm -qa says of them.
func TestCatalogFormats(t *testing.T) {
	want := rpmQA(t, "testdata/rpm-qa.tsv")
	for p, data := range testDatabases(t) {
		t.Run(filepath.Base(p), func(t *testing.T) {
			pkgs, warns := New().Catalog([]packages.File{capture(t, p, data)})
			if len(warns) > 0 {
				t.Errorf("warnings: %v", warns)
			}
			checkPackages(t, pkgs, want, p)
		})
	}
}

// TestCatalogGolden pins the output for each format, one database at a
// time (TestCatalogOneDatabasePerDirectory covers several together).
func TestCatalogGolden(t *testing.T) {
	type result struct {
		Packages []packages.Package
		Warnings []packages.Warning
	}
	out := map[string]result{}
	for p, data := range testDatabases(t) {
		pkgs, warns := New().Catalog([]packages.File{capture(t, p, data)})
		out[p] = result{pkgs, warns}
	}
	catalogtest.Golden(t, "golden.json", out)
}

func TestMatch(t *testing.T) {
	tests := []struct {
		path string
		mode fs.FileMode
		want bool
	}{
		{"/var/lib/rpm/Packages", 0o644, true},
		{"/var/lib/rpm/Packages.db", 0o644, true},
		{"/var/lib/rpm/rpmdb.sqlite", 0o644, true},
		{"/usr/lib/sysimage/rpm/rpmdb.sqlite", 0o644, true},
		{"/usr/lib/sysimage/rpm/rpmdb.sqlite-wal", 0o644, true},
		{"/var/lib/rpm/rpmdb.sqlite-shm", 0o644, false},
		{"/var/lib/rpm/Name", 0o644, false},
		{"/var/lib/rpm/Packages", fs.ModeSymlink, false},
		{"/home/u/rpmdb.sqlite", 0o644, false},
	}
	for _, tt := range tests {
		if got := New().Match(tt.path, 1, tt.mode) != nil; got != tt.want {
			t.Errorf("Match(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// TestCatalogDamaged checks that damage costs a warning naming the file
// and the format, never a panic, and that intact packages survive.
func TestCatalogDamaged(t *testing.T) {
	dbs := testDatabases(t)
	ndb := dbs["/usr/lib/sysimage/rpm/Packages.db"]
	badSum := slices.Clone(ndb)
	badSum[ndbPageSize+ndbHeadSize+100] ^= 0xff // inside the first blob
	bdb := dbs["/var/lib/rpm/Packages"]
	tests := []struct {
		name, path string
		data       []byte
		minPkgs    int
		warn       string
	}{
		{"ndb checksum", "/var/lib/rpm/Packages.db", badSum, 5, "checksum"},
		{"ndb cut", "/var/lib/rpm/Packages.db", ndb[:len(ndb)-100], 5, "outside the file"},
		{"bdb cut", "/var/lib/rpm/Packages", bdb[:len(bdb)/2], 0, ""},
		{"sqlite cut", "/var/lib/rpm/rpmdb.sqlite", dbs["/var/lib/rpm/rpmdb.sqlite"][:8192], 0, "rpm database format sqlite"},
		{"unknown", "/var/lib/rpm/Packages", []byte("not a database at all"), 0, "not recognised"},
		{"empty", "/var/lib/rpm/rpmdb.sqlite", nil, 0, "not recognised"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkgs, warns := New().Catalog([]packages.File{capture(t, tt.path, tt.data)})
			if len(pkgs) < tt.minPkgs {
				t.Errorf("got %d packages, want at least %d", len(pkgs), tt.minPkgs)
			}
			if tt.warn != "" && !slices.ContainsFunc(warns, func(w packages.Warning) bool {
				return strings.Contains(w.Message, tt.warn) && w.Path == tt.path
			}) {
				t.Errorf("warnings %v, want one for %s containing %q", warns, tt.path, tt.warn)
			}
		})
	}
}

func TestCatalogTruncatedCapture(t *testing.T) {
	pkgs, warns := New().Catalog([]packages.File{{Path: "/var/lib/rpm/rpmdb.sqlite", Data: &packages.Captured{Size: 300 << 20, Truncated: true}}})
	if len(pkgs) != 0 || len(warns) != 1 || !strings.Contains(warns[0].Message, "larger than the cap") {
		t.Errorf("got %v, %v", pkgs, warns)
	}
}

// TestCatalogOneDatabasePerDirectory: rpm reads one backend; a leftover
// database of another format beside it is reported, not counted twice.
func TestCatalogOneDatabasePerDirectory(t *testing.T) {
	dbs := testDatabases(t)
	files := []packages.File{
		capture(t, "/var/lib/rpm/Packages", dbs["/var/lib/rpm/Packages"]),
		capture(t, "/var/lib/rpm/rpmdb.sqlite", dbs["/var/lib/rpm/rpmdb.sqlite"]),
		capture(t, "/var/lib/rpm/rpmdb.sqlite-wal", make([]byte, 4096)),
	}
	pkgs, warns := New().Catalog(files)
	want := rpmQA(t, "testdata/rpm-qa.tsv")
	checkPackages(t, pkgs, want, "/var/lib/rpm/rpmdb.sqlite")
	var msgs []string
	for _, w := range warns {
		msgs = append(msgs, w.String())
	}
	all := strings.Join(msgs, "\n")
	if len(warns) != 2 || !strings.Contains(all, "bdb database ignored") || !strings.Contains(all, "write-ahead log of 4096 bytes") {
		t.Errorf("warnings:\n%s", all)
	}
}

func TestSourceRPM(t *testing.T) {
	tests := []struct{ srpm, name, vr string }{
		{"bash-5.1.8-6.el9.src.rpm", "bash", "5.1.8-6.el9"},
		{"python-setuptools-53.0.0-12.el9.src.rpm", "python-setuptools", "53.0.0-12.el9"},
		{"kernel-5.14.0-362.8.1.el9_3.nosrc.rpm", "kernel", "5.14.0-362.8.1.el9_3"},
		{"weird.src.rpm", "", ""},
		{"-1-2.src.rpm", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if n, vr := (header{sourceRPM: tt.srpm}).source(); n != tt.name || vr != tt.vr {
			t.Errorf("%q: got %q %q, want %q %q", tt.srpm, n, vr, tt.name, tt.vr)
		}
	}
}

func FuzzDatabases(f *testing.F) {
	for _, p := range []string{"testdata/Packages", "testdata/rpmdb.sqlite"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data[:min(len(data), 16<<10)])
		}
	}
	if data, err := os.ReadFile("testdata/rpmdb.sqlite"); err == nil {
		if blobs, _, err := sqliteBlobs(data); err == nil {
			f.Add(ndbFrom(blobs[:1]))
			f.Add(blobs[0])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fn := range []func([]byte) ([][]byte, []string, error){bdbBlobs, ndbBlobs, sqliteBlobs} {
			blobs, _, _ := fn(data)
			for _, b := range blobs {
				parseHeader(b)
				headerFiles(b)
			}
		}
		if files, err := headerFiles(data); err == nil {
			for _, f := range files {
				if f.Digest.Algo != packages.NoDigest && len(f.Digest.Bytes()) == 0 {
					t.Fatalf("digest without bytes: %+v", f)
				}
			}
		}
		if h, err := parseHeader(data); err == nil && (h.name == "" || h.version == "") {
			t.Fatal("header without name or version accepted")
		}
		New().Catalog([]packages.File{{Path: "/var/lib/rpm/Packages", Data: &packages.Captured{Data: data, Size: int64(len(data))}}})
	})
}
