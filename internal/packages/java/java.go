package java

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/bufpool"
)

// maxArchive bounds an archive kept in memory: zip needs random access
// (its directory is at the end), so the extractor holds the whole file.
// It bounds nested archives too.
const maxArchive = 64 << 20

type cataloger struct{}

// New returns the Java cataloger.
func New() packages.Cataloger { return cataloger{} }

func (cataloger) Ecosystem() string { return packages.Java }

// Match takes Java archives by their extension. It does not allocate for
// other files.
func (cataloger) Match(path string, size int64, mode fs.FileMode) packages.Extractor {
	if !isArchiveName(path) {
		return nil
	}
	if size > maxArchive {
		return &tooBig{size: size}
	}
	return &buffer{name: path[strings.LastIndexByte(path, '/')+1:], buf: bufpool.Get(int(size))}
}

// isArchiveName reports whether name ends in a Java archive extension,
// in any case.
func isArchiveName(name string) bool {
	if len(name) < 5 || name[len(name)-4] != '.' {
		return false
	}
	ext := name[len(name)-3:]
	for _, e := range [...]string{"jar", "war", "ear", "jpi", "hpi"} {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	return false
}

func (c cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	pkgs, _, warns := c.CatalogOwned(files)
	return pkgs, warns
}

// CatalogOwned gives each archive to the packages it describes itself
// (not those of the archives nested in it).
func (cataloger) CatalogOwned(files []packages.File) ([]packages.Package, []packages.Owned, []packages.Warning) {
	var pkgs []packages.Package
	var owned []packages.Owned
	var warns []packages.Warning
	for _, f := range files {
		a, ok := f.Data.(*Archive)
		if !ok || a == nil {
			continue
		}
		for _, p := range a.Packages {
			loc := f.Path
			if p.Inner != "" {
				loc += "!/" + p.Inner
			} else {
				owned = append(owned, packages.Owned{Package: len(pkgs), Record: f.Path, Files: packages.Self(f.Path)})
			}
			pkgs = append(pkgs, packages.Package{Ecosystem: packages.Java, Name: p.Name, Version: p.Version, Location: loc})
		}
		for _, w := range a.Warnings {
			warns = append(warns, packages.Warning{Ecosystem: packages.Java, Path: f.Path, Message: w})
		}
	}
	return pkgs, owned, warns
}

// tooBig stands for an archive over maxArchive: its content is dropped
// and Result says so.
type tooBig struct{ size int64 }

func (t *tooBig) Write(p []byte) (int, error) { return len(p), nil }

func (t *tooBig) Result() (any, error) {
	return nil, fmt.Errorf("Java archive is %d bytes, larger than the %d-byte cap; not read", t.size, int64(maxArchive))
}

// buffer keeps a whole archive (up to maxArchive) and reads it at Result.
type buffer struct {
	name string
	buf  []byte
	over bool
}

func (b *buffer) Write(p []byte) (int, error) {
	if len(b.buf)+len(p) > maxArchive {
		bufpool.Put(b.buf)
		b.over, b.buf = true, nil
	}
	if !b.over {
		b.buf = append(b.buf, p...)
	}
	return len(p), nil
}

// Result returns an *Archive with the packages found and the problems met
// in nested archives, or an error when the archive itself is unreadable.
func (b *buffer) Result() (any, error) {
	if b.over {
		return nil, fmt.Errorf("Java archive is larger than the %d-byte cap; not read", int64(maxArchive))
	}
	data := b.buf
	b.buf = nil
	// Nothing read from the archive refers to its bytes: names and
	// versions are copied out.
	a, err := readArchive(data, b.name)
	bufpool.Put(data)
	if err != nil {
		return nil, err
	}
	return a, nil
}
