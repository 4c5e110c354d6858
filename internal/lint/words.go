package lint

import "strings"

// argWords splits the arguments of an instruction's logical line into
// blank-separated words with their source offsets. Quotes group blanks,
// as BuildKit's word parsing does; the words keep their quotes.
func (in *instr) argWords() []word {
	s := in.text.s
	var out []word
	var quote byte
	start := -1
	for i := in.args; i <= len(s); i++ {
		if i == len(s) || (quote == 0 && isSpace(s[i])) {
			if start >= 0 {
				out = append(out, word{s: s[start:i], known: true, off: in.text.at(start)})
				start = -1
			}
			continue
		}
		c := s[i]
		if start < 0 {
			start = i
		}
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		}
	}
	return out
}

// offsetOf returns the source offset of the first argument word equal to
// w (quotes ignored), or of the arguments when there is none.
func (in *instr) offsetOf(w string) int {
	for _, x := range in.argWords() {
		if strings.Trim(x.s, `"'`) == w {
			return x.off
		}
	}
	return in.text.at(in.args)
}

// offsetOfArg finds NAME or NAME=value among the words of an ARG.
func (in *instr) offsetOfArg(name string) int {
	for _, x := range in.argWords() {
		if w := strings.Trim(x.s, `"'`); w == name || strings.HasPrefix(w, name+"=") {
			return x.off
		}
	}
	return in.text.at(in.args)
}

// pos is where an instruction starts: its keyword.
func (in *instr) pos() int { return in.text.at(0) }
