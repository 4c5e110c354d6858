package osvtest

import (
	"archive/zip"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// WriteDB writes the stored records as an offline OSV database in dir:
// dir/<Ecosystem>/all.zip with one flat <ID>.json entry per record of
// records/<Ecosystem>/: a miniature of osv.dev's exports (whose entries
// are flat <ID>.json files too). It returns dir.
func WriteDB(tb testing.TB, dir string) string {
	tb.Helper()
	byEco := map[string][]RecordFile{}
	for _, r := range Records(tb) {
		byEco[r.Ecosystem] = append(byEco[r.Ecosystem], r)
	}
	for eco, recs := range byEco {
		entries := make(map[string][]byte, len(recs))
		for _, r := range recs {
			entries[r.ID+".json"] = r.Data
		}
		WriteZip(tb, filepath.Join(dir, eco, "all.zip"), entries)
	}
	return dir
}

// WriteZip writes a deflated zip of the given entries at path.
func WriteZip(tb testing.TB, path string, entries map[string][]byte) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, name := range sortedKeys(entries) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(entries[name]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
