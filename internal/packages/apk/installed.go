package apk

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// entry holds the fields of one package block that cataloging needs.
type entry struct {
	line                        int
	name, version, arch, origin string
	dir                         string // the last F: line
	files                       []packages.OwnedFile
}

// installed is a package with the files the database lists for it.
type installed struct {
	pkg   packages.Package
	files []packages.OwnedFile
}

// Parse reads apk's installed database: blocks separated by blank lines,
// one "K:value" per line where K is a single letter (P name, V version,
// A architecture, o origin, and many that are not needed here). It returns
// the packages with location as their Location, and a message per line or
// block it had to skip.
func Parse(data []byte, location string) ([]packages.Package, []string) {
	ins, problems := parse(data, location)
	pkgs := make([]packages.Package, len(ins))
	for i := range ins {
		pkgs[i] = ins[i].pkg
	}
	return pkgs, problems
}

// parse also reads each package's files: "F:" names a directory (from
// the root, without the leading slash), "R:" a file in it, and the "Z:"
// after it the file's checksum, "Q1" and the base64 of its SHA-1.
func parse(data []byte, location string) ([]installed, []string) {
	var pkgs []installed
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
			pkgs = append(pkgs, installed{pkg: p, files: cur.files})
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
		case 'F':
			cur.dir = "/" + value
			cur.files = append(cur.files, packages.OwnedFile{Path: cur.dir})
		case 'R':
			if cur.dir != "" && value != "" {
				cur.files = append(cur.files, packages.OwnedFile{Path: cur.dir + "/" + value})
			}
		case 'Z':
			if n := len(cur.files); n > 0 && strings.HasPrefix(value, "Q1") && cur.files[n-1].Digest.Algo == packages.NoDigest {
				cur.files[n-1].Digest = packages.Base64Digest(packages.SHA1, value[2:])
			}
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
