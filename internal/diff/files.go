package diff

import (
	"cmp"
	"slices"

	"github.com/imagedrift/imagedrift/internal/inventory"
)

// Kind of a file change.
type Kind string

const (
	Added    Kind = "added"
	Removed  Kind = "removed"
	Modified Kind = "modified" // content or type
	Metadata Kind = "metadata" // mode, owner or symlink target only
)

// FileChange is one path that differs. Before is the zero File for an
// added path, After for a removed one.
type FileChange struct {
	Path          string
	Kind          Kind
	Before, After inventory.File
	Noise         bool // matched Options.NoisePaths
	// Owner names ("dpkg:bash") the package that owns the path: in the
	// head, in the base for a removed path. "" when none does (see
	// Changes.Ownership for whether that is known).
	Owner string
}

// SizeDelta is the change in bytes of regular file content.
func (c *FileChange) SizeDelta() int64 { return fileSize(&c.After) - fileSize(&c.Before) }

// Counts of file changes of one class.
type Counts struct {
	Added, Removed, Modified, Metadata int
	SizeDelta                          int64
}

// Total is the number of changed paths.
func (c Counts) Total() int { return c.Added + c.Removed + c.Modified + c.Metadata }

func (c *Counts) add(fc *FileChange) {
	switch fc.Kind {
	case Added:
		c.Added++
	case Removed:
		c.Removed++
	case Modified:
		c.Modified++
	case Metadata:
		c.Metadata++
	}
	c.SizeDelta += fc.SizeDelta()
}

// FileChanges partitions the changed paths: Counts for the ones a reviewer
// reads, Noise for caches and logs, Ignored for what the config excludes.
// Timestamps are not recorded, so they never make a change.
type FileChanges struct {
	Counts
	Noise   Counts
	Ignored Counts
	// Entries lists every changed path but the ignored ones, noise
	// included (flagged), sorted by path.
	Entries []FileChange
	// Dirs are the directories (up to DirDepth deep) whose total size of
	// regular files differs, ignored paths left out, sorted by path.
	Dirs []DirSize
	// Owners sums the changes that are not noise per owning package,
	// largest size change first.
	Owners []OwnerCounts
}

// OwnerCounts are the file changes of one owning package.
type OwnerCounts struct {
	Owner string // "dpkg:python3-chardet"
	Counts
}

func fileSize(f *inventory.File) int64 {
	if f.Type == inventory.TypeFile {
		return f.Size
	}
	return 0
}

func compareFiles(invs [2]*inventory.Inventory, ignore, noise *PathSet) FileChanges {
	base, head := sortedByPath(invs[0].Files), sortedByPath(invs[1].Files)
	var fc FileChanges
	dirs := newDirSizer(ignore)
	owners := [2]ownerNames{{inv: invs[0]}, {inv: invs[1]}}
	perOwner := map[string]*Counts{}
	emit := func(c FileChange) {
		if ignore.Match(c.Path) {
			fc.Ignored.add(&c)
			return
		}
		if c.Kind == Removed {
			c.Owner = owners[0].of(&c.Before)
		} else {
			c.Owner = owners[1].of(&c.After)
		}
		c.Noise = noise.Match(c.Path)
		switch {
		case c.Noise:
			fc.Noise.add(&c)
		case c.Owner != "":
			if perOwner[c.Owner] == nil {
				perOwner[c.Owner] = &Counts{}
			}
			perOwner[c.Owner].add(&c)
			fc.Counts.add(&c)
		default:
			fc.Counts.add(&c)
		}
		fc.Entries = append(fc.Entries, c)
	}
	i, j := 0, 0
	for i < len(base) || j < len(head) {
		var c int
		switch {
		case i == len(base):
			c = 1
		case j == len(head):
			c = -1
		default:
			c = inventory.ComparePaths(base[i].Path, head[j].Path)
		}
		switch {
		case c < 0:
			dirs.add(&base[i], 0)
			emit(FileChange{Path: base[i].Path, Kind: Removed, Before: base[i]})
			i++
		case c > 0:
			dirs.add(&head[j], 1)
			emit(FileChange{Path: head[j].Path, Kind: Added, After: head[j]})
			j++
		default:
			dirs.add(&base[i], 0)
			dirs.add(&head[j], 1)
			if k := classify(&base[i], &head[j]); k != "" {
				emit(FileChange{Path: head[j].Path, Kind: k, Before: base[i], After: head[j]})
			}
			i++
			j++
		}
	}
	fc.Dirs = dirs.changed()
	for o, c := range perOwner {
		fc.Owners = append(fc.Owners, OwnerCounts{Owner: o, Counts: *c})
	}
	slices.SortFunc(fc.Owners, func(a, b OwnerCounts) int {
		return cmp.Or(cmp.Compare(abs(b.SizeDelta), abs(a.SizeDelta)), cmp.Compare(b.Total(), a.Total()), cmp.Compare(a.Owner, b.Owner))
	})
	return fc
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// ownerNames names the owners of one side's files.
type ownerNames struct {
	inv   *inventory.Inventory
	names map[int]string
}

// of names the package a file belongs to: of several owners, a
// distribution package (a Debian package holds the files of the Python
// package it ships), else the first.
func (o *ownerNames) of(f *inventory.File) string {
	best := -1
	for _, i := range f.Owners {
		if i < 0 || i >= len(o.inv.Packages) {
			continue // an inventory file may say anything
		}
		if best < 0 {
			best = i
		}
		if distro[o.inv.Packages[i].Ecosystem] {
			best = i
			break
		}
	}
	if best < 0 {
		return ""
	}
	if o.names == nil {
		o.names = map[int]string{}
	}
	name, ok := o.names[best]
	if !ok {
		p := &o.inv.Packages[best]
		name = p.Ecosystem + ":" + p.Name
		o.names[best] = name
	}
	return name
}

// classify returns how a path present on both sides changed, "" if not.
func classify(b, h *inventory.File) Kind {
	if b.Type != h.Type {
		return Modified
	}
	if b.Type == inventory.TypeFile && (b.Size != h.Size || b.SHA256 != h.SHA256) {
		return Modified
	}
	if b.Mode != h.Mode || b.UID != h.UID || b.GID != h.GID {
		return Metadata
	}
	// A hard link's Link names the path it shares content with, which is
	// an accident of the build; only a symlink's target is its meaning.
	if b.Type == inventory.TypeSymlink && b.Link != h.Link {
		return Metadata
	}
	return ""
}

// sortedByPath returns files sorted by path, in the inventory's order,
// copying only when the input (which may come from an inventory JSON
// file) is not sorted already.
func sortedByPath(fs []inventory.File) []inventory.File {
	if slices.IsSortedFunc(fs, cmpPath) {
		return fs
	}
	c := slices.Clone(fs)
	slices.SortStableFunc(c, cmpPath)
	return c
}

func cmpPath(a, b inventory.File) int { return inventory.ComparePaths(a.Path, b.Path) }
