package apk

import (
	"bytes"
	"fmt"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// entry holds the fields of one package block that cataloging needs.
type entry struct {
	line                        int
	name, version, arch, origin string
}

// Parse reads apk's installed database: blocks separated by blank lines,
// one "K:value" per line where K is a single letter (P name, V version,
// A architecture, o origin, and many that are not needed here). It returns
// the packages with location as their Location, and a message per line or
// block it had to skip.
func Parse(data []byte, location string) ([]packages.Package, []string) {
	var pkgs []packages.Package
	var problems []string
	var cur *entry
	flush := func() {
		if cur == nil {
			return
		}
		if cur.name == "" || cur.version == "" {
			problems = append(problems, fmt.Sprintf("line %d: package without P: or V:", cur.line))
		} else {
			p := packages.Package{Ecosystem: packages.Apk, Name: cur.name, Version: cur.version, Arch: cur.arch, Location: location}
			if cur.origin != cur.name {
				p.Source = cur.origin
			}
			pkgs = append(pkgs, p)
		}
		cur = nil
	}
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimSpace(line)) == 0 {
			flush()
			continue
		}
		if cur == nil {
			cur = &entry{line: n}
		}
		if len(line) < 2 || line[1] != ':' {
			problems = append(problems, fmt.Sprintf("line %d: not a K:value line: %q", n, truncate(line)))
			continue
		}
		value := string(line[2:])
		switch line[0] {
		case 'P':
			cur.name = value
		case 'V':
			cur.version = value
		case 'A':
			cur.arch = value
		case 'o':
			cur.origin = value
		}
	}
	flush()
	return pkgs, problems
}

func truncate(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}
