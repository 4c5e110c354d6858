package lint

// value is what a variable holds at some point of the build. known is
// false when the value comes from outside (a --build-arg without default,
// an automatic platform argument) and the Dockerfile cannot tell it.
type value struct {
	s     string
	known bool
}

// scope is an immutable chain of variable bindings; the newest binding of
// a name wins. Sharing tails keeps a snapshot per instruction cheap.
type scope struct {
	parent *scope
	name   string
	val    value
	env    bool // bound by ENV (which beats ARG of the same name)
}

func (s *scope) bind(name string, v value, env bool) *scope {
	if !env {
		if old, ok := s.binding(name); ok && old.env {
			return s // ENV wins over a later ARG of the same name
		}
	}
	return &scope{parent: s, name: name, val: v, env: env}
}

func (s *scope) binding(name string) (*scope, bool) {
	for n := 0; s != nil && n < maxScopeDepth; s, n = s.parent, n+1 {
		if s.name == name {
			return s, true
		}
	}
	return nil, false
}

// maxScopeDepth bounds lookups in a hostile file with thousands of ARGs.
const maxScopeDepth = 4096

func (s *scope) lookup(name string) (value, bool) {
	b, ok := s.binding(name)
	if !ok {
		return value{}, false
	}
	return b.val, true
}

// envOnly keeps the ENV bindings: what a stage built FROM this one inherits.
func (s *scope) envOnly() *scope {
	var names []*scope
	for n := 0; s != nil && n < maxScopeDepth; s, n = s.parent, n+1 {
		if s.env {
			names = append(names, s)
		}
	}
	var out *scope
	for i := len(names) - 1; i >= 0; i-- {
		out = &scope{parent: out, name: names[i].name, val: names[i].val, env: true}
	}
	return out
}

// getter adapts a scope to BuildKit's shell.EnvGetter; only known values
// are visible, so unknown ones show up as unmatched.
type getter struct{ s *scope }

func (g getter) Get(name string) (string, bool) {
	v, ok := g.s.lookup(name)
	if !ok || !v.known {
		return "", false
	}
	return v.s, true
}

func (g getter) Keys() []string {
	seen := map[string]bool{}
	var keys []string
	for s, n := g.s, 0; s != nil && n < maxScopeDepth; s, n = s.parent, n+1 {
		if !seen[s.name] {
			seen[s.name] = true // the first binding met is the newest
			if s.val.known {
				keys = append(keys, s.name)
			}
		}
	}
	return keys
}
