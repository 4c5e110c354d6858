package inventory

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// node is a path of the squashed file system. Directories implied by
// deeper entries but absent from every layer have no entry. There is one
// for every path, 24 bytes: what lower layers wrote at a path, which few
// paths have, is in squasher.under.
type node struct {
	children map[string]*node
	e        *entry
	layer    int32
	idx      int32 // index of the path in Inventory.Files, once listed
}

// written is an entry that a higher layer wrote over.
type written struct {
	e     *entry
	layer int32
	next  *written
}

// set records e, written by layer, at n, keeping what it replaces.
func (s *squasher) set(n *node, e *entry, layer int) {
	if n.e != nil {
		if s.under == nil {
			s.under = map[*node]*written{}
		}
		s.under[n] = &written{e: n.e, layer: n.layer, next: s.under[n]}
	}
	n.e, n.layer = e, int32(layer)
}

func (n *node) child(name string, create bool) *node {
	if c := n.children[name]; c != nil || !create {
		return c
	}
	if n.children == nil {
		n.children = make(map[string]*node)
	}
	c := &node{}
	n.children[name] = c
	return c
}

// count is how many paths under n (n included) have an entry: the size of
// the file list, made at once rather than grown.
func (n *node) count() int {
	c := 0
	if n.e != nil {
		c = 1
	}
	for _, ch := range n.children {
		c += ch.count()
	}
	return c
}

// squasher applies layers bottom-up.
type squasher struct {
	root     node
	warnings []packages.Warning
	// under holds what lower layers wrote at a path, latest first.
	under map[*node]*written
}

func splitPath(p string) []string {
	if p == "/" {
		return nil
	}
	return strings.Split(p[1:], "/")
}

// lookup walks the tree along p, a clean absolute path, component by
// component: every entry of every layer is looked up, so the components
// are cut from p rather than split into a slice.
func (s *squasher) lookup(p string, create bool) *node {
	n := &s.root
	for rest := strings.TrimPrefix(p, "/"); rest != ""; {
		part := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			part, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if n = n.child(part, create); n == nil {
			return nil
		}
	}
	return n
}

func (s *squasher) remove(p string) {
	if p == "/" {
		return
	}
	parent := s.lookup(path.Dir(p), false)
	if parent != nil {
		delete(parent.children, path.Base(p))
	}
}

// apply adds one layer. Whiteouts and opaque markers only hide what lower
// layers wrote, wherever they stand in the tar, so they are applied first.
func (s *squasher) apply(layer int, idx *layerIndex) {
	for i := range idx.entries {
		e := &idx.entries[i]
		switch e.kind {
		case kindWhiteout:
			s.remove(e.path)
		case kindOpaque:
			if n := s.lookup(e.path, false); n != nil {
				n.children = nil
			}
		}
	}
	for i := range idx.entries {
		e := &idx.entries[i]
		switch e.kind {
		case kindWhiteout, kindOpaque:
			continue
		case kindHardlink:
			s.addHardlink(layer, e)
			continue
		}
		n := s.lookup(e.path, true)
		if e.kind != kindDir {
			n.children = nil // a file replacing a directory hides its contents
		}
		s.set(n, e, layer)
	}
}

// addHardlink resolves a hard link against what is already in place (the
// same layer's earlier entries, or lower layers): it takes the target's
// content and captures.
func (s *squasher) addHardlink(layer int, e *entry) {
	t := s.lookup(e.link, false)
	resolved := *e
	if t == nil || t.e == nil || t.e.kind != kindFile {
		s.warnings = append(s.warnings, packages.Warning{Path: e.path,
			Message: fmt.Sprintf("hard link to %s, which is not a regular file in the image; content unknown", e.link)})
		resolved.unknown = true
	} else {
		resolved.size, resolved.sha, resolved.captures = t.e.size, t.e.sha, t.e.captures
		if resolved.mode == 0 {
			resolved.mode = t.e.mode
		}
	}
	resolved.kind = kindFile
	n := s.lookup(e.path, true)
	n.children = nil
	s.set(n, &resolved, layer)
}

