package report

import (
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/risk"
)

// SetItem is one image of a set reported in one comment: the reports of
// a matrix of Dockerfiles in one pull request.
type SetItem struct {
	Key    string // tells the image apart: the matrix entry's comment key
	Report *Report
	Extra  []Section
}

// Bounds of a set: each image keeps a share of the budget, at least
// minShare, so past maxSetItems the last images are only listed.
const (
	minShare    = 2048
	maxSetItems = 60
)

// MarkdownSet renders several reports as one comment: the verdict for the
// whole set first, a line per image, then each image's report within its
// share of the budget (o.MaxLen, default GitHub's 65,536 bytes). o.Key is
// the set's marker; o.Extra is ignored (each item has its own).
func MarkdownSet(items []SetItem, o MarkdownOptions) string {
	budget := o.MaxLen
	if budget <= 0 {
		budget = GitHubMaxLen
	}
	budget = max(budget, MinMaxLen)
	head := setHead(items, o.Key)
	shown := min(len(items), maxSetItems, max(1, (budget-len(head)-512)/minShare))
	var w strings.Builder
	w.WriteString(head)
	share := (budget - len(head) - 512) / max(shown, 1)
	for i, it := range items[:shown] {
		io := MarkdownOptions{FullReportHint: o.FullReportHint, Extra: it.Extra, Short: o.Short}
		body, _ := markdownWithin(it.Report, io, max(share, minShare))
		// A blank line after each image: a closing "---" right under a
		// paragraph would turn it into a heading.
		w.WriteString(strings.TrimRight(retitle(body, it.Key, i+1), "\n") + "\n\n")
	}
	if shown < len(items) {
		fmt.Fprintf(&w, "---\n**%s more %s** are in the table above only, to fit GitHub's size limit. Their full reports are in %s.\n",
			count(len(items)-shown), plural(len(items)-shown, "image", "images"), capRunes(o.FullReportHint, maxHint))
	}
	return w.String()
}

// setHead is the marker, the set's verdict and one line per image.
func setHead(items []SetItem, key string) string {
	var w strings.Builder
	if key != "" {
		w.WriteString(Marker(key) + "\n")
	}
	level, failed := risk.None, 0
	for _, it := range items {
		if it.Report.Verdict.Level.Rank() > level.Rank() {
			level = it.Report.Verdict.Level
		}
		if it.Report.Verdict.Failed {
			failed++
		}
	}
	fmt.Fprintf(&w, "### %s %s across %s %s", levelEmoji[level], levelWord(level), count(len(items)), plural(len(items), "image", "images"))
	if failed > 0 {
		fmt.Fprintf(&w, " · ❌ policy failed for %s", count(failed))
	}
	w.WriteString("\n\n| Image | Verdict | Size | Packages | Risks |\n| --- | --- | --- | --- | --- |\n")
	for i, it := range items {
		r := it.Report
		verdict := levelEmoji[r.Verdict.Level] + " " + levelWord(r.Verdict.Level)
		if r.Identical {
			verdict = "✅ No changes"
		}
		if r.Verdict.Failed {
			verdict += " · ❌ failed"
		}
		if i == maxSetItems {
			fmt.Fprintf(&w, "| … | and %s more | | | |\n", count(len(items)-i))
			break
		}
		fmt.Fprintf(&w, "| %s | %s | %s | %s | %s |\n", code(it.Key), verdict, md(sizeLine(r), 0), md(packagesLine(r), 0), count(len(r.Risks)))
	}
	w.WriteString("\n")
	return w.String()
}

// retitle turns an image's "### verdict" title into "### n. key · verdict",
// so that the images read apart in one comment.
func retitle(body, key string, n int) string {
	title, rest, ok := strings.Cut(body, "\n")
	if !ok || !strings.HasPrefix(title, "### ") {
		return fmt.Sprintf("### %d. %s\n\n%s", n, code(key), body)
	}
	return fmt.Sprintf("### %d. %s · %s\n%s", n, code(key), strings.TrimPrefix(title, "### "), rest)
}
