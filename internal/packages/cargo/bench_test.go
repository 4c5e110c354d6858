package cargo

import (
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// benchExtract drives the extractor over the file at path as the
// inventory does.
func benchExtract(b *testing.B, path string) {
	catalogtest.BenchExtractFile(b, path, func(size int64) packages.Extractor { return &extractor{size: size} })
}

// BenchmarkAuditable reads a cargo-auditable style executable with debug
// info (a 4 MB file, most of it unloaded sections that are kept).
func BenchmarkAuditable(b *testing.B) { benchExtract(b, rustBinary(b, "linked-debug")) }

// BenchmarkGoBinary reads the go command: not Rust, 2 MB of symbols kept.
func BenchmarkGoBinary(b *testing.B) { benchExtract(b, "/usr/local/go/bin/go") }

// BenchmarkStripped reads a stripped C executable, the common case in
// distribution images: only a few KB are kept.
func BenchmarkStripped(b *testing.B) { benchExtract(b, "/usr/bin/gcc-12") }

// BenchmarkRustup reads rustup, a 20 MB Rust executable without audit data.
func BenchmarkRustup(b *testing.B) { benchExtract(b, "/root/.cargo/bin/rustup") }
