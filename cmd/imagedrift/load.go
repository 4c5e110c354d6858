package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"golang.org/x/sync/errgroup"

	"github.com/imagedrift/imagedrift/internal/image"
	"github.com/imagedrift/imagedrift/internal/inventory"
)

// loadOptions say how images are opened and read.
type loadOptions struct {
	Platform string
	// Progress, when set, gets a line per layer read.
	Progress io.Writer
}

// loadInventories reads both images at once with one Indexer, so layers
// they share are read once; the same reference twice costs one inventory.
func loadInventories(ctx context.Context, baseRef, headRef string, o loadOptions) (base, head *inventory.Inventory, err error) {
	x := newIndexer(o)
	if baseRef == headRef {
		inv, err := loadOne(ctx, x, baseRef, o)
		return inv, inv, err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { base, err = loadOne(ctx, x, baseRef, o); return })
	g.Go(func() (err error) { head, err = loadOne(ctx, x, headRef, o); return })
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	return base, head, nil
}

func newIndexer(o loadOptions) *inventory.Indexer {
	return inventory.NewIndexer(inventory.Options{Catalogers: catalogers(), Progress: o.Progress})
}

// loadOne opens ref and indexes it, or reads a JSON inventory for
// "inventory:PATH". Errors name the reference.
func loadOne(ctx context.Context, x *inventory.Indexer, ref string, o loadOptions) (*inventory.Inventory, error) {
	if p, ok := image.IsInventory(ref); ok {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		defer f.Close()
		inv, err := inventory.Load(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		return inv, nil
	}
	img, err := image.Open(ctx, ref, image.Options{Platform: o.Platform})
	if err != nil {
		return nil, err // image errors already name the reference
	}
	defer img.Close()
	inv, err := x.Inventory(ctx, ref, img.Image, img.Annotations)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	return inv, nil
}
