package rpm

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"

	"github.com/imagedrift/imagedrift/internal/packages"
)

const (
	// maxDB caps a captured database; the largest real ones (thousands of
	// packages with their file lists) stay well below it.
	maxDB       = 256 << 20
	maxWarnings = 20
	walSuffix   = "-wal"
)

// dbDirs are where rpm keeps its database: /var/lib/rpm, and
// /usr/lib/sysimage/rpm where /var/lib/rpm is a link to it (Fedora, SUSE).
var dbDirs = map[string]bool{"/var/lib/rpm": true, "/usr/lib/sysimage/rpm": true}

// dbNames are the package databases of the three backends.
var dbNames = map[string]bool{"Packages": true, "Packages.db": true, "rpmdb.sqlite": true}

// New returns the rpm cataloger.
func New() packages.Cataloger { return cataloger{} }

type cataloger struct{}

func (cataloger) Ecosystem() string { return packages.RPM }

func (cataloger) Match(p string, _ int64, mode fs.FileMode) packages.Extractor {
	if !mode.IsRegular() || !dbDirs[path.Dir(p)] {
		return nil
	}
	switch base := path.Base(p); {
	case dbNames[base]:
		return packages.Capture(maxDB)
	case base == "rpmdb.sqlite"+walSuffix:
		return &counter{}
	}
	return nil
}

// counter measures a file without keeping it: a write-ahead log is only
// reported, not replayed.
type counter struct{ n int64 }

type walSize int64

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
func (c *counter) Result() (any, error)        { return walSize(c.n), nil }

// format is one of the three database formats, in rpm's order of
// preference when a directory holds more than one.
type format struct {
	name  string
	rank  int
	blobs func([]byte) ([][]byte, []string, error)
}

var (
	sqliteFormat = format{"sqlite", 0, sqliteBlobs}
	ndbFormat    = format{"ndb", 1, ndbBlobs}
	bdbFormat    = format{"bdb", 2, bdbBlobs}
)

// detect tells the format by content, whatever the file is called.
func detect(data []byte) (format, bool) {
	switch {
	case sqliteMagicOK(data):
		return sqliteFormat, true
	case ndbMagicOK(data):
		return ndbFormat, true
	}
	if _, ok := bdbMagic(data); ok {
		return bdbFormat, true
	}
	return format{}, false
}

type dbFile struct {
	path string
	data []byte
	f    format
}

func (c cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	pkgs, _, warns := c.CatalogOwned(files)
	return pkgs, warns
}

// CatalogOwned gives each package the files its header lists, with their
// digests and %config flags.
func (c cataloger) CatalogOwned(files []packages.File) ([]packages.Package, []packages.Owned, []packages.Warning) {
	var warns []packages.Warning
	warn := func(p, msg string) {
		warns = append(warns, packages.Warning{Ecosystem: packages.RPM, Path: p, Message: msg})
	}
	byDir := map[string][]dbFile{}
	for _, f := range files {
		if n, ok := f.Data.(walSize); ok {
			if n > 0 {
				warn(f.Path, fmt.Sprintf("write-ahead log of %d bytes not read: changes not yet checkpointed into rpmdb.sqlite are missing", n))
			}
			continue
		}
		cp, ok := f.Data.(*packages.Captured)
		switch {
		case !ok || cp == nil:
			warn(f.Path, fmt.Sprintf("no captured content (%T)", f.Data))
			continue
		case cp.Truncated:
			warn(f.Path, fmt.Sprintf("file is %d bytes, larger than the cap; not parsed", cp.Size))
			continue
		}
		ft, ok := detect(cp.Data)
		if !ok {
			warn(f.Path, "rpm database format not recognised (not Berkeley DB hash, NDB or SQLite)")
			continue
		}
		byDir[path.Dir(f.Path)] = append(byDir[path.Dir(f.Path)], dbFile{f.Path, cp.Data, ft})
	}
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var pkgs []packages.Package
	var owned []packages.Owned
	for _, d := range dirs {
		dbs := byDir[d]
		sort.SliceStable(dbs, func(i, j int) bool { return dbs[i].f.rank < dbs[j].f.rank })
		for _, other := range dbs[1:] {
			warn(other.path, fmt.Sprintf("%s database ignored: rpm reads one database and %s (%s) is there too", other.f.name, dbs[0].path, dbs[0].f.name))
		}
		ps, os, problems := read(dbs[0])
		for _, o := range os {
			o.Package += len(pkgs)
			owned = append(owned, o)
		}
		pkgs = append(pkgs, ps...)
		for i, pr := range problems {
			if i == maxWarnings {
				warn(dbs[0].path, fmt.Sprintf("%d more problems", len(problems)-i))
				break
			}
			warn(dbs[0].path, pr)
		}
	}
	return pkgs, owned, warns
}

// read returns the packages of one database, their files, and what went
// wrong reading it.
func read(db dbFile) ([]packages.Package, []packages.Owned, []string) {
	blobs, problems, err := db.f.blobs(db.data)
	if err != nil {
		problems = append([]string{fmt.Sprintf("rpm database format %s: %v", db.f.name, err)}, problems...)
	}
	var pkgs []packages.Package
	var owned []packages.Owned
	for i, b := range blobs {
		h, err := parseHeader(b)
		if err != nil {
			problems = append(problems, fmt.Sprintf("package header %d: %v", i, err))
			continue
		}
		files, err := headerFiles(b)
		if err != nil {
			problems = append(problems, fmt.Sprintf("package %s: file list: %v", h.name, err))
		}
		owned = append(owned, packages.Owned{Package: len(pkgs), Files: slices.Values(files)})
		pkgs = append(pkgs, h.pkg(db.path))
	}
	return pkgs, owned, problems
}

func (h header) pkg(location string) packages.Package {
	p := packages.Package{Ecosystem: packages.RPM, Name: h.name, Version: h.evr(), Arch: h.arch, Location: location}
	vr := h.version + "-" + h.release
	if name, srcVR := h.source(); name != "" && (name != h.name || srcVR != vr) {
		p.Source, p.SourceVersion = name, srcVR
	}
	return p
}
