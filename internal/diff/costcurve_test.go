package diff

import (
	"context"
	"fmt"
	"testing"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/inventory/synthimage"
	"github.com/imagedrift/imagedrift/internal/packages/catalogers"
)

// BenchmarkCostCurve compares the inventories of synthetic base/head
// pairs (see synthimage.Spec.Pair) of 10,000 to 1,000,000 files over 1
// to 100 layers; the inventories are made before the clock starts. Run
// one size with
//
//	go test ./internal/diff -run '^$' -bench 'CostCurve/files=100000/' -benchtime 3x
func BenchmarkCostCurve(b *testing.B) {
	for _, files := range []int{10_000, 100_000, 1_000_000} {
		for _, layers := range []int{1, 10, 100} {
			b.Run(fmt.Sprintf("files=%d/layers=%d", files, layers), func(b *testing.B) {
				base, head := synthPair(b, synthimage.Spec{Files: files, Layers: layers, Seed: 1})
				opts := DefaultOptions()
				b.ReportAllocs()
				b.ResetTimer()
				var ch *Changes
				for b.Loop() {
					ch = Compare(base, head, opts)
				}
				n := float64(len(base.Files) + len(head.Files))
				b.ReportMetric(n*float64(b.N)/b.Elapsed().Seconds(), "files/s")
				b.ReportMetric(n, "files")
				b.ReportMetric(float64(len(ch.Files.Entries)), "changes")
			})
		}
	}
}

func synthPair(b *testing.B, s synthimage.Spec) (base, head *inventory.Inventory) {
	bi, hi, err := s.Pair()
	if err != nil {
		b.Fatal(err)
	}
	x := inventory.NewIndexer(inventory.Options{Catalogers: catalogers.All()})
	ctx := context.Background()
	if base, err = x.Inventory(ctx, inventory.Source{Ref: "base", Image: bi}); err != nil {
		b.Fatal(err)
	}
	if head, err = x.Inventory(ctx, inventory.Source{Ref: "head", Image: hi}); err != nil {
		b.Fatal(err)
	}
	return base, head
}
