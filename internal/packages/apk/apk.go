package apk

import (
	"fmt"
	"io/fs"
	"slices"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// The database lists every installed file, so it grows with the image: a
// few hundred KB for a base image, some MB for a large one.
const (
	maxInstalled = 64 << 20
	maxWarnings  = 20
)

// dbPaths are where apk keeps the database: /lib/apk/db, and /usr/lib/apk/db
// on systems whose /lib is a link into /usr.
var dbPaths = map[string]bool{
	"/lib/apk/db/installed":     true,
	"/usr/lib/apk/db/installed": true,
}

// New returns the apk cataloger.
func New() packages.Cataloger { return cataloger{} }

type cataloger struct{}

func (cataloger) Ecosystem() string { return packages.Apk }

func (cataloger) Match(p string, _ int64, mode fs.FileMode) packages.Extractor {
	if mode.IsRegular() && dbPaths[p] {
		return packages.Capture(maxInstalled)
	}
	return nil
}

func (c cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	pkgs, _, warns := c.CatalogOwned(files)
	return pkgs, warns
}

// CatalogOwned gives each package the directories and files the
// database lists for it, with their SHA-1 checksums.
func (cataloger) CatalogOwned(files []packages.File) ([]packages.Package, []packages.Owned, []packages.Warning) {
	var pkgs []packages.Package
	var owned []packages.Owned
	var warns []packages.Warning
	warn := func(p, msg string) {
		warns = append(warns, packages.Warning{Ecosystem: packages.Apk, Path: p, Message: msg})
	}
	for _, f := range files {
		c, ok := f.Data.(*packages.Captured)
		switch {
		case !ok || c == nil:
			warn(f.Path, fmt.Sprintf("no captured content (%T)", f.Data))
			continue
		case c.Truncated:
			warn(f.Path, fmt.Sprintf("file is %d bytes, larger than the cap; not parsed", c.Size))
			continue
		}
		ins, problems := parse(c.Data, f.Path)
		for _, in := range ins {
			owned = append(owned, packages.Owned{Package: len(pkgs), Files: slices.Values(in.files)})
			pkgs = append(pkgs, in.pkg)
		}
		for i, pr := range problems {
			if i == maxWarnings {
				warn(f.Path, fmt.Sprintf("%d more problems", len(problems)-i))
				break
			}
			warn(f.Path, pr)
		}
	}
	return pkgs, owned, warns
}
