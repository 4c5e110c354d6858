package lint

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// baseKind says what a FROM line builds on.
type baseKind int

const (
	baseImage      baseKind = iota // a registry image
	baseStage                      // an earlier stage of this Dockerfile
	baseScratch                    // the empty image
	baseUnresolved                 // a build argument whose value the file does not give
)

// instr is one instruction with everything the rules need to know about it.
type instr struct {
	node    *parser.Node
	kw      string // lower-case keyword
	line    int    // first line, 1-based
	endLine int    // last line, heredoc bodies included
	text    text   // the logical line as BuildKit sees it
	args    int    // offset in text.s where the arguments start
	next    int    // first line after the logical line (heredoc bodies start here)
	cmd     any    // typed instruction; nil when BuildKit's instructions package rejects it
	stage   *stage // nil for the ARGs before the first FROM
	vars    *scope // variables in effect when the instruction runs
}

// stage is one FROM and the instructions up to the next.
type stage struct {
	index    int
	name     string // lower-case; "" when unnamed
	from     *instr
	image    string // as written
	ref      string // after expanding build arguments
	kind     baseKind
	parent   *stage
	missing  []string // FROM variables with no value
	windows  bool     // a Windows base: the default shell is cmd, not sh
	instrs   []*instr
	shell    []string // SHELL at the end of the stage
	finalEnv *scope   // variables at the end of the stage; stages built FROM it keep the ENV ones
}

// dockerfile is the parsed file: global ARGs, stages, and every instruction.
type dockerfile struct {
	src     *srcFile
	escape  byte
	lex     *shell.Lex
	globals *scope
	stages  []*stage
	all     []*instr
}

// platformArgs are set by BuildKit itself; FROM may use them undeclared.
var platformArgs = []string{
	"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
	"TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
}

func buildModel(src *srcFile, res *parser.Result) *dockerfile {
	d := &dockerfile{src: src, escape: byte(res.EscapeToken), lex: shell.NewLex(res.EscapeToken)}
	if d.escape != '`' {
		d.escape = '\\'
	}
	for _, name := range platformArgs {
		d.globals = d.globals.bind(name, value{}, false)
	}
	var cur *stage
	var vars *scope
	var shellCmd []string
	for _, n := range res.AST.Children {
		in := d.newInstr(n)
		d.all = append(d.all, in)
		switch {
		case in.kw == "from":
			cur = d.addStage(in)
			vars, shellCmd = d.stageStart(cur)
		case cur == nil:
			if in.kw == "arg" {
				d.globals = d.bindArgs(in, d.globals, d.globals)
			}
			in.vars = d.globals
			continue
		}
		in.stage = cur
		in.vars = vars
		if in.kw != "from" {
			cur.instrs = append(cur.instrs, in)
		}
		switch c := in.cmd.(type) {
		case *instructions.ArgCommand:
			vars = d.bindArgs(in, vars, d.globals)
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				v, _, ok := d.expand(kv.Value, vars)
				vars = vars.bind(kv.Key, value{s: v, known: ok}, true)
			}
		case *instructions.ShellCommand:
			shellCmd = c.Shell
		}
		cur.shell = shellCmd
		cur.finalEnv = vars
	}
	return d
}

func (d *dockerfile) newInstr(n *parser.Node) *instr {
	in := &instr{node: n, kw: strings.ToLower(n.Value), line: n.StartLine, endLine: n.EndLine}
	in.text, in.next = d.src.instructionText(n.StartLine, d.escape)
	in.args = argsStart(in.text.s, d.escape)
	if in.kw != "from" {
		if c, err := instructions.ParseInstruction(n); err == nil {
			in.cmd = c
		}
	}
	return in
}

// stageStart returns the variables and SHELL a stage starts with: a stage
// built FROM another inherits its ENV and SHELL, never its ARGs.
func (d *dockerfile) stageStart(s *stage) (*scope, []string) {
	if s.parent != nil {
		return s.parent.finalEnv.envOnly(), s.parent.shell
	}
	if s.windows {
		return nil, []string{"cmd", "/S", "/C"}
	}
	return nil, []string{"/bin/sh", "-c"}
}

