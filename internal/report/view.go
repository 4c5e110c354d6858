package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/imagedrift/imagedrift/internal/risk"
	"github.com/imagedrift/imagedrift/internal/units"
)

// The views below are shared by the text and Markdown renderers: both
// show the same rows in the same order, most telling first, so that a
// cut keeps what matters.

type pkgGroup struct {
	Ecosystem               string
	Changed, Added, Removed int
	Rows                    []pkgRow
	Located                 bool // language packages: show where
}

type pkgRow struct {
	Name, Previous, Location, Before, After, Change string
	From                                            string // where it came from: "Dockerfile:12"
	// Also names the language packages that came with this one: "python
	// six" beside Debian's python3-six.
	Also []string
	rank int
}

// changeRank orders package rows: downgrades and major bumps first,
// additions and removals last.
var changeRank = map[string]int{
	"downgrade": 0, "major": 1, "minor": 2, "patch": 3, "revision": 4, "unknown": 5, "none": 6,
	"added": 7, "removed": 8,
}

var distroEcosystems = map[string]bool{"dpkg": true, "apk": true, "rpm": true}

// pkgGroups gives each ecosystem its rows. A language package folded into
// the distribution package it came with is named beside that package's
// row rather than in a row of its own.
func pkgGroups(r *Report) []pkgGroup {
	also := map[string][]string{} // "dpkg:python3-six" → ["python six"]
	for _, c := range r.Packages.Changed {
		if c.OwnedBy != "" {
			also[c.OwnedBy] = append(also[c.OwnedBy], c.Ecosystem+" "+c.Name)
		}
	}
	for _, ps := range [][]Package{r.Packages.Added, r.Packages.Removed} {
		for _, p := range ps {
			if p.OwnedBy != "" {
				also[p.OwnedBy] = append(also[p.OwnedBy], p.Ecosystem+" "+p.Name)
			}
		}
	}
	byEco := map[string]*pkgGroup{}
	get := func(eco string) *pkgGroup {
		g := byEco[eco]
		if g == nil {
			g = &pkgGroup{Ecosystem: eco, Located: !distroEcosystems[eco]}
			byEco[eco] = g
		}
		return g
	}
	for _, c := range r.Packages.Changed {
		if c.OwnedBy != "" {
			continue
		}
		g := get(c.Ecosystem)
		g.Changed++
		g.Rows = append(g.Rows, pkgRow{Name: c.Name, Previous: c.PreviousName, Location: c.Location,
			Before: c.From, After: c.To, Change: c.Bump, From: originLabel(c.Origin),
			Also: also[c.Ecosystem+":"+c.Name], rank: changeRank[c.Bump]})
	}
	for _, p := range r.Packages.Added {
		if p.OwnedBy != "" {
			continue
		}
		g := get(p.Ecosystem)
		g.Added++
		g.Rows = append(g.Rows, pkgRow{Name: p.Name, Location: p.Location, After: p.Version, Change: "added",
			From: originLabel(p.Origin), Also: also[p.Ecosystem+":"+p.Name], rank: changeRank["added"]})
	}
	for _, p := range r.Packages.Removed {
		if p.OwnedBy != "" {
			continue
		}
		g := get(p.Ecosystem)
		g.Removed++
		g.Rows = append(g.Rows, pkgRow{Name: p.Name, Location: p.Location, Before: p.Version, Change: "removed",
			From: originLabel(p.Origin), Also: also[p.Ecosystem+":"+p.Name], rank: changeRank["removed"]})
	}
	out := make([]pkgGroup, 0, len(byEco))
	for _, g := range byEco {
		slices.SortStableFunc(g.Rows, func(a, b pkgRow) int {
			return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Location, b.Location))
		})
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b pkgGroup) int { return cmp.Compare(a.Ecosystem, b.Ecosystem) })
	return out
}

