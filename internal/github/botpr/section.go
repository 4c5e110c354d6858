package botpr

import (
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
)

// SectionTitle is the title of the declared-versus-measured section.
const SectionTitle = "Declared vs. measured"

// Rows and lengths of the section: it sits beside the rest of the report
// in a comment of at most 65,536 characters.
const (
	maxDeclaredRows   = 50
	maxUndeclaredRows = 30
	maxCellChanges    = 5
	maxListed         = 3
	capName           = 100
	capVersion        = 60
	capDigest         = 80 // "sha256:" and 64 hex digits
)

// Section renders the comparison as Markdown for the report's extra
// sections. Everything that comes from the pull request or the image is
// in code spans; the rest is fixed text.
func (c *Comparison) Section() report.Section {
	var w strings.Builder
	c.intro(&w)
	if len(c.Matches) > 0 {
		w.WriteString("| Declared update | The pull request says | The image shows |\n| --- | --- | --- |\n")
		for i, m := range c.Matches {
			if i == maxDeclaredRows {
				fmt.Fprintf(&w, "| … | and %d more | |\n", len(c.Matches)-i)
				break
			}
			fmt.Fprintf(&w, "| %s | %s | %s |\n", declaredCell(m), claimCell(m.Update), c.measuredCell(m))
		}
		w.WriteString("\n")
	}
	if len(c.Undeclared) > 0 {
		fmt.Fprintf(&w, "**Not declared:** %d package %s the pull request does not mention.\n\n",
			len(c.Undeclared), plural(len(c.Undeclared), "change", "changes"))
		changesTable(&w, c.Undeclared)
	}
	if len(c.Moved) > 0 {
		fmt.Fprintf(&w, "**Moved with the declared updates:** %d package %s.\n\n", len(c.Moved), plural(len(c.Moved), "change", "changes"))
		changesTable(&w, c.Moved)
	}
	return report.Section{Title: SectionTitle, Body: w.String()}
}

// changesTable lists changes with where each came from.
func changesTable(w *strings.Builder, cs []Change) {
	w.WriteString("| Package | The image shows | From |\n| --- | --- | --- |\n")
	for i, ch := range cs {
		if i == maxUndeclaredRows {
			fmt.Fprintf(w, "| … | and %d more in the risks and the full report | |\n", len(cs)-i)
			break
		}
		where := "—"
		if ch.Where != "" {
			where = report.CodeSpan(ch.Where, capName, true)
		}
		fmt.Fprintf(w, "| %s %s | %s | %s |\n", ecosystem(ch.Ecosystem), report.CodeSpan(ch.Name, capName, true), changeCell(ch), where)
	}
	w.WriteString("\n")
}

// intro says who declares what and whether the changes were checked.
func (c *Comparison) intro(w *strings.Builder) {
	d := &c.Declared
	who := d.Bot.Name()
	if d.Bot == "" {
		who = "The pull request"
	}
	unnamed := ""
	switch {
	case len(d.Updates) > 0:
		fmt.Fprintf(w, "%s declares %d %s", who, len(d.Updates), plural(len(d.Updates), "update", "updates"))
	case d.Count > 0:
		fmt.Fprintf(w, "%s announces %d %s", who, d.Count, plural(d.Count, "update", "updates"))
		unnamed = " without naming them"
	default:
		fmt.Fprintf(w, "%s announces updates", who)
		unnamed = " without naming them"
	}
	if d.Group != "" {
		fmt.Fprintf(w, " in the group %s", report.CodeSpan(d.Group, capName, true))
	}
	// A directory the pull request does not state is not guessed: no
	// words for it rather than the root's.
	switch {
	case d.Directory != "":
		fmt.Fprintf(w, " in %s", report.CodeSpan(d.Directory, capName, true))
	case len(d.Directories) > 0:
		fmt.Fprintf(w, " in %d directories (%s)", len(d.Directories), codeList(d.Directories, maxListed))
	}
	w.WriteString(unnamed)
	w.WriteString(".")
	switch {
	case c.Checked && len(c.Undeclared) == 0 && len(c.Moved) == 0:
		w.WriteString(" The image changed nothing else.")
	case c.Checked && len(c.Undeclared) == 0:
		// Only moved packages: the sentence about them follows.
	case c.Checked:
		fmt.Fprintf(w, " The image changed %d more %s: each is an `undeclared-change` risk.",
			len(c.Undeclared), plural(len(c.Undeclared), "package", "packages"))
	case len(d.Updates) == 0:
		w.WriteString(" The changes of the image are listed but not raised as risks.")
	case d.Unnamed || d.Count > len(d.Updates):
		w.WriteString(" It does not name every update, so the other changes of the image are listed but not raised as risks.")
	case d.Ambiguous:
		w.WriteString(" Its title may name a group of updates rather than one dependency, so the other changes of the image are listed but not raised as risks.")
	}
	if n := len(c.Brought); n > 0 {
		fmt.Fprintf(w, " The %s update brings %d package %s%s", report.CodeSpan(c.baseUpdate(), capName, true), n,
			plural(n, "change", "changes"), majors(c.Brought))
		switch {
		case c.ByLayers:
			fmt.Fprintf(w, ", all in the base image's layers (%s).", decided(c.DecidedBy))
		default:
			w.WriteString(": every distribution package change, as the base image's layers could not be told apart from the image's own (no Dockerfile, base-image annotations or shared bottom layers).")
		}
	}
	if n := len(c.Moved); n > 0 {
		fmt.Fprintf(w, " %d more %s moved with the declared updates (dependencies resolved from the lock file): each is a low `undeclared-change` risk.",
			n, plural(n, "package", "packages"))
	}
	w.WriteString(" Bump levels come from the image's versions.\n\n")
}

