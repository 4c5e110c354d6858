package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Everything from an image, a Dockerfile or a pull request is untrusted:
// it must render as the text it is, never as Markdown, HTML, a link, a
// mention or a reference. Lengths are capped in runes before escaping.
const (
	capName    = 100 // package names, config keys, rules
	capVersion = 60
	capPath    = 160
	capText    = 200 // messages, config values, refs
)

// zwj, put after "@", "#" and in "www." and "://", keeps GitHub from
// reading a mention, a reference or a link, and reads as nothing.
const zwj = "\u200d"

// mdEscape lists the characters backslash-escaped in Markdown text:
// emphasis, code, links, tables, strikethrough, math.
const mdEscape = "\\`*_[]|~$!{}"

// md escapes s for Markdown inline text (a paragraph or a table cell).
func md(s string, limit int) string {
	return escape(s, limit, true)
}

// html escapes s for text inside an HTML block, such as a <summary>,
// where Markdown is not parsed.
func html(s string, limit int) string {
	return escape(s, limit, false)
}

func escape(s string, limit int, markdown bool) string {
	s = capRunes(strings.ToValidUTF8(s, "\uFFFD"), limit)
	s = collapseSpaces(strings.Map(func(r rune) rune {
		switch {
		case isInvisible(r):
			return -1 // bidi overrides could make text read as other text
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return ' '
		}
		return r
	}, s))
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && !markdown:
			b.WriteString("&quot;")
		case r == '@':
			b.WriteString("@" + zwj)
		case r == '#':
			if markdown {
				b.WriteByte('\\')
			}
			b.WriteByte('#')
			if i+1 < len(s) && isAlnum(s[i+1]) {
				b.WriteString(zwj)
			}
		case r == ':' && strings.HasPrefix(s[i:], "://"):
			b.WriteString(":" + zwj)
		case (r == 'w' || r == 'W') && hasPrefixFold(s[i:], "www.") && (i == 0 || !isAlnum(s[i-1])):
			b.WriteString(s[i:i+3] + zwj + ".")
			size = 4
		case markdown && strings.ContainsRune(mdEscape, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// mdLine escapes s for the start of a line, where "-", "+", "=" and
// "1." would begin a list or underline a heading.
func mdLine(s string, limit int) string {
	e := md(s, limit)
	if e != "" && strings.ContainsRune("-+=", rune(e[0])) {
		return "\\" + e
	}
	if i := strings.IndexFunc(e, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (e[i] == '.' || e[i] == ')') {
		return e[:i] + "\\" + e[i:]
	}
	return e
}

// CodeSpan puts untrusted text in a code span: shown as written, and
// GitHub reads no mention, reference or link inside. The fence is longer
// than any run of backticks in s; in a table cell "|" is escaped, which
// GFM undoes before reading the span.
func CodeSpan(s string, limit int, inTable bool) string {
	s = collapseSpaces(strings.Map(func(r rune) rune {
		switch {
		case isInvisible(r):
			return -1
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return ' '
		}
		return r
	}, capRunes(strings.ToValidUTF8(s, "\uFFFD"), limit)))
	if s == "" {
		return "—"
	}
	run, longest := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if s[0] == '`' || s[len(s)-1] == '`' {
		s = " " + s + " "
	}
	if inTable {
		s = strings.ReplaceAll(s, "|", "\\|")
	}
	return fence + s + fence
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isInvisible(r rune) bool {
	switch {
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	}
	return false
}

func capRunes(s string, limit int) string {
	if limit <= 0 || utf8.RuneCountInString(s) <= limit {
		return s
	}
	n := 0
	for i := range s {
		if n == limit-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

func collapseSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Text escapes untrusted text for Markdown inline text (a paragraph or
// a table cell), capped at limit runes, for sections that callers add.
func Text(s string, limit int) string { return md(s, limit) }
