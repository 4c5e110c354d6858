package inventory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/imagedrift/imagedrift/internal/layercache"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogers"
)

// memCache is a Cache in memory that counts what it was asked.
type memCache struct {
	mu               sync.Mutex
	m                map[string][]byte
	gets, hits, puts int
}

func (c *memCache) Get(key string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gets++
	b, ok := c.m[key]
	if ok {
		c.hits++
	}
	return b, ok, nil
}

func (c *memCache) Put(key string, data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	c.puts++
	c.m[key] = bytes.Clone(data)
	return nil
}

// cacheImage has what a read keeps of every kind: package databases and
// records, a capture that failed (an os-release over its cap in the
// middle layer), record digests under /etc, links, whiteouts and an
// opaque directory.
func cacheImage(t testing.TB) v1.Image {
	t.Helper()
	status := "Package: tool\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\n"
	base := layerOf(t,
		dir("etc/"), dir("usr/"), dir("usr/bin/"), sym("bin", "usr/bin"),
		tf{name: "usr/bin/tool", typ: '0', body: elf + "v1", mode: 0o755},
		reg("etc/tool.conf", "a=1\n"),
		reg("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
		reg("var/lib/dpkg/status", status),
		reg("var/lib/dpkg/info/tool.list", "/.\n/usr/bin/tool\n/etc/tool.conf\n"),
		reg("var/lib/dpkg/info/tool.md5sums", md5sum("a=1\n")+"  etc/tool.conf\n"),
		reg("opt/old/a", "1"),
	)
	mid := layerOf(t,
		reg("etc/os-release", strings.Repeat("#", osReleaseCap+1)),
		hard("usr/bin/tool2", "usr/bin/tool"),
		reg("etc/.wh.tool.conf", ""),
		dir("opt/old/"), reg("opt/old/.wh..wh..opq", ""), reg("opt/old/b", "2"),
		reg("app/node_modules/left-pad/package.json", `{"name":"left-pad","version":"1.3.0"}`),
		reg("app/node_modules/broken/package.json", `{"name":`),
	)
	top := layerOf(t,
		reg("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
		reg("usr/local/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n"),
		tf{name: "usr/local/bin/run.sh", typ: '0', body: "#!/bin/sh\n", mode: 0o755},
	)
	return imageOf(t, base, mid, top)
}

func jsonOf(t *testing.T, inv *Inventory) []byte {
	t.Helper()
	b, err := json.MarshalIndent(inv, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func indexWith(t *testing.T, img v1.Image, c Cache, warn func(string)) (*Inventory, error) {
	t.Helper()
	return NewIndexer(Options{Catalogers: catalogers.All(), Cache: c, Warn: warn}).Inventory(context.Background(), Source{Ref: "test", Image: img})
}

func noWarnings(t *testing.T) func(string) {
	return func(msg string) { t.Errorf("unexpected warning: %s", msg) }
}

// TestCachedSameAsRead: an inventory served from the cache is the one
// reading the layers gives, and the second run reads no layer.
func TestCachedSameAsRead(t *testing.T) {
	img := cacheImage(t)
	plain, err := indexWith(t, img, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := jsonOf(t, plain)
	if len(plain.Packages) < 3 || len(plain.Warnings) == 0 {
		t.Fatalf("the image should give packages and warnings: %s", want)
	}
	c := &memCache{}
	for run := 0; run < 2; run++ {
		inv, err := indexWith(t, img, c, noWarnings(t))
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonOf(t, inv); !bytes.Equal(got, want) {
			t.Fatalf("run %d differs from an uncached read:\n%s\nwant\n%s", run, got, want)
		}
	}
	if c.puts != 3 || c.hits != 3 {
		t.Errorf("puts %d hits %d; want 3 layers stored once and served once", c.puts, c.hits)
	}
	// Served without reading: an image whose layers cannot be read at
	// all, with the same digests, is indexed from the cache alone.
	layers, _ := img.Layers()
	var broken []v1.Layer
	for _, l := range layers {
		broken = append(broken, alteredLayer{Layer: l, data: []byte("not a layer")})
	}
	inv, err := indexWith(t, imageOf(t, broken...), c, noWarnings(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, inv); !bytes.Equal(got, want) {
		t.Fatalf("served from the cache, differs")
	}
}

// TestDamagedEntryReadAgain: with the on-disk cache, an entry cut short
// or with a byte flipped is reported, dropped and replaced by a fresh read
// of the layer; the inventory is the same.
func TestDamagedEntryReadAgain(t *testing.T) {
	img := cacheImage(t)
	plain, err := indexWith(t, img, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := jsonOf(t, plain)
	for name, damage := range map[string]func([]byte) []byte{
		"truncated": func(b []byte) []byte { return b[:len(b)/2] },
		"flipped":   func(b []byte) []byte { b[len(b)-5] ^= 0x40; return b },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			lc, err := layercache.Open(dir, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := indexWith(t, img, lc, noWarnings(t)); err != nil {
				t.Fatal(err)
			}
			entries, _ := filepath.Glob(filepath.Join(dir, "layers", "*"))
			if len(entries) != 3 {
				t.Fatalf("%d entries stored, want 3", len(entries))
			}
			for _, p := range entries {
				b, _ := os.ReadFile(p)
				os.WriteFile(p, damage(b), 0o600)
			}
			var warns []string
			inv, err := indexWith(t, img, lc, func(m string) { warns = append(warns, m) })
			if err != nil {
				t.Fatal(err)
			}
			if got := jsonOf(t, inv); !bytes.Equal(got, want) {
				t.Fatalf("after damage, differs from an uncached read")
			}
			if len(warns) != 3 || !strings.Contains(warns[0], "damaged cache entry") || !strings.Contains(warns[0], "reading the layer again") {
				t.Errorf("warnings %q: want one per damaged entry", warns)
			}
			// The fresh reads were stored again.
			if _, err := indexWith(t, img, lc, noWarnings(t)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestFailedReadNotCached: a truncated layer fails every time, cache or
// not: nothing is stored for it, so it can never read as "no changes".
func TestFailedReadNotCached(t *testing.T) {
	good := tarBytes(t, dir("etc/"), reg("etc/passwd", strings.Repeat("root:x:0:0::/root:/bin/sh\n", 400)))
	goodGz := gz(t, good)
	img := imageWithStored(t, good, goodGz[:len(goodGz)/2])
	c := &memCache{}
	for run := 0; run < 2; run++ {
		_, err := indexWith(t, img, c, noWarnings(t))
		var le *LayerError
		if !errors.As(err, &le) || !errors.Is(err, ErrCorrupt) {
			t.Fatalf("run %d: err = %v, want a corrupt layer", run, err)
		}
	}
	if c.puts != 0 {
		t.Errorf("%d entries stored for a layer that failed", c.puts)
	}
}

// TestCacheKeys: a read verified by diffID only never answers for the
// same digest verified as a stored blob, nor for other options.
func TestCacheKeys(t *testing.T) {
	h := v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("ab", 32)}
	fp := fingerprint(catalogers.All(), DefaultLimits, "v1.0.0")
	blob, ok1 := cacheKey(layerKey{blob: true, hash: h}, fp)
	diff, ok2 := cacheKey(layerKey{hash: h}, fp)
	if !ok1 || !ok2 || blob == diff {
		t.Fatalf("keys %q and %q", blob, diff)
	}
	if fp == fingerprint(catalogers.All()[:3], DefaultLimits, "v1.0.0") || fp == fingerprint(catalogers.All(), Limits{ExpandBase: 1, ExpandRatio: 1, MaxEntries: 1}, "v1.0.0") ||
		fp == fingerprint(catalogers.All(), DefaultLimits, "v1.0.1") {
		t.Error("the fingerprint ignores the catalogers, the limits or the version")
	}
	for _, bad := range []v1.Hash{{Algorithm: "sha512", Hex: h.Hex}, {Algorithm: "sha256", Hex: "../../x"}, {}} {
		if k, ok := cacheKey(layerKey{hash: bad}, fp); ok {
			t.Errorf("key %q for %v", k, bad)
		}
	}
}

// unstorable is a capture type nobody registered.
type unstorable struct{}

type unstorableCataloger struct{}

func (unstorableCataloger) Ecosystem() string { return "test" }
func (unstorableCataloger) Match(p string, _ int64, _ os.FileMode) packages.Extractor {
	if p == "/etc/tool.conf" {
		return unstorableExtractor{}
	}
	return nil
}
func (unstorableCataloger) Catalog([]packages.File) ([]packages.Package, []packages.Warning) {
	return nil, nil
}

type unstorableExtractor struct{}

func (unstorableExtractor) Write(p []byte) (int, error) { return len(p), nil }
func (unstorableExtractor) Result() (any, error)        { return unstorable{}, nil }

// TestUnstorableLayerNotCached: a layer with a capture that cannot be
// stored is not stored at all; the others are.
func TestUnstorableLayerNotCached(t *testing.T) {
	c := &memCache{}
	x := NewIndexer(Options{Catalogers: []packages.Cataloger{unstorableCataloger{}}, Cache: c})
	if _, err := x.Inventory(context.Background(), Source{Ref: "test", Image: cacheImage(t)}); err != nil {
		t.Fatal(err)
	}
	if c.puts != 2 {
		t.Errorf("%d layers stored, want the 2 without the unstorable capture", c.puts)
	}
}

// FuzzDecodeIndex: stored bytes are read from disk; whatever they are,
// decoding returns an error or an index that stores back the same.
func FuzzDecodeIndex(f *testing.F) {
	c := &memCache{}
	if _, err := NewIndexer(Options{Catalogers: catalogers.All(), Cache: c}).Inventory(context.Background(), Source{Ref: "test", Image: cacheImage(f)}); err != nil {
		f.Fatal(err)
	}
	for k, v := range c.m {
		f.Add(k, v)
	}
	ncats := len(catalogers.All())
	f.Fuzz(func(t *testing.T, key string, data []byte) {
		idx, err := decodeIndex(data, key, ncats)
		if err != nil {
			return
		}
		again, ok := encodeIndex(idx, key)
		if !ok {
			t.Fatalf("a decoded index cannot be stored again")
		}
		if _, err := decodeIndex(again, key, ncats); err != nil {
			t.Fatalf("stored again, it does not decode: %v", err)
		}
		var sq squasher
		sq.apply(0, idx)
		sq.result(&Inventory{}, catalogers.All())
	})
}

// TestConcurrentIndexersShareCache: two indexers (as two processes
// would) read the same image at once into one cache directory: both
// write the same entries, and every inventory, then and after, is the
// uncached one.
func TestConcurrentIndexersShareCache(t *testing.T) {
	img := cacheImage(t)
	plain, err := indexWith(t, img, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := jsonOf(t, plain)
	dir := t.TempDir()
	var wg sync.WaitGroup
	invs := make([]*Inventory, 4)
	errs := make([]error, 4)
	for i := range invs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lc, err := layercache.Open(dir, 0)
			if err != nil {
				errs[i] = err
				return
			}
			invs[i], errs[i] = NewIndexer(Options{Catalogers: catalogers.All(), Cache: lc, Warn: func(m string) { t.Errorf("warning: %s", m) }}).
				Inventory(context.Background(), Source{Ref: "test", Image: img})
		}()
	}
	wg.Wait()
	for i, inv := range invs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if got := jsonOf(t, inv); !bytes.Equal(got, want) {
			t.Fatalf("indexer %d differs", i)
		}
	}
	lc, _ := layercache.Open(dir, 0)
	inv, err := indexWith(t, img, lc, noWarnings(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, inv); !bytes.Equal(got, want) {
		t.Fatal("served after concurrent writes, differs")
	}
}

// TestDecodeIndexRejectsIDs: the entry's ids are stored as any integer,
// and decoded only if they are what a tar header may give (see
// headerEntry).
func TestDecodeIndexRejectsIDs(t *testing.T) {
	stored := func(uid, gid int64) []byte {
		var w packages.CaptureWriter
		w.String("k")
		w.Int(0)
		w.Int(0)
		w.Uint(1)
		w.String("/x")
		w.Uint(uint64(kindDir))
		w.Uint(0o755)
		w.Int(uid)
		w.Int(gid)
		w.Int(0)     // size
		w.String("") // link
		w.Bool(false)
		w.Uint(0) // exec
		w.Uint(0) // captures
		return w.Bytes()
	}
	idx, err := decodeIndex(stored(1<<32-1, 0), "k", 0)
	if err != nil || len(idx.entries) != 1 || idx.entries[0].uid != 1<<32-1 {
		t.Fatalf("the largest uid: %v", err)
	}
	for _, ids := range [][2]int64{{1 << 32, 0}, {0, -1}} {
		if _, err := decodeIndex(stored(ids[0], ids[1]), "k", 0); err == nil {
			t.Errorf("uid %d, gid %d decoded", ids[0], ids[1])
		}
	}
}
