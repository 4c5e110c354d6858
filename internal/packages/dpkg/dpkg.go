package dpkg

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

const (
	statusPath = "/var/lib/dpkg/status"
	statusDir  = "/var/lib/dpkg/status.d"
	// The status file of a large image is a few MB; status.d holds one
	// control stanza per package.
	maxStatus      = 64 << 20
	maxStatusEntry = 1 << 20
	// maxWarnings bounds the warnings reported for one file.
	maxWarnings = 20
)

// New returns the dpkg cataloger.
func New() packages.Cataloger { return cataloger{} }

type cataloger struct{}

func (cataloger) Ecosystem() string { return packages.Dpkg }

// Match captures the status file, every stanza directly inside status.d,
// and the records of what each package installed (info/*.list and
// *.md5sums, status.d/*.md5sums, the diversions).
func (cataloger) Match(p string, _ int64, mode fs.FileMode) packages.Extractor {
	if !mode.IsRegular() {
		return nil
	}
	if p == statusPath {
		return packages.Capture(maxStatus)
	}
	if path.Dir(p) == statusDir && !strings.HasSuffix(p, ".md5sums") {
		return packages.Capture(maxStatusEntry)
	}
	return matchRecord(p)
}

func (c cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	pkgs, _, warns := c.CatalogOwned(files)
	return pkgs, warns
}

// CatalogOwned reads the packages and joins each with its records.
func (c cataloger) CatalogOwned(files []packages.File) ([]packages.Package, []packages.Owned, []packages.Warning) {
	var ins []installed
	var from []string // the file each package was read from
	var warns []packages.Warning
	recs := newRecords()
	for _, f := range files {
		if recs.add(f, func(msg string) { warns = append(warns, c.warning(f.Path, msg)) }) {
			continue
		}
		data, warn := captured(f)
		if warn != "" {
			warns = append(warns, c.warning(f.Path, warn))
			continue
		}
		// status.d entries come from control files, which carry no Status.
		ps, problems := parse(data, f.Path, path.Dir(f.Path) == statusDir)
		ins = append(ins, ps...)
		for range ps {
			from = append(from, f.Path)
		}
		warns = append(warns, c.capped(f.Path, problems)...)
	}
	pkgs := make([]packages.Package, len(ins))
	owned := make([]packages.Owned, 0, len(ins))
	for i := range ins {
		pkgs[i] = ins[i].pkg
		o, problems := recs.owned(i, &ins[i], from[i])
		owned = append(owned, o)
		warns = append(warns, c.capped(from[i], problems)...)
	}
	return pkgs, owned, warns
}

// capped turns a file's problems into at most maxWarnings warnings.
func (c cataloger) capped(p string, problems []string) []packages.Warning {
	var warns []packages.Warning
	for i, pr := range problems {
		if i == maxWarnings {
			warns = append(warns, c.warning(p, fmt.Sprintf("%d more problems", len(problems)-i)))
			break
		}
		warns = append(warns, c.warning(p, pr))
	}
	return warns
}

func (cataloger) warning(p, msg string) packages.Warning {
	return packages.Warning{Ecosystem: packages.Dpkg, Path: p, Message: msg}
}

// captured returns the content the Capture extractor kept, or why there
// is none to parse.
func captured(f packages.File) ([]byte, string) {
	c, ok := f.Data.(*packages.Captured)
	switch {
	case !ok || c == nil:
		return nil, fmt.Sprintf("no captured content (%T)", f.Data)
	case c.Truncated:
		return nil, fmt.Sprintf("file is %d bytes, larger than the cap; not parsed", c.Size)
	}
	return c.Data, ""
}
