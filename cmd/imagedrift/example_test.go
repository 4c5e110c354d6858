package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/imagedrift/imagedrift/internal/golden"
)

// TestExampleImagesGolden runs the README's first command, the diff of the
// example images in testdata/images, end to end (open, inventory,
// catalogers, diff, risk, render) in every format, against golden files.
func TestExampleImagesGolden(t *testing.T) {
	base := filepath.Join("..", "..", "testdata", "images", "base.tar")
	head := filepath.Join("..", "..", "testdata", "images", "head.tar")
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), []string{"diff", base, head, "--format", format, "--fail-on", "high"}, defaultDeps(),
				streams{Out: &out, Err: &errb})
			if code != 1 {
				t.Fatalf("exit %d, want 1 (the head adds setuid files, a high risk); stderr: %s", code, errb.String())
			}
			golden.Check(t, filepath.Join("testdata", "example-diff."+format), out.Bytes())
		})
	}
}
