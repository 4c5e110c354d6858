package diff

import (
	"fmt"
	"path"
	"strings"
)

// PathSet matches image paths against glob patterns with gitignore-like
// rules, so that config files read the way users expect:
//
//   - a pattern without "/" matches any path with a component that
//     matches it ("*.pyc", "__pycache__");
//   - a pattern with "/" is anchored at the root ("/var/cache/apt"), "**"
//     matches any number of components, and a pattern that matches a
//     directory also matches everything under it.
//
// Within a component, "*", "?" and "[...]" have their path.Match meaning.
type PathSet struct {
	pats []pathPattern
}

type pathPattern struct {
	anywhere bool  // no "/": test every component
	segs     []seg // anchored pattern, "**" marked
}

// maxPatternSegs bounds the matcher's work per pattern.
const maxPatternSegs = 64

// CompilePaths compiles path patterns; an invalid one is an error that
// names it.
func CompilePaths(patterns []string) (*PathSet, error) {
	s := &PathSet{}
	for _, p := range patterns {
		pp, err := compilePath(p)
		if err != nil {
			return nil, fmt.Errorf("path pattern %q: %w", p, err)
		}
		s.pats = append(s.pats, pp)
	}
	return s, nil
}

func compilePath(p string) (pathPattern, error) {
	p = strings.TrimSpace(p)
	if p == "" {
		return pathPattern{}, fmt.Errorf("empty pattern")
	}
	if !strings.Contains(p, "/") {
		sg, err := compileSeg(p)
		return pathPattern{anywhere: true, segs: []seg{sg}}, err
	}
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) > maxPatternSegs {
		return pathPattern{}, fmt.Errorf("more than %d components", maxPatternSegs)
	}
	var pp pathPattern
	for _, part := range parts {
		if part == "" || part == "." {
			continue
		}
		sg, err := compileSeg(part)
		if err != nil {
			return pathPattern{}, err
		}
		pp.segs = append(pp.segs, sg)
	}
	return pp, nil
}

// Match reports whether p (absolute, cleaned) matches any pattern. A nil
// set matches nothing.
func (s *PathSet) Match(p string) bool {
	if s == nil || len(s.pats) == 0 {
		return false
	}
	var buf [32]string
	comps := components(p, buf[:0])
	for i := range s.pats {
		if s.pats[i].match(comps) {
			return true
		}
	}
	return false
}

// Len is the number of patterns.
func (s *PathSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.pats)
}

func (pp *pathPattern) match(comps []string) bool {
	if pp.anywhere {
		for _, c := range comps {
			if pp.segs[0].match(c) {
				return true
			}
		}
		return false
	}
	return matchSegs(pp.segs, comps)
}

// matchSegs reports whether segs match a prefix of comps ("**" matches
// zero or more components). ok[j] says segs[:i] can match comps[:j]; the
// table keeps the work at len(segs)*len(comps) whatever the pattern.
func matchSegs(segs []seg, comps []string) bool {
	var buf [64]bool
	ok := buf[:0]
	if len(comps)+1 <= len(buf) {
		ok = buf[:len(comps)+1]
	} else {
		ok = make([]bool, len(comps)+1)
	}
	ok[0] = true
	for _, sg := range segs {
		if sg.kind == segAnyPath {
			for j := 1; j < len(ok); j++ { // ok[j] |= ok[j-1]
				ok[j] = ok[j] || ok[j-1]
			}
			continue
		}
		any := false
		for j := len(ok) - 1; j >= 1; j-- {
			ok[j] = ok[j-1] && sg.match(comps[j-1])
			any = any || ok[j]
		}
		ok[0] = false
		if !any {
			return false
		}
	}
	for _, v := range ok {
		if v { // matched a prefix: the path is the match or under it
			return true
		}
	}
	return false
}

type segKind uint8

const (
	segLiteral segKind = iota
	segAny             // "*"
	segAnyPath         // "**"
	segSuffix          // "*.pyc"
	segPrefix          // "lib*"
	segGlob            // anything else, via path.Match
)

type seg struct {
	kind segKind
	s    string
}

func compileSeg(p string) (seg, error) {
	if _, err := path.Match(p, ""); err != nil {
		return seg{}, err
	}
	switch {
	case p == "**":
		return seg{kind: segAnyPath}, nil
	case p == "*":
		return seg{kind: segAny}, nil
	case !strings.ContainsAny(p, `*?[\`):
		return seg{kind: segLiteral, s: p}, nil
	case p[0] == '*' && !strings.ContainsAny(p[1:], `*?[\`):
		return seg{kind: segSuffix, s: p[1:]}, nil
	case p[len(p)-1] == '*' && !strings.ContainsAny(p[:len(p)-1], `*?[\`):
		return seg{kind: segPrefix, s: p[:len(p)-1]}, nil
	}
	return seg{kind: segGlob, s: p}, nil
}

func (sg seg) match(c string) bool {
	switch sg.kind {
	case segLiteral:
		return c == sg.s
	case segAny, segAnyPath:
		return true
	case segSuffix:
		return strings.HasSuffix(c, sg.s)
	case segPrefix:
		return strings.HasPrefix(c, sg.s)
	}
	ok, _ := path.Match(sg.s, c)
	return ok
}

// components splits a path into its names without allocating for paths
// of up to len(buf) components.
func components(p string, buf []string) []string {
	p = strings.TrimPrefix(p, "/")
	p = strings.TrimSuffix(p, "/")
	for {
		i := strings.IndexByte(p, '/')
		if i < 0 {
			return append(buf, p)
		}
		buf = append(buf, p[:i])
		p = p[i+1:]
	}
}
