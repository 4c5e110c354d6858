package golang

import (
	"io/fs"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// minSize skips files too small to be a Go executable: the smallest
// stripped hello-world is over 1 MB.
const minSize = 256 << 10

type cataloger struct{}

// New returns the Go cataloger. It reads the build info of ELF Go
// executables (Linux images); Mach-O and PE binaries are not looked at.
func New() packages.Cataloger { return cataloger{} }

func (cataloger) Ecosystem() string { return packages.Go }

// Match takes files big enough to be Go executables that are executable
// or live in a bin directory. It does not allocate for other files.
func (cataloger) Match(path string, size int64, mode fs.FileMode) packages.Extractor {
	if size < minSize {
		return nil
	}
	if mode&0o111 == 0 && !strings.Contains(path, "/bin/") && !strings.Contains(path, "/sbin/") {
		return nil
	}
	return &scanner{}
}

func (c cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	pkgs, _, warns := c.CatalogOwned(files)
	return pkgs, warns
}

// CatalogOwned gives each executable to its main module (the standard
// library where the build recorded none): the modules compiled into it
// have no files of their own.
func (cataloger) CatalogOwned(files []packages.File) ([]packages.Package, []packages.Owned, []packages.Warning) {
	var pkgs []packages.Package
	var owned []packages.Owned
	for _, f := range files {
		if b, ok := f.Data.(*Binary); ok && b != nil && b.Info != nil {
			first := len(pkgs)
			pkgs = append(pkgs, binaryPackages(f.Path, b)...)
			if len(pkgs) > first {
				owner := first
				if b.Info.Main.Path == "" {
					owner = len(pkgs) - 1 // stdlib
				}
				owned = append(owned, packages.Owned{Package: owner, Record: f.Path, Files: packages.Self(f.Path)})
			}
		}
	}
	return pkgs, owned, nil
}
