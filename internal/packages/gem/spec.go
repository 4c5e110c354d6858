package gem

import (
	"bytes"
	"strings"
)

// spec is what a gemspec says about the gem, each field from the first
// assignment to it (s.name = "rack".freeze).
type spec struct {
	Name, Version, Platform string
	// Unresolved lists the fields assigned an expression this parser
	// does not evaluate (spec.version = Rack::VERSION).
	Unresolved []string
}

// parseSpec reads a gemspec's text, returning the assignments and the
// "# stub:" line RubyGems writes on line 2 of the specifications it
// installs. It never fails: what it could not find is left empty for the
// caller to judge.
func parseSpec(data []byte) (sp, stub spec) {
	assigned := map[string]bool{}
	for len(data) > 0 {
		var raw []byte
		raw, data, _ = bytes.Cut(data, []byte("\n"))
		line := strings.TrimSpace(string(raw))
		if rest, ok := strings.CutPrefix(line, "# stub:"); ok && stub.Name == "" {
			stub = parseStub(rest)
			continue
		}
		field, expr, ok := assignment(line)
		if !ok || assigned[field] {
			continue
		}
		assigned[field] = true
		v, ok := value(expr)
		if !ok {
			sp.Unresolved = append(sp.Unresolved, field)
			continue
		}
		switch field {
		case "name":
			sp.Name = v
		case "version":
			sp.Version = v
		case "platform":
			sp.Platform = v
		}
	}
	return sp, stub
}

// parseStub reads "NAME VERSION PLATFORM REQUIRE_PATHS", the stub line
// RubyGems uses to list gems without loading their specifications.
func parseStub(s string) spec {
	f := strings.Fields(s)
	if len(f) < 3 {
		return spec{}
	}
	return spec{Name: f[0], Version: f[1], Platform: f[2]}
}

// assignment recognises RECEIVER.FIELD = EXPR for the fields we need,
// whatever the block variable is called (s, spec, gem).
func assignment(line string) (field, expr string, ok bool) {
	dot := strings.IndexByte(line, '.')
	if dot <= 0 || !isIdent(line[:dot]) {
		return "", "", false
	}
	rest := line[dot+1:]
	for _, f := range [...]string{"name", "version", "platform"} {
		if r, ok := strings.CutPrefix(rest, f); ok {
			r = strings.TrimLeft(r, " \t")
			if strings.HasPrefix(r, "=") && !strings.HasPrefix(r, "==") {
				return f, strings.TrimSpace(r[1:]), true
			}
		}
	}
	return "", "", false
}

// value evaluates the expression forms RubyGems and gem authors write for
// a constant string: a literal, optionally frozen, optionally wrapped in
// Gem::Version.new(...) or Gem::Platform.new(...), optionally followed by
// a comment or a trailing condition.
func value(expr string) (string, bool) {
	wrapped := false
	for _, w := range [...]string{"Gem::Version.new", "Gem::Platform.new"} {
		if r, ok := strings.CutPrefix(expr, w); ok {
			expr, wrapped = strings.TrimSpace(r), true
			break
		}
	}
	paren := false
	if wrapped {
		expr, paren = strings.CutPrefix(expr, "(")
		expr = strings.TrimSpace(expr)
	}
	v, rest, ok := literal(expr)
	if !ok {
		return "", false
	}
	rest = strings.TrimPrefix(strings.TrimSpace(rest), ".freeze")
	rest = strings.TrimSpace(rest)
	if paren {
		if rest, ok = strings.CutPrefix(rest, ")"); !ok {
			return "", false
		}
		rest = strings.TrimSpace(rest)
	}
	switch {
	case rest == "", strings.HasPrefix(rest, "#"),
		strings.HasPrefix(rest, "if "), strings.HasPrefix(rest, "unless "):
		return v, true
	}
	return "", false
}

func isIdent(s string) bool {
	if s == "" || '0' <= s[0] && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isWord(s[i]) {
			return false
		}
	}
	return true
}