// bindArgs binds the names of an ARG instruction. An ARG without a value
// takes the global default of the same name, if any.
func (d *dockerfile) bindArgs(in *instr, vars, globals *scope) *scope {
	c, ok := in.cmd.(*instructions.ArgCommand)
	if !ok {
		if parsed, err := instructions.ParseInstruction(in.node); err == nil {
			c, ok = parsed.(*instructions.ArgCommand)
		}
		if !ok {
			return vars
		}
		in.cmd = c
	}
	for _, kv := range c.Args {
		var v value
		switch {
		case kv.Value != nil:
			s, _, known := d.expand(*kv.Value, vars)
			v = value{s: s, known: known}
		default:
			if g, ok := globals.lookup(kv.Key); ok {
				v = g
			}
		}
		vars = vars.bind(kv.Key, v, false)
	}
	return vars
}

func (d *dockerfile) addStage(in *instr) *stage {
	s := &stage{index: len(d.stages), from: in}
	args := nodeArgs(in.node)
	if len(args) > 0 {
		s.image = args[0]
	}
	if len(args) >= 3 && strings.EqualFold(args[1], "as") {
		s.name = strings.ToLower(args[2])
	}
	ref, missing, ok := d.expand(s.image, d.globals)
	s.ref, s.missing = ref, missing
	switch {
	case !ok:
		s.kind = baseUnresolved
	case strings.EqualFold(ref, "scratch"):
		s.kind = baseScratch
	default:
		if p := d.stageNamed(ref); p != nil {
			s.kind, s.parent = baseStage, p
		}
	}
	platform := flagValue(in.node.Flags, "platform")
	s.windows = strings.HasPrefix(strings.ToLower(platform), "windows") ||
		(s.kind == baseImage && looksWindows(ref)) ||
		(s.parent != nil && s.parent.windows)
	d.stages = append(d.stages, s)
	return s
}

// looksWindows recognises the Windows base images, whose default shell is
// cmd.exe.
func looksWindows(ref string) bool {
	r := strings.ToLower(ref)
	for _, w := range []string{"windows/servercore", "windows/nanoserver", "mcr.microsoft.com/windows", "nanoserver", "servercore"} {
		if strings.Contains(r, w) {
			return true
		}
	}
	return false
}

// stageNamed finds an earlier stage by name, case-insensitively as
// BuildKit does.
func (d *dockerfile) stageNamed(name string) *stage {
	name = strings.ToLower(name)
	if name == "" {
		return nil
	}
	for _, s := range d.stages {
		if s.name == name {
			return s
		}
	}
	return nil
}

// expand substitutes build arguments in a word as BuildKit does. ok is
// false when a variable has no known value; missing names them.
func (d *dockerfile) expand(word string, vars *scope) (string, []string, bool) {
	if strings.ContainsRune(word, 0) || !utf8.ValidString(word) {
		// text/scanner, under BuildKit's lexer, prints such input to stderr
		return word, nil, !strings.Contains(word, "$")
	}
	res, err := d.lex.ProcessWordWithMatches(word, getter{vars})
	if err != nil {
		return word, nil, !strings.Contains(word, "$")
	}
	var missing []string
	for name := range res.Unmatched {
		missing = append(missing, name)
	}
	sort.Strings(missing)
	return res.Result, missing, len(missing) == 0
}

func nodeArgs(n *parser.Node) []string {
	var out []string
	for a := n.Next; a != nil && len(out) < 64; a = a.Next {
		out = append(out, a.Value)
	}
	return out
}

// flagValue returns the value of --name=value among a node's flags.
func flagValue(flags []string, name string) string {
	for _, f := range flags {
		if v, ok := strings.CutPrefix(f, "--"+name+"="); ok {
			return v
		}
	}
	return ""
}

// targetStage is the stage a build with the given --target produces: the
// named stage, or the last one.
func (d *dockerfile) targetStage(target string) *stage {
	if target != "" {
		return d.stageNamed(target)
	}
	if len(d.stages) == 0 {
		return nil
	}
	return d.stages[len(d.stages)-1]
}
