package drift

import (
	"path"
	"strings"

	"github.com/imagedrift/imagedrift/internal/report"
)

// packagePaths recognises the files that belong to packages whose
// version differs: the database or metadata file each was read from, the
// directory a language package lives in, and dpkg's own records. Files a
// package installs elsewhere are not known without its file list.
type packagePaths struct {
	files    map[string]bool
	dirs     []string // with a trailing slash
	dpkgInfo []string // "/var/lib/dpkg/info/NAME" prefixes
}

func newPackagePaths(p *report.Packages) *packagePaths {
	pp := &packagePaths{files: map[string]bool{}}
	add := func(eco, name, loc string) {
		pp.files[loc] = true
		switch {
		case eco == "dpkg":
			pp.dpkgInfo = append(pp.dpkgInfo, "/var/lib/dpkg/info/"+name)
			pp.dirs = append(pp.dirs, "/usr/share/doc/"+name+"/")
		case strings.HasSuffix(loc, ".dist-info/METADATA"), strings.HasSuffix(loc, ".egg-info/PKG-INFO"),
			strings.HasSuffix(loc, "/node_modules/"+name+"/package.json"):
			pp.dirs = append(pp.dirs, path.Dir(loc)+"/")
		}
	}
	for _, c := range p.Changed {
		add(c.Ecosystem, c.Name, c.Location)
	}
	for _, lists := range [][]report.Package{p.Added, p.Removed} {
		for _, k := range lists {
			add(k.Ecosystem, k.Name, k.Location)
		}
	}
	return pp
}

func (pp *packagePaths) match(p string) bool {
	if pp.files[p] {
		return true
	}
	for _, d := range pp.dirs {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	for _, prefix := range pp.dpkgInfo {
		if rest, ok := strings.CutPrefix(p, prefix); ok && (strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, ":")) {
			return true
		}
	}
	return false
}
