package diff

import (
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/origin"
	"github.com/imagedrift/imagedrift/internal/packages"
)

// Options say what to leave out of a comparison. Patterns that do not
// compile match nothing; callers validate them first with CompilePaths
// and CompilePackages (the config package does).
type Options struct {
	// IgnorePaths are left out of the file changes and directory sizes
	// (only counted in FileChanges.Ignored).
	IgnorePaths []string
	// IgnorePackages ("NAME" or "ECOSYSTEM:NAME" globs) are left out of
	// the package changes (counted in PackageChanges.Ignored).
	IgnorePackages []string
	// NoisePaths are file changes that are counted apart (FileChanges.Noise)
	// and flagged in Entries, never dropped.
	NoisePaths []string
	// Dockerfiles are those the base and the head were built from, when
	// known: the layers are matched with their instructions.
	Dockerfiles [2]*origin.Dockerfile
}

// DefaultNoisePaths are caches, logs and bookkeeping files that change on
// every build without telling a reviewer anything.
var DefaultNoisePaths = []string{
	"/var/lib/apt/lists",
	"/var/lib/apt/extended_states",
	"/var/cache",
	"/var/log",
	"/var/lib/dpkg/*-old",
	"/var/lib/dpkg/lock*",
	"/var/lib/dpkg/triggers",
	"/etc/ld.so.cache",
	"/root/.cache",
	"/root/.npm/_cacache",
	"/root/.npm/_logs",
	"__pycache__",
	"*.pyc",
	"*.log",
}

// DefaultOptions are the options with the default noise paths.
func DefaultOptions() Options {
	return Options{NoisePaths: append([]string(nil), DefaultNoisePaths...)}
}

// Changes is everything that differs between two inventories.
type Changes struct {
	// Identical is set when both sides are the same image (same
	// inventory, manifest or config digest); nothing else differs then.
	Identical bool
	Packages  PackageChanges
	Files     FileChanges
	Config    []ConfigChange // sorted by field, then key
	Layers    LayerChanges
	BaseImage BaseImage
	OS        OSChange
	Size      Size
	// Origins say where the layers of the base [0] and the head [1]
	// came from: the base image, a Dockerfile instruction.
	Origins [2]origin.Side
	// Ownership is set for a side whose package records were read: its
	// files without an owner are ones no package installed.
	Ownership [2]bool
}

// Size holds the totals of both sides.
type Size struct {
	Before, After                     int64 // squashed regular files
	CompressedBefore, CompressedAfter int64 // layer blobs
	FilesBefore, FilesAfter           int   // paths of any type
}

// OSChange compares /etc/os-release.
type OSChange struct {
	Before, After inventory.OS
	// Changed is set when the distribution or its version differs (the
	// pretty name alone does not count).
	Changed bool
}

// PackageChanges lists packages by identity: ecosystem and name, plus the
// architecture for dpkg and rpm, plus the install location for language
// packages that can be installed more than once.
type PackageChanges struct {
	Added   []packages.Package // sorted by ecosystem, name, location
	Removed []packages.Package
	Changed []PackageChange
	Ignored int // packages on either side matched by Options.IgnorePackages
}

// PackageChange is a package whose version differs, or a package that
// replaced another built from the same source package (PreviousName set).
type PackageChange struct {
	Ecosystem    string
	Name         string
	PreviousName string // the replaced package, e.g. libssl3 for libssl3t64
	Arch         string
	Location     string // where the head's copy was found
	Source       string
	From, To     string
	Bump         packages.Bump
	Layer        int // the head's layer that installed it
	// OwnedBy names the distribution package that installed this language
	// package, when that package changed too: the two are one change.
	OwnedBy string
}

// Compare compares base with head. The same inventory twice, or two with
// the same manifest or config digest, is recognised without looking at
// files or packages.
func Compare(base, head *inventory.Inventory, opts Options) *Changes {
	if base == nil {
		base = &inventory.Inventory{}
	}
	if head == nil {
		head = &inventory.Inventory{}
	}
	ch := &Changes{
		Size: Size{
			Before: base.Size, After: head.Size,
			CompressedBefore: base.CompressedSize, CompressedAfter: head.CompressedSize,
			FilesBefore: len(base.Files), FilesAfter: len(head.Files),
		},
		OS: compareOS(base.OS, head.OS),
	}
	ch.Layers = compareLayers(base.Layers, head.Layers)
	ch.Ownership = [2]bool{base.Ownership, head.Ownership}
	b, h := baseRef(base), baseRef(head)
	ch.Origins[0], ch.Origins[1] = origin.Attribute(
		origin.Input{Inventory: base, Dockerfile: opts.Dockerfiles[0], AnnotatedName: b.Name, AnnotatedDigest: b.Digest},
		origin.Input{Inventory: head, Dockerfile: opts.Dockerfiles[1], AnnotatedName: h.Name, AnnotatedDigest: h.Digest},
		ch.Layers.Shared)
	ch.BaseImage = compareBase(base, head, ch.Layers.Shared, ch.Origins)
	if sameImage(base, head) {
		ch.Identical = true
		ch.OS.Changed = false
		ch.BaseImage.Changed = false
		return ch
	}
	ignorePaths, _ := CompilePaths(opts.IgnorePaths)
	noise, _ := CompilePaths(opts.NoisePaths)
	ignorePkgs, _ := CompilePackages(opts.IgnorePackages)
	ch.Packages = comparePackages(base.Packages, head.Packages, ignorePkgs)
	ch.Files = compareFiles([2]*inventory.Inventory{base, head}, ignorePaths, noise)
	ch.Config = compareConfig(base, head)
	return ch
}

func sameImage(a, b *inventory.Inventory) bool {
	switch {
	case a == b:
		return true
	case a.Digest != "" && a.Digest == b.Digest:
		return true
	case a.ConfigDigest != "" && a.ConfigDigest == b.ConfigDigest:
		// The config names every layer by diffID: same config, same image.
		return true
	}
	return false
}

func compareOS(a, b inventory.OS) OSChange {
	return OSChange{Before: a, After: b, Changed: a.ID != b.ID || a.VersionID != b.VersionID}
}
