package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/imagedrift/imagedrift/internal/risk"
	"github.com/imagedrift/imagedrift/internal/units"
)

func (t *textWriter) packages(r *Report) {
	for _, g := range pkgGroups(r) {
		t.heading(fmt.Sprintf("Packages: %s (%s changed, %s added, %s removed)",
			clean(g.Ecosystem, capName), count(g.Changed), count(g.Added), count(g.Removed)))
		var rows [][]string
		for _, p := range g.Rows {
			name := clean(p.Name, capName)
			if p.Previous != "" {
				name += " (replaces " + clean(p.Previous, capName) + ")"
			}
			if len(p.Also) > 0 {
				name += " (" + clean(alsoNames(p.Also), capText) + ")"
			}
			change := p.Change
			switch change {
			case "downgrade":
				change = t.esc(ansiRed+ansiBold, change)
			case "major":
				change = t.esc(ansiYellow, change)
			case "added":
				change = t.esc(ansiGreen, change)
			case "removed":
				change = t.esc(ansiRed, change)
			}
			row := []string{name, orDash(clean(p.Before, capVersion)), "→", orDash(clean(p.After, capVersion)), change}
			if p.From != "" {
				row = append(row, clean(p.From, capName))
			}
			if g.Located {
				row = append(row, t.esc(ansiDim, clean(p.Location, capPath)))
			}
			rows = append(rows, row)
		}
		t.table(rows)
	}
}

func (t *textWriter) files(r *Report) {
	f := &r.Files
	if len(f.Entries) == 0 && f.Ignored == (FileCounts{}) {
		return
	}
	t.heading(fmt.Sprintf("Files (%s added, %s removed, %s modified, %s metadata only, %s)",
		count(f.Added), count(f.Removed), count(f.Modified), count(f.MetadataOnly), delta(f.SizeDelta)))
	if line := sizeOriginsLine(r); line != "" {
		t.b.WriteString("  " + clean(line, 0) + "\n")
	}
	var rows [][]string
	if r.Base.Ownership || r.Head.Ownership {
		t.ownedFiles(r)
	} else {
		nonNoise := f.Added + f.Removed + f.Modified + f.MetadataOnly
		largest := largestFiles(r, t.limit(nonNoise))
		for _, e := range largest {
			rows = append(rows, []string{clean(e.Path, capPath), clean(e.Change, 20), fileSize(e), clean(fileDetail(e), capText)})
		}
		t.table(rows)
		t.more(nonNoise-len(largest), "changed paths")
	}
	if len(f.Directories) > 0 {
		t.b.WriteString("  growing directories:\n")
		rows = nil
		n := t.limit(len(f.Directories))
		for _, d := range f.Directories[:n] {
			rows = append(rows, []string{"  " + clean(d.Path, capPath), units.Bytes(d.SizeBefore), "→", units.Bytes(d.SizeAfter), delta(d.SizeAfter - d.SizeBefore)})
		}
		t.table(rows)
	}
	if tail := filesTail(f); tail != "" {
		for _, line := range splitLines(tail) {
			t.b.WriteString("  " + line + "\n")
		}
	}
}

// ownedFiles lists the changes no package owns one by one, and sums the
// others per owning package.
func (t *textWriter) ownedFiles(r *Report) {
	unowned, total := unownedFiles(r, t.limit(len(r.Files.Entries)))
	if total > 0 {
		t.b.WriteString("  not owned by any package:\n")
		var rows [][]string
		for _, e := range unowned {
			rows = append(rows, []string{"  " + clean(e.Path, capPath), clean(e.Change, 20), fileSize(e),
				clean(originLabel(fileOrigin(r, &e)), capName), clean(fileDetail(e), capText)})
		}
		t.table(rows)
		t.more(total-len(unowned), "unowned paths")
	}
	if owners := r.Files.Owners; len(owners) > 0 {
		t.b.WriteString("  by package:\n")
		n := t.limit(len(owners))
		var rows [][]string
		for _, o := range owners[:n] {
			rows = append(rows, []string{"  " + clean(o.Package, capName), ownerCounts(o.FileCounts)})
		}
		t.table(rows)
		t.more(len(owners)-n, "packages")
	}
}

// ownerCounts says what changed of a package's files: "62 removed,
// -904 KiB".
func ownerCounts(c FileCounts) string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{c.Added, "added"}, {c.Removed, "removed"}, {c.Modified, "modified"}, {c.MetadataOnly, "metadata only"}} {
		if p.n > 0 {
			parts = append(parts, count(p.n)+" "+p.what)
		}
	}
	return strings.Join(append(parts, delta(c.SizeDelta)), ", ")
}

func (t *textWriter) config(r *Report) {
	if len(r.Config) == 0 {
		return
	}
	t.heading(fmt.Sprintf("Config (%s changed)", count(len(r.Config))))
	var rows [][]string
	for _, c := range r.Config {
		field := clean(c.Field, capName)
		if c.Key != "" {
			field += " " + clean(c.Key, capName)
		}
		rows = append(rows, []string{field, clean(orUnset(c.Before), capText), "→", clean(orUnset(c.After), capText)})
	}
	t.table(rows)
}

func (t *textWriter) layers(r *Report) {
	l := &r.Layers
	if len(l.Base) == 0 && len(l.Head) == 0 {
		return
	}
	t.heading(fmt.Sprintf("Layers (%d → %d, %d shared)", len(l.Base), len(l.Head), l.Shared))
	if r.Base.BaseImage != nil || r.Head.BaseImage != nil {
		name := func(s string) string { return clean(s, capText) }
		fmt.Fprintf(&t.b, "  base image %s → %s\n", baseSide(r.Base.BaseImage, name), baseSide(r.Head.BaseImage, name))
		if d := decidedBy(r); d != "" {
			fmt.Fprintf(&t.b, "  its layers: %s\n", d)
		}
	}
	var rows [][]string
	for i, x := range l.Head {
		state := "new"
		if i < l.Shared {
			state = "shared"
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), state, units.Bytes(x.Size), orDash(clean(layerFrom(x.Origin), capName)), clean(x.CreatedBy, 100)})
	}
	t.table(rows)
}

func (t *textWriter) lint(r *Report) {
	if len(r.Lint) == 0 {
		return
	}
	t.heading(fmt.Sprintf("Drift sources (%s)", count(len(r.Lint))))
	var rows [][]string
	for _, f := range r.Lint {
		rows = append(rows, []string{t.esc(levelCode(risk.Level(f.Level)), clean(f.Level, 10)),
			clean(f.Rule, capName), clean(f.File, capPath) + ":" + strconv.Itoa(f.Line), clean(f.Message, capText)})
	}
	t.table(rows)
}

func (t *textWriter) warnings(r *Report) {
	if len(r.Base.Warnings)+len(r.Head.Warnings) == 0 {
		return
	}
	t.heading("Warnings")
	for _, w := range r.Base.Warnings {
		t.b.WriteString("  base: " + clean(w, capText) + "\n")
	}
	for _, w := range r.Head.Warnings {
		t.b.WriteString("  head: " + clean(w, capText) + "\n")
	}
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}
