package nuget

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// maxDeps caps a captured deps.json; the SDK's largest are about 1 MB.
const maxDeps = 16 << 20

// maxField bounds a name or version taken from an image.
const maxField = 256

// New returns the NuGet cataloger.
func New() packages.Cataloger { return cataloger{} }

type cataloger struct{}

func (cataloger) Ecosystem() string { return packages.Nuget }

func (cataloger) Match(path string, _ int64, _ fs.FileMode) packages.Extractor {
	if strings.HasSuffix(path, ".deps.json") && len(path) > len(".deps.json") && path[len(path)-len(".deps.json")-1] != '/' {
		return packages.Capture(maxDeps)
	}
	return nil
}

// Catalog reads the libraries of every deps.json. Entries of type
// "package" are NuGet packages; "runtimepack" entries (the runtime a
// self-contained app carries, "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0")
// are too, under the package name without the "runtimepack." prefix, as
// runtime updates are the ones a reviewer most needs to see. "project"
// (the app's own assemblies) and "reference" entries are not packages.
func (cataloger) Catalog(files []packages.File) ([]packages.Package, []packages.Warning) {
	var pkgs []packages.Package
	var warns []packages.Warning
	for _, f := range files {
		libs, problems, err := readFile(f.Data)
		if err != nil {
			warns = append(warns, warning(f.Path, err.Error()))
			continue
		}
		for _, p := range problems {
			warns = append(warns, warning(f.Path, p))
		}
		for _, l := range libs {
			pkgs = append(pkgs, packages.Package{Ecosystem: packages.Nuget, Name: l.name, Version: l.version, Location: f.Path})
		}
	}
	return pkgs, warns
}

func warning(path, msg string) packages.Warning {
	return packages.Warning{Ecosystem: packages.Nuget, Path: path, Message: msg}
}

type library struct{ name, version string }

func readFile(data any) ([]library, []string, error) {
	b, err := packages.CapturedData(data, "deps.json", maxDeps)
	if err != nil {
		return nil, nil, err
	}
	return parse(b)
}

// parse returns the package libraries sorted by name and version, and a
// note for each entry it could not read.
func parse(data []byte) ([]library, []string, error) {
	var doc struct {
		Libraries map[string]json.RawMessage `json:"libraries"`
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("parse deps.json: %w", err)
	}
	keys := make([]string, 0, len(doc.Libraries))
	for k := range doc.Libraries {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the notes' order
	var libs []library
	var problems []string
	for _, k := range keys {
		var entry struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(doc.Libraries[k], &entry); err != nil {
			problems = append(problems, fmt.Sprintf("library %q: unreadable entry", clip(k)))
			continue
		}
		if entry.Type != "package" && entry.Type != "runtimepack" {
			continue
		}
		l, err := splitKey(k, entry.Type)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		libs = append(libs, l)
	}
	sort.Slice(libs, func(i, j int) bool {
		if libs[i].name != libs[j].name {
			return libs[i].name < libs[j].name
		}
		return libs[i].version < libs[j].version
	})
	return libs, problems, nil
}

// splitKey reads the "Name/Version" key of a library.
func splitKey(key, typ string) (library, error) {
	name, version, ok := strings.Cut(key, "/")
	if typ == "runtimepack" {
		name = strings.TrimPrefix(name, "runtimepack.")
	}
	if !ok || !valid(name) || !valid(version) || strings.Contains(version, "/") {
		return library{}, fmt.Errorf("library %q: not a Name/Version key", clip(key))
	}
	return library{name, version}, nil
}

// valid accepts a non-empty value without spaces or control characters.
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
