package inventory

import (
	"bytes"
	"cmp"
	"path"
	"slices"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// The package records read in the pass say which files each package
// installed. They are joined to the squashed tree here, once: a claimed
// path is looked up, its file gets the package's index, and the record's
// paths are dropped, so no path is kept twice.

// claims are the records of one package and its index in the inventory's
// packages before they are sorted.
type claims struct {
	pkg   int
	owned *packages.Owned
}

// ownedFrom indexes a cataloger's claims; offset is where its packages
// start in the inventory, n how many it returned.
func ownedFrom(owned []packages.Owned, offset, n int) []claims {
	out := make([]claims, 0, len(owned))
	for i := range owned {
		if o := &owned[i]; o.Package >= 0 && o.Package < n {
			out = append(out, claims{pkg: offset + o.Package, owned: o})
		}
	}
	return out
}

// sortPackages sorts ps and returns where each package went: moved[old]
// is its new index.
func sortPackages(ps []packages.Package) []int {
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return comparePackages(&ps[a], &ps[b]) })
	sorted := make([]packages.Package, len(ps))
	moved := make([]int, len(ps))
	for to, from := range order {
		sorted[to] = ps[from]
		moved[from] = to
	}
	copy(ps, sorted)
	return moved
}

func comparePackages(a, b *packages.Package) int {
	return cmp.Or(cmp.Compare(a.Ecosystem, b.Ecosystem), cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Version, b.Version), cmp.Compare(a.Location, b.Location))
}

// joiner applies claims to the files of one inventory.
type joiner struct {
	s   *squasher
	inv *Inventory
	// arena holds the first owner of every file, so that a file owned
	// once (nearly all) costs no allocation of its own.
	arena []int
	// votes counts, for a package without a record of its own, the layers
	// that wrote its files.
	votes map[int][]int32
}

type dirClaim struct {
	n     *node
	pkg   int
	rec   int32
	depth int
}

// own joins the claims: owners, declared config files, content that
// differs from the record, and each package's layer.
func (s *squasher) own(inv *Inventory, moved []int, cs []claims) {
	j := &joiner{s: s, inv: inv, votes: map[int][]int32{}}
	records := make([]int32, len(inv.Packages))
	for i := range records {
		records[i] = -1
	}
	var dirs []dirClaim
	for _, c := range cs {
		pkg := moved[c.pkg]
		rec := int32(-1)
		if c.owned.Record != "" {
			if n := s.lookupOwned(c.owned.Record); n != nil && n.e != nil {
				rec = n.layer
			}
		}
		records[pkg] = rec
		if c.owned.Files != nil {
			for f := range c.owned.Files {
				if n := s.lookupOwned(f.Path); n != nil && n.e != nil {
					j.claim(n, pkg, rec, f.Digest, f.Config)
				}
			}
		}
		for _, d := range c.owned.Dirs {
			// A folder may have no entry of its own (implied by its files).
			if n := s.lookupOwned(d); n != nil && (n.e == nil || n.e.kind == kindDir) {
				dirs = append(dirs, dirClaim{n: n, pkg: pkg, rec: rec, depth: strings.Count(path.Clean("/"+d), "/")})
			}
		}
	}
	j.claimDirs(dirs)
	j.alternatives()
	for i := range inv.Files {
		if o := inv.Files[i].Owners; len(o) > 1 {
			slices.Sort(o)
			inv.Files[i].Owners = slices.Compact(o)
		}
	}
	j.packageLayers(records)
	j.ownedBy()
}

// claim records that package pkg owns n. rec is the layer that last wrote
// the package's own record (-1: none), digest what the record says of the
// content.
func (j *joiner) claim(n *node, pkg int, rec int32, digest packages.Digest, config bool) {
	f := &j.inv.Files[n.idx]
	switch {
	case len(f.Owners) == 0:
		if j.arena == nil {
			// Made at the first claim, for every file at once (it never
			// grows): an image without package records needs none, and
			// the file list, layers and tree are all live here.
			j.arena = make([]int, 0, len(j.inv.Files))
		}
		j.arena = append(j.arena, pkg)
		f.Owners = j.arena[len(j.arena)-1 : len(j.arena) : len(j.arena)]
	case f.Owners[len(f.Owners)-1] != pkg:
		f.Owners = append(f.Owners, pkg)
	}
	f.Conffile = f.Conffile || config
	if n.e.kind != kindFile || n.e.unknown {
		return
	}
	if rec < 0 {
		v := j.votes[pkg]
		if v == nil {
			v = make([]int32, len(j.inv.Layers)+1)
			j.votes[pkg] = v
		}
		v[min(int(n.layer), len(v)-1)]++
	}
	if differs(n.e, &digest) || j.rewritten(n, rec) {
		f.Modified = true
	}
}

// differs reports whether the content is known to differ from the
// record's digest: always for SHA-256, for MD5 and SHA-1 where the pass
// computed them (see wantsRecordDigests).
func differs(e *entry, d *packages.Digest) bool {
	switch d.Algo {
	case packages.SHA256:
		return !bytes.Equal(e.sha[:], d.Bytes())
	case packages.MD5, packages.SHA1:
		for _, c := range e.captured() {
			if r, ok := c.data.(*recordDigests); ok && c.cataloger == captureDigests {
				if d.Algo == packages.MD5 {
					return !bytes.Equal(r.md5[:], d.Bytes())
				}
				return !bytes.Equal(r.sha1[:], d.Bytes())
			}
		}
	}
	return false
}

