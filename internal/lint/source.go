package lint

import (
	"bytes"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// srcFile indexes a Dockerfile by line, so findings can point at a line and
// column of the bytes the user wrote.
type srcFile struct {
	name  string
	data  []byte
	start []int // start[i] is the offset of line i+1
}

func newSrcFile(name string, data []byte) *srcFile {
	f := &srcFile{name: name, data: data, start: []int{0}}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		f.start[0] = 3 // BuildKit drops the byte-order mark
	}
	for i, b := range data {
		if b == '\n' && i+1 < len(data) {
			f.start = append(f.start, i+1)
		}
	}
	return f
}

func (f *srcFile) lines() int { return len(f.start) }

// line returns line n (1-based) without its line ending, and its offset.
func (f *srcFile) line(n int) ([]byte, int) {
	if n < 1 || n > len(f.start) {
		return nil, len(f.data)
	}
	s := f.start[n-1]
	e := len(f.data)
	if n < len(f.start) {
		e = f.start[n]
	}
	return bytes.TrimRight(f.data[s:e], "\r\n"), s
}

// position turns a byte offset into a 1-based line and column. Columns
// count UTF-16 code units, SARIF's default column kind, which is the byte
// count for ASCII text.
func (f *srcFile) position(off int) (line, col int) {
	if off < 0 {
		return 1, 1
	}
	if off > len(f.data) {
		off = len(f.data)
	}
	lo, hi := 0, len(f.start)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if f.start[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	col = 1
	for b := f.data[f.start[lo]:off]; len(b) > 0; {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		col += max(1, utf16.RuneLen(r))
	}
	return lo + 1, col
}

// text is Dockerfile text as BuildKit hands it on (continuation lines
// joined, comment lines dropped), with the source offset of every byte so
// positions found in it map back to the file.
type text struct {
	s   string
	off []int // off[i] is the source offset of s[i]; len(off) == len(s)+1
}

// textBuilder collects a text piece by piece.
type textBuilder struct {
	b   []byte
	off []int
}

func (t *textBuilder) add(b []byte, off int) {
	t.b = append(t.b, b...)
	for i := range b {
		t.off = append(t.off, off+i)
	}
}

// addText appends a text with its own offsets.
func (t *textBuilder) addText(x text) {
	t.b = append(t.b, x.s...)
	t.off = append(t.off, x.off[:len(x.s)]...)
}

// done seals the text with the source offset of its end.
func (t *textBuilder) done(end int) text {
	return text{s: string(t.b), off: append(t.off, end)}
}

// at maps an offset in t to a source offset.
func (t text) at(i int) int {
	if len(t.off) == 0 {
		return 0
	}
	if i < 0 {
		i = 0
	}
	if i >= len(t.off) {
		i = len(t.off) - 1
	}
	return t.off[i]
}

// slice returns t[i:j] with its offsets.
func (t text) slice(i, j int) text {
	i = max(0, min(i, len(t.s)))
	j = max(i, min(j, len(t.s)))
	return text{s: t.s[i:j], off: t.off[i : j+1]}
}

// instructionText rebuilds the logical line of the instruction starting at
// line start, the way BuildKit's parser does: the first line's leading
// blanks dropped, continuation characters removed, comment lines and empty
// lines inside the continuation skipped. It returns the text and the first
// line after it (where heredoc bodies start).
func (f *srcFile) instructionText(start int, escape byte) (text, int) {
	var t textBuilder
	n := start
	b, off := f.line(n)
	lead := len(b) - len(bytes.TrimLeftFunc(b, unicode.IsSpace))
	b, off = b[lead:], off+lead
	b, done := trimContinuation(b, escape)
	t.add(b, off)
	end := off + len(b)
	for n++; !done && n <= f.lines(); n++ {
		b, off = f.line(n)
		trimmed := bytes.TrimLeftFunc(b, unicode.IsSpace)
		if len(trimmed) > 0 && trimmed[0] == '#' {
			continue
		}
		if len(trimmed) == 0 {
			continue
		}
		b, done = trimContinuation(b, escape)
		t.add(b, off)
		end = off + len(b)
	}
	return t.done(end), n
}

// trimContinuation removes a trailing continuation character (and the
// blanks after it), as BuildKit's lineContinuationRegex does. done is false
// when the line continues.
func trimContinuation(b []byte, escape byte) ([]byte, bool) {
	i := len(b)
	for i > 0 && (b[i-1] == ' ' || b[i-1] == '\t') {
		i--
	}
	if i == 0 || b[i-1] != escape {
		return b, true
	}
	if i == 1 {
		return b[:0], false
	}
	if b[i-2] == escape {
		return b, true
	}
	return b[:i-1], false
}

// argsStart returns the offset in t where the instruction's arguments
// start: after the keyword and the --flags, as BuildKit's splitCommand and
// extractBuilderFlags split them.
func argsStart(s string, escape byte) int {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	for i < len(s) && !isBlank(s[i]) {
		i++
	}
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i+1 >= len(s) || s[i] != '-' || s[i+1] != '-' {
			return i
		}
		if i+2 == len(s) || isSpace(s[i+2]) { // a lone "--" ends the flags
			for i += 2; i < len(s) && isSpace(s[i]); i++ {
			}
			return i
		}
		i = skipFlagWord(s, i, escape)
	}
}

// skipFlagWord skips one --flag word, honouring quotes and escapes.
func skipFlagWord(s string, i int, escape byte) int {
	var quote byte
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case c == escape:
			i++
		case quote != 0:
		case c == '\'' || c == '"':
			quote = c
		case isSpace(c):
			return i
		}
	}
	return len(s)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// isBlank is BuildKit's reWhitespace class, which splits the keyword.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }
