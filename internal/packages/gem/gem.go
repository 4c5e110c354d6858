package gem

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// maxSpec caps a captured gemspec; installed specifications are a few KB.
const maxSpec = 1 << 20

// maxField bounds a name, version or platform taken from an image.
const maxField = 256

// New returns the RubyGems cataloger.
func New() packages.Cataloger { return cataloger{} }

type cataloger struct{}

func (cataloger) Ecosystem() string { return packages.Gem }

// Match selects the specifications directory of any gem home:
// /usr/lib/ruby/gems/3.1.0, /var/lib/gems/3.1.0, /usr/local/bundle,
// vendor/bundle/ruby/3.1.0, Debian's /usr/share/rubygems-integration/all
// and /usr/lib/TRIPLET/rubygems-integration/3.1.0. A gem's own source
// gemspec (gems/NAME-VERSION/NAME.gemspec) is not an installed record.
func (cataloger) Match(p string, _ int64, _ fs.FileMode) packages.Extractor {
	if !strings.HasSuffix(p, ".gemspec") {
		return nil
	}
	dir := p[:max(strings.LastIndexByte(p, '/'), 0)]
	if strings.HasSuffix(dir, "/specifications") || strings.HasSuffix(dir, "/specifications/default") {
		return packages.Capture(maxSpec)
	}
	return nil
}

// Catalog reads one gem per specification. A platform other than "ruby"
// (a precompiled gem such as nokogiri-1.13.10-x86_64-linux) is kept as
// Arch.
func (c cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	pkgs, _, warns := c.CatalogOwned(files)
	return pkgs, warns
}

// CatalogOwned gives each gem its specification and its folder in the
// gem home, gems/NAME-VERSION[-PLATFORM].
// Default gems and Debian's rubygems-integration specifications have no
// folder: their files are Ruby's, or the Debian package's.
func (cataloger) CatalogOwned(files []packages.File) ([]packages.Package, []packages.Owned, []packages.Warning) {
	var pkgs []packages.Package
	var warns []packages.Warning
	for _, f := range files {
		p, notes, err := readFile(f)
		for _, n := range notes {
			warns = append(warns, packages.Warning{Ecosystem: packages.Gem, Path: f.Path, Message: n})
		}
		if err != nil {
			warns = append(warns, packages.Warning{Ecosystem: packages.Gem, Path: f.Path, Message: err.Error()})
			continue
		}
		pkgs = append(pkgs, p)
	}
	sort.SliceStable(pkgs, func(i, j int) bool { return pkgs[i].Location < pkgs[j].Location })
	owned := make([]packages.Owned, len(pkgs))
	for i := range pkgs {
		owned[i] = owns(i, pkgs[i].Location)
	}
	return pkgs, owned, warns
}

func owns(i int, spec string) packages.Owned {
	o := packages.Owned{Package: i, Record: spec, Files: packages.Self(spec)}
	dir, file := path.Split(spec)
	if home, ok := strings.CutSuffix(dir, "/specifications/"); ok {
		full := strings.TrimSuffix(file, ".gemspec")
		o.Dirs = []string{home + "/gems/" + full}
	}
	return o
}

func readFile(f packages.File) (packages.Package, []string, error) {
	data, err := packages.CapturedData(f.Data, "gemspec", maxSpec)
	if err != nil {
		return packages.Package{}, nil, err
	}
	sp, notes := resolve(parseSpec(data))
	if sp.Version == "" && sp.Name != "" {
		why := "no s.version assignment"
		if slices.Contains(sp.Unresolved, "version") {
			why = "s.version is not a string literal"
		}
		if sp.Version = versionFromFile(f.Path, sp.Name, sp.Platform); sp.Version != "" {
			notes = append(notes, fmt.Sprintf("%s; took %s from the file name", why, sp.Version))
		} else {
			return packages.Package{}, notes, fmt.Errorf("%s for gem %s, and no stub line or file name gives the version", why, sp.Name)
		}
	}
	if err := sp.validate(); err != nil {
		return packages.Package{}, notes, err
	}
	p := packages.Package{Ecosystem: packages.Gem, Name: sp.Name, Version: sp.Version, Location: f.Path}
	if sp.Platform != "ruby" {
		p.Arch = sp.Platform
	}
	return p, notes, nil
}

// resolve fills each field the assignments leave empty from the stub
// line, with a note when the assignment was an expression this parser
// does not evaluate.
func resolve(sp, stub spec) (spec, []string) {
	var notes []string
	fill := func(field string, v *string, fallback string) {
		if *v == "" {
			*v = fallback
		}
		if !slices.Contains(sp.Unresolved, field) {
			return
		}
		if fallback != "" {
			notes = append(notes, fmt.Sprintf("s.%s is not a string literal; took %s from the stub line", field, fallback))
		} else if field != "version" {
			notes = append(notes, fmt.Sprintf("s.%s is not a string literal; not evaluated", field))
		}
	}
	fill("name", &sp.Name, stub.Name)
	fill("version", &sp.Version, stub.Version)
	fill("platform", &sp.Platform, stub.Platform)
	return sp, notes
}

// versionFromFile reads VERSION from NAME-VERSION[-PLATFORM].gemspec, the
// name RubyGems gives installed specifications.
func versionFromFile(p, name, platform string) string {
	base := strings.TrimSuffix(path.Base(p), ".gemspec")
	v, ok := strings.CutPrefix(base, name+"-")
	if !ok {
		return ""
	}
	if platform != "" && platform != "ruby" {
		v = strings.TrimSuffix(v, "-"+platform)
	}
	return v
}

func (sp spec) validate() error {
	switch {
	case sp.Name == "":
		return fmt.Errorf("no gem name found")
	case !valid(sp.Name, "._-"):
		return fmt.Errorf("invalid gem name %q", clip(sp.Name))
	case sp.Version == "":
		return fmt.Errorf("no version found for gem %s", sp.Name)
	case !valid(sp.Version, ".-+_"):
		return fmt.Errorf("invalid version %q for gem %s", clip(sp.Version), sp.Name)
	case sp.Platform != "" && !valid(sp.Platform, "._-"):
		return fmt.Errorf("invalid platform %q for gem %s", clip(sp.Platform), sp.Name)
	}
	return nil
}

// valid accepts ASCII letters and digits plus the given punctuation, as
// RubyGems allows in names, versions and platforms.
func valid(s, punct string) bool {
	if s == "" || len(s) > maxField {
		return false
	}
	return !slices.ContainsFunc([]byte(s), func(c byte) bool {
		return !isWord(c) && strings.IndexByte(punct, c) < 0
	})
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
