package packages

import (
	"io"
	"io/fs"
)

// Ecosystem names used in reports and the JSON contract.
const (
	Dpkg     = "dpkg"
	Apk      = "apk"
	RPM      = "rpm"
	Python   = "python"
	Npm      = "npm"
	Go       = "go"
	Java     = "java"
	Gem      = "gem"
	Composer = "composer"
	Cargo    = "cargo"
	Nuget    = "nuget"
)

// Package is one installed package found in an image.
type Package struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Version   string `json:"version"`
	// Location is the file the package was read from (a database, a
	// METADATA file, an executable), an absolute path in the image.
	Location string `json:"location"`
	// Source is the source package (dpkg, apk origin, rpm source RPM) or
	// the main module for Go dependencies, when it differs from Name.
	Source        string `json:"source,omitempty"`
	SourceVersion string `json:"sourceVersion,omitempty"`
	Arch          string `json:"arch,omitempty"`
	// Layer and OwnedBy are set by the inventory, not the catalogers.
	// Layer is the index of the layer that last installed the package.
	Layer int `json:"layer,omitempty"`
	// OwnedBy names ("dpkg:python3-six") the distribution package whose
	// files include the one a language package was read from: the
	// language package came with it.
	OwnedBy string `json:"ownedBy,omitempty"`
}

// Extractor receives the content of one file as the inventory pass streams
// it, in order, in chunks of any size. Write must never fail and must keep
// memory bounded (ignore data it no longer needs); Result is called once,
// after the last Write, and returns what the cataloger wants to keep of the
// file (nil for "nothing of interest"). The value must be small: it lives
// as long as the inventory.
type Extractor interface {
	io.Writer
	Result() (any, error)
}

// File is a file of the final (squashed) image that a cataloger matched,
// with what its Extractor kept.
type File struct {
	Path string
	Size int64
	Data any
}

// Warning is a problem found while cataloging that did not stop the rest
// of the inventory: a malformed database, a capped file, an unsupported
// format. Path names the file.
type Warning struct {
	Ecosystem string `json:"ecosystem,omitempty"`
	Path      string `json:"path,omitempty"`
	Message   string `json:"message"`
}

func (w Warning) String() string {
	s := w.Message
	if w.Path != "" {
		s = w.Path + ": " + s
	}
	if w.Ecosystem != "" {
		s = w.Ecosystem + ": " + s
	}
	return s
}

// Cataloger finds the packages of one ecosystem. The inventory pass calls
// Match for every regular file of every layer (concurrently, across
// layers) and streams the file's content into the returned Extractor; at
// the end it calls Catalog once with the matched files that survive in
// the final image, sorted by path.
type Cataloger interface {
	Ecosystem() string
	// Match returns a fresh Extractor when the file at path (absolute,
	// cleaned) may hold package data, nil otherwise. It must be cheap and
	// safe for concurrent use.
	Match(path string, size int64, mode fs.FileMode) Extractor
	Catalog(files []File) ([]Package, []Warning)
}

// Bump is how a version change should be read, by the ecosystem's rules.
type Bump string

const (
	BumpMajor     Bump = "major"
	BumpMinor     Bump = "minor"
	BumpPatch     Bump = "patch"
	BumpRevision  Bump = "revision"
	BumpDowngrade Bump = "downgrade"
	BumpUnknown   Bump = "unknown"
	BumpNone      Bump = "" // the versions are equal
)
