package golang

import (
	"os"
	"reflect"
	"runtime"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
)

func TestToolchainVersion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"go1.22.3", "v1.22.3"},
		{"go1.20", "v1.20.0"},
		{"go1", "v1.0.0"},
		{"go1.21rc2", "v1.21.0-rc.2"},
		{"go1.19beta1", "v1.19.0-beta.1"},
		{"go1.22.0 X:loopvar,rangefunc", "v1.22.0"},
		{"go1.21.0-bigcorp", "v1.21.0-bigcorp"},
		{"devel go1.23-e8ee1dc4f9 Tue Jan 2 2024", "devel"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := toolchainVersion(tt.in); got != tt.want {
			t.Errorf("toolchainVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCatalog streams the test module's binary through the cataloger as
// the inventory does and checks the packages against its go.mod.
func TestCatalog(t *testing.T) {
	path := helloBinary(t, "amd64")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := New()
	x := c.Match("/usr/local/bin/hello", int64(len(data)), 0o755)
	if x == nil {
		t.Fatal("Match skipped a Go executable")
	}
	x.Write(data)
	res, err := x.Result()
	if err != nil {
		t.Fatal(err)
	}
	pkgs, warns := c.Catalog([]packages.File{{Path: "/usr/local/bin/hello", Size: int64(len(data)), Data: res}})
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	pkg := func(name, version, source string) packages.Package {
		return packages.Package{Ecosystem: "go", Name: name, Version: version,
			Location: "/usr/local/bin/hello", Source: source, Arch: "amd64"}
	}
	const main = "example.com/hello"
	want := []packages.Package{
		pkg(main, "(devel)", ""),
		pkg("example.com/local", "(devel)", main), // replaced by ./local
		pkg("golang.org/x/mod", "v0.43.0", main),
		pkg("golang.org/x/sync", "v0.22.0", main), // v0.21.0 replaced by v0.22.0
		pkg("stdlib", toolchainVersion(runtime.Version()), main),
	}
	if !reflect.DeepEqual(pkgs, want) {
		t.Errorf("got  %+v\nwant %+v", pkgs, want)
	}
}

// TestCatalogToolchain checks a binary without a main module (the go
// command reports only its package path "cmd/go"): only stdlib.
func TestCatalogToolchain(t *testing.T) {
	path := mustLookPath(t, "go")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := stream(data, 256<<10)
	if err != nil {
		t.Fatal(err)
	}
	pkgs, _ := New().Catalog([]packages.File{{Path: "/usr/local/go/bin/go", Data: res}})
	want := []packages.Package{{Ecosystem: "go", Name: "stdlib", Version: toolchainVersion(runtime.Version()),
		Location: "/usr/local/go/bin/go", Arch: runtime.GOARCH}}
	if !reflect.DeepEqual(pkgs, want) {
		t.Errorf("got  %+v\nwant %+v", pkgs, want)
	}
}
