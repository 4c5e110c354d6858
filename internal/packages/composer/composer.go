package composer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// maxInstalled caps a captured installed.json: a large application's
// vendor tree lists a few hundred packages in a few MB.
const maxInstalled = 16 << 20

// maxField bounds a name or version taken from an image.
const maxField = 256

// New returns the Composer cataloger.
func New() packages.Cataloger { return cataloger{} }

type cataloger struct{}

func (cataloger) Ecosystem() string { return packages.Composer }

// Match selects vendor/composer/installed.json. A project that moves its
// vendor-dir elsewhere is not found: matching every composer/installed.json
// would also read copies kept in caches and fixtures.
func (cataloger) Match(path string, _ int64, _ fs.FileMode) packages.Extractor {
	if strings.HasSuffix(path, "/vendor/composer/installed.json") {
		return packages.Capture(maxInstalled)
	}
	return nil
}

// entry is one package of installed.json. Version is the pretty version
// Composer shows ("v5.4.53", "3.1.0", "dev-main"), kept as written: the
// leading "v" is part of the tag it was installed from, and
// version_normalized ("5.4.53.0") is not what users write or read.
type entry struct {
	Name, Version string
	// InstallPath is Composer 2's install-path, relative to
	// vendor/composer; Composer 1 installed every package in vendor/NAME.
	InstallPath string
	// Problem says why the entry could not be read, when it could not.
	Problem string
}

// Catalog reads every package of every installed.json. Development
// packages (Composer 2's dev-package-names) are installed too, so they
// are reported like the others.
func (c cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	pkgs, _, warns := c.CatalogOwned(files)
	return pkgs, warns
}

// CatalogOwned gives each package its folder in the vendor directory.
func (cataloger) CatalogOwned(files []packages.File) ([]packages.Package, []packages.Owned, []packages.Warning) {
	var pkgs []packages.Package
	var dirs []string
	var warns []packages.Warning
	for _, f := range files {
		entries, err := readFile(f.Data)
		if err != nil {
			warns = append(warns, warning(f.Path, err.Error()))
			continue
		}
		for i, e := range entries {
			if msg := e.check(); msg != "" {
				warns = append(warns, warning(f.Path, fmt.Sprintf("package %d: %s", i, msg)))
				continue
			}
			pkgs = append(pkgs, packages.Package{Ecosystem: packages.Composer, Name: e.Name, Version: e.Version, Location: f.Path})
			dirs = append(dirs, e.folder(path.Dir(f.Path)))
		}
	}
	order := make([]int, len(pkgs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := &pkgs[order[i]], &pkgs[order[j]]
		if a.Location != b.Location {
			return a.Location < b.Location
		}
		return a.Name < b.Name
	})
	sorted := make([]packages.Package, len(pkgs))
	owned := make([]packages.Owned, len(pkgs))
	for to, from := range order {
		sorted[to] = pkgs[from]
		owned[to] = packages.Owned{Package: to, Dirs: []string{dirs[from]}}
	}
	return sorted, owned, warns
}

// folder is where the package is installed; composerDir is the
// vendor/composer directory holding installed.json. An install-path that
// climbs out of the vendor directory (a path repository elsewhere in the
// project) is taken as written, within the image.
func (e *entry) folder(composerDir string) string {
	if e.InstallPath != "" {
		return path.Join(composerDir, e.InstallPath)
	}
	return path.Join(path.Dir(composerDir), e.Name)
}

func warning(path, msg string) packages.Warning {
	return packages.Warning{Ecosystem: packages.Composer, Path: path, Message: msg}
}

func readFile(data any) ([]entry, error) {
	b, err := packages.CapturedData(data, "installed.json", maxInstalled)
	if err != nil {
		return nil, err
	}
	return parse(b)
}

// parse reads both forms: Composer 1 wrote a bare array of packages,
// Composer 2 writes {"packages": [...], "dev": ..., "dev-package-names": [...]}.
// Entries that cannot be read keep their place, with a Problem, so that
// warnings can name them by index.
func parse(data []byte) ([]entry, error) {
	data = bytes.TrimSpace(data)
	var raw []json.RawMessage
	switch {
	case bytes.HasPrefix(data, []byte("[")):
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("parse installed.json: %w", err)
		}
	case bytes.HasPrefix(data, []byte("{")):
		var doc struct {
			Packages *[]json.RawMessage `json:"packages"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("parse installed.json: %w", err)
		}
		if doc.Packages == nil {
			return nil, fmt.Errorf("installed.json has no packages list")
		}
		raw = *doc.Packages
	default:
		return nil, fmt.Errorf("installed.json is neither an array nor an object")
	}
	entries := make([]entry, len(raw))
	for i, r := range raw {
		entries[i] = readEntry(r)
	}
	return entries, nil
}

func readEntry(r json.RawMessage) entry {
	var m struct {
		Name, Version json.RawMessage
		InstallPath   json.RawMessage `json:"install-path"`
	}
	if err := json.Unmarshal(r, &m); err != nil || bytes.Equal(r, []byte("null")) {
		return entry{Problem: "not a package object"}
	}
	var e entry
	for _, f := range []struct {
		key string
		raw json.RawMessage
		dst *string
	}{{"name", m.Name, &e.Name}, {"version", m.Version, &e.Version}, {"install-path", m.InstallPath, &e.InstallPath}} {
		if len(f.raw) > 0 && json.Unmarshal(f.raw, f.dst) != nil {
			e.Problem = f.key + " is not a string"
		}
	}
	return e
}

func (e entry) check() string {
	switch {
	case e.Problem != "":
		return e.Problem
	case e.Name == "":
		return "no name"
	case !valid(e.Name) || strings.Count(e.Name, "/") != 1:
		return fmt.Sprintf("invalid name %q", clip(e.Name))
	case e.Version == "":
		return fmt.Sprintf("%s has no version", e.Name)
	case !valid(e.Version):
		return fmt.Sprintf("%s has an invalid version %q", e.Name, clip(e.Version))
	}
	return ""
}

// valid accepts a non-empty value without spaces or control characters.
func valid(s string) bool {
	if len(s) > maxField {
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
