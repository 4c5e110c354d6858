package dpkg

import "bytes"

// maxLine is the longest line the record parsers keep: longer ones
// cannot hold a path dpkg installs (PATH_MAX is 4096).
const maxLine = 4200

// lineSplitter cuts content into lines as it streams by, so that an
// extractor keeps one line at a time; a line longer than maxLine is
// dropped whole and counted.
type lineSplitter struct {
	line []byte
	skip bool // the current line is too long: drop it up to its end
	long int
}

// write hands each whole line of p to add, without its "\n".
func (s *lineSplitter) write(p []byte, add func([]byte)) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if !s.skip {
			if len(s.line)+len(chunk) > maxLine {
				s.skip, s.line = true, s.line[:0]
				s.long++
			} else {
				s.line = append(s.line, chunk...)
			}
		}
		if i < 0 {
			return
		}
		if !s.skip {
			add(s.line)
		}
		s.line, s.skip, p = s.line[:0], false, p[i+1:]
	}
}

// end hands on the last line when the content did not end with "\n".
func (s *lineSplitter) end(add func([]byte)) {
	if !s.skip && len(s.line) > 0 {
		add(s.line)
	}
}
