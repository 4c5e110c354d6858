package drift

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/imagedrift/imagedrift/internal/report"
)

// Rows the terminal rendering shows per cause.
const textDifferences = 10

// WriteText renders what a report holds of drift and reproducibility for
// a terminal, after the report's own text; nothing when it holds neither.
func WriteText(w io.Writer, r *report.Report) error {
	var b strings.Builder
	if d := r.Drift; d != nil {
		writeWatchText(&b, d)
	}
	if rp := r.Reproducibility; rp != nil {
		writeReproText(&b, rp)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

func writeWatchText(b *strings.Builder, d *report.Drift) {
	if !d.Drifted {
		b.WriteString("\nno drift: the fresh build has the reference's base image, packages, files and config\n")
		return
	}
	b.WriteString("\ndrift\n")
	for _, p := range d.Parts {
		fmt.Fprintf(b, "  %-18s %4d  %s\n", kindWords[p.Kind], p.Changes, clean(p.Summary, 200))
		for _, f := range p.Causes {
			fmt.Fprintf(b, "  %-18s       let happen by %s at %s:%d\n", "", f.Rule, clean(f.File, 100), f.Line)
		}
	}
}

func writeReproText(b *strings.Builder, r *report.Reproducibility) {
	if r.Reproducible {
		fmt.Fprintf(b, "\nreproducible: two builds (SOURCE_DATE_EPOCH=%d) gave the same image %s\n", r.SourceDateEpoch, r.First)
		return
	}
	fmt.Fprintf(b, "\nnot reproducible: two builds (SOURCE_DATE_EPOCH=%d, %s) gave %s and %s\n",
		r.SourceDateEpoch, r.Builder, shortDigest(r.First), shortDigest(r.Second))
	if !r.RewritesTimestamps {
		b.WriteString("  the builder does not rewrite file times to SOURCE_DATE_EPOCH\n")
	}
	for _, c := range r.Causes {
		fmt.Fprintf(b, "  %s (%s, %d)\n", causeWords[c.Cause], CauseLevels[c.Cause], c.Count)
		for _, f := range c.Lint {
			fmt.Fprintf(b, "    explained by %s at %s:%d\n", f.Rule, clean(f.File, 100), f.Line)
		}
		for i, d := range c.Differences {
			if i == textDifferences {
				fmt.Fprintf(b, "    … and %d more (--format json lists them)\n", c.Count-i)
				break
			}
			line := fmt.Sprintf("    %-8s %s", d.Change, clean(d.Subject, 160))
			if d.Detail != "" {
				line += "  " + clean(d.Detail, 120)
			}
			b.WriteString(line + "\n")
		}
	}
}

// clean makes untrusted text safe for a terminal: control characters
// (escape sequences) become '?', and it is cut at limit runes.
func clean(s string, limit int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	if n := []rune(s); len(n) > limit {
		return string(n[:limit-1]) + "…"
	}
	return s
}
