package lint

import (
	"bytes"
	"regexp"
	"strings"
)

// ignoreRe matches a suppression comment:
//
//	# imagedrift:ignore pipe-to-shell,apt-unpinned  the vendor script is pinned by checksum
//
// The rule list ends at the first blank not preceded by a comma; the rest
// of the line is free text.
var ignoreRe = regexp.MustCompile(`^#\s*imagedrift:ignore\s+((?:lint:)?[A-Za-z0-9-]+(?:\s*,\s*(?:lint:)?[A-Za-z0-9-]+)*)`)

// suppressed returns the rules silenced for the instruction starting at
// line: the ignore comments in the block of comment lines directly above
// it. "all" silences every rule.
func (f *srcFile) suppressed(line int) map[string]bool {
	var out map[string]bool
	for n := line - 1; n >= 1; n-- {
		raw, _ := f.line(n)
		c := bytes.TrimSpace(raw)
		if len(c) == 0 || c[0] != '#' {
			break
		}
		m := ignoreRe.FindSubmatch(c)
		if m == nil {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		for _, r := range strings.Split(string(m[1]), ",") {
			out[strings.TrimPrefix(strings.TrimSpace(r), "lint:")] = true
		}
	}
	return out
}
