package inventory

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// SchemaVersion of the inventory JSON (inventory.schema.json in this package).
const SchemaVersion = 2

// Type of a file system entry. It is a small number rather than a
// string, as an image of a million files has a File for each; the JSON
// names it as before.
type Type uint8

// The zero Type is no type: its JSON is "" (a File is never listed
// without one).
const (
	TypeFile Type = iota + 1
	TypeDir
	TypeSymlink
	TypeChar
	TypeBlock
	TypeFifo
)

var typeNames = [...]string{"", "file", "dir", "symlink", "char", "block", "fifo"}

func (t Type) String() string { return enumString(typeNames[:], t, "Type") }

func (t Type) MarshalText() ([]byte, error) { return enumText(typeNames[:], t, "file type") }

func (t *Type) UnmarshalText(b []byte) error { return enumParse(typeNames[:], b, t, "file type") }

// Executable is what a regular file's first bytes say it runs as; the
// zero value, ExecutableNone, is not a program.
type Executable uint8

const (
	ExecutableNone   Executable = iota
	ExecutableELF               // an ELF executable or shared library
	ExecutableScript            // "#!" and an execute bit
)

var executableNames = [...]string{"", "elf", "script"}

func (x Executable) String() string { return enumString(executableNames[:], x, "Executable") }

func (x Executable) MarshalText() ([]byte, error) {
	return enumText(executableNames[:], x, "executable kind")
}

func (x *Executable) UnmarshalText(b []byte) error {
	return enumParse(executableNames[:], b, x, "executable kind")
}

// The small enums of File are numbers held in a byte and written as the
// names they index.

func enumString[E ~uint8](names []string, e E, typ string) string {
	if int(e) < len(names) {
		return names[e]
	}
	return fmt.Sprintf("%s(%d)", typ, uint8(e))
}

func enumText[E ~uint8](names []string, e E, what string) ([]byte, error) {
	if int(e) >= len(names) {
		return nil, fmt.Errorf("no %s %d", what, uint8(e))
	}
	return []byte(names[e]), nil
}

func enumParse[E ~uint8](names []string, b []byte, e *E, what string) error {
	for i, name := range names {
		if string(b) == name {
			*e = E(i)
			return nil
		}
	}
	return fmt.Errorf("unknown %s %q", what, b)
}

// Digest is the SHA-256 of a file's content, kept as its 32 bytes (a hex
// string would take 64 more, and its header 16) and written as hex. The
// zero Digest is no digest: content not known.
type Digest [sha256.Size]byte

// IsZero reports whether d is no digest; the JSON omits it then.
func (d Digest) IsZero() bool { return d == Digest{} }

// String is the lowercase hex of d, "" for no digest.
func (d Digest) String() string {
	if d.IsZero() {
		return ""
	}
	return hex.EncodeToString(d[:])
}

func (d Digest) MarshalText() ([]byte, error) {
	b := make([]byte, hex.EncodedLen(len(d)))
	hex.Encode(b, d[:])
	return b, nil
}

func (d *Digest) UnmarshalText(b []byte) error {
	if len(b) != hex.EncodedLen(len(d)) {
		return fmt.Errorf("SHA-256 digest %.80q: not 64 hex digits", b)
	}
	if _, err := hex.Decode(d[:], b); err != nil {
		return fmt.Errorf("SHA-256 digest %.80q: %v", b, err)
	}
	return nil
}

// File is one path of the squashed image file system. Hard links are
// resolved: a hard link appears as a regular file with its target's
// content digest and size, and Link naming the path it was linked to.
//
// An image may have millions: each field is as small as what it holds
// allows (their order is the JSON's, so it stays).
type File struct {
	Path string `json:"path"` // absolute, cleaned, e.g. "/usr/bin/env"
	Type Type   `json:"type"`
	// Mode holds the permission bits plus setuid (04000), setgid (02000)
	// and sticky (01000), as in tar headers.
	Mode uint32 `json:"mode"`
	// UID and GID are those of the tar header, which holds them as Linux
	// does: unsigned 32-bit numbers (headerEntry rejects others).
	UID  uint32 `json:"uid"`
	GID  uint32 `json:"gid"`
	Size int64  `json:"size,omitempty"`
	// Link is a symlink's target as written (never followed), or for a
	// hard link the path of the file it links to.
	Link     string `json:"link,omitempty"`
	HardLink bool   `json:"hardLink,omitempty"`
	// SHA256 of a regular file's content; zero (and omitted) when the
	// content is not known, as for a hard link to a missing file.
	SHA256 Digest `json:"sha256,omitzero"`
	// Layer is the index (0 = bottom) of the layer that last wrote the path.
	Layer int32 `json:"layer"`
	// Owners are the indexes in Inventory.Packages of the packages whose
	// records claim the path (several for shared directories, dpkg
	// diversions, and a language package a distribution package installed).
	Owners []int `json:"owners,omitempty"`
	// Executable is ExecutableELF for an ELF program or shared library,
	// ExecutableScript for a "#!" script with an execute bit.
	Executable Executable `json:"executable,omitempty"`
	// Modified is set when an owner's record shows the content changed
	// after the install: it differs from the record's digest, or a later
	// layer wrote other content over what the install wrote.
	Modified bool `json:"modified,omitempty"`
	// Conffile marks a configuration file an owner declares as such
	// (dpkg conffiles, rpm %config), where edits are expected.
	Conffile bool `json:"conffile,omitempty"`
}