func declaredCell(m Match) string {
	s := report.CodeSpan(m.Update.Name, capName, true)
	if m.BaseImage {
		s += " (base image)"
	}
	return s
}

// claimCell is what the bot says: versions and its update type.
func claimCell(u Update) string {
	var parts []string
	if v := versionClaim(u); v != "" {
		parts = append(parts, v)
	}
	if l := claimedLevel(u); l != "" {
		parts = append(parts, l)
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " · ")
}

// versionClaim shows the versions and digests of an update: "`1.2` →
// `1.3`", or for a digest update "digest `e84f2e8` → `4c0a181`, tag
// `1.24.3`", its tag apart since the digest is what changed.
func versionClaim(u Update) string {
	var parts []string
	switch {
	case u.FromDigest != "" && u.ToDigest != "":
		parts = append(parts, "digest "+report.CodeSpan(u.FromDigest, capDigest, true)+" → "+report.CodeSpan(u.ToDigest, capDigest, true))
	case u.ToDigest != "":
		parts = append(parts, "digest to "+report.CodeSpan(u.ToDigest, capDigest, true))
	case u.FromDigest != "":
		parts = append(parts, "digest "+report.CodeSpan(u.FromDigest, capDigest, true)+" replaced")
	}
	digest := len(parts) > 0
	switch {
	case digest && u.To != "" && (u.From == "" || u.From == u.To):
		parts = append(parts, "tag "+report.CodeSpan(u.To, capVersion, true))
	case u.From != "" && u.To != "":
		parts = append(parts, report.CodeSpan(u.From, capVersion, true)+" → "+report.CodeSpan(u.To, capVersion, true))
	case u.To != "":
		parts = append(parts, "to "+report.CodeSpan(u.To, capVersion, true))
	case u.From != "":
		parts = append(parts, "from "+report.CodeSpan(u.From, capVersion, true))
	}
	return strings.Join(parts, ", ")
}

// claimedLevel reads the bot's update type: Dependabot's
// "version-update:semver-major" or Renovate's "major" → "major"; "" for
// anything else ("digest", "pin").
func claimedLevel(u Update) string {
	t := strings.ToLower(u.UpdateType)
	t = strings.TrimPrefix(t, "version-update:semver-")
	if t == "major" || t == "minor" || t == "patch" {
		return t
	}
	return ""
}

func (c *Comparison) measuredCell(m Match) string {
	var parts []string
	if m.BaseImage {
		parts = append(parts, fmt.Sprintf("base image · %d package %s%s", len(c.Brought), plural(len(c.Brought), "change", "changes"), majors(c.Brought)))
	}
	for i, ch := range m.Changes {
		if i == maxCellChanges {
			parts = append(parts, fmt.Sprintf("and %d more", len(m.Changes)-i))
			break
		}
		s := ecosystem(ch.Ecosystem) + " " + changeCell(ch)
		if claim := claimedLevel(m.Update); claim != "" && isLevel(ch.Bump) && claim != string(ch.Bump) {
			s += " ⚠️ not " + claim
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "not in the image"
	}
	return strings.Join(parts, "<br>")
}

// baseUpdate names the declared base-image update.
func (c *Comparison) baseUpdate() string {
	for _, m := range c.Matches {
		if m.BaseImage {
			return m.Update.Name
		}
	}
	return "base-image"
}

// majors says how many changes are major bumps: ", 9 major".
func majors(cs []Change) string {
	n := 0
	for _, ch := range cs {
		if ch.Bump == packages.BumpMajor {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d major", n)
}

// decided says how the base image's layers were told apart.
func decided(by string) string {
	switch by {
	case "dockerfile":
		return "told apart by lining the history up with the Dockerfile"
	case "annotations", "shared-layers":
		return "the bottom layers both images share"
	}
	return "as the report says"
}

func isLevel(b packages.Bump) bool {
	return b == packages.BumpMajor || b == packages.BumpMinor || b == packages.BumpPatch
}

// changeCell shows one measured change with its bump level in bold.
func changeCell(ch Change) string {
	switch {
	case ch.From == "":
		return "added at " + report.CodeSpan(ch.To, capVersion, true)
	case ch.To == "":
		return "removed (was " + report.CodeSpan(ch.From, capVersion, true) + ")"
	}
	s := report.CodeSpan(ch.From, capVersion, true) + " → " + report.CodeSpan(ch.To, capVersion, true) + " · **" + bumpWord(ch.Bump) + "**"
	if ch.PreviousName != "" {
		s = "replaces " + report.CodeSpan(ch.PreviousName, capName, true) + " · " + s
	}
	return s
}

// ecosystem names are the catalogers' own words; anything else is shown
// as untrusted text.
func ecosystem(e string) string {
	for _, r := range e {
		if r < 'a' || r > 'z' {
			return report.CodeSpan(e, 20, true)
		}
	}
	if e == "" {
		return "—"
	}
	return e
}

// codeList shows up to n items in code spans: "`a`, `b` and 3 more".
func codeList(items []string, n int) string {
	var out []string
	for i, s := range items {
		if i == n {
			return strings.Join(out, ", ") + fmt.Sprintf(" and %d more", len(items)-n)
		}
		out = append(out, report.CodeSpan(s, capName, true))
	}
	if len(out) > 1 {
		return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
	}
	return strings.Join(out, "")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
