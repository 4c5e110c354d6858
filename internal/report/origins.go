package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Where changes came from, as both renderers show it.

// originLabel says in a few words where a change came from: "base
// image", "Dockerfile:12", "layer 3"; "" when not known.
func originLabel(o *Origin) string {
	switch {
	case o == nil:
		return ""
	case o.Kind == "base":
		return "base image"
	case o.Kind == "instruction":
		return o.Dockerfile + ":" + strconv.Itoa(o.Line)
	}
	return "layer " + strconv.Itoa(o.Layer+1)
}

// originRank orders origins: the base image, then the Dockerfile's lines
// and the layers in build order, unknown last.
func originRank(o *Origin) (int, int) {
	switch {
	case o == nil:
		return 3, 0
	case o.Kind == "base":
		return 0, 0
	case o.Kind == "instruction":
		return 1, o.Line
	case o.Kind == "unowned":
		return 4, 0
	}
	return 2, o.Layer
}

// fileOrigin is the origin of the layer that wrote a file change.
func fileOrigin(r *Report, e *FileChange) *Origin {
	ls := r.Layers.Head
	if e.Change == "removed" {
		ls = r.Layers.Base
	}
	if e.Layer < 0 || e.Layer >= len(ls) {
		return nil
	}
	return ls[e.Layer].Origin
}

// ownershipKnown reports whether the side a file change belongs to had
// its package records read, so that no owner means unowned.
func ownershipKnown(r *Report, e *FileChange) bool {
	if e.Change == "removed" {
		return r.Base.Ownership
	}
	return r.Head.Ownership
}

// unownedExecutable reports whether a change adds or changes a program
// no package installed.
func unownedExecutable(r *Report, e *FileChange) bool {
	return e.Executable != "" && e.Owner == "" && (e.Change == "added" || e.Change == "modified") && ownershipKnown(r, e)
}

type originCount struct {
	o     *Origin
	label string
	n     int
	bytes int64
}

// packageOrigins counts the package changes per origin, each folded
// language package with its distribution package.
func packageOrigins(r *Report) []originCount {
	var out []originCount
	add := func(o *Origin) {
		l := originLabel(o)
		for i := range out {
			if out[i].label == l {
				out[i].n++
				return
			}
		}
		out = append(out, originCount{o: o, label: l, n: 1})
	}
	p := &r.Packages
	for i := range p.Changed {
		if p.Changed[i].OwnedBy == "" {
			add(p.Changed[i].Origin)
		}
	}
	for _, ps := range [][]Package{p.Added, p.Removed} {
		for i := range ps {
			if ps[i].OwnedBy == "" {
				add(ps[i].Origin)
			}
		}
	}
	sortOrigins(out)
	return out
}

func sortOrigins(cs []originCount) {
	slices.SortStableFunc(cs, func(a, b originCount) int {
		ka, la := originRank(a.o)
		kb, lb := originRank(b.o)
		return cmp.Or(cmp.Compare(ka, kb), cmp.Compare(la, lb))
	})
}

// originsLine says how the changes split by origin: "base image: 118
// packages · Dockerfile:12: 3 packages · unowned: 2 executables"; ""
// when nothing says where they came from.
func originsLine(r *Report) string {
	var parts []string
	origins := packageOrigins(r)
	for _, c := range origins {
		label := c.label
		if label == "" {
			label = "unknown origin"
		}
		parts = append(parts, fmt.Sprintf("%s: %s %s", label, count(c.n), plural(c.n, "package", "packages")))
	}
	if len(origins) == 1 && origins[0].label == "" {
		parts = nil // nothing is known of where any came from
	}
	n := 0
	for i := range r.Files.Entries {
		if e := &r.Files.Entries[i]; unownedExecutable(r, e) {
			n++
		}
	}
	if n > 0 {
		parts = append(parts, fmt.Sprintf("unowned: %s %s", count(n), plural(n, "executable", "executables")))
	}
	return strings.Join(parts, " · ")
}

