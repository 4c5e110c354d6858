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

func (cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	var pkgs []packages.Package
	for _, f := range files {
		if b, ok := f.Data.(*Binary); ok && b != nil && b.Info != nil {
			pkgs = append(pkgs, binaryPackages(f.Path, b)...)
		}
	}
	return pkgs, nil
}
