package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/golden"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// TestExampleImagesGolden runs the README's first command, the diff of the
// example images in testdata/images, end to end (open, inventory,
// catalogers, diff, risk, render) in every format, against golden files.
func TestExampleImagesGolden(t *testing.T) {
	// From the repository's root, with the README's paths: the README shows
	// the Markdown as it is.
	goldenDir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join("..", ".."))
	base := filepath.Join("testdata", "images", "base.tar")
	head := filepath.Join("testdata", "images", "head.tar")
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), []string{"diff", base, head, "--format", format, "--fail-on", "high"}, defaultDeps(),
				streams{Out: &out, Err: &errb})
			if code != 1 {
				t.Fatalf("exit %d, want 1 (the head adds setuid files, a high risk); stderr: %s", code, errb.String())
			}
			golden.Check(t, filepath.Join(goldenDir, "example-diff."+format), out.Bytes())
		})
	}
}

// TestDiffWithVersion1Inventory diffs the example base image with the
// head's inventory as the previous schema version wrote it: it loads,
// and what needs ownership stays quiet rather than calling every file of
// the head unowned.
func TestDiffWithVersion1Inventory(t *testing.T) {
	base := filepath.Join("..", "..", "testdata", "images", "base.tar")
	head := "inventory:" + filepath.Join("..", "..", "internal", "inventory", "testdata", "example-head.v1.inventory.json")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"diff", base, head, "--format", "json"}, defaultDeps(), streams{Out: &out, Err: &errb})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep report.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Head.Ownership || !rep.Base.Ownership || len(rep.Packages.Changed) == 0 {
		t.Errorf("ownership %v → %v, %d package changes", rep.Base.Ownership, rep.Head.Ownership, len(rep.Packages.Changed))
	}
	for _, r := range rep.Risks {
		if r.ID == risk.UnownedExecutable || r.ID == risk.PackageFileModified {
			t.Errorf("raised without the head's ownership: %+v", r)
		}
	}
}

// TestExampleCommentFitsOneScreen: what the comment shows above its
// folded details (verdict, summary, where the changes came from, risks)
// fits on one screen.
func TestExampleCommentFitsOneScreen(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "example-diff.markdown"))
	if err != nil {
		t.Fatal(err)
	}
	head, _, ok := strings.Cut(string(b), "<details>")
	if n := strings.Count(head, "\n"); !ok || n > 30 {
		t.Errorf("%d lines above the first <details> (found: %v), want at most 30", n, ok)
	}
}
