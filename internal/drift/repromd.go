package drift

import (
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/report"
)

// ReproSectionTitle is the title of the reproducibility section.
const ReproSectionTitle = "Reproducibility"

// Rows of the section: it shares a comment of at most 65,536 characters.
const (
	mdDifferences = 30
	capSubject    = 160
	capDetail     = 120
)

// ReproSection renders r: the verdict, a table of the causes with the
// lint findings that explain them, and the differences of each cause.
// Everything from an image is in code spans.
func ReproSection(r *report.Reproducibility) report.Section {
	var w strings.Builder
	epoch := fmt.Sprintf("`SOURCE_DATE_EPOCH=%d`", r.SourceDateEpoch)
	builder := ""
	if r.Builder != "" {
		builder = ", " + report.CodeSpan(r.Builder, capDetail, false)
	}
	if r.Reproducible {
		fmt.Fprintf(&w, "✅ Two builds with no cache between them (%s%s) gave the same image %s.\n",
			epoch, builder, report.CodeSpan(shortDigest(r.First), 80, false))
		return report.Section{Title: ReproSectionTitle, Body: w.String()}
	}
	fmt.Fprintf(&w, "❌ Two builds with no cache between them (%s%s) gave different images, %s and %s.",
		epoch, builder, report.CodeSpan(shortDigest(r.First), 80, false), report.CodeSpan(shortDigest(r.Second), 80, false))
	if !r.RewritesTimestamps {
		w.WriteString(" The builder does not rewrite file times to `SOURCE_DATE_EPOCH`: files written during a build carry its time.")
	}
	w.WriteString("\n\n| Likely cause | Differences | For example | Explained by |\n| --- | --- | --- | --- |\n")
	for _, c := range r.Causes {
		fmt.Fprintf(&w, "| %s %s | %d | %s | %s |\n", levelDot(c.Cause), causeWords[c.Cause], c.Count, examples(&c), lintCell(c.Lint))
	}
	w.WriteString("\n")
	for _, c := range r.Causes {
		fmt.Fprintf(&w, "<details><summary>%s · %d</summary>\n\n| Difference | Change | Details |\n| --- | --- | --- |\n",
			causeWords[c.Cause], c.Count)
		for i, d := range c.Differences {
			if i == mdDifferences {
				fmt.Fprintf(&w, "| … | | and %d more in the JSON report |\n", c.Count-i)
				break
			}
			fmt.Fprintf(&w, "| %s | %s | %s |\n", report.CodeSpan(d.Subject, capSubject, true), d.Change, detailCell(d.Detail))
		}
		w.WriteString("\n</details>\n\n")
	}
	return report.Section{Title: ReproSectionTitle, Body: w.String()}
}

func levelDot(cause string) string {
	switch CauseLevels[cause] {
	case "high":
		return "🔴"
	case "medium":
		return "🟠"
	}
	return "🟡"
}

func examples(c *report.ReproCause) string {
	var ex []string
	for _, d := range c.Differences[:min(len(c.Differences), maxExamples)] {
		ex = append(ex, report.CodeSpan(d.Subject, 80, true))
	}
	if c.Count > len(ex) {
		ex = append(ex, "…")
	}
	return strings.Join(ex, ", ")
}

// lintCell names findings by rule and line; their messages quote the
// Dockerfile and stay in the lint section.
func lintCell(fs []report.Finding) string {
	if len(fs) == 0 {
		return "—"
	}
	var out []string
	for i, f := range fs {
		if i == maxExamples {
			out = append(out, fmt.Sprintf("and %d more", len(fs)-i))
			break
		}
		out = append(out, report.CodeSpan(f.Rule, 60, true)+" "+report.CodeSpan(fmt.Sprintf("%s:%d", f.File, f.Line), 100, true))
	}
	return strings.Join(out, ", ")
}

func detailCell(s string) string {
	if s == "" {
		return ""
	}
	return report.CodeSpan(s, capDetail, true)
}

// shortDigest keeps "sha256:" and 12 hex digits.
func shortDigest(d string) string {
	if algo, hex, ok := strings.Cut(d, ":"); ok && len(hex) > 12 {
		return algo + ":" + hex[:12]
	}
	return d
}
