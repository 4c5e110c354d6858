package inventory

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/inventory/synthimage"
)

// An inventory waiting for another to finish its squash still ends when
// its context does.
func TestSquashWaitCancelled(t *testing.T) {
	img, err := synthimage.Spec{Files: 200, Layers: 1}.Image()
	if err != nil {
		t.Fatal(err)
	}
	x := NewIndexer(Options{})
	x.squashing <- struct{}{} // another inventory squashing
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := x.Inventory(ctx, Source{Image: img}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the context's error", err)
	}
	<-x.squashing
	inv, err := x.Inventory(context.Background(), Source{Image: img})
	if err != nil {
		t.Fatalf("after the other squash: %v", err)
	}
	if len(inv.Files) == 0 {
		t.Error("after the other squash: no files")
	}
}
