package diff

import (
	"testing"

	"github.com/imagedrift/imagedrift/internal/diff/difftest"
)

// BenchmarkCompare diffs two inventories of 60,000 paths and 1,000
// packages with the default noise paths and one ignore pattern.
func BenchmarkCompare(b *testing.B) {
	base, head := difftest.Pair(1, 60_000, 1_000)
	opts := DefaultOptions()
	opts.IgnorePaths = []string{"/usr/share/doc/*/changelog*"}
	b.ReportAllocs()
	b.ResetTimer()
	var ch *Changes
	for b.Loop() {
		ch = Compare(base, head, opts)
	}
	b.ReportMetric(float64(len(ch.Files.Entries)), "entries")
	b.ReportMetric(float64(len(ch.Packages.Changed)), "pkgchanges")
}

func BenchmarkCompareIdentical(b *testing.B) {
	base, _ := difftest.Pair(1, 60_000, 1_000)
	b.ReportAllocs()
	for b.Loop() {
		Compare(base, base, DefaultOptions())
	}
}

func TestSyntheticPairShape(t *testing.T) {
	base, head := difftest.Pair(1, 60_000, 1_000)
	ch := Compare(base, head, DefaultOptions())
	if n := len(base.Files); n < 60_000 || n > 62_000 {
		t.Errorf("base has %d files", n)
	}
	fc := ch.Files
	if fc.Added < 1000 || fc.Removed < 500 || fc.Modified < 1500 || fc.Metadata < 200 || fc.Noise.Total() < 100 {
		t.Errorf("file changes %+v, noise %+v", fc.Counts, fc.Noise)
	}
	if pc := ch.Packages; len(pc.Changed) < 100 || len(pc.Added) != 20 || len(pc.Removed) == 0 {
		t.Errorf("package changes: %d changed, %d added, %d removed", len(pc.Changed), len(pc.Added), len(pc.Removed))
	}
}