// sizeOrigins sums the size changes per origin, what no package owns
// (outside the base image) apart as "unowned".
func sizeOrigins(r *Report) []originCount {
	var out []originCount
	idx := map[string]int{}
	for i := range r.Files.Entries {
		e := &r.Files.Entries[i]
		d := e.SizeAfter - e.SizeBefore
		if d == 0 {
			continue
		}
		o := fileOrigin(r, e)
		label := originLabel(o)
		if e.Owner == "" && !e.Noise && ownershipKnown(r, e) && (o == nil || o.Kind != "base") {
			label, o = "unowned", &Origin{Kind: "unowned"}
		}
		if label == "" {
			label = "unknown origin"
		}
		j, ok := idx[label]
		if !ok {
			j = len(out)
			idx[label] = j
			out = append(out, originCount{o: o, label: label})
		}
		out[j].bytes += d
		out[j].n++
	}
	sortOrigins(out)
	return out
}

// sizeOriginsLine says where the bytes went: "Size by origin: base image
// +40.1 MiB · Dockerfile:12 +3.0 MiB · unowned +1.1 MiB"; "" when
// nothing says.
func sizeOriginsLine(r *Report) string {
	cs := sizeOrigins(r)
	if len(cs) < 2 {
		return "" // one origin says nothing the size line does not
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.label + " " + delta(c.bytes)
	}
	return "Size by origin: " + strings.Join(parts, " · ")
}

// alsoNames lists the language packages folded into a row, grouped by
// ecosystem, the first few only: "npm @types/semver, semver; python x",
// "gem bundler, did_you_mean, erb and 77 more".
func alsoNames(also []string) string {
	sorted := slices.Clone(also)
	slices.Sort(sorted)
	var parts []string
	last := ""
	for i, a := range sorted {
		if i == collapsedSubjects {
			parts[len(parts)-1] += fmt.Sprintf(" and %d more", len(sorted)-i)
			break
		}
		eco, name, _ := strings.Cut(a, " ")
		if eco != last {
			parts = append(parts, eco+" "+name)
			last = eco
		} else {
			parts[len(parts)-1] += ", " + name
		}
	}
	return strings.Join(parts, "; ")
}

// unownedFiles returns up to n changes that no package owns, noise left
// out: programs first, then the largest; and how many there are.
func unownedFiles(r *Report, n int) ([]FileChange, int) {
	var idx []int
	for i := range r.Files.Entries {
		if e := &r.Files.Entries[i]; !e.Noise && e.Owner == "" && ownershipKnown(r, e) {
			idx = append(idx, i)
		}
	}
	es := r.Files.Entries
	slices.SortStableFunc(idx, func(i, j int) int {
		a, b := &es[i], &es[j]
		return cmp.Or(cmp.Compare(b2i(unownedExecutable(r, b)), b2i(unownedExecutable(r, a))),
			cmp.Compare(abs(b.SizeAfter-b.SizeBefore), abs(a.SizeAfter-a.SizeBefore)), cmp.Compare(a.Path, b.Path))
	})
	out := make([]FileChange, 0, min(n, len(idx)))
	for _, i := range idx[:min(n, len(idx))] {
		out = append(out, es[i])
	}
	return out, len(idx)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// baseSide names one side's base image for the layers section, with a
// function that escapes names: "`debian:12` (1 layer)", "none".
func baseSide(b *BaseImage, name func(string) string) string {
	switch {
	case b == nil:
		return "(unknown)"
	case b.None:
		return "none"
	}
	n := baseName(b)
	if n == "" {
		n = "(unnamed)"
	}
	s := name(n)
	if b.DecidedBy != "" {
		s += fmt.Sprintf(" (%d %s)", b.Layers, plural(b.Layers, "layer", "layers"))
	}
	return s
}

// decidedBy says how the base layers were told apart.
func decidedBy(r *Report) string {
	d := ""
	for _, b := range []*BaseImage{r.Base.BaseImage, r.Head.BaseImage} {
		if b != nil && d == "" {
			d = b.DecidedBy
		}
	}
	switch d {
	case "dockerfile":
		return "told apart by lining the history up with the Dockerfile"
	case "annotations":
		return "the bottom layers both images share, with the same base named by their annotations"
	case "shared-layers":
		return "the bottom layers both images share (no Dockerfile or base-image annotations to say more)"
	}
	return ""
}

// layerFrom is what the layers table says of a layer's origin: the base
// image or the Dockerfile line; nothing for the image's own layers, which
// the table numbers already.
func layerFrom(o *Origin) string {
	if o == nil || o.Kind == "image" || o.Kind == "unknown" {
		return ""
	}
	return originLabel(o)
}
