package gem

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// literal reads the Ruby string literal at the start of s: "..." and
// '...', %q(...) %Q(...) %(...) with any delimiter. It returns the value
// and the rest of s, or ok=false when s does not start with a literal or
// the literal interpolates (its value is only known by running Ruby).
func literal(s string) (value, rest string, ok bool) {
	if value, rest, ok = anyLiteral(s); !ok {
		return "", s, false
	}
	return value, rest, true
}

func anyLiteral(s string) (value, rest string, ok bool) {
	switch {
	case strings.HasPrefix(s, `"`):
		return quoted(s[1:], '"', '"', true)
	case strings.HasPrefix(s, "'"):
		return quoted(s[1:], '\'', '\'', false)
	case strings.HasPrefix(s, "%q") && len(s) > 2:
		open, close, ok := delimiters(s[2])
		if !ok {
			return "", s, false
		}
		return quoted(s[3:], open, close, false)
	case strings.HasPrefix(s, "%Q") && len(s) > 2:
		open, close, ok := delimiters(s[2])
		if !ok {
			return "", s, false
		}
		return quoted(s[3:], open, close, true)
	case strings.HasPrefix(s, "%") && len(s) > 1:
		open, close, ok := delimiters(s[1])
		if !ok || !strings.ContainsRune("([{<", rune(open)) {
			return "", s, false
		}
		return quoted(s[2:], open, close, true)
	}
	return "", s, false
}

// delimiters returns the closing delimiter of a %-literal opened by c.
func delimiters(c byte) (open, close byte, ok bool) {
	switch c {
	case '(':
		return c, ')', true
	case '[':
		return c, ']', true
	case '{':
		return c, '}', true
	case '<':
		return c, '>', true
	}
	if c > ' ' && c < 0x7f && !isWord(c) {
		return c, c, true
	}
	return 0, 0, false
}

// quoted reads up to the unescaped close delimiter; paired delimiters
// nest as in Ruby. Double-quoted style literals get their escapes
// decoded and refuse interpolation.
func quoted(s string, open, close byte, double bool) (value, rest string, ok bool) {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			n, adv, ok := escape(s[i+1:], double, open, close)
			if !ok {
				return "", s, false
			}
			b.WriteString(n)
			i += adv
			continue
		case c == close && depth == 0:
			return b.String(), s[i+1:], true
		case c == close:
			depth--
		case c == open && open != close:
			depth++
		case double && c == '#' && i+1 < len(s) && strings.IndexByte("{@$", s[i+1]) >= 0:
			return "", s, false
		}
		b.WriteByte(c)
	}
	return "", s, false
}

// escape decodes the escape after a backslash; adv is how many bytes of s
// it used. Only the escapes a name or version could need are decoded;
// others keep the character, which is what Ruby does for most of them.
func escape(s string, double bool, open, close byte) (value string, adv int, ok bool) {
	c := s[0]
	if !double {
		if c == '\\' || c == open || c == close {
			return string(c), 1, true
		}
		return "\\" + string(c), 1, true
	}
	switch c {
	case 'n':
		return "\n", 1, true
	case 't':
		return "\t", 1, true
	case 'u':
		return unicodeEscape(s[1:])
	}
	return string(c), 1, true
}

// unicodeEscape decodes \uXXXX and \u{X...}; adv counts the "u".
func unicodeEscape(s string) (string, int, bool) {
	hex, adv := "", 0
	if strings.HasPrefix(s, "{") {
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return "", 0, false
		}
		hex, adv = s[1:end], end+2
	} else if len(s) >= 4 {
		hex, adv = s[:4], 5
	}
	r, err := strconv.ParseUint(hex, 16, 32)
	if err != nil || hex == "" || len(hex) > 6 || !utf8.ValidRune(rune(r)) {
		return "", 0, false
	}
	return string(rune(r)), adv, true
}

func isWord(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
