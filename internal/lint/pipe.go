package lint

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// interpreters run a program read from standard input when given no
// script argument.
var interpreters = map[string]bool{
	"sh": true, "bash": true, "dash": true, "ash": true, "zsh": true, "ksh": true, "mksh": true,
	"python": true, "python2": true, "python3": true, "perl": true, "ruby": true, "node": true, "php": true,
}

func isInterpreter(name string) bool {
	if interpreters[name] {
		return true
	}
	// python3.12, pythonw
	return strings.HasPrefix(name, "python")
}

func isDownloader(name string) bool { return name == "curl" || name == "wget" }

// pipeline reports downloader … | interpreter, e.g. curl -fsSL URL | bash.
func (a *analyzer) pipeline(t text, top *syntax.BinaryCmd) {
	var stmts []*syntax.Stmt
	var flatten func(s *syntax.Stmt)
	flatten = func(s *syntax.Stmt) {
		if b, ok := s.Cmd.(*syntax.BinaryCmd); ok && (b.Op == syntax.Pipe || b.Op == syntax.PipeAll) {
			a.seen[b] = true
			flatten(b.X)
			flatten(b.Y)
			return
		}
		stmts = append(stmts, s)
	}
	a.seen[top] = true
	flatten(top.X)
	flatten(top.Y)
	var from *call
	for _, s := range stmts {
		ce, ok := s.Cmd.(*syntax.CallExpr)
		if !ok || len(ce.Args) == 0 {
			continue
		}
		c := a.callOf(t, ce)
		c.args = unwrap(c.args)
		switch {
		case len(c.args) == 0:
		case from == nil && isDownloader(c.name()):
			from = &c
		case from != nil && isInterpreter(c.name()) && readsStdin(c):
			a.info.pipes = append(a.info.pipes, pipeHit{off: from.off, what: from.name() + " … | " + c.name()})
			return
		}
	}
}

// substitutedCode reports code fetched and run in one word:
// sh -c "$(curl …)", bash <(curl …), eval "$(wget -O- …)", source <(curl …).
func (a *analyzer) substitutedCode(c call) {
	n := c.name()
	if !isInterpreter(n) && n != "eval" && n != "source" && n != "." {
		return
	}
	for _, w := range c.args[1:] {
		if w.node == nil {
			continue
		}
		if sub := soleSubstitution(w.node); sub != "" {
			if dl := downloader(w.node); dl != "" {
				a.info.pipes = append(a.info.pipes, pipeHit{off: w.off, what: n + " " + strings.Replace(sub, "…", dl+" …", 1)})
				return
			}
		}
	}
}

// soleSubstitution returns how a word substitutes output when the word is nothing but one
// command or process substitution (possibly in double quotes).
func soleSubstitution(w *syntax.Word) string {
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 1 {
		return ""
	}
	switch p := parts[0].(type) {
	case *syntax.CmdSubst:
		return `"$(…)"`
	case *syntax.ProcSubst:
		if p.Op == syntax.CmdIn {
			return "<(…)"
		}
	}
	return ""
}

// downloader returns curl or wget when a word's substitutions run one.
func downloader(w *syntax.Word) string {
	found := ""
	syntax.Walk(w, func(n syntax.Node) bool {
		if ce, ok := n.(*syntax.CallExpr); ok && len(ce.Args) > 0 {
			var args []word
			for _, a := range ce.Args {
				args = append(args, word{s: a.Lit(), known: true})
			}
			if u := unwrap(args); len(u) > 0 && isDownloader(commandName(u[0].s)) {
				found = commandName(u[0].s)
			}
		}
		return found == ""
	})
	return found
}

// readsStdin reports whether an interpreter call takes its program from
// standard input: no script file and no -c/-e code on the command line.
func readsStdin(c call) bool {
	name := c.name()
	code := map[string]bool{"-c": true}
	switch {
	case strings.HasPrefix(name, "python"):
		code = map[string]bool{"-c": true, "-m": true}
	case name == "perl" || name == "ruby":
		code = map[string]bool{"-e": true, "-E": true}
	case name == "node":
		code = map[string]bool{"-e": true, "-p": true, "--eval": true, "--print": true}
	case name == "php":
		code = map[string]bool{"-r": true}
	}
	shell := isPOSIXShell(name)
	for i := 1; i < len(c.args); i++ {
		s := c.args[i].s
		switch {
		case s == "-" || s == "-s" || (shell && isShortFlags(s) && strings.Contains(s, "s")):
			return true
		case code[s] || (shell && isShortFlags(s) && strings.Contains(s, "c")):
			return false
		case shell && (s == "-o" || s == "+o" || (isShortFlags(s) && strings.HasSuffix(s, "o"))),
			!shell && (s == "-W" || s == "-X"):
			i++
		case s == "--":
			return i+1 >= len(c.args)
		case strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+"):
		default:
			return false // a script file
		}
	}
	return true
}

func isShortFlags(s string) bool {
	return len(s) > 1 && (s[0] == '-' || s[0] == '+') && s[1] != '-'
}

// unwrap removes commands that run another command: sudo, env, nice,
// timeout, gosu, …, so rules see the program that does the work.
func unwrap(args []word) []word {
	for n := 0; len(args) > 0 && n < 8; n++ {
		switch commandName(args[0].s) {
		case "sudo":
			args = skipOptions(args[1:], "-u -g -h -p -C -D -r -t -U -T --user --group --host --prompt --chdir")
		case "env":
			args = skipOptions(args[1:], "-u -C -S --unset --chdir --split-string")
			for len(args) > 0 && strings.Contains(args[0].s, "=") && !strings.HasPrefix(args[0].s, "-") {
				args = args[1:]
			}
		case "nice", "ionice", "nohup", "time", "stdbuf", "exec", "builtin":
			args = skipOptions(args[1:], "-n -c -o -e -i")
		case "command":
			if len(args) > 1 && (args[1].s == "-v" || args[1].s == "-V") {
				return nil
			}
			args = skipOptions(args[1:], "")
		case "timeout":
			args = skipOptions(args[1:], "-s -k --signal --kill-after")
			if len(args) > 0 {
				args = args[1:] // the duration
			}
		case "gosu", "su-exec", "chroot", "busybox":
			if commandName(args[0].s) == "busybox" {
				args = args[1:]
				continue
			}
			args = skipOptions(args[1:], "")
			if len(args) > 0 {
				args = args[1:] // the user or the new root
			}
		default:
			return args
		}
	}
	return args
}

// skipOptions drops leading options; those listed take a value.
func skipOptions(args []word, withValue string) []word {
	takes := map[string]bool{}
	for _, o := range strings.Fields(withValue) {
		takes[o] = true
	}
	for len(args) > 0 && strings.HasPrefix(args[0].s, "-") && args[0].s != "-" {
		o := args[0].s
		args = args[1:]
		if o == "--" {
			break
		}
		if takes[o] && len(args) > 0 {
			args = args[1:]
		}
	}
	return args
}
