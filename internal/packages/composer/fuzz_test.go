package composer

import (
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// FuzzCatalog checks that any installed.json yields packages with valid
// fields or warnings, never a panic.
func FuzzCatalog(f *testing.F) {
	catalogtest.SeedFiles(f, "testdata/root/app/vendor/composer/installed.json", "testdata/root/srv/legacy/vendor/composer/installed.json")
	f.Add([]byte(`[null, {"name": "a/b", "version": "1"}, []]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &packages.Captured{Data: data, Size: int64(len(data))}
		pkgs, _ := New().Catalog([]packages.File{{Path: "/v/vendor/composer/installed.json", Data: c}})
		for _, p := range pkgs {
			if (entry{Name: p.Name, Version: p.Version}).check() != "" {
				t.Fatalf("accepted %+v", p)
			}
		}
	})
}
