package gem

import (
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// FuzzCatalog checks that a gemspec of any content yields one package or
// a warning, never a panic, and that a package has valid fields.
func FuzzCatalog(f *testing.F) {
	catalogtest.SeedFiles(f, "testdata/root/usr/*/*/*/*/*.gemspec", "testdata/root/usr/local/bundle/specifications/*.gemspec")
	f.Add([]byte("s.name = %q<a<b>>\ns.version = Gem::Version.new(\"\\u{1F600}\")\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := "/usr/local/bundle/specifications/a-1.gemspec"
		x := New().Match(path, int64(len(data)), 0o644)
		x.Write(data)
		v, _ := x.Result()
		pkgs, _ := New().Catalog([]packages.File{{Path: path, Data: v}})
		for _, p := range pkgs {
			if !valid(p.Name, "._-") || !valid(p.Version, ".-+_") {
				t.Fatalf("accepted %+v", p)
			}
		}
	})
}

// FuzzLiteral checks the Ruby string reader on arbitrary input.
func FuzzLiteral(f *testing.F) {
	for _, s := range []string{`"a\u0062"`, `'a\'b'`, `%q{a{b}c}`, `%Q<#{x}>`, `%|a|`, `"\u{10FFFF}"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, rest, ok := literal(s)
		if !ok && (v != "" || rest != s) {
			t.Fatalf("failed literal returned %q %q", v, rest)
		}
		if ok && len(rest) >= len(s) {
			t.Fatalf("literal consumed nothing from %q", s)
		}
	})
}
