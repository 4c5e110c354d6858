package lint

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// word is one argument of a command as the shell will see it. Parts the
// Dockerfile cannot tell (command substitutions, variables set at run
// time) make it unknown; s then keeps them as written.
type word struct {
	s     string
	known bool
	off   int          // source offset of the word
	node  *syntax.Word // nil for exec-form arguments
}

// call is one simple command with its wrappers (sudo, env, …) removed.
type call struct {
	args []word
	off  int
}

func (c call) name() string {
	if len(c.args) == 0 {
		return ""
	}
	return commandName(c.args[0].s)
}

// commandName is the program a word runs: /usr/bin/pip3.12 → pip3.12.
func commandName(s string) string {
	return strings.TrimSuffix(path.Base(s), ".exe")
}

// runInfo is what a RUN executes.
type runInfo struct {
	calls []call
	pipes []pipeHit // downloaded code run directly
}

type pipeHit struct {
	off  int
	what string // e.g. "curl … | sh"
}

// maxNesting bounds sh -c '…' and heredoc scripts inside scripts.
const maxNesting = 4

type analyzer struct {
	d     *dockerfile
	in    *instr
	info  *runInfo
	local map[string]bool // names the script assigns itself
	depth int
	seen  map[*syntax.BinaryCmd]bool
}

func newAnalyzer(d *dockerfile, in *instr) *analyzer {
	return &analyzer{d: d, in: in, info: &runInfo{}, local: map[string]bool{}, seen: map[*syntax.BinaryCmd]bool{}}
}

// argv analyses an exec-form RUN: a shell with -c has its script parsed,
// anything else is one command.
func (a *analyzer) argv(args []string, off int) {
	c := call{off: off}
	for _, s := range args {
		c.args = append(c.args, word{s: s, known: true, off: off})
	}
	a.record(c)
}

// script parses shell code and records what it runs. Code the parser
// rejects is skipped: the build would fail on it anyway.
func (a *analyzer) script(t text) {
	if a.depth >= maxNesting || strings.TrimSpace(t.s) == "" {
		return
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(t.s), "")
	if err != nil {
		return
	}
	a.depth++
	defer func() { a.depth-- }()
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Assign:
			if n.Name != nil {
				a.local[n.Name.Value] = true
			}
		case *syntax.WordIter:
			if n.Name != nil {
				a.local[n.Name.Value] = true
			}
		}
		return true
	})
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.BinaryCmd:
			if (n.Op == syntax.Pipe || n.Op == syntax.PipeAll) && !a.seen[n] {
				a.pipeline(t, n)
			}
		case *syntax.Stmt:
			a.heredocToShell(t, n)
		case *syntax.CallExpr:
			if len(n.Args) > 0 {
				a.record(a.callOf(t, n))
			}
		}
		return true
	})
}

// record keeps a command and looks into the code it runs.
func (a *analyzer) record(c call) {
	c.args = unwrap(c.args)
	if len(c.args) == 0 {
		return
	}
	a.info.calls = append(a.info.calls, c)
	a.substitutedCode(c)
	if script, ok := shellDashC(c); ok && script.known {
		a.script(flat(script.s, script.off))
	}
}

// callOf converts a parsed command, resolving Dockerfile variables.
func (a *analyzer) callOf(t text, ce *syntax.CallExpr) call {
	c := call{off: t.at(int(ce.Args[0].Pos().Offset()))}
	for _, w := range ce.Args {
		c.args = append(c.args, a.word(t, w))
	}
	return c
}

func (a *analyzer) word(t text, w *syntax.Word) word {
	var b strings.Builder
	known := a.parts(&b, w.Parts, false)
	return word{s: b.String(), known: known, off: t.at(int(w.Pos().Offset())), node: w}
}

// parts writes the value of word parts; it reports whether all of it is
// known before the build runs.
func (a *analyzer) parts(b *strings.Builder, parts []syntax.WordPart, quoted bool) bool {
	known := true
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(p.Value, quoted))
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
			known = known && !p.Dollar
		case *syntax.DblQuoted:
			known = a.parts(b, p.Parts, true) && known
		case *syntax.ParamExp:
			v, ok := a.param(p)
			b.WriteString(v)
			known = known && ok
		default:
			b.WriteString("$(…)")
			known = false
		}
	}
	return known
}

// param resolves $NAME from the ARG and ENV values in effect, unless the
// script sets NAME itself.
func (a *analyzer) param(p *syntax.ParamExp) (string, bool) {
	if p.Param == nil {
		return "${…}", false
	}
	name := p.Param.Value
	shown := "${" + name + "}"
	if !isSimpleParam(p) || a.local[name] {
		return shown, false
	}
	v, ok := a.in.vars.lookup(name)
	if !ok || !v.known {
		return shown, false
	}
	return v.s, true
}

func isSimpleParam(p *syntax.ParamExp) bool {
	return p.Param != nil && !p.Excl && !p.Length && !p.Width && p.Index == nil &&
		p.Slice == nil && p.Repl == nil && p.Names == 0 && p.Exp == nil && p.NestedParam == nil
}

// unescape drops the backslashes the shell removes: any in unquoted text,
// only before $ ` " \ and newline inside double quotes.
func unescape(s string, quoted bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (!quoted || strings.IndexByte("$`\"\\\n", s[i+1]) >= 0) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// heredocToShell analyses a heredoc fed to a shell: bash <<EOF … EOF.
func (a *analyzer) heredocToShell(t text, st *syntax.Stmt) {
	ce, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(ce.Args) == 0 {
		return
	}
	c := a.callOf(t, ce)
	c.args = unwrap(c.args)
	if len(c.args) == 0 || !isPOSIXShell(c.name()) || !readsStdin(c) {
		return
	}
	for _, r := range st.Redirs {
		if (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) && r.Hdoc != nil && (r.N == nil || r.N.Value == "0") {
			a.script(t.slice(int(r.Hdoc.Pos().Offset()), int(r.Hdoc.End().Offset())))
		}
	}
}

// shellDashC returns the script of sh -c 'script'.
func shellDashC(c call) (word, bool) {
	if !isPOSIXShell(c.name()) {
		return word{}, false
	}
	for i := 1; i < len(c.args); i++ {
		s := c.args[i].s
		switch {
		case s == "-o" || s == "+o":
			i++
		case strings.HasPrefix(s, "--"):
		case strings.HasPrefix(s, "-") && strings.Contains(s, "c"):
			if i+1 < len(c.args) {
				return c.args[i+1], true
			}
			return word{}, false
		case strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+"):
		default:
			return word{}, false
		}
	}
	return word{}, false
}
