// Package load turns image references into inventories: it opens each
// image, indexes it with every package cataloger, and reads both sides of
// a comparison at once so that shared layers are read once.
package load

import (
	"context"
	"fmt"
	"io"
	"os"

	"golang.org/x/sync/errgroup"

	"github.com/imagedrift/imagedrift/internal/image"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/layercache"
	"github.com/imagedrift/imagedrift/internal/packages/catalogers"
)

// Options say how images are opened and read.
type Options struct {
	Platform string
	// Progress, when set, gets a line per layer read.
	Progress io.Writer
	// CacheDir, when set, is the directory of the layer cache (its
	// "layers" folder, see internal/layercache): a layer read by an
	// earlier run is not read again.
	CacheDir string
	// Warn, when set, is told of what costs time but changes no result: a
	// cache that cannot be opened or written, a damaged entry.
	Warn func(msg string)
	// Program is the program's version, part of the cache's keys.
	Program string
}

// NewIndexer returns an Indexer running every cataloger. It drops each
// layer's index as soon as the inventories that asked for it are done:
// base and head are indexed at the same time, and share their layers then.
func NewIndexer(o Options) *inventory.Indexer {
	opts := inventory.Options{Catalogers: catalogers.All(), Progress: o.Progress, Release: true, Warn: o.Warn, Program: o.Program}
	if o.CacheDir != "" {
		c, err := layercache.Open(o.CacheDir, 0)
		if err != nil {
			if o.Warn != nil {
				o.Warn(fmt.Sprintf("%v: every layer is read", err))
			}
		} else {
			opts.Cache = c
		}
	}
	return inventory.NewIndexer(opts)
}

// Pair reads both images at once with one Indexer, so layers they share
// are read once; the same reference twice costs one inventory.
func Pair(ctx context.Context, baseRef, headRef string, o Options) (base, head *inventory.Inventory, err error) {
	x := NewIndexer(o)
	if baseRef == headRef {
		inv, err := One(ctx, x, baseRef, o)
		return inv, inv, err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { base, err = One(ctx, x, baseRef, o); return })
	g.Go(func() (err error) { head, err = One(ctx, x, headRef, o); return })
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	return base, head, nil
}

// One opens ref and indexes it with x, or reads a JSON inventory for
// "inventory:PATH". Errors name the reference.
func One(ctx context.Context, x *inventory.Indexer, ref string, o Options) (*inventory.Inventory, error) {
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
	inv, err := x.Inventory(ctx, inventory.Source{Ref: ref, Image: img.Image, Annotations: img.Annotations, Synthetic: img.Synthetic})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	return inv, nil
}
