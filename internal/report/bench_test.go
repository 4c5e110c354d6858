package report

import (
	"io"
	"testing"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/diff/difftest"
	"github.com/imagedrift/imagedrift/internal/risk"
)

func syntheticReport(files, pkgs int) *Report {
	base, head := difftest.Pair(1, files, pkgs)
	ch := diff.Compare(base, head, diff.DefaultOptions())
	pol := risk.DefaultPolicy()
	pol.FailOn = []string{"high"}
	risks, v := risk.Evaluate(ch, sampleFindings(), pol)
	return Build(Input{Base: base, Head: head, Changes: ch, Findings: sampleFindings(), Risks: risks, Verdict: v, Version: "bench"})
}

// BenchmarkMarkdown renders the comment for two images of 60,000 paths and
// 1,000 packages: 5,000 changed paths, 200 package changes, all cut to
// 65,536 bytes.
func BenchmarkMarkdown(b *testing.B) {
	r := syntheticReport(60_000, 1_000)
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	for b.Loop() {
		n = len(Markdown(r, MarkdownOptions{Key: "bench"}))
	}
	b.ReportMetric(float64(n), "bytes")
}

func BenchmarkWriteJSON(b *testing.B) {
	r := syntheticReport(60_000, 1_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := WriteJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteText(b *testing.B) {
	r := syntheticReport(60_000, 1_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := WriteText(io.Discard, r, TextOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
