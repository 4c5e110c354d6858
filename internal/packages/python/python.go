package python

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

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
	switch {
	case isMetadataPath(path):
		return &extractor{}
	case isRecordPath(path):
		return packages.Capture(maxRecord)
	}
	return nil
}

type extractor struct{ h headerReader }

func (e *extractor) Write(p []byte) (int, error) { return e.h.Write(p) }

func (e *extractor) Result() (any, error) {
	m := e.h.finish()
	return &m, nil
}

// Catalog turns the kept headers into packages, one per metadata file.
func (c cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	pkgs, _, warns := c.CatalogOwned(files)
	return pkgs, warns
}

// CatalogOwned also reads each package's file list: its RECORD or
// installed-files.txt, and its metadata directory whole.
func (cataloger) CatalogOwned(files []packages.File) ([]packages.Package, []packages.Owned, []packages.Warning) {
	var pkgs []packages.Package
	var warns []packages.Warning
	records := map[string]packages.File{} // metadata directory → its record
	for _, f := range files {
		if isRecordPath(f.Path) {
			records[path.Dir(f.Path)] = f
		}
	}
	for _, f := range files {
		if isRecordPath(f.Path) {
			continue
		}
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
	owned := make([]packages.Owned, len(pkgs))
	for i := range pkgs {
		o, warn := owns(i, pkgs[i].Location, records)
		owned[i] = o
		if warn != nil {
			warns = append(warns, *warn)
		}
	}
	return pkgs, owned, warns
}

// owns is what a package read from loc owns: its metadata directory (or
// single .egg-info file), and the files its record lists.
func owns(i int, loc string, records map[string]packages.File) (packages.Owned, *packages.Warning) {
	o := packages.Owned{Package: i}
	dir := path.Dir(loc)
	if !strings.HasSuffix(dir, ".dist-info") && !strings.HasSuffix(dir, ".egg-info") && !strings.HasSuffix(dir, "/EGG-INFO") {
		o.Files = packages.Self(loc) // distutils' single-file .egg-info
		return o, nil
	}
	o.Dirs = []string{dir}
	rec, ok := records[dir]
	if !ok {
		return o, nil
	}
	o.Record = rec.Path
	data, err := packages.CapturedData(rec.Data, path.Base(rec.Path), maxRecord)
	var files []packages.OwnedFile
	if err == nil {
		files, err = recordFiles(rec.Path, data)
		o.Files = slices.Values(files)
	}
	if err != nil {
		return o, &packages.Warning{Ecosystem: packages.Python, Path: rec.Path, Message: err.Error()}
	}
	return o, nil
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
