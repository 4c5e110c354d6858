package npm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// maxManifest caps a captured package.json. Installed manifests are a few
// KB; old npm versions copied the README into them, which rarely reaches
// a megabyte.
const maxManifest = 1 << 20

// maxField bounds a name or version taken from an image.
const maxField = 256

// New returns the npm cataloger.
func New() packages.Cataloger { return cataloger{} }

type cataloger struct{}

func (cataloger) Ecosystem() string { return packages.Npm }

func (cataloger) Match(path string, _ int64, _ fs.FileMode) packages.Extractor {
	if !isManifestPath(path) {
		return nil
	}
	return &extractor{Extractor: packages.Capture(maxManifest)}
}

// extractor reads the manifest once it is whole and keeps its name and
// version only: an image holds thousands of manifests, some of many KB.
type extractor struct{ packages.Extractor }

// manifest is what the extractor keeps.
type manifest struct {
	name, version string
	err           error
}

func (x *extractor) Result() (any, error) {
	data, err := x.Extractor.Result()
	if err != nil {
		return data, err
	}
	m := &manifest{}
	m.name, m.version, m.err = parseFile(data)
	return m, nil
}

// Catalog reads one package per manifest. The name is the manifest's, even
// where it differs from the directory the package sits in: npm installs an
// aliased dependency ("foo": "npm:bar@1") as node_modules/foo holding
// bar's manifest, and bar is what advisories and registries know.
func (c cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	pkgs, _, warns := c.CatalogOwned(files)
	return pkgs, warns
}

// CatalogOwned gives each package its folder, the directory of its
// package.json: npm installs nothing of a package elsewhere but the links
// in node_modules/.bin, which belong to the folder holding them.
func (cataloger) CatalogOwned(files []packages.File) ([]packages.Package, []packages.Owned, []packages.Warning) {
	var pkgs []packages.Package
	var warns []packages.Warning
	for _, f := range files {
		var name, version string
		var err error
		if m, ok := f.Data.(*manifest); ok {
			name, version, err = m.name, m.version, m.err
		} else {
			name, version, err = parseFile(f.Data)
		}
		if err != nil {
			warns = append(warns, packages.Warning{Ecosystem: packages.Npm, Path: f.Path, Message: err.Error()})
			continue
		}
		pkgs = append(pkgs, packages.Package{Ecosystem: packages.Npm, Name: name, Version: version, Location: f.Path})
	}
	sort.SliceStable(pkgs, func(i, j int) bool { return pkgs[i].Location < pkgs[j].Location })
	owned := make([]packages.Owned, len(pkgs))
	for i := range pkgs {
		owned[i] = packages.Owned{Package: i, Record: pkgs[i].Location, Dirs: []string{path.Dir(pkgs[i].Location)}}
	}
	return pkgs, owned, warns
}

func parseFile(data any) (name, version string, err error) {
	b, err := packages.CapturedData(data, "package.json", maxManifest)
	if err != nil {
		return "", "", err
	}
	return parse(b)
}

// parse reads the name and version of a package.json. A manifest without
// either is not an installable package (npm refuses to publish it), so it
// is reported rather than guessed from the directory name.
func parse(data []byte) (name, version string, err error) {
	var m struct {
		Name    json.RawMessage `json:"name"`
		Version json.RawMessage `json:"version"`
	}
	// Some Windows-edited manifests start with a byte order mark, which
	// Node.js tolerates.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := json.Unmarshal(data, &m); err != nil {
		return "", "", fmt.Errorf("parse package.json: %w", err)
	}
	if name, err = field("name", m.Name); err != nil {
		return "", "", err
	}
	if version, err = field("version", m.Version); err != nil {
		return "", "", err
	}
	return name, version, nil
}

func field(key string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", fmt.Errorf("package.json has no %s", key)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("package.json %s is not a string", key)
	}
	if !valid(s) {
		return "", fmt.Errorf("package.json has an invalid %s %q", key, clip(s))
	}
	return s, nil
}

// valid accepts what npm could have installed: a non-empty value without
// spaces or control characters, of bounded length.
func valid(s string) bool {
	if s == "" || len(s) > maxField {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '\uFFFD' {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
