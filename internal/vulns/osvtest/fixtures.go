package osvtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
)

// Dir is the OSV fixture folder: $IMAGEDRIFT_SHARED/fixtures/osv, or
// ../shared/fixtures/osv next to the module root. The test is skipped,
// naming the path, when it is absent.
func Dir(tb testing.TB) string {
	tb.Helper()
	var dir string
	if s := os.Getenv("IMAGEDRIFT_SHARED"); s != "" {
		dir = filepath.Join(s, "fixtures", "osv")
	} else {
		root, err := moduleRoot()
		if err != nil {
			tb.Skipf("OSV fixtures: %v (set IMAGEDRIFT_SHARED to the folder holding fixtures/osv)", err)
		}
		dir = filepath.Join(root, "..", "shared", "fixtures", "osv")
	}
	if _, err := os.Stat(filepath.Join(dir, "sources.json")); err != nil {
		tb.Skipf("OSV fixtures missing at %s (set IMAGEDRIFT_SHARED to the folder holding fixtures/osv): %v", dir, err)
	}
	return dir
}

func moduleRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", os.ErrNotExist
		}
		d = parent
	}
}

var (
	sumsOnce sync.Once
	sums     map[string]string
	sumsErr  error
)

// Read returns a fixture file, relative to Dir, after checking it against
// the SHA-256 that sources.json publishes for it: a changed fixture would
// silently change what the tests prove.
func Read(tb testing.TB, rel string) []byte {
	tb.Helper()
	dir := Dir(tb)
	sumsOnce.Do(func() {
		var list []struct{ Path, SHA256 string }
		b, err := os.ReadFile(filepath.Join(dir, "sources.json"))
		if err == nil {
			err = json.Unmarshal(b, &list)
		}
		sums, sumsErr = map[string]string{}, err
		for _, e := range list {
			sums[e.Path] = e.SHA256
		}
	})
	if sumsErr != nil {
		tb.Fatalf("sources.json: %v", sumsErr)
	}
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if want, ok := sums[rel]; !ok || want != hex.EncodeToString(sum[:]) {
		tb.Fatalf("fixture %s does not match its SHA-256 in sources.json", rel)
	}
	return b
}

// RecordFile is one file of records/<Ecosystem>/<ID>.json.
type RecordFile struct {
	Ecosystem string // the directory: the base ecosystem
	ID        string
	Data      []byte
}

// Records lists every stored record, sorted by ecosystem then id.
func Records(tb testing.TB) []RecordFile {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(Dir(tb), "records", "*", "*.json"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no records: %v", err)
	}
	sort.Strings(paths)
	var out []RecordFile
	for _, p := range paths {
		eco := filepath.Base(filepath.Dir(p))
		id := strings.TrimSuffix(filepath.Base(p), ".json")
		out = append(out, RecordFile{Ecosystem: eco, ID: id, Data: Read(tb, "records/"+eco+"/"+id+".json")})
	}
	return out
}

// Decoded returns every stored record decoded, by id.
func Decoded(tb testing.TB) map[string]*osvschema.Vulnerability {
	tb.Helper()
	m := map[string]*osvschema.Vulnerability{}
	for _, f := range Records(tb) {
		v, err := osv.Decode(f.Data)
		if err != nil {
			tb.Fatalf("%s/%s: %v", f.Ecosystem, f.ID, err)
		}
		m[f.ID] = v
	}
	return m
}
