package inventory

import (
	"context"
	"os"
	"testing"

	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/image"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogers"
)

// BenchmarkInventoryFixture indexes the realistic images of
// ../shared/bench, bare and with every cataloger (what cataloging adds).
// Run with
//
//	go test ./internal/inventory -run '^$' -bench Fixture -benchtime 1x
func BenchmarkInventoryFixture(b *testing.B) {
	for _, name := range []string{"bookworm-minbase", "big-c", "big-c-3layer"} {
		p := fixtures.Path("images", name+".docker.tar")
		if _, err := os.Stat(p); err != nil {
			b.Logf("skip %s: %v (build it with ../shared/bench/make-fixtures.sh)", name, err)
			continue
		}
		for _, mode := range []string{"bare", "catalogers"} {
			b.Run(name+"/"+mode, func(b *testing.B) {
				benchInventory(b, p, mode == "catalogers")
			})
		}
	}
}

func benchInventory(b *testing.B, p string, withCatalogers bool) {
	img, err := image.Open(context.Background(), p, image.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer img.Close()
	for i := 0; i < b.N; i++ {
		var cats []packages.Cataloger
		if withCatalogers {
			cats = catalogers.All()
		}
		inv, err := NewIndexer(Options{Catalogers: cats}).Inventory(context.Background(), Source{Ref: p, Image: img.Image, Synthetic: img.Synthetic})
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(inv.Layers[0].UncompSize)
		b.ReportMetric(float64(len(inv.Files)), "files")
		b.ReportMetric(float64(len(inv.Packages)), "packages")
	}
}
