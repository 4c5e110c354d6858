package report

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/imagedrift/imagedrift/internal/risk"
)

// MarkdownOptions tune the Markdown body.
type MarkdownOptions struct {
	// Key, when set, is written first as the hidden marker
	// <!-- imagedrift:KEY --> by which the comment is found again.
	Key string
	// MaxLen caps the body in bytes (0: GitHub's 65,536). Counting bytes
	// is safe whichever way GitHub counts characters: a character is at
	// least one byte, and at least one UTF-16 unit is at most as many
	// bytes. Values below MinMaxLen are raised to it.
	MaxLen int
	// FullReportHint says where the full report is when the body had to
	// be shortened ("the job summary and the imagedrift-report artifact").
	// It is Markdown written by the caller and is not escaped.
	FullReportHint string
	// Extra sections go after the risks table: pre-escaped Markdown from
	// the caller, such as the declared-versus-measured table of a
	// Dependabot PR.
	Extra []Section
	// Short keeps only the verdict, the summary and the risks, and says
	// where the rest is: the form posted when GitHub refuses the whole
	// body as too long.
	Short bool
}

// Section is a titled piece of Markdown, already escaped.
type Section struct {
	Title, Body string
}

// Limits of the Markdown body.
const (
	GitHubMaxLen = 65536
	MinMaxLen    = 8192
	maxHint      = 500
)

// Rows shown per table before the rest is left to the full report.
const (
	mdRisksPerID = 10
	mdFiles      = 50
	mdDirs       = 15
	mdReasons    = 3
)

// Marker is the hidden line that starts a comment for key, with the key
// reduced to characters that cannot end an HTML comment.
func Marker(key string) string {
	return "<!-- imagedrift:" + markerKey.ReplaceAllString(capRunes(key, 200), "_") + " -->"
}

var markerKey = regexp.MustCompile(`[^A-Za-z0-9._/:+=@-]|-{2,}`)

// Markdown renders the report for a pull-request comment or a job summary.
func Markdown(r *Report, o MarkdownOptions) string {
	s, _ := markdown(r, o)
	return s
}

// markdown also returns the number of rows of each table it rendered, in
// order, for tests.
func markdown(r *Report, o MarkdownOptions) (string, []int) {
	budget := o.MaxLen
	if budget <= 0 {
		budget = GitHubMaxLen
	}
	return markdownWithin(r, o, max(budget, MinMaxLen))
}

// markdownWithin lays the report out in budget bytes; a set of reports
// gives each one a share below MinMaxLen.
func markdownWithin(r *Report, o MarkdownOptions, budget int) (string, []int) {
	hint := capRunes(o.FullReportHint, maxHint)
	if hint == "" {
		hint = "the JSON report (`imagedrift diff --format json`)"
	}
	blocks := []*block{headBlock(r, o.Key)}
	if !r.Identical {
		blocks = append(blocks, risksBlock(r))
	}
	if !r.Identical && !o.Short {
		for _, s := range o.Extra {
			blocks = append(blocks, &block{kind: kindExtra, text: "#### " + s.Title + "\n\n" + strings.TrimSpace(s.Body) + "\n\n"})
		}
		if b := advisoriesBlock(r); b != nil {
			blocks = append(blocks, b)
		}
		blocks = append(blocks, detailBlocks(r)...)
	}
	if o.Short && !r.Identical {
		blocks = append(blocks, &block{kind: kindHead, text: "The details are left out of this comment. The full report is in " + hint + ".\n"})
	}
	layout(blocks, budget, len(closingNote(1<<30, 1<<30, hint)))
	sections, rows := cut(blocks)
	out := render(blocks, closingNote(sections, rows, hint))
	var kept []int
	for _, b := range blocks {
		for _, t := range b.tables {
			if !b.dropped && t.keep > 0 {
				kept = append(kept, t.keep)
			}
		}
	}
	return out, kept
}

func closingNote(sections, rows int, hint string) string {
	if sections == 0 && rows == 0 {
		return ""
	}
	var left []string
	if sections > 0 {
		left = append(left, fmt.Sprintf("%s %s", count(sections), plural(sections, "section", "sections")))
	}
	if rows > 0 {
		left = append(left, fmt.Sprintf("%s %s", count(rows), plural(rows, "row", "rows")))
	}
	return fmt.Sprintf("---\n**Shortened to fit GitHub's size limit:** %s left out. The full report is in %s.\n",
		strings.Join(left, " and "), hint)
}

var levelEmoji = map[risk.Level]string{risk.High: "🔴", risk.Medium: "🟠", risk.Low: "🟡", risk.None: "✅"}

