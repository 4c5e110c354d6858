package diff

import (
	"sort"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// replacements turns a removed and an added distribution package built
// from the same source package (Debian's libssl3 → libssl3t64, a soname
// bump libperl5.36 → libperl5.40) into one change. Within a source, the
// names sharing the longest prefix are paired; the rest stay removed or
// added.
func replacements(removed, added []packages.Package, changed []PackageChange) ([]packages.Package, []packages.Package, []PackageChange) {
	type srcKey struct{ eco, src, arch string }
	key := func(p *packages.Package) srcKey {
		src := p.Source
		if src == "" {
			src = p.Name
		}
		k := srcKey{eco: p.Ecosystem, src: src}
		if archScoped[p.Ecosystem] {
			k.arch = p.Arch
		}
		return k
	}
	bySource := map[srcKey][]int{}
	for i := range added {
		if distro[added[i].Ecosystem] {
			k := key(&added[i])
			bySource[k] = append(bySource[k], i)
		}
	}
	if len(bySource) == 0 {
		return removed, added, changed
	}
	type cand struct{ r, a, score int }
	var cands []cand
	for r := range removed {
		if !distro[removed[r].Ecosystem] {
			continue
		}
		for _, a := range bySource[key(&removed[r])] {
			if n := commonPrefix(removed[r].Name, added[a].Name); alike(n, removed[r].Name, added[a].Name) {
				cands = append(cands, cand{r, a, n})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	usedR := make([]bool, len(removed))
	usedA := make([]bool, len(added))
	for _, c := range cands {
		if usedR[c.r] || usedA[c.a] {
			continue
		}
		usedR[c.r], usedA[c.a] = true, true
		if ch, ok := change(&removed[c.r], &added[c.a]); ok {
			changed = append(changed, ch)
		}
	}
	return keep(removed, usedR), keep(added, usedA), changed
}

// alike says whether two names sharing a prefix of n bytes name the same
// library: the prefix must be at least half of the shorter name and three
// bytes (libssl3 → libssl3t64, libapt-pkg6.0 → libapt-pkg7.0; not
// util-linux-extra → liblastlog2-2, both from util-linux).
func alike(n int, a, b string) bool {
	return n >= 3 && 2*n >= min(len(a), len(b))
}

func keep(ps []packages.Package, used []bool) []packages.Package {
	out := ps[:0]
	for i := range ps {
		if !used[i] {
			out = append(out, ps[i])
		}
	}
	return out
}
