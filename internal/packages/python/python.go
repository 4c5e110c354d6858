package python

import (
	"fmt"
	"io/fs"
	"sort"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// New returns the Python cataloger.
func New() packages.Cataloger { return cataloger{} }

type cataloger struct{}

func (cataloger) Ecosystem() string { return packages.Python }

// Match selects core-metadata files. Their extractor streams the header
// section and keeps only Name and Version, so a file of any size costs a
// few bytes of memory and is never cut short.
func (cataloger) Match(path string, _ int64, _ fs.FileMode) packages.Extractor {
	if !isMetadataPath(path) {
		return nil
	}
	return &extractor{}
}

type extractor struct{ h headerReader }

func (e *extractor) Write(p []byte) (int, error) { return e.h.Write(p) }

func (e *extractor) Result() (any, error) {
	m := e.h.finish()
	return &m, nil
}

// Catalog turns the kept headers into packages, one per metadata file.
func (cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	var pkgs []packages.Package
	var warns []packages.Warning
	for _, f := range files {
		m, err := metadataOf(f.Data)
		if err == nil {
			err = m.validate()
		}
		if err != nil {
			warns = append(warns, packages.Warning{Ecosystem: packages.Python, Path: f.Path, Message: err.Error()})
			continue
		}
		pkgs = append(pkgs, packages.Package{
			Ecosystem: packages.Python,
			Name:      Normalize(m.Name),
			Version:   m.Version,
			Location:  f.Path,
		})
	}
	sort.SliceStable(pkgs, func(i, j int) bool { return pkgs[i].Location < pkgs[j].Location })
	return pkgs, warns
}

// metadataOf accepts what this package's extractor keeps and, for
// callers that captured the whole file instead, raw file content.
func metadataOf(data any) (*metadata, error) {
	switch d := data.(type) {
	case *metadata:
		return d, nil
	case *packages.Captured:
		var h headerReader
		h.Write(d.Data)
		if d.Truncated {
			// Header lines before the cut are whole; a missing field
			// is reported by validate.
			h.m.Done = true
			return &h.m, nil
		}
		m := h.finish()
		return &m, nil
	}
	return nil, fmt.Errorf("no metadata captured (got %T)", data)
}
