package dpkg

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// stanza holds the fields of one paragraph that cataloging needs.
type stanza struct {
	line                               int // where the paragraph starts, 1-based
	pkg, version, arch, source, status string
	conffiles                          []conffile
	seen                               bool
}

// conffile is a line of the Conffiles field: a configuration file the
// package declares and the MD5 sum of its content as shipped.
type conffile struct{ path, md5 string }

// installed is a package of the status file with its conffiles.
type installed struct {
	pkg       packages.Package
	conffiles []conffile
}

// Parse reads a dpkg status file (or a status.d control stanza) and
// returns its installed packages with location as their Location, and a
// message per paragraph it had to skip. Paragraphs without a Status field
// count as installed only when noStatusOK (distroless status.d files).
func Parse(data []byte, location string, noStatusOK bool) ([]packages.Package, []string) {
	ins, problems := parse(data, location, noStatusOK)
	pkgs := make([]packages.Package, len(ins))
	for i := range ins {
		pkgs[i] = ins[i].pkg
	}
	return pkgs, problems
}

func parse(data []byte, location string, noStatusOK bool) ([]installed, []string) {
	var pkgs []installed
	var problems []string
	var cur stanza
	var last string // the field a continuation line belongs to
	flush := func() {
		if cur.seen {
			if p, problem := cur.pkgOf(location, noStatusOK); problem != "" {
				problems = append(problems, problem)
			} else if p != nil {
				pkgs = append(pkgs, installed{pkg: *p, conffiles: cur.conffiles})
			}
		}
		cur, last = stanza{}, ""
	}
	for n, line := 1, []byte(nil); len(data) > 0; n++ {
		line, data = cutLine(data)
		switch {
		case len(bytes.TrimSpace(line)) == 0:
			flush()
		case line[0] == ' ' || line[0] == '\t':
			if last == "" {
				problems = append(problems, fmt.Sprintf("line %d: continuation line outside a field", n))
			} else if strings.EqualFold(last, "conffiles") {
				cur.addConffile(line)
			}
		case line[0] == '#':
			// deb822 allows comments; dpkg never writes them.
		default:
			if !cur.seen {
				cur = stanza{line: n, seen: true}
			}
			name, value, ok := bytes.Cut(line, []byte(":"))
			if !ok {
				problems = append(problems, fmt.Sprintf("line %d: not a field: %q", n, truncate(line)))
				last = ""
				continue
			}
			last = string(name)
			cur.set(last, string(bytes.TrimSpace(value)))
		}
	}
	flush()
	return pkgs, problems
}

// cutLine splits off the first line, without its "\n" or "\r\n".
func cutLine(data []byte) (line, rest []byte) {
	line, rest, _ = bytes.Cut(data, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), rest
}

// addConffile reads " /etc/foo.conf MD5 [obsolete]". Obsolete conffiles
// are no longer shipped, so no record speaks for their content.
func (s *stanza) addConffile(line []byte) {
	f := strings.Fields(string(line))
	if len(f) < 2 || len(f) > 3 || !strings.HasPrefix(f[0], "/") || len(f) == 3 && f[2] != "obsolete" && f[2] != "remove-on-upgrade" {
		return
	}
	if len(f) == 3 && f[2] == "obsolete" {
		return
	}
	s.conffiles = append(s.conffiles, conffile{path: f[0], md5: f[1]})
}

func (s *stanza) set(name, value string) {
	switch strings.ToLower(name) {
	case "package":
		s.pkg = value
	case "version":
		s.version = value
	case "architecture":
		s.arch = value
	case "source":
		s.source = value
	case "status":
		s.status = value
	}
}

// installedStates are the package states in which its files are on disk:
// the third word of Status. config-files, half-installed and
// not-installed entries describe packages that are gone or broken.
var installedStates = map[string]bool{
	"installed": true, "triggers-pending": true, "triggers-awaited": true,
	"half-configured": true, "unpacked": true,
}

// pkgOf turns a paragraph into a package: nil without a problem for a
// package that is not installed.
func (s *stanza) pkgOf(location string, noStatusOK bool) (*packages.Package, string) {
	if s.pkg == "" || s.version == "" {
		return nil, fmt.Sprintf("line %d: paragraph without Package or Version", s.line)
	}
	if s.status == "" && !noStatusOK {
		return nil, fmt.Sprintf("line %d: package %s has no Status", s.line, s.pkg)
	}
	if s.status != "" {
		words := strings.Fields(s.status)
		if len(words) != 3 {
			return nil, fmt.Sprintf("line %d: package %s: malformed Status %q", s.line, s.pkg, s.status)
		}
		if !installedStates[words[2]] {
			return nil, ""
		}
	}
	p := &packages.Package{Ecosystem: packages.Dpkg, Name: s.pkg, Version: s.version, Arch: s.arch, Location: location}
	if s.source != "" {
		name, version, _ := strings.Cut(s.source, " ")
		version = strings.TrimSpace(version)
		if strings.HasPrefix(version, "(") && strings.HasSuffix(version, ")") {
			version = strings.TrimSpace(version[1 : len(version)-1])
		} else {
			version = ""
		}
		if version == "" {
			version = s.version
		}
		if name != s.pkg || version != s.version {
			p.Source, p.SourceVersion = name, version
		}
	}
	return p, ""
}

func truncate(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}