func headBlock(r *Report, key string) *block {
	var w strings.Builder
	if key != "" {
		w.WriteString(Marker(key) + "\n")
	}
	v := r.Verdict
	switch {
	case r.Identical:
		fmt.Fprintf(&w, "### ✅ No changes\n\n**Base** %s and **Head** %s are the same image: nothing to review.\n\n",
			sideName(r.Base), sideName(r.Head))
		return &block{kind: kindHead, text: w.String()}
	default:
		fmt.Fprintf(&w, "### %s %s", levelEmoji[v.Level], levelWord(v.Level))
		if v.Failed {
			w.WriteString(" · ❌ policy failed")
		}
		w.WriteString("\n\n")
	}
	fmt.Fprintf(&w, "**Base** %s → **Head** %s\n\n", sideName(r.Base), sideName(r.Head))
	vulnSummary, vulnPara := vulnHeadMD(r)
	fmt.Fprintf(&w, "**Size** %s · **Files** %s · **Packages** %s%s\n\n",
		md(sizeLine(r), 0), md(filesLine(r), 0), md(packagesLine(r), 0), vulnSummary)
	if line := originsLine(r); line != "" {
		fmt.Fprintf(&w, "**By origin** %s\n\n", md(line, 600))
	}
	w.WriteString(vulnPara)
	if v.Failed {
		terms := make([]string, len(v.FailOn))
		for i, t := range v.FailOn {
			terms[i] = code(t)
		}
		fmt.Fprintf(&w, "Failed on %s:\n\n", strings.Join(terms, ", "))
		for i, reason := range v.Reasons {
			if i == mdReasons {
				fmt.Fprintf(&w, "- and %d more\n", len(v.Reasons)-mdReasons)
				break
			}
			fmt.Fprintf(&w, "- %s\n", mdLine(reason, 150))
		}
		w.WriteString("\n")
	}
	return &block{kind: kindHead, text: w.String()}
}

func sideName(s ImageSummary) string {
	name := CodeSpan(imageName(s), 120, false)
	if s.Ref != "" && identity(s) != "" {
		name += " (" + CodeSpan(shortDigest(identity(s)), 80, false) + ")"
	}
	return name
}

// code puts an identifier in a code span when it is made of safe
// characters only, and escapes it as text otherwise.
func code(s string) string {
	if safeID.MatchString(s) {
		return "`" + s + "`"
	}
	return md(s, capName)
}

var safeID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9:._*/-]{0,99}$`)

func risksBlock(r *Report) *block {
	if len(r.Risks) == 0 {
		return &block{kind: kindRisks, text: "No risks found.\n\n"}
	}
	t := &table{header: "| Level | Risk | Subject | Details |\n| --- | --- | --- | --- |\n"}
	for _, row := range groupRisks(r.Risks, mdRisksPerID) {
		level := levelEmoji[row.Level] + " " + md(string(row.Level), 10)
		if row.Count > 1 {
			t.rows = append(t.rows, fmt.Sprintf("| %s | %s | %s | %s in all |\n", level, code(row.ID), subjects(row, md), count(row.Count)))
			continue
		}
		if row.More > 0 {
			t.rows = append(t.rows, fmt.Sprintf("| %s | %s | … | and %s more in the full report |\n", level, code(row.ID), count(row.More)))
			continue
		}
		t.rows = append(t.rows, fmt.Sprintf("| %s | %s | %s | %s |\n", level, code(row.ID), md(row.Subject, capPath), md(row.Message, capText)))
	}
	return &block{kind: kindRisks, text: "#### Risks\n\n", tables: []*table{t}}
}

// subjects names the first subjects of a collapsed row and how many
// more, each escaped by esc.
func subjects(row riskRow, esc func(string, int) string) string {
	names := make([]string, len(row.Subjects))
	for i, s := range row.Subjects {
		names[i] = esc(s, capName)
	}
	out := strings.Join(names, ", ")
	if more := row.Count - len(row.Subjects); more > 0 {
		out += fmt.Sprintf(" and %s more", count(more))
	}
	return out
}

func details(summary string, tables []*table, text, tail string) *block {
	return &block{kind: kindDetails, open: "<details><summary>" + summary + "</summary>\n\n",
		text: text, tables: tables, tail: tail, close: "</details>\n\n"}
}

func detailBlocks(r *Report) []*block {
	var out []*block
	if b := vulnBlock(r); b != nil {
		out = append(out, b)
	}
	for _, g := range pkgGroups(r) {
		out = append(out, packageBlock(g))
	}
	if b := filesBlock(r); b != nil {
		out = append(out, b)
	}
	if b := configBlock(r); b != nil {
		out = append(out, b)
	}
	if b := layersBlock(r); b != nil {
		out = append(out, b)
	}
	if b := lintBlock(r); b != nil {
		out = append(out, b)
	}
	if b := warningsBlock(r); b != nil {
		out = append(out, b)
	}
	return out
}

// mermaidChart draws where the bytes went when the image grew past the
// size threshold: a pie of the origins that added bytes. GitHub renders
// it in comments and job summaries; the line above it says the same.
func mermaidChart(r *Report) string {
	grew := false
	for _, k := range r.Risks {
		grew = grew || k.ID == risk.SizeIncrease
	}
	if !grew {
		return ""
	}
	var w strings.Builder
	slices := 0
	for _, c := range sizeOrigins(r) {
		if c.bytes >= 10<<10 { // what rounds to 0.00 MiB is no slice
			slices++
			fmt.Fprintf(&w, "    %q : %.2f\n", mermaidLabel.ReplaceAllString(capRunes(c.label, 60), "_"), float64(c.bytes)/(1<<20))
		}
	}
	if slices < 2 {
		return ""
	}
	return "```mermaid\npie title Where the bytes went (MiB)\n" + w.String() + "```\n\n"
}

// mermaidLabel matches what may not stand in a chart's label: names
// come from the Dockerfile's path.
var mermaidLabel = regexp.MustCompile(`[^A-Za-z0-9 :._/-]`)