// largestFiles returns up to n changes that are not noise, largest size
// change first.
func largestFiles(r *Report, n int) []FileChange {
	entries := r.Files.Entries
	idx := make([]int, 0, len(entries))
	for i := range entries {
		if !entries[i].Noise {
			idx = append(idx, i)
		}
	}
	// Sort indices: the entries are large structs. Paths are unique, so
	// the order is total.
	slices.SortFunc(idx, func(i, j int) int {
		a, b := &entries[i], &entries[j]
		return cmp.Or(cmp.Compare(abs(b.SizeAfter-b.SizeBefore), abs(a.SizeAfter-a.SizeBefore)), cmp.Compare(a.Path, b.Path))
	})
	out := make([]FileChange, 0, min(n, len(idx)))
	for _, i := range idx[:min(n, len(idx))] {
		out = append(out, entries[i])
	}
	return out
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// fileDetail says what changed about a path beyond its size.
func fileDetail(e FileChange) string {
	var parts []string
	if e.TypeBefore != "" {
		parts = append(parts, e.TypeBefore+" → "+e.Type)
	}
	if e.Change == "metadata" || e.Change == "modified" {
		if e.ModeBefore != e.ModeAfter {
			parts = append(parts, "mode "+mode(e.ModeBefore)+" → "+mode(e.ModeAfter))
		}
		if e.UIDBefore != e.UIDAfter || e.GIDBefore != e.GIDAfter {
			parts = append(parts, fmt.Sprintf("owner %d:%d → %d:%d", e.UIDBefore, e.GIDBefore, e.UIDAfter, e.GIDAfter))
		}
		if e.LinkBefore != e.LinkAfter && e.Type == "symlink" {
			parts = append(parts, "→ "+e.LinkAfter)
		}
	}
	return strings.Join(parts, ", ")
}

func mode(m uint32) string { return fmt.Sprintf("%04o", m) }

// count formats an integer with thousands separators: 12,345.
func count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// delta formats a signed size change: "+1.5 MiB", "-300 B", "±0 B".
func delta(n int64) string {
	switch {
	case n > 0:
		return "+" + units.Bytes(n)
	case n < 0:
		return units.Bytes(n)
	}
	return "±0 B"
}

func sizeLine(r *Report) string {
	return fmt.Sprintf("%s → %s (%s, %s)", units.Bytes(r.Base.Size), units.Bytes(r.Head.Size),
		delta(r.Head.Size-r.Base.Size), units.Percent(r.Base.Size, r.Head.Size))
}

func filesLine(r *Report) string {
	f := r.Files
	return fmt.Sprintf("+%s −%s ~%s", count(f.Added), count(f.Removed), count(f.Modified+f.MetadataOnly))
}

// packagesLine counts the package changes, a folded language package
// with its distribution package.
func packagesLine(r *Report) string {
	var n [3]int
	for i, ps := range [][]Package{r.Packages.Added, r.Packages.Removed} {
		for _, p := range ps {
			if p.OwnedBy == "" {
				n[i]++
			}
		}
	}
	for _, c := range r.Packages.Changed {
		if c.OwnedBy == "" {
			n[2]++
		}
	}
	return fmt.Sprintf("+%s −%s ~%s", count(n[0]), count(n[1]), count(n[2]))
}

func shortDigest(d string) string {
	algo, hex, ok := strings.Cut(d, ":")
	if ok && len(hex) > 12 {
		return algo + ":" + hex[:12]
	}
	return d
}

// imageName is a side's reference, or its digest when it has none.
func imageName(s ImageSummary) string {
	switch {
	case s.Ref != "":
		return s.Ref
	case s.Digest != "":
		return shortDigest(s.Digest)
	}
	return "(unnamed)"
}

// identity is the digest a side is known by: the manifest digest, else
// the image ID.
func identity(s ImageSummary) string {
	if s.Digest != "" {
		return s.Digest
	}
	return s.ImageID
}

func osName(o OS) string {
	if o.PrettyName != "" {
		return o.PrettyName
	}
	return strings.TrimSpace(o.ID + " " + o.VersionID)
}

func orUnset(s *string) string {
	if s == nil {
		return "(unset)"
	}
	return *s
}

func baseName(b *BaseImage) string {
	switch {
	case b == nil:
		return "(unknown)"
	case b.Name == "":
		return shortDigest(b.Digest)
	case b.Digest == "":
		return b.Name
	}
	return b.Name + "@" + shortDigest(b.Digest)
}

// levelWord is how a verdict level reads in a title.
func levelWord(l risk.Level) string {
	switch l {
	case risk.High:
		return "High risk"
	case risk.Medium:
		return "Medium risk"
	case risk.Low:
		return "Low risk"
	}
	return "No risks found"
}

// riskRow is a risk; or, with Subjects, the low risks of one id in one
// row (a reviewer reads 86 package-added risks as one thing); or, with
// More > 0, the line that stands for the risks of its id left out.
type riskRow struct {
	risk.Risk
	Subjects []string // the first subjects of a collapsed row
	Count    int      // how many risks a collapsed row stands for
	More     int
}

// collapsedSubjects is how many subjects a collapsed row names.
const collapsedSubjects = 3

// groupRisks collapses the low risks of each id into one row, and keeps
// up to max risks per id of the other levels; the rest of an id become
// one row, placed where its first left-out risk was.
func groupRisks(rs []risk.Risk, max int) []riskRow {
	seen := map[string]int{}
	summary := map[string]int{} // id → index of its summary row
	var out []riskRow
	for _, r := range rs {
		key := string(r.Level) + " " + r.ID
		seen[key]++
		switch {
		case r.Level == risk.Low && seen[key] == 1:
			summary[key] = len(out)
			out = append(out, riskRow{Risk: r, Subjects: []string{r.Subject}, Count: 1})
		case r.Level == risk.Low:
			row := &out[summary[key]]
			row.Count++
			if len(row.Subjects) < collapsedSubjects {
				row.Subjects = append(row.Subjects, r.Subject)
			}
		case seen[key] <= max:
			out = append(out, riskRow{Risk: r})
		case seen[key] == max+1:
			summary[key] = len(out)
			out = append(out, riskRow{Risk: risk.Risk{ID: r.ID, Level: r.Level}, More: 1})
		default:
			out[summary[key]].More++
		}
	}
	return out
}
