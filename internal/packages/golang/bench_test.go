package golang

import (
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// benchStream measures the scanner over the file at path as the
// inventory drives it.
func benchStream(b *testing.B, path string) {
	catalogtest.BenchExtractFile(b, path, func(int64) packages.Extractor { return &scanner{} })
}

// BenchmarkScanGo reads the go command, a 15 MB Go executable.
func BenchmarkScanGo(b *testing.B) { benchStream(b, "/usr/local/go/bin/go") }

// BenchmarkScanELF reads a large non-Go executable (rustup, 20 MB):
// the scanner searches its data segment and skips the rest.
func BenchmarkScanELF(b *testing.B) {
	p := lookPath("rustup")
	if p == "" {
		p = "/usr/bin/gcc"
	}
	benchStream(b, p)
}
