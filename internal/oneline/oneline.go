// Package oneline folds messages onto one line, as users see errors and
// as the runner takes annotations: one shape for every command and stage.
package oneline

import "strings"

// Fold joins the words of s with single spaces: line breaks, tabs and runs
// of spaces become one space.
func Fold(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
