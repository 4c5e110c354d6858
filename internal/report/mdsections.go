package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/imagedrift/imagedrift/internal/risk"
	"github.com/imagedrift/imagedrift/internal/units"
)

var bumpCell = map[string]string{
	"downgrade": "⬇️ **downgrade**", "major": "**major**", "none": "renamed",
}

func packageBlock(g pkgGroup) *block {
	summary := fmt.Sprintf("<b>%s</b> · %s changed · %s added · %s removed",
		html(g.Ecosystem, capName), count(g.Changed), count(g.Added), count(g.Removed))
	from := false
	for _, p := range g.Rows {
		from = from || p.From != ""
	}
	header, rule := "| Package | Before | After | Change |", "| --- | --- | --- | --- |"
	if g.Located {
		header, rule = header+" Location |", rule+" --- |"
	}
	if from {
		header, rule = header+" From |", rule+" --- |"
	}
	t := &table{header: header + "\n" + rule + "\n"}
	for _, p := range g.Rows {
		name := md(p.Name, capName)
		if p.Previous != "" {
			name += " (replaces " + md(p.Previous, capName) + ")"
		}
		if len(p.Also) > 0 {
			name += " (" + md(alsoNames(p.Also), capText) + ")"
		}
		change := bumpCell[p.Change]
		if change == "" {
			change = md(p.Change, 20)
		}
		row := fmt.Sprintf("| %s | %s | %s | %s |", name, CodeSpan(p.Before, capVersion, true), CodeSpan(p.After, capVersion, true), change)
		if g.Located {
			row += " " + CodeSpan(p.Location, capPath, true) + " |"
		}
		if from {
			row += " " + orDash(md(p.From, capName)) + " |"
		}
		t.rows = append(t.rows, row+"\n")
	}
	return details(summary, []*table{t}, "", "")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func filesBlock(r *Report) *block {
	f := &r.Files
	if len(f.Entries) == 0 && f.Ignored == (FileCounts{}) && len(f.Directories) == 0 {
		return nil
	}
	summary := fmt.Sprintf("<b>Files</b> · %s added · %s removed · %s modified · %s metadata only · %s",
		count(f.Added), count(f.Removed), count(f.Modified), count(f.MetadataOnly), html(delta(f.SizeDelta), 0))
	var text string
	if line := sizeOriginsLine(r); line != "" {
		text = md(line, 0) + "\n\n" + mermaidChart(r)
	}
	var tables []*table
	if r.Base.Ownership || r.Head.Ownership {
		tables = append(tables, unownedTable(r), ownersTable(r))
	} else {
		tables = append(tables, largestTable(r))
	}
	dirs := &table{intro: "**Growing directories**\n\n",
		header: "| Directory | Before | After | Growth |\n| --- | --- | --- | --- |\n"}
	for i, d := range f.Directories {
		if i == mdDirs {
			dirs.hidden = len(f.Directories) - mdDirs
			break
		}
		dirs.rows = append(dirs.rows, fmt.Sprintf("| %s | %s | %s | %s |\n", CodeSpan(d.Path, capPath, true),
			units.Bytes(d.SizeBefore), units.Bytes(d.SizeAfter), delta(d.SizeAfter-d.SizeBefore)))
	}
	return details(summary, append(tables, dirs), text, filesTail(f))
}

// unownedTable lists the changes no package owns, one by one: what a
// curl | sh, an ADD of a URL or a copied artifact left.
func unownedTable(r *Report) *table {
	t := &table{intro: "**Not owned by any package**\n\n",
		header: "| Path | Change | Size | From | Details |\n| --- | --- | --- | --- | --- |\n"}
	rows, total := unownedFiles(r, mdFiles)
	for _, e := range rows {
		t.rows = append(t.rows, fmt.Sprintf("| %s | %s | %s | %s | %s |\n", CodeSpan(e.Path, capPath, true), md(e.Change, 20),
			fileSize(e), orDash(md(originLabel(fileOrigin(r, &e)), capName)), md(fileDetail(e), capText)))
	}
	t.hidden = total - len(rows)
	return t
}

// ownersTable sums the other changes per owning package.
func ownersTable(r *Report) *table {
	t := &table{intro: "**By package**\n\n",
		header: "| Package | Added | Removed | Modified | Size |\n| --- | --- | --- | --- | --- |\n"}
	for i, o := range r.Files.Owners {
		if i == mdFiles {
			t.hidden = len(r.Files.Owners) - mdFiles
			break
		}
		t.rows = append(t.rows, fmt.Sprintf("| %s | %s | %s | %s | %s |\n", md(o.Package, capName), count(o.Added), count(o.Removed),
			count(o.Modified+o.MetadataOnly), delta(o.SizeDelta)))
	}
	return t
}

// largestTable lists the largest changes, for reports of images whose
// ownership is not known (inventories written before it was recorded).
func largestTable(r *Report) *table {
	f := &r.Files
	t := &table{intro: "**Largest changes**\n\n",
		header: "| Path | Change | Size | Details |\n| --- | --- | --- | --- |\n"}
	for _, e := range largestFiles(r, mdFiles) {
		t.rows = append(t.rows, fmt.Sprintf("| %s | %s | %s | %s |\n",
			CodeSpan(e.Path, capPath, true), md(e.Change, 20), fileSize(e), md(fileDetail(e), capText)))
	}
	t.hidden = f.Added + f.Removed + f.Modified + f.MetadataOnly - len(t.rows)
	return t
}

func fileSize(e FileChange) string {
	switch e.Change {
	case "added":
		return units.Bytes(e.SizeAfter)
	case "removed":
		return delta(-e.SizeBefore)
	}
	return delta(e.SizeAfter - e.SizeBefore)
}

func filesTail(f *Files) string {
	var w strings.Builder
	if n := f.Noise; n != (FileCounts{}) {
		fmt.Fprintf(&w, "Noise (caches, logs, bytecode), counted apart: %s added, %s removed, %s modified, %s metadata only, %s.\n\n",
			count(n.Added), count(n.Removed), count(n.Modified), count(n.MetadataOnly), delta(n.SizeDelta))
	}
	if n := f.Ignored; n != (FileCounts{}) {
		fmt.Fprintf(&w, "Ignored by the configuration: %s paths, %s.\n\n",
			count(n.Added+n.Removed+n.Modified+n.MetadataOnly), delta(n.SizeDelta))
	}
	return w.String()
}

func configBlock(r *Report) *block {
	if len(r.Config) == 0 {
		return nil
	}
	summary := fmt.Sprintf("<b>Config</b> · %s %s", count(len(r.Config)), plural(len(r.Config), "change", "changes"))
	t := &table{header: "| Field | Key | Before | After |\n| --- | --- | --- | --- |\n"}
	for _, c := range r.Config {
		t.rows = append(t.rows, fmt.Sprintf("| %s | %s | %s | %s |\n", md(c.Field, capName), orDash(md(c.Key, capName)),
			configValue(c.Before), configValue(c.After)))
	}
	return details(summary, []*table{t}, "", "")
}

func configValue(v *string) string {
	if v == nil {
		return "(unset)"
	}
	return CodeSpan(*v, capText, true)
}

func layersBlock(r *Report) *block {
	l := &r.Layers
	if len(l.Base) == 0 && len(l.Head) == 0 {
		return nil
	}
	summary := fmt.Sprintf("<b>Layers</b> · %d → %d · %d shared", len(l.Base), len(l.Head), l.Shared)
	var text string
	if r.Base.BaseImage != nil || r.Head.BaseImage != nil {
		name := func(s string) string { return CodeSpan(s, capText, false) }
		text = fmt.Sprintf("Base image: %s → %s", baseSide(r.Base.BaseImage, name), baseSide(r.Head.BaseImage, name))
		if d := decidedBy(r); d != "" {
			text += "; its layers: " + d
		}
		text += ".\n\n"
	}
	t := &table{header: "| # | Layer | Size | From | Created by |\n| --- | --- | --- | --- | --- |\n"}
	for i, x := range l.Head {
		state := "new"
		if i < l.Shared {
			state = "shared"
		}
		t.rows = append(t.rows, fmt.Sprintf("| %d | %s | %s | %s | %s |\n", i+1, state, units.Bytes(x.Size),
			orDash(md(layerFrom(x.Origin), capName)), CodeSpan(x.CreatedBy, 120, true)))
	}
	var tail string
	if gone := len(l.Base) - l.Shared; gone > 0 {
		tail = fmt.Sprintf("%d base %s not in the head.\n\n", gone, plural(gone, "layer is", "layers are"))
	}
	return details(summary, []*table{t}, text, tail)
}

func lintBlock(r *Report) *block {
	if len(r.Lint) == 0 {
		return nil
	}
	summary := fmt.Sprintf("<b>Drift sources</b> · %s Dockerfile %s", count(len(r.Lint)), plural(len(r.Lint), "finding", "findings"))
	t := &table{header: "| Level | Rule | Where | Message |\n| --- | --- | --- | --- |\n"}
	for _, f := range r.Lint {
		where := md(f.File, capPath) + ":" + strconv.Itoa(f.Line)
		t.rows = append(t.rows, fmt.Sprintf("| %s %s | %s | %s | %s |\n", levelEmoji[risk.Level(f.Level)],
			md(f.Level, 10), code(f.Rule), where, md(f.Message, capText)))
	}
	return details(summary, []*table{t}, "", "")
}

func warningsBlock(r *Report) *block {
	n := len(r.Base.Warnings) + len(r.Head.Warnings)
	if n == 0 {
		return nil
	}
	summary := fmt.Sprintf("<b>Warnings</b> · %s: parts of the images could not be read", count(n))
	t := &table{header: "| Image | Warning |\n| --- | --- |\n"}
	for _, side := range []struct {
		name string
		s    *ImageSummary
	}{{"base", &r.Base}, {"head", &r.Head}} {
		for _, w := range side.s.Warnings {
			t.rows = append(t.rows, fmt.Sprintf("| %s | %s |\n", side.name, md(w, capText)))
		}
	}
	return details(summary, []*table{t}, "", "")
}
