package inventory

import (
	"context"
	"github.com/imagedrift/imagedrift/internal/fixtures"
	"os"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// BenchmarkInventoryFixture indexes the realistic images of
// ../shared/bench (no catalogers: the bare pass). Run with
//
//	go test ./internal/inventory -run '^$' -bench Fixture -benchtime 1x
func BenchmarkInventoryFixture(b *testing.B) {
	for _, name := range []string{"bookworm-minbase", "big-c", "big-c-3layer"} {
		p := fixtures.Path("images", name+".docker.tar")
		if _, err := os.Stat(p); err != nil {
			b.Logf("skip %s: %v (build it with ../shared/bench/make-fixtures.sh)", name, err)
			continue
		}
		b.Run(name, func(b *testing.B) {
			img, err := tarball.ImageFromPath(p, nil)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i++ {
				inv, err := NewIndexer(Options{}).Inventory(context.Background(), Source{Ref: p, Image: img})
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(inv.Layers[0].UncompSize)
				b.ReportMetric(float64(len(inv.Files)), "files")
			}
		})
	}
}
