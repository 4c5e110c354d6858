package image

import (
	"context"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
)

// BenchmarkOpen measures what Open costs: indexing an archive's headers
// and reading manifest and config, never layer content.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	img, err := random.Image(8<<20, 8) // 8 layers of 8 MiB
	if err != nil {
		b.Fatal(err)
	}
	save := filepath.Join(dir, "save.tar")
	writeDockerSave(b, save, [][]string{{"app:1"}}, []v1.Image{img})
	layoutDir := writeLayout(b, filepath.Join(dir, "layout"), img, "v1", nil)
	refs := map[string]string{
		"docker-save-64MiB": save,
		"oci-archive-64MiB": tarDir(b, layoutDir, filepath.Join(dir, "oci.tar")),
		"oci-layout-64MiB":  "oci:" + layoutDir,
		"example-head":      "../../testdata/images/head.tar",
	}
	for name, ref := range refs {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				got, err := Open(context.Background(), ref, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := got.Image.Layers(); err != nil {
					b.Fatal(err)
				}
				got.Close()
			}
		})
	}
}
