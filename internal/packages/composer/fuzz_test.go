package composer

import (
	"os"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// FuzzCatalog checks that any installed.json yields packages with valid
// fields or warnings, never a panic.
func FuzzCatalog(f *testing.F) {
	for _, s := range []string{"testdata/root/app/vendor/composer/installed.json", "testdata/root/srv/legacy/vendor/composer/installed.json"} {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
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
