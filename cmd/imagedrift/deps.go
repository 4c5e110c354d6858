package main

import (
	"context"

	"github.com/imagedrift/imagedrift/internal/action"
	"github.com/imagedrift/imagedrift/internal/inventory"
)

// deps are the ways out of the process that commands take beyond their
// streams: reading images, the action's entry. One value per run, so
// tests replace them without touching shared state.
type deps struct {
	// load reads two images at once.
	load func(ctx context.Context, base, head string, o loadOptions) (*inventory.Inventory, *inventory.Inventory, error)
	// action runs the GitHub Action.
	action func(ctx context.Context, o action.Options) error
}

// defaultDeps are the real ones.
func defaultDeps() *deps {
	return &deps{load: loadInventories, action: action.Run}
}
