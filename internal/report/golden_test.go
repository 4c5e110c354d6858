package report

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	goldenflag "github.com/imagedrift/imagedrift/internal/golden"
)

// golden checks got against testdata/name.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenflag.Check(t, filepath.Join("testdata", name), got)
}

func TestGolden(t *testing.T) {
	sample := sampleReport("high", "major-bump")
	same := identicalReport()
	tests := []struct {
		name   string
		render func() ([]byte, error)
	}{
		{"sample.txt", func() ([]byte, error) {
			var b bytes.Buffer
			err := WriteText(&b, sample, TextOptions{})
			return b.Bytes(), err
		}},
		{"sample.color.txt", func() ([]byte, error) {
			var b bytes.Buffer
			err := WriteText(&b, sample, TextOptions{Color: true})
			return b.Bytes(), err
		}},
		{"sample.json", func() ([]byte, error) {
			var b bytes.Buffer
			err := WriteJSON(&b, sample)
			return b.Bytes(), err
		}},
		{"sample.md", func() ([]byte, error) {
			return []byte(Markdown(sample, MarkdownOptions{Key: "Dockerfile:runtime"})), nil
		}},
		{"synthetic.short.md", func() ([]byte, error) {
			return []byte(Markdown(syntheticReport(3000, 200), MarkdownOptions{Key: "short", MaxLen: 9_000,
				FullReportHint: "the job summary and the `imagedrift-report` artifact"})), nil
		}},
		{"identical.txt", func() ([]byte, error) {
			var b bytes.Buffer
			err := WriteText(&b, same, TextOptions{})
			return b.Bytes(), err
		}},
		{"identical.md", func() ([]byte, error) {
			return []byte(Markdown(same, MarkdownOptions{Key: "web"})), nil
		}},
		{"sample.short-form.md", func() ([]byte, error) {
			return []byte(Markdown(sample, MarkdownOptions{Key: "Dockerfile:runtime", Short: true,
				FullReportHint: "the job summary of [the run](https://github.com/acme/web/actions/runs/1)"})), nil
		}},
		{"set.md", func() ([]byte, error) {
			return []byte(MarkdownSet([]SetItem{
				{Key: "api", Report: sample},
				{Key: "worker", Report: same},
				{Key: "batch", Report: syntheticReport(2000, 100)},
			}, MarkdownOptions{Key: "all", FullReportHint: "the artifacts `imagedrift-*`"})), nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.render()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, got)
		})
	}
}

// A report of two empty inventories renders without rows or sections.
func TestRenderEmpty(t *testing.T) {
	r := Build(Input{})
	md := Markdown(r, MarkdownOptions{})
	if md != "### ✅ No risks found\n\n**Base** `(unnamed)` → **Head** `(unnamed)`\n\n**Size** 0 B → 0 B (±0 B, +0.0%) · **Files** +0 −0 \\~0 · **Packages** +0 −0 \\~0\n\nNo risks found.\n\n" {
		t.Errorf("markdown:\n%q", md)
	}
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{}); err != nil || !strings.Contains(b.String(), "Risks: none") {
		t.Errorf("text: %v\n%s", err, b.String())
	}
}
