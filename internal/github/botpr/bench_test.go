package botpr

import (
	"strings"
	"testing"
)

// BenchmarkParseLargeMessage parses a message at the size cap: many
// update lines and a long block, as a hostile commit could hold.
func BenchmarkParseLargeMessage(b *testing.B) {
	var m strings.Builder
	for m.Len() < maxMessage {
		m.WriteString("Updates `pkg-" + strings.Repeat("x", 40) + "` from 1.0.0 to 2.0.0\n")
	}
	m.WriteString("---\nupdated-dependencies:\n")
	for i := 0; i < 2000; i++ {
		m.WriteString("- dependency-name: a\n  dependency-type: indirect\n")
	}
	m.WriteString("...\n")
	msg := m.String()
	title := "Bump " + strings.Repeat("a, ", 300) + "b"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Parse(Dependabot, title, msg, "")
	}
}

// BenchmarkParseLargeBody parses a body at the size cap: a table of
// wrapped rows, as a hostile body could hold.
func BenchmarkParseLargeBody(b *testing.B) {
	var m strings.Builder
	m.WriteString("| Package | Type | Update | Change |\n|---|---|---|---|\n")
	for i := 0; m.Len() < maxBody; i++ {
		m.WriteString("| pkg-" + strings.Repeat("y", i%40) + " | stage | digest | `a9cfb75` →\n`f49565f`\n|\n")
	}
	body := m.String()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Parse(Renovate, "Update all digests", "", body)
	}
}
