package diff

import (
	"cmp"
	"slices"
	"sort"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// archScoped ecosystems can hold one package name once per architecture
// (Debian multiarch, rpm multilib); apk has no multiarch.
var archScoped = map[string]bool{packages.Dpkg: true, packages.RPM: true}

// distro ecosystems have source packages, so that a removed and an added
// binary package of the same source can be read as a rename.
var distro = map[string]bool{packages.Dpkg: true, packages.Apk: true, packages.RPM: true}

type pkgKey struct{ eco, name string }

func keyOf(p *packages.Package) pkgKey { return pkgKey{eco: p.Ecosystem, name: p.Name} }

// byArch splits the copies of one package name by architecture where
// several are installed side by side (Debian multiarch, rpm multilib).
// One copy on each side is one package whatever its architecture: from
// one release to the next a package may go from amd64 to all.
func byArch(eco string, g *[2][]*packages.Package) [][2][]*packages.Package {
	if !archScoped[eco] || len(g[0]) <= 1 && len(g[1]) <= 1 {
		return [][2][]*packages.Package{*g}
	}
	idx := map[string]int{}
	var out [][2][]*packages.Package
	for side := range g {
		for _, p := range g[side] {
			i, ok := idx[p.Arch]
			if !ok {
				i = len(out)
				idx[p.Arch] = i
				out = append(out, [2][]*packages.Package{})
			}
			out[i][side] = append(out[i][side], p)
		}
	}
	return out
}

func comparePackages(base, head []packages.Package, ignore *PackageSet) PackageChanges {
	var pc PackageChanges
	groups := map[pkgKey]*[2][]*packages.Package{}
	var order []pkgKey
	add := func(list []packages.Package, side int) {
		for i := range list {
			p := &list[i]
			if ignore.Match(p.Ecosystem, p.Name) {
				pc.Ignored++
				continue
			}
			k := keyOf(p)
			g := groups[k]
			if g == nil {
				g = &[2][]*packages.Package{}
				groups[k] = g
				order = append(order, k)
			}
			g[side] = append(g[side], p)
		}
	}
	add(base, 0)
	add(head, 1)
	for _, k := range order {
		for _, g := range byArch(k.eco, groups[k]) {
			pairs, removed, added := pairByLocation(g[0], g[1])
			for _, pr := range pairs {
				if c, ok := change(pr[0], pr[1]); ok {
					pc.Changed = append(pc.Changed, c)
				}
			}
			for _, p := range removed {
				pc.Removed = append(pc.Removed, *p)
			}
			for _, p := range added {
				pc.Added = append(pc.Added, *p)
			}
		}
	}
	pc.Removed, pc.Added, pc.Changed = replacements(pc.Removed, pc.Added, pc.Changed)
	fold(&pc)
	sortPackages(pc.Added)
	sortPackages(pc.Removed)
	slices.SortFunc(pc.Changed, func(a, b PackageChange) int {
		return cmp.Or(cmp.Compare(a.Ecosystem, b.Ecosystem), cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Arch, b.Arch), cmp.Compare(a.Location, b.Location))
	})
	return pc
}

func change(from, to *packages.Package) (PackageChange, bool) {
	if from.Version == to.Version && from.Name == to.Name {
		return PackageChange{}, false
	}
	b := packages.ClassifyBump(to.Ecosystem, from.Version, to.Version)
	if b == packages.BumpNone && from.Name == to.Name {
		return PackageChange{}, false // equal by the ecosystem's rules ("1.0" and "1.0.0")
	}
	c := PackageChange{
		Ecosystem: to.Ecosystem, Name: to.Name, Arch: to.Arch, Location: to.Location,
		Source: to.Source, From: from.Version, To: to.Version, Bump: b,
		Layer: to.Layer, OwnedBy: to.OwnedBy,
	}
	if from.Name != to.Name {
		c.PreviousName = from.Name
	}
	return c, true
}

// pairByLocation pairs the copies of one package on both sides: the same
// location first, then the locations sharing the longest path prefix (a
// dist-info directory or a jar name carries the version, so the location
// of an upgraded copy differs).
func pairByLocation(base, head []*packages.Package) (pairs [][2]*packages.Package, removed, added []*packages.Package) {
	if len(base) == 1 && len(head) == 1 {
		return [][2]*packages.Package{{base[0], head[0]}}, nil, nil
	}
	usedB := make([]bool, len(base))
	usedH := make([]bool, len(head))
	for i, b := range base {
		for j, h := range head {
			if !usedH[j] && b.Location == h.Location {
				pairs = append(pairs, [2]*packages.Package{b, h})
				usedB[i], usedH[j] = true, true
				break
			}
		}
	}
	type cand struct{ i, j, score int }
	var cands []cand
	if len(base)*len(head) <= 1<<16 {
		for i := range base {
			for j := range head {
				if !usedB[i] && !usedH[j] {
					cands = append(cands, cand{i, j, commonPrefix(base[i].Location, head[j].Location)})
				}
			}
		}
	} else { // pathological: pair in order rather than spend quadratic time
		for i, j := 0, 0; i < len(base) && j < len(head); i, j = i+1, j+1 {
			cands = append(cands, cand{i, j, 0})
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].score > cands[b].score })
	for _, c := range cands {
		if !usedB[c.i] && !usedH[c.j] {
			pairs = append(pairs, [2]*packages.Package{base[c.i], head[c.j]})
			usedB[c.i], usedH[c.j] = true, true
		}
	}
	for i, b := range base {
		if !usedB[i] {
			removed = append(removed, b)
		}
	}
	for j, h := range head {
		if !usedH[j] {
			added = append(added, h)
		}
	}
	return pairs, removed, added
}

// fold keeps OwnedBy only on the language packages whose distribution
// package changed too: the two are then one change, shown and risked
// once, under the distribution package.
func fold(pc *PackageChanges) {
	changed := map[string]bool{}
	for _, c := range pc.Changed {
		changed[c.Ecosystem+":"+c.Name] = true
		if c.PreviousName != "" {
			changed[c.Ecosystem+":"+c.PreviousName] = true
		}
	}
	for _, ps := range [][]packages.Package{pc.Added, pc.Removed} {
		for _, p := range ps {
			changed[p.Ecosystem+":"+p.Name] = true
		}
	}
	for i := range pc.Changed {
		if !changed[pc.Changed[i].OwnedBy] {
			pc.Changed[i].OwnedBy = ""
		}
	}
	for _, ps := range [][]packages.Package{pc.Added, pc.Removed} {
		for i := range ps {
			if !changed[ps[i].OwnedBy] {
				ps[i].OwnedBy = ""
			}
		}
	}
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

func sortPackages(ps []packages.Package) {
	slices.SortFunc(ps, func(a, b packages.Package) int {
		return cmp.Or(cmp.Compare(a.Ecosystem, b.Ecosystem), cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Arch, b.Arch), cmp.Compare(a.Location, b.Location))
	})
}
