package main

import (
	"context"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/load"
)

// loadOptions say how images are opened and read.
type loadOptions = load.Options

// loadInventories reads both images at once (see load.Pair).
func loadInventories(ctx context.Context, baseRef, headRef string, o loadOptions) (base, head *inventory.Inventory, err error) {
	return load.Pair(ctx, baseRef, headRef, o)
}
