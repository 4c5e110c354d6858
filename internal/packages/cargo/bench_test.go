package cargo

import (
	"os"
	"testing"
)

// benchExtract drives the extractor as the inventory does: 256 KiB
// writes, then Result.
func benchExtract(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err != nil || len(data) == 0 {
		b.Skip("no ", path)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		x := &extractor{size: int64(len(data))}
		for p := data; len(p) > 0; {
			k := min(256<<10, len(p))
			x.Write(p[:k])
			p = p[k:]
		}
		if _, err := x.Result(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(data)), "ns/byte")
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
