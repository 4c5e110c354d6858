package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/imagedrift/imagedrift/internal/risk"
)

// TextOptions tune the terminal rendering.
type TextOptions struct {
	// Color adds ANSI colours; set it only when writing to a terminal.
	Color bool
	// Limit is how many rows a long list shows (0: 25; negative: all).
	// Package and config changes are always listed in full.
	Limit int
}

// WriteText renders the report for a terminal, columns aligned.
func WriteText(w io.Writer, r *Report, o TextOptions) error {
	if o.Limit == 0 {
		o.Limit = 25
	}
	t := &textWriter{o: o}
	t.head(r)
	if !r.Identical {
		t.risks(r)
		t.vulns(r)
		t.packages(r)
		t.files(r)
		t.config(r)
		t.layers(r)
		t.lint(r)
		t.warnings(r)
	}
	if _, err := io.WriteString(w, t.b.String()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

type textWriter struct {
	o TextOptions
	b strings.Builder
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

func (t *textWriter) color(code, s string) string {
	if !t.o.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) heading(s string) {
	t.b.WriteString("\n" + t.color(ansiBold, s) + "\n")
}

// table writes rows of cells in aligned columns. Colour codes take no
// width; they are the only control characters left, since clean removes
// those of untrusted text.
func (t *textWriter) table(rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], width(c))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		line.WriteString("  ")
		for i, c := range row {
			line.WriteString(c)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-width(c)+2))
			}
		}
		t.b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func width(s string) int {
	return utf8.RuneCountInString(ansi.ReplaceAllString(s, ""))
}

// esc colours one cell.
func (t *textWriter) esc(code, s string) string {
	return t.color(code, s)
}

func (t *textWriter) more(n int, what string) {
	if n > 0 {
		fmt.Fprintf(&t.b, "  … and %s more %s (--format json lists all)\n", count(n), what)
	}
}

func (t *textWriter) limit(n int) int {
	if t.o.Limit < 0 || n < t.o.Limit {
		return n
	}
	return t.o.Limit
}

func (t *textWriter) head(r *Report) {
	v := r.Verdict
	if r.Identical {
		fmt.Fprintf(&t.b, "%s: the images are identical (%s)\n", t.color(ansiGreen+ansiBold, "No changes"), clean(shortDigest(identity(r.Head)), capText))
		return
	}
	title := levelWord(v.Level)
	if v.Failed {
		title += " · policy failed"
	}
	code := map[risk.Level]string{risk.High: ansiRed, risk.Medium: ansiYellow, risk.Low: ansiCyan}[v.Level]
	if code == "" {
		code = ansiGreen
	}
	t.b.WriteString(t.color(code+ansiBold, title) + "\n")
	t.table([][]string{
		{"base    ", clean(imageName(r.Base), capText), clean(shortDigest(identity(r.Base)), capText), clean(osName(r.Base.OS), capText)},
		{"head", clean(imageName(r.Head), capText), clean(shortDigest(identity(r.Head)), capText), clean(osName(r.Head.OS), capText)},
	})
	summary := [][]string{
		{"size", sizeLine(r)},
		{"files", filesLine(r) + noiseNote(&r.Files)},
		{"packages", packagesLine(r)},
	}
	if line := originsLine(r); line != "" {
		summary = append(summary, []string{"origin", clean(line, 0)})
	}
	t.table(append(summary, vulnHeadRows(r)...))
	if v.Failed {
		fmt.Fprintf(&t.b, "  failed on %s:\n", clean(strings.Join(v.FailOn, ", "), capText))
		for _, reason := range v.Reasons {
			fmt.Fprintf(&t.b, "    %s\n", clean(reason, 0))
		}
	}
}

func noiseNote(f *Files) string {
	n := f.Noise
	if n == (FileCounts{}) {
		return ""
	}
	return fmt.Sprintf(" (and %s noise paths, %s)", count(n.Added+n.Removed+n.Modified+n.MetadataOnly), delta(n.SizeDelta))
}

func (t *textWriter) risks(r *Report) {
	if len(r.Risks) == 0 {
		t.heading("Risks: none")
		return
	}
	t.heading(fmt.Sprintf("Risks (%s)", count(len(r.Risks))))
	var rows [][]string
	for _, row := range groupRisks(r.Risks, t.limit(len(r.Risks))) {
		lv := t.esc(levelCode(row.Level), string(row.Level))
		if row.Count > 1 {
			rows = append(rows, []string{lv, clean(row.ID, capName), subjects(row, clean), count(row.Count) + " in all"})
			continue
		}
		if row.More > 0 {
			rows = append(rows, []string{lv, clean(row.ID, capName), "…", fmt.Sprintf("and %s more", count(row.More))})
			continue
		}
		rows = append(rows, []string{lv, clean(row.ID, capName), clean(row.Subject, capPath), clean(row.Message, capText)})
	}
	t.table(rows)
}

func levelCode(l risk.Level) string {
	switch l {
	case risk.High:
		return ansiRed + ansiBold
	case risk.Medium:
		return ansiYellow
	}
	return ansiCyan
}

// clean makes untrusted text safe for a terminal: control characters
// (escape sequences above all) become "?", and long text is cut.
func clean(s string, max int) string {
	s = capRunes(strings.ToValidUTF8(s, "\uFFFD"), max)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return ' '
		case unicode.IsControl(r) || isInvisible(r) || r == '\u2028' || r == '\u2029':
			return '?'
		}
		return r
	}, s)
}
