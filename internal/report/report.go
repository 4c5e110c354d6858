package report

import (
	"github.com/imagedrift/imagedrift/internal/risk"
)

// SchemaVersion of the JSON report.
const SchemaVersion = 1

// Report is the JSON contract (report.schema.json), schemaVersion 1. Fields are
// only ever added. Every list is present (empty rather than null).
type Report struct {
	SchemaVersion int            `json:"schemaVersion"`
	Tool          Tool           `json:"tool"`
	Identical     bool           `json:"identical"` // same image on both sides
	Base          ImageSummary   `json:"base"`
	Head          ImageSummary   `json:"head"`
	Packages      Packages       `json:"packages"`
	Files         Files          `json:"files"`
	Config        []ConfigChange `json:"config"`
	Layers        Layers         `json:"layers"`
	Lint          []Finding      `json:"lint"`
	Risks         []risk.Risk    `json:"risks"`
	Verdict       risk.Verdict   `json:"verdict"`

	// Vulnerabilities is set when a vulnerability lookup ran.
	Vulnerabilities *Vulnerabilities `json:"vulnerabilities,omitempty"`
	// Drift is set in watch mode: what the fresh build has that the
	// reference has not, by kind, with the findings that let it happen.
	Drift *Drift `json:"drift,omitempty"`
	// Reproducibility is set when the head was built twice.
	Reproducibility *Reproducibility `json:"reproducibility,omitempty"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// ImageSummary describes one side.
type ImageSummary struct {
	Ref    string `json:"ref"`
	Digest string `json:"digest"`
	// ImageID is the config digest (Docker's image ID): the identity of
	// images that have no manifest digest, such as docker save archives.
	ImageID        string         `json:"imageId,omitempty"`
	Platform       string         `json:"platform"`
	OS             OS             `json:"os"`
	Layers         int            `json:"layers"`
	CompressedSize int64          `json:"compressedSize"`
	Size           int64          `json:"size"`
	Files          int            `json:"files"`
	Packages       map[string]int `json:"packages"` // ecosystem → count
	BaseImage      *BaseImage     `json:"baseImage,omitempty"`
	// Ownership is set when the image's package records were read: a
	// file change without an owner is then one no package installed.
	Ownership bool `json:"ownership,omitempty"`
	// Warnings are problems met while reading the image (a package
	// database that did not parse): the diff may miss what they cover.
	Warnings []string `json:"warnings,omitempty"`
}

// OS is what /etc/os-release says.
type OS struct {
	ID         string `json:"id"`
	VersionID  string `json:"versionId"`
	PrettyName string `json:"prettyName"`
}

// BaseImage is the base named by the image's annotations or labels, or
// its Dockerfile's FROM line, and how many of its bottom layers are the
// base's.
type BaseImage struct {
	Name   string `json:"name,omitempty"`
	Digest string `json:"digest,omitempty"`
	// Layers is how many bottom layers are the base image's, and
	// DecidedBy how they were told apart: "dockerfile" (the history lined
	// up with the Dockerfile), "annotations" or "shared-layers" (the
	// bottom layers both images share). Absent when they could not be.
	Layers    int    `json:"layers,omitempty"`
	DecidedBy string `json:"decidedBy,omitempty"`
	// None is set for an image without a base: FROM scratch, or a single
	// layer naming none.
	None bool `json:"none,omitempty"`
}

// Packages lists the package changes of all ecosystems.
type Packages struct {
	Added   []Package       `json:"added"`
	Removed []Package       `json:"removed"`
	Changed []PackageChange `json:"changed"`
	Ignored int             `json:"ignored"` // left out by the config
}

// Package is an added or removed package.
type Package struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Version   string `json:"version"`
	Location  string `json:"location"`
	Source    string `json:"source,omitempty"`
	Arch      string `json:"arch,omitempty"`
	// OwnedBy names ("dpkg:python3-six") the distribution package this
	// language package came with, which changed too: one change, shown
	// and risked under the distribution package.
	OwnedBy string  `json:"ownedBy,omitempty"`
	Origin  *Origin `json:"origin,omitempty"`
}

// Origin is where a change came from: the layer that installed or wrote
// it (the base's for what was removed, the head's otherwise) and what
// made that layer.
type Origin struct {
	Side  string `json:"side"`  // "base" or "head": whose layers Layer counts
	Layer int    `json:"layer"` // 0 = bottom
	// Kind is "base" (a layer of the base image), "instruction" (made by
	// Dockerfile:Line, Instruction), "image" (the image's own, the
	// instruction not known) or "unknown" (the base's and the image's own
	// layers could not be told apart).
	Kind        string `json:"kind"`
	Dockerfile  string `json:"dockerfile,omitempty"`
	Line        int    `json:"line,omitempty"`
	Instruction string `json:"instruction,omitempty"`
}

// PackageChange is a package whose version changed. PreviousName is set
// when it replaced another package built from the same source (Debian's
// libssl3 → libssl3t64); Bump is then "none" if the version stayed.
type PackageChange struct {
	Ecosystem    string  `json:"ecosystem"`
	Name         string  `json:"name"`
	PreviousName string  `json:"previousName,omitempty"`
	Location     string  `json:"location"`
	Arch         string  `json:"arch,omitempty"`
	From         string  `json:"from"`
	To           string  `json:"to"`
	Bump         string  `json:"bump"`
	OwnedBy      string  `json:"ownedBy,omitempty"`
	Origin       *Origin `json:"origin,omitempty"`
}

// Files sums up the file changes. The counts and SizeDelta leave out noise
// and ignored paths, which are counted apart.
type Files struct {
	Added        int          `json:"added"`
	Removed      int          `json:"removed"`
	Modified     int          `json:"modified"`
	MetadataOnly int          `json:"metadataOnly"`
	SizeDelta    int64        `json:"sizeDelta"`
	Entries      []FileChange `json:"entries"` // noise included, flagged
	Noise        FileCounts   `json:"noise"`
	Ignored      FileCounts   `json:"ignored"`
	// Directories are the ones that grew the most (up to MaxDirectories),
	// each leaving out a parent explained by one child.
	Directories []DirSize `json:"directories"`
	// Owners sums the changes (noise left out) per owning package,
	// largest size change first.
	Owners []OwnerFiles `json:"owners"`
}

// OwnerFiles are the file changes of one owning package.
type OwnerFiles struct {
	Package string `json:"package"` // "dpkg:python3-chardet"
	FileCounts
}

// MaxDirectories is how many growing directories the report keeps.
const MaxDirectories = 50

// FileCounts counts changes of one class.
type FileCounts struct {
	Added        int   `json:"added"`
	Removed      int   `json:"removed"`
	Modified     int   `json:"modified"`
	MetadataOnly int   `json:"metadataOnly"`
	SizeDelta    int64 `json:"sizeDelta"`
}

// FileChange is one changed path. The before fields of an added path and
// the after fields of a removed one are zero.
type FileChange struct {
	Path       string `json:"path"`
	Change     string `json:"change"` // added | removed | modified | metadata
	Type       string `json:"type"`   // the head's type, the base's for a removed path
	TypeBefore string `json:"typeBefore,omitempty"`
	SizeBefore int64  `json:"sizeBefore"`
	SizeAfter  int64  `json:"sizeAfter"`
	ModeBefore uint32 `json:"modeBefore"`
	ModeAfter  uint32 `json:"modeAfter"`
	UIDBefore  int    `json:"uidBefore"`
	UIDAfter   int    `json:"uidAfter"`
	GIDBefore  int    `json:"gidBefore"`
	GIDAfter   int    `json:"gidAfter"`
	LinkBefore string `json:"linkBefore"`
	LinkAfter  string `json:"linkAfter"`
	Noise      bool   `json:"noise,omitempty"`
	// Owner names the package that owns the path (the head's, the base's
	// for a removed path); "" for none.
	Owner string `json:"owner,omitempty"`
	// Layer is the layer that wrote the path (the base's for a removed
	// one, the head's otherwise).
	Layer int `json:"layer"`
	// Executable is "elf" or "script" for a program or library.
	Executable string `json:"executable,omitempty"`
	// Edited is set when the content differs from what its owning
	// package installed; Conffile when the package declares the file as
	// configuration.
	Edited   bool `json:"edited,omitempty"`
	Conffile bool `json:"conffile,omitempty"`
}

// DirSize is the size of the regular files under a directory.
type DirSize struct {
	Path       string `json:"path"`
	SizeBefore int64  `json:"sizeBefore"`
	SizeAfter  int64  `json:"sizeAfter"`
}

// ConfigChange is one changed config field; Before or After is null when
// unset. Lists are JSON arrays in a string.
type ConfigChange struct {
	Field  string  `json:"field"`
	Key    string  `json:"key,omitempty"`
	Before *string `json:"before"`
	After  *string `json:"after"`
}

// Layers compares the layer stacks.
type Layers struct {
	Shared int     `json:"shared"` // identical bottom layers
	Base   []Layer `json:"base"`
	Head   []Layer `json:"head"`
}

// Layer is one layer, and where it came from when known.
type Layer struct {
	Digest           string  `json:"digest"`
	Size             int64   `json:"size"`
	UncompressedSize int64   `json:"uncompressedSize"`
	CreatedBy        string  `json:"createdBy,omitempty"`
	Origin           *Origin `json:"origin,omitempty"`
}

// Finding is a lint finding.
type Finding struct {
	Rule    string `json:"rule"`
	Level   string `json:"level"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}
