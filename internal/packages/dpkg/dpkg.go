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

// Match captures the status file and every regular file directly inside
// status.d except the *.md5sums lists distroless keeps beside the stanzas.
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
	return nil
}

func (c cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	var pkgs []packages.Package
	var warns []packages.Warning
	for _, f := range files {
		data, warn := captured(f)
		if warn != "" {
			warns = append(warns, c.warning(f.Path, warn))
			continue
		}
		// status.d entries come from control files, which carry no Status.
		ps, problems := Parse(data, f.Path, path.Dir(f.Path) == statusDir)
		pkgs = append(pkgs, ps...)
		for i, pr := range problems {
			if i == maxWarnings {
				warns = append(warns, c.warning(f.Path, fmt.Sprintf("%d more problems", len(problems)-i)))
				break
			}
			warns = append(warns, c.warning(f.Path, pr))
		}
	}
	return pkgs, warns
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
