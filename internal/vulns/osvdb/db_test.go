package osvdb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

func openTestDB(t *testing.T, limits Limits) (*DB, string) {
	t.Helper()
	dir := osvtest.WriteDB(t, t.TempDir())
	db, err := Open(dir, limits)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

func foundIDs(f osv.Found) []string {
	var ids []string
	for _, r := range f.Records {
		ids = append(ids, r.GetId())
	}
	slices.Sort(ids)
	return ids
}

func TestFind(t *testing.T) {
	db, _ := openTestDB(t, DefaultLimits)
	tests := []struct {
		q    osv.Query
		want []string
	}{
		{osv.Query{Ecosystem: "Alpine:v3.18", Name: "musl", Version: "1.2.4-r2"}, []string{"ALPINE-CVE-2025-26519"}},
		{osv.Query{Ecosystem: "Debian:12", Name: "musl", Version: "1.2.3-3"}, []string{"CVE-2025-26519"}},
		{osv.Query{Ecosystem: "PyPI", Name: "requests", Version: "2.30.0"}, []string{"GHSA-9wx4-h78v-vm56", "GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"}},
		// The record spells it "Gradio", PEP 503 "gradio".
		{osv.Query{Ecosystem: "PyPI", Name: "gradio", Version: "4.36.1"}, []string{"GHSA-9v2f-6vcg-3hgv"}},
		{osv.Query{Ecosystem: "Go", Name: "stdlib", Version: "1.21.2"}, []string{"GO-2022-0493", "GO-2023-2102", "GO-2024-2887"}},
		{osv.Query{Ecosystem: "Go", Name: "k8s.io/kubernetes", Version: "1.20.0"}, []string{"GO-2022-0617"}}, // withdrawn: the engine ignores it
		{osv.Query{Ecosystem: "npm", Name: "left-pad", Version: "1.3.0"}, nil},
	}
	qs := make([]osv.Query, len(tests))
	for i, tt := range tests {
		qs[i] = tt.q
	}
	found, err := db.Find(context.Background(), qs)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		if found[i].Err != nil || !slices.Equal(foundIDs(found[i]), tt.want) {
			t.Errorf("%s: %v, %v; want %v", tt.q, foundIDs(found[i]), found[i].Err, tt.want)
		}
	}
	// The same record is decoded once and shared.
	again, _ := db.Find(context.Background(), qs[:1])
	if again[0].Records[0] != found[0].Records[0] {
		t.Error("record decoded twice")
	}
}

// TestFindMissingEcosystem: an ecosystem that was not downloaded fails
// its own queries, with the path that is missing.
func TestFindMissingEcosystem(t *testing.T) {
	db, dir := openTestDB(t, DefaultLimits)
	if err := os.RemoveAll(filepath.Join(dir, "RubyGems")); err != nil {
		t.Fatal(err)
	}
	found, err := db.Find(context.Background(), []osv.Query{
		{Ecosystem: "RubyGems", Name: "rack", Version: "2.2.8"}, {Ecosystem: "npm", Name: "ws", Version: "7.5.9"}})
	if err != nil {
		t.Fatal(err)
	}
	if found[0].Err == nil || !strings.Contains(found[0].Err.Error(), filepath.Join("RubyGems", "all.zip")+" is missing") {
		t.Errorf("RubyGems: err = %v", found[0].Err)
	}
	if found[1].Err != nil || len(found[1].Records) != 1 {
		t.Errorf("npm: %v, %v", foundIDs(found[1]), found[1].Err)
	}
}

func TestLimits(t *testing.T) {
	big := osvtest.Read(t, "records/Debian/CVE-2025-26519.json") // 24,230 bytes
	tests := []struct {
		name    string
		limits  Limits
		entries map[string][]byte
		want    string
	}{
		{"entry inflates past its limit", Limits{MaxEntries: 10, MaxEntrySize: 4096, MaxTotal: 1 << 20},
			map[string][]byte{"CVE-2025-26519.json": big}, "larger than allowed"},
		{"ecosystem inflates past its limit", Limits{MaxEntries: 10, MaxEntrySize: 1 << 20, MaxTotal: 30000},
			map[string][]byte{"a.json": big, "b.json": big}, "larger than allowed"},
		{"too many entries", Limits{MaxEntries: 1, MaxEntrySize: 1 << 20, MaxTotal: 1 << 20},
			map[string][]byte{"a.json": big, "b.json": big}, "more than 1"},
		{"entry that is not JSON", DefaultLimits,
			map[string][]byte{"a.json": []byte("PK\x03\x04")}, "entry a.json"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		osvtest.WriteZip(t, filepath.Join(dir, "Debian", "all.zip"), tt.entries)
		db, err := Open(dir, tt.limits)
		if err != nil {
			t.Fatal(err)
		}
		found, err := db.Find(context.Background(), []osv.Query{{Ecosystem: "Debian:12", Name: "musl", Version: "1.2.3-3"}})
		if err != nil {
			t.Fatal(err)
		}
		if found[0].Err == nil || !strings.Contains(found[0].Err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, found[0].Err, tt.want)
		}
		db.Close()
	}
}

// TestSkipsOtherEntries: entries not ending in .json are not records.
func TestSkipsOtherEntries(t *testing.T) {
	dir := t.TempDir()
	osvtest.WriteZip(t, filepath.Join(dir, "npm", "all.zip"), map[string][]byte{
		"README.txt":               []byte("not a record"),
		"GHSA-3h5v-q93c-6h6q.json": osvtest.Read(t, "records/npm/GHSA-3h5v-q93c-6h6q.json")})
	db, _ := Open(dir, DefaultLimits)
	defer db.Close()
	found, err := db.Find(context.Background(), []osv.Query{{Ecosystem: "npm", Name: "ws", Version: "7.5.9"}})
	if err != nil || found[0].Err != nil || len(found[0].Records) != 1 {
		t.Fatalf("%v, %v, %v", foundIDs(found[0]), found[0].Err, err)
	}
}

func TestDamagedZip(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "PyPI"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "PyPI", "all.zip"), []byte("truncated download"), 0o644); err != nil {
		t.Fatal(err)
	}
	db, _ := Open(dir, DefaultLimits)
	defer db.Close()
	found, _ := db.Find(context.Background(), []osv.Query{{Ecosystem: "PyPI", Name: "pip", Version: "23.0"}})
	if found[0].Err == nil || !strings.Contains(found[0].Err.Error(), "zip") {
		t.Errorf("err = %v", found[0].Err)
	}
}

func TestOpen(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "absent"), DefaultLimits); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(absent) = %v", err)
	}
	db, _ := openTestDB(t, DefaultLimits)
	found, _ := db.Find(context.Background(), []osv.Query{{Ecosystem: "../Debian", Name: "x", Version: "1"}})
	if found[0].Err == nil {
		t.Error("an ecosystem with a path separator was read")
	}
}
