package lint

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// automaticArgs are set by BuildKit or only reach the network
// configuration; they do not make two builds of one file differ
// unnoticed.
var automaticArgs = map[string]bool{
	"HTTP_PROXY": true, "http_proxy": true, "HTTPS_PROXY": true, "https_proxy": true,
	"FTP_PROXY": true, "ftp_proxy": true, "NO_PROXY": true, "no_proxy": true,
	"ALL_PROXY": true, "all_proxy": true, "SOURCE_DATE_EPOCH": true,
}

// secretish names are credentials: recording them in a label would leak
// them, and BuildKit's own checks already tell to use secret mounts.
var secretish = regexp.MustCompile(`(?i)(token|secret|passw|credential|apikey|api_key|auth|private_key)`)

var varRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// checkArgs reports build arguments that change what the target builds
// while the image keeps no record of their value.
func (l *linter) checkArgs() {
	target := l.d.targetStage(l.opts.Target)
	if target == nil {
		return
	}
	recorded := l.recordedNames(target)
	for s := range l.reachable(target) {
		uses := usesByName(s.instrs)
		for i, in := range s.instrs {
			c, ok := in.cmd.(*instructions.ArgCommand)
			if !ok {
				continue
			}
			for _, kv := range c.Args {
				name := kv.Key
				if recorded[name] || isPlatformArg(name) || automaticArgs[name] ||
					strings.HasPrefix(name, "BUILDKIT_") || secretish.MatchString(name) {
					continue
				}
				if j := uses.after(name, i); j >= 0 {
					use := s.instrs[j]
					l.report(in, RuleArgNotRecorded, in.offsetOfArg(name),
						"build argument %s changes what is built (%s on line %d) but the image does not record its value: record it in the final stage (ARG %s, then LABEL <key>=\"${%s}\")",
						name, strings.ToUpper(use.kw), use.line, name, name)
				}
			}
		}
	}
}

// varUses indexes, per variable, the instructions of a stage that refer
// to it at build time, and those that declare it again with ARG.
type varUses struct {
	refs, decls map[string][]int
}

// usesByName reads each instruction once. CMD, ENTRYPOINT and HEALTHCHECK
// are expanded by the container's shell at run time, where build
// arguments do not exist.
func usesByName(instrs []*instr) varUses {
	u := varUses{refs: map[string][]int{}, decls: map[string][]int{}}
	for i, in := range instrs {
		switch in.kw {
		case "cmd", "entrypoint", "healthcheck":
			continue
		case "arg":
			if c, ok := in.cmd.(*instructions.ArgCommand); ok {
				for _, kv := range c.Args {
					u.decls[kv.Key] = append(u.decls[kv.Key], i)
				}
			}
		}
		seen := map[string]bool{}
		texts := []string{in.text.s[in.args:]}
		for _, h := range in.node.Heredocs {
			texts = append(texts, h.Content)
		}
		for _, t := range texts {
			for _, m := range varRef.FindAllStringSubmatch(t, -1) {
				if !seen[m[1]] {
					seen[m[1]] = true
					u.refs[m[1]] = append(u.refs[m[1]], i)
				}
			}
		}
	}
	return u
}

// after returns the first instruction after i that uses name before an
// ARG declares it again (the later ARG is checked on its own), or -1.
func (u varUses) after(name string, i int) int {
	next := -1
	for _, j := range u.refs[name] {
		if j > i {
			next = j
			break
		}
	}
	for _, j := range u.decls[name] {
		if j > i && (next < 0 || j <= next) {
			if j == next {
				return next // ARG B=$A uses A while declaring B
			}
			return -1
		}
	}
	return next
}

// recordedNames are the variables whose value ends up visible in the
// target image: referred to by LABEL or ENV of the target or the stages it
// is built FROM, or used in any FROM (the base image reference is
// recorded). A variable an ARG or ENV default is made of is recorded when
// that ARG or ENV is.
func (l *linter) recordedNames(target *stage) map[string]bool {
	out := map[string]bool{}
	for s, n := target, 0; s != nil && n < len(l.d.stages); s, n = s.parent, n+1 {
		for _, in := range s.instrs {
			if in.kw == "label" || in.kw == "env" {
				for _, m := range varRef.FindAllStringSubmatch(in.text.s[in.args:], -1) {
					out[m[1]] = true
				}
			}
		}
	}
	for _, s := range l.d.stages {
		for _, m := range varRef.FindAllStringSubmatch(s.image, -1) {
			out[m[1]] = true
		}
	}
	madeOf := map[string][]string{}
	for _, in := range l.d.all {
		if c, ok := in.cmd.(*instructions.ArgCommand); ok {
			for _, kv := range c.Args {
				if kv.Value != nil {
					for _, m := range varRef.FindAllStringSubmatch(*kv.Value, -1) {
						madeOf[kv.Key] = append(madeOf[kv.Key], m[1])
					}
				}
			}
		}
	}
	todo := make([]string, 0, len(out))
	for name := range out {
		todo = append(todo, name)
	}
	for len(todo) > 0 {
		name := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, part := range madeOf[name] {
			if !out[part] {
				out[part] = true
				todo = append(todo, part)
			}
		}
	}
	return out
}

// reachable returns the stages a build of target runs: the target, the
// stages it is built FROM, and those it copies or mounts from.
func (l *linter) reachable(target *stage) map[*stage]bool {
	seen := map[*stage]bool{}
	todo := []*stage{target}
	for len(todo) > 0 {
		s := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if s == nil || seen[s] {
			continue
		}
		seen[s] = true
		todo = append(todo, s.parent)
		for _, in := range s.instrs {
			for _, from := range l.stageSources(in) {
				todo = append(todo, from)
			}
		}
	}
	return seen
}

// stageSources are the stages an instruction reads from: COPY --from and
// RUN --mount=from=.
func (l *linter) stageSources(in *instr) []*stage {
	var names []string
	switch c := in.cmd.(type) {
	case *instructions.CopyCommand:
		names = append(names, c.From)
	case *instructions.RunCommand:
		for _, m := range instructions.GetMounts(c) {
			names = append(names, m.From)
		}
	}
	var out []*stage
	for _, n := range names {
		if n == "" {
			continue
		}
		n, _, _ = l.d.expand(n, in.vars)
		if s := l.d.stageNamed(n); s != nil && s.index < in.stage.index {
			out = append(out, s)
		} else if i, err := strconv.Atoi(n); err == nil && i >= 0 && i < in.stage.index {
			out = append(out, l.d.stages[i])
		}
	}
	return out
}