// Layer describes one layer of the image.
type Layer struct {
	Digest     string `json:"digest"`           // compressed blob digest
	DiffID     string `json:"diffId,omitempty"` // uncompressed digest
	Size       int64  `json:"size"`             // compressed bytes
	UncompSize int64  `json:"uncompressedSize"` // bytes of the tar stream
	Entries    int    `json:"entries"`          // tar entries, whiteouts included
	MediaType  string `json:"mediaType,omitempty"`
	// CreatedBy is the matching history entry's created_by, when known.
	CreatedBy string `json:"createdBy,omitempty"`
}

// Config is the part of the image config a reviewer cares about.
type Config struct {
	Created      *time.Time        `json:"created,omitempty"`
	OS           string            `json:"os,omitempty"`
	Architecture string            `json:"architecture,omitempty"`
	Variant      string            `json:"variant,omitempty"`
	User         string            `json:"user,omitempty"`
	Env          []string          `json:"env,omitempty"`
	Entrypoint   []string          `json:"entrypoint,omitempty"`
	Cmd          []string          `json:"cmd,omitempty"`
	WorkingDir   string            `json:"workingDir,omitempty"`
	ExposedPorts []string          `json:"exposedPorts,omitempty"` // sorted
	Volumes      []string          `json:"volumes,omitempty"`      // sorted
	Labels       map[string]string `json:"labels,omitempty"`
	Healthcheck  []string          `json:"healthcheck,omitempty"`
	StopSignal   string            `json:"stopSignal,omitempty"`
	History      []History         `json:"history,omitempty"`
}

// History is one entry of the image's build history.
type History struct {
	Created    *time.Time `json:"created,omitempty"`
	CreatedBy  string     `json:"createdBy,omitempty"`
	Comment    string     `json:"comment,omitempty"`
	EmptyLayer bool       `json:"emptyLayer,omitempty"`
}

// OS is what /etc/os-release (or /usr/lib/os-release) says.
type OS struct {
	ID         string `json:"id,omitempty"`
	VersionID  string `json:"versionId,omitempty"`
	PrettyName string `json:"prettyName,omitempty"`
}

// Inventory is everything imagedrift knows about one image after one pass.
type Inventory struct {
	SchemaVersion int    `json:"schemaVersion"`
	Ref           string `json:"ref"`
	// Digest is the manifest digest; ConfigDigest the config blob's (the
	// image ID of docker).
	Digest       string            `json:"digest"`
	ConfigDigest string            `json:"configDigest,omitempty"`
	Platform     string            `json:"platform,omitempty"` // os/arch[/variant]
	Annotations  map[string]string `json:"annotations,omitempty"`
	Config       Config            `json:"config"`
	OS           OS                `json:"os"`
	Layers       []Layer           `json:"layers"`
	// CompressedSize sums the layer blobs; Size sums the regular files of
	// the squashed file system.
	CompressedSize int64  `json:"compressedSize"`
	Size           int64  `json:"size"`
	Files          []File `json:"files"` // sorted by Path
	// Ownership is set when the package records were read, so that a file
	// without Owners is one no package installed. Inventories of schema
	// version 1 had no ownership.
	Ownership bool               `json:"ownership,omitempty"`
	Packages  []packages.Package `json:"packages"`
	Warnings  []packages.Warning `json:"warnings,omitempty"`
}

// ComparePaths orders paths component by component, as the squashed tree
// is walked: a directory's contents right after it ("/usr/lib",
// "/usr/lib/x", "/usr/lib-foo"), where byte order would put "/usr/lib-foo"
// between them.
func ComparePaths(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			switch {
			case a[i] == '/':
				return -1
			case b[i] == '/':
				return 1
			case a[i] < b[i]:
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}
