package java

import (
	"testing"
)

// benchExtract measures Match + Write (in the inventory's 256 KiB
// chunks) + Result over an archive.
func benchExtract(b *testing.B, name string, data []byte) {
	c := New()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		x := c.Match("/srv/"+name, int64(len(data)), 0o644)
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

func BenchmarkJarPom(b *testing.B) {
	benchExtract(b, "slf4j-api.jar", readTestdata(b, "slf4j-api.jar"))
}

func BenchmarkJarManifest(b *testing.B) {
	benchExtract(b, "hamcrest-2.2.jar", readTestdata(b, "hamcrest-2.2.jar"))
}

// BenchmarkWar reads a WAR bundling the test jars, deflated and stored.
func BenchmarkWar(b *testing.B) { benchExtract(b, "app.war", bundles(b)["app.war"]) }

// BenchmarkFatJar reads a Spring Boot style jar with stored libraries.
func BenchmarkFatJar(b *testing.B) { benchExtract(b, "demo.jar", bundles(b)["demo.jar"]) }
