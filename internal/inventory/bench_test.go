package inventory

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// fixtureDir is where ../shared/bench/make-fixtures.sh writes images.
func fixtureDir() string {
	if d := os.Getenv("IMAGEDRIFT_FIXTURES"); d != "" {
		return d
	}
	return "/var/tmp/imagedrift-fixtures"
}

// BenchmarkInventoryFixture indexes the realistic images of
// ../shared/bench (no catalogers: the bare pass). Run with
//
//	go test ./internal/inventory -run '^$' -bench Fixture -benchtime 1x
func BenchmarkInventoryFixture(b *testing.B) {
	for _, name := range []string{"bookworm-minbase", "big-c", "big-c-3layer"} {
		p := filepath.Join(fixtureDir(), "images", name+".docker.tar")
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
