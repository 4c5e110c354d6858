package cargo

import (
	"io/fs"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// minSize skips files too small to be a Rust executable.
const minSize = 64 << 10

type cataloger struct{}

// New returns the Rust cataloger for cargo-auditable executables (ELF;
// the Mach-O and PE forms of the section are not looked at).
func New() packages.Cataloger { return cataloger{} }

func (cataloger) Ecosystem() string { return packages.Cargo }

// Match takes files big enough to be Rust executables that are
// executable or live in a bin directory. It does not allocate for other
// files.
func (cataloger) Match(path string, size int64, mode fs.FileMode) packages.Extractor {
	if size < minSize {
		return nil
	}
	if mode&0o111 == 0 && !strings.Contains(path, "/bin/") && !strings.Contains(path, "/sbin/") {
		return nil
	}
	return &extractor{size: size}
}

// Catalog lists the crates of each executable: the root crate, then its
// runtime dependencies with the root as their Source.
func (cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	var pkgs []packages.Package
	for _, f := range files {
		a, ok := f.Data.(*Audit)
		if !ok || a == nil {
			continue
		}
		for _, c := range a.Crates {
			p := packages.Package{Ecosystem: packages.Cargo, Name: c.Name, Version: c.Version, Location: f.Path}
			if !c.Root {
				p.Source = a.Root
			}
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, nil
}
