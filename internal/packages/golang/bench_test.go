package golang

import (
	"os"
	"testing"
)

// benchStream measures the scanner as the inventory drives it: 256 KiB
// writes (its copy buffer), reporting throughput over the whole file.
func benchStream(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	const chunk = 256 << 10
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s := &scanner{}
		for p := data; len(p) > 0; {
			k := min(chunk, len(p))
			s.Write(p[:k])
			p = p[k:]
		}
		if _, err := s.Result(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(data)), "ns/byte")
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