// rewritten reports whether a layer above rec, the layer that installed
// the package, wrote other content over the file the install wrote.
func (j *joiner) rewritten(n *node, rec int32) bool {
	if rec < 0 || n.layer <= rec {
		return false
	}
	for w := j.s.under[n]; w != nil; w = w.next {
		if w.layer <= rec {
			return w.layer == rec && w.e.kind == kindFile && !w.e.unknown && w.e.sha != n.e.sha
		}
	}
	return false
}

// claimDirs gives every path under a claimed folder to its package, the
// deepest folder first: a path belongs to the nearest folder claimed
// above it (an npm package, not the package whose node_modules holds it).
func (j *joiner) claimDirs(dirs []dirClaim) {
	slices.SortStableFunc(dirs, func(a, b dirClaim) int { return cmp.Compare(b.depth, a.depth) })
	claimed := map[*node]bool{}
	for _, d := range dirs {
		var walk func(n *node)
		walk = func(n *node) {
			if n.e != nil {
				j.claim(n, d.pkg, d.rec, packages.Digest{}, false)
			}
			for _, c := range n.children {
				if !claimed[c] {
					walk(c)
				}
			}
		}
		walk(d.n)
		claimed[d.n] = true
	}
}

// alternativesDir holds the links of dpkg's alternatives system, which a
// package's maintainer script makes (update-alternatives) and no .list
// names.
const alternativesDir = "/etc/alternatives"

// alternatives gives such a link to the packages that own its target
// (/etc/alternatives/psql.1.gz to postgresql-client-15, whose manual page
// it points to).
func (j *joiner) alternatives() {
	dir := j.s.lookupOwned(alternativesDir)
	if dir == nil {
		return
	}
	for _, n := range dir.children {
		if n.e == nil || n.e.kind != kindSymlink || len(j.inv.Files[n.idx].Owners) > 0 {
			continue
		}
		target := n.e.link
		if !path.IsAbs(target) {
			target = alternativesDir + "/" + target
		}
		if t := j.s.lookupOwned(target); t != nil && t.e != nil {
			j.inv.Files[n.idx].Owners = slices.Clone(j.inv.Files[t.idx].Owners)
		}
	}
}

// packageLayers sets the layer each package was last installed by: the
// layer of its own record, else of the file it was read from when that
// is its alone, else the layer that wrote most of its files.
func (j *joiner) packageLayers(records []int32) {
	perLocation := map[string]int{}
	for i := range j.inv.Packages {
		perLocation[outerPath(j.inv.Packages[i].Location)]++
	}
	for i := range j.inv.Packages {
		p := &j.inv.Packages[i]
		loc := outerPath(p.Location)
		switch {
		case records[i] >= 0:
			p.Layer = int(records[i])
		case perLocation[loc] == 1 && j.layerOf(loc) >= 0:
			p.Layer = j.layerOf(loc)
		case j.votes[i] != nil:
			best := 0
			for l, n := range j.votes[i] {
				if n >= j.votes[i][best] {
					best = l
				}
			}
			p.Layer = best
		default:
			p.Layer = max(j.layerOf(loc), 0)
		}
	}
}

func (j *joiner) layerOf(p string) int {
	if n := j.s.lookupOwned(p); n != nil && n.e != nil {
		return int(n.layer)
	}
	return -1
}

// ownedBy names the distribution package that installed each language
// package: the one that owns the file the language package was read from
// (Debian's python3-six owns six's METADATA).
func (j *joiner) ownedBy() {
	for i := range j.inv.Packages {
		p := &j.inv.Packages[i]
		if distribution[p.Ecosystem] {
			continue
		}
		n := j.s.lookupOwned(outerPath(p.Location))
		if n == nil || n.e == nil {
			continue
		}
		for _, o := range j.inv.Files[n.idx].Owners {
			if op := &j.inv.Packages[o]; distribution[op.Ecosystem] {
				p.OwnedBy = op.Ecosystem + ":" + op.Name
				break
			}
		}
	}
}

// distribution ecosystems install the files of other ecosystems' packages.
var distribution = map[string]bool{packages.Dpkg: true, packages.Apk: true, packages.RPM: true}

// outerPath is the file of a location: a nested archive's location
// ("app.war!/WEB-INF/lib/x.jar") is in its outer archive.
func outerPath(loc string) string {
	if i := strings.Index(loc, "!/"); i >= 0 {
		return loc[:i]
	}
	return loc
}

// lookupOwned finds the node of a path as a package record writes it,
// following symlinks in its directories (on a merged-/usr system the
// records say /bin/bash, which is /usr/bin/bash) but not in its last
// component, which the package may own as a link. It gives up after 40
// links, as the kernel does.
func (s *squasher) lookupOwned(p string) *node {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	p = path.Clean(p)
	for hops := 0; hops < 40; hops++ {
		n, next := s.walkParents(p)
		if next == "" {
			return n
		}
		p = next
	}
	return nil
}

// walkParents walks p; when a directory on the way is a symlink it
// returns the path to walk instead.
func (s *squasher) walkParents(p string) (*node, string) {
	n := &s.root
	rest := p[1:]
	for rest != "" {
		part, after, more := strings.Cut(rest, "/")
		c := n.child(part, false)
		if c == nil {
			return nil, ""
		}
		if more && c.e != nil && c.e.kind == kindSymlink {
			dir := p[:len(p)-len(rest)] // the directory holding the link, with its slash
			target := c.e.link
			if !path.IsAbs(target) {
				target = dir + target
			}
			return nil, path.Clean("/" + target + "/" + after)
		}
		n, rest = c, after
	}
	return n, ""
}
