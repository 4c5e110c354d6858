package lint

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLintCorpus lints every corpus file once per iteration.
func BenchmarkLintCorpus(b *testing.B) {
	paths, _ := filepath.Glob("testdata/corpus/*.Dockerfile")
	var srcs [][]byte
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			if _, err := Lint("Dockerfile", src, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
