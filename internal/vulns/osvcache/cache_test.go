package osvcache

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

func TestPutGet(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "osv"))
	if err != nil {
		t.Fatal(err)
	}
	data := osvtest.Read(t, "records/Go/GO-2022-0617.json") // zero dates in the record itself
	const mod = "2024-08-21T16:25:56Z"
	if _, ok := d.Get("GO-2022-0617", mod); ok {
		t.Fatal("hit in an empty cache")
	}
	if err := d.Put("GO-2022-0617", mod, data); err != nil {
		t.Fatal(err)
	}
	v, ok := d.Get("GO-2022-0617", mod)
	if !ok || v.GetId() != "GO-2022-0617" {
		t.Fatalf("Get = %v, %v", v.GetId(), ok)
	}
	// Another modified time, older or newer, is another version.
	for _, other := range []string{"2024-08-21T16:25:57Z", "0001-01-01T00:00:00Z", ""} {
		if _, ok := d.Get("GO-2022-0617", other); ok {
			t.Errorf("hit for modified %q", other)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(d.path, ".tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestDamagedEntry: a truncated or foreign entry is a miss, and Put
// repairs it.
func TestDamagedEntry(t *testing.T) {
	d, _ := Open(t.TempDir())
	data := osvtest.Read(t, "records/npm/GHSA-3h5v-q93c-6h6q.json")
	const id, mod = "GHSA-3h5v-q93c-6h6q", "2024-06-17T19:09:02Z"
	if err := d.Put(id, mod, data); err != nil {
		t.Fatal(err)
	}
	name, _ := fileName(id)
	path := filepath.Join(d.path, name)
	whole, _ := os.ReadFile(path)
	for _, damaged := range [][]byte{whole[:len(whole)/2], []byte("{}"), nil,
		[]byte(`{"id":"GHSA-3h5v-q93c-6h6q","modified":"2024-06-17T19:09:02Z","record":{"id":"GHSA-other"}}`)} {
		if err := os.WriteFile(path, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, ok := d.Get(id, mod); ok {
			t.Errorf("hit on damaged entry %.40q", damaged)
		}
	}
	if err := d.Put(id, mod, data); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Get(id, mod); !ok {
		t.Error("no hit after repair")
	}
}

func TestFileName(t *testing.T) {
	tests := map[string]string{
		"GHSA-3h5v-q93c-6h6q": "GHSA-3h5v-q93c-6h6q.json",
		"RHSA-2023:1234":      "RHSA-2023%3A1234.json",
		"../etc/passwd":       "%2E.%2Fetc%2Fpasswd.json",
		"BIT-django-2021.1":   "BIT-django-2021.1.json",
	}
	for id, want := range tests {
		if got, ok := fileName(id); !ok || got != want {
			t.Errorf("fileName(%q) = %q, %v; want %q", id, got, ok, want)
		}
	}
	var nilDir *Dir
	if err := nilDir.Put("X", "m", []byte("{}")); err != nil {
		t.Error(err)
	}
	if _, ok := nilDir.Get("X", "m"); ok {
		t.Error("nil cache hit")
	}
}
