package java

import (
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// benchExtract measures Match + Write + Result over an archive, as the
// inventory drives them.
func benchExtract(b *testing.B, name string, data []byte) {
	c := New()
	catalogtest.BenchExtract(b, data, func(size int64) packages.Extractor {
		return c.Match("/srv/"+name, size, 0o644)
	})
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
