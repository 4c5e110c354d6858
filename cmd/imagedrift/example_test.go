package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/imagedrift/imagedrift/internal/golden"
)

var update = golden.Update

// TestExampleImagesGolden runs the README's first command, the diff of the
// example images in testdata/images, end to end (open, inventory,
// catalogers, diff, risk, render) in every format, against golden files.
func TestExampleImagesGolden(t *testing.T) {
	base := filepath.Join("..", "..", "testdata", "images", "base.tar")
	head := filepath.Join("..", "..", "testdata", "images", "head.tar")
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), []string{"diff", base, head, "--format", format, "--fail-on", "high"},
				streams{Out: &out, Err: &errb})
			if code != 1 {
				t.Fatalf("exit %d, want 1 (the head adds setuid files, a high risk); stderr: %s", code, errb.String())
			}
			golden := filepath.Join("testdata", "example-diff."+format)
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("output differs from %s (go test ./cmd/imagedrift -run Example -update to accept):\n%s", golden, out.String())
			}
		})
	}
}