// kindType maps entry kinds to the report's file types (hard links are
// resolved to files before).
var kindType = [...]Type{
	kindFile: TypeFile, kindDir: TypeDir, kindSymlink: TypeSymlink,
	kindChar: TypeChar, kindBlock: TypeBlock, kindFifo: TypeFifo,
}

// walk goes through the squashed tree in path order and calls fn for
// every path that has an entry.
func (s *squasher) walk(fn func(p string, n *node)) {
	// The names of the folders being walked, a stack: a folder's names
	// are appended, sorted, walked and cut off again. One slice for the
	// whole walk rather than one per folder, which for a million files
	// is 16 MB of garbage made while the file list, layers and tree are
	// all live.
	var names []string
	var rec func(p string, n *node)
	rec = func(p string, n *node) {
		if n.e != nil {
			fn(p, n)
		}
		start := len(names)
		for name := range n.children {
			names = append(names, name)
		}
		end := len(names)
		sort.Strings(names[start:end])
		// names may be reallocated by the walks below: it is indexed.
		for i := start; i < end; i++ {
			name := names[i]
			c := n.children[name]
			if c.e != nil {
				// An entry's path is the node's: the file list shares the
				// string rather than building it again.
				rec(c.e.path, c)
			} else {
				rec(path.Join(p, name), c)
			}
		}
		names = names[:start]
	}
	rec("/", &s.root)
}

// result builds the file list, hands the captured files to the
// catalogers, and joins the packages' ownership records to the files.
func (s *squasher) result(inv *Inventory, cats []packages.Cataloger) {
	perCat := make([][]packages.File, len(cats))
	var osRelease map[string][]byte
	inv.Files = make([]File, 0, s.root.count())
	s.walk(func(p string, n *node) {
		e := n.e
		n.idx = int32(len(inv.Files))
		f := File{Path: p, Type: kindType[e.kind], Mode: e.mode, UID: e.uid, GID: e.gid, Layer: n.layer}
		switch e.kind {
		case kindFile:
			f.Size = e.size
			if !e.unknown {
				f.SHA256 = e.sha
				f.Executable = e.exec
			}
			inv.Size += e.size
			if e.link != "" {
				f.Link, f.HardLink = e.link, true
			}
		case kindSymlink:
			f.Link = e.link
		}
		inv.Files = append(inv.Files, f)
		for _, c := range e.captured() {
			switch {
			case c.cataloger == captureOSRelease:
				if cp, ok := c.data.(*packages.Captured); ok && c.err == nil {
					if osRelease == nil {
						osRelease = map[string][]byte{}
					}
					osRelease[p] = cp.Data
				}
			case c.cataloger < 0:
			case c.err != nil:
				s.warnings = append(s.warnings, packages.Warning{Ecosystem: cats[c.cataloger].Ecosystem(), Path: p, Message: c.err.Error()})
			case c.data != nil:
				perCat[c.cataloger] = append(perCat[c.cataloger], packages.File{Path: p, Size: e.size, Data: c.data})
			}
		}
	})
	inv.OS = s.readOSRelease(osRelease)
	var claims []claims
	for i, c := range cats {
		if len(perCat[i]) == 0 {
			continue
		}
		var pkgs []packages.Package
		var owned []packages.Owned
		var warns []packages.Warning
		if o, ok := c.(packages.Owner); ok {
			pkgs, owned, warns = o.CatalogOwned(perCat[i])
		} else {
			pkgs, warns = c.Catalog(perCat[i])
		}
		claims = append(claims, ownedFrom(owned, len(inv.Packages), len(pkgs))...)
		inv.Packages = append(inv.Packages, pkgs...)
		inv.Warnings = append(inv.Warnings, warns...)
		perCat[i] = nil
	}
	inv.Ownership = len(cats) > 0
	s.own(inv, sortPackages(inv.Packages), claims)
	inv.Warnings = append(inv.Warnings, s.warnings...)
}
