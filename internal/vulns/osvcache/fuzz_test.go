package osvcache

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzGet: whatever an entry file holds, Get hits only on a record with
// the requested id, or misses; never a panic.
func FuzzGet(f *testing.F) {
	f.Add([]byte(`{"id":"X-1","modified":"m","record":{"id":"X-1","affected":[]}}`))
	f.Add([]byte(`{"id":"X-1","modified":"m","record":"X-1"}`))
	dir := f.TempDir()
	d := &Dir{path: dir}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, "X-1.json"), data, 0o600); err != nil {
			t.Fatal(err)
		}
		if v, ok := d.Get("X-1", "m"); ok && v.GetId() != "X-1" {
			t.Fatalf("hit with id %q", v.GetId())
		}
	})
}
