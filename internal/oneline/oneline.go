// Package oneline folds messages onto one line, as users see errors and
// as the runner takes annotations: one shape for every command and stage;
// and makes text written by others (pull request titles, bots' messages)
// safe to show on one line.
package oneline

import (
	"strings"
	"unicode/utf8"
)

// Fold joins the words of s with single spaces: line breaks, tabs and runs
// of spaces become one space.
func Fold(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Clean makes s valid UTF-8 (invalid bytes as U+FFFD) with every control
// character, line breaks included, as a space; unlike Fold it keeps the
// spacing, so a cut or a column stays where its writer put it.
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// Cap cuts s to at most n bytes on a rune boundary: text from outside is
// bounded before it is kept or parsed.
func Cap(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
