package lint

import (
	"bytes"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// posixShells run POSIX shell scripts; a RUN under any other SHELL
// (powershell, cmd) is not analysed, so nothing false is said about it.
var posixShells = map[string]bool{
	"sh": true, "bash": true, "dash": true, "ash": true, "zsh": true,
	"ksh": true, "mksh": true, "busybox": true,
}

func isPOSIXShell(name string) bool {
	return posixShells[strings.TrimSuffix(path.Base(name), ".exe")]
}

// analyseRun turns a RUN into the commands it executes. It returns nil
// when the instruction is not parsed or runs under a non-POSIX shell.
func (d *dockerfile) analyseRun(in *instr) *runInfo {
	c, ok := in.cmd.(*instructions.RunCommand)
	if !ok {
		return nil
	}
	a := newAnalyzer(d, in)
	argsOff := in.text.at(in.args)
	switch {
	case !c.PrependShell:
		a.argv(c.CmdLine, argsOff)
	case len(in.stage.shell) == 0 || !isPOSIXShell(in.stage.shell[0]):
		return nil
	case len(c.Files) == 0:
		a.script(d.shellForm(in, c))
	default:
		t, ok := d.heredocScript(in, c)
		if !ok {
			return nil
		}
		a.script(t)
	}
	return a.info
}

// shellForm returns the command line of a shell-form RUN, mapped to the
// file. If the rebuilt text does not match what BuildKit parsed, every
// byte maps to the start of the arguments.
func (d *dockerfile) shellForm(in *instr, c *instructions.RunCommand) text {
	want := strings.Join(c.CmdLine, " ")
	got := in.text.slice(in.args, len(strings.TrimRight(in.text.s, " \t\r\n\v\f")))
	if got.s == want {
		return got
	}
	return flat(want, in.text.at(in.args))
}

// flat is a text whose bytes all map to one source offset.
func flat(s string, off int) text {
	t := text{s: s, off: make([]int, len(s)+1)}
	for i := range t.off {
		t.off[i] = off
	}
	return t
}

// heredocScript rebuilds the script of a RUN with heredocs the way
// BuildKit's dispatcher does: a lone heredoc is the script itself (run by
// its shebang interpreter if it has one); otherwise the command line and
// the heredoc bodies go to the shell together.
func (d *dockerfile) heredocScript(in *instr, c *instructions.RunCommand) (text, bool) {
	bodies, ok := d.heredocBodies(in)
	if !ok || len(bodies) != len(c.Files) || len(c.CmdLine) != 1 {
		return text{}, false
	}
	if parser.MustParseHeredoc(c.CmdLine[0]) != nil {
		body := bodies[0].body
		if c.Files[0].Chomp {
			body = chompTabs(body)
		}
		if strings.HasPrefix(body.s, "#!") && !shebangIsPOSIX(body.s) {
			return text{}, false
		}
		return body, true
	}
	var b textBuilder
	line := d.shellForm(in, c)
	b.addText(line)
	for _, h := range bodies {
		b.add([]byte{'\n'}, h.body.at(0))
		b.addText(h.body)
		b.add([]byte(h.name), h.nameOff)
	}
	return b.done(in.text.at(len(in.text.s))), true
}

// shebangIsPOSIX reads "#!/bin/sh -e" or "#!/usr/bin/env bash".
func shebangIsPOSIX(s string) bool {
	first, _, _ := strings.Cut(s[2:], "\n")
	f := strings.Fields(first)
	if len(f) == 0 {
		return false
	}
	if path.Base(f[0]) == "env" {
		for _, w := range f[1:] {
			if !strings.HasPrefix(w, "-") {
				return isPOSIXShell(w)
			}
		}
		return false
	}
	return isPOSIXShell(f[0])
}

type heredocBody struct {
	body    text
	name    string
	nameOff int
}

// heredocBodies finds the body of each heredoc of an instruction in the
// file: the lines after the logical line, up to each terminator, checked
// against what BuildKit read.
func (d *dockerfile) heredocBodies(in *instr) ([]heredocBody, bool) {
	var out []heredocBody
	n := in.next
	for _, h := range in.node.Heredocs {
		var b textBuilder
		found := false
		for ; n <= d.src.lines(); n++ {
			raw, off := d.src.line(n)
			term := raw
			if h.Chomp {
				term = bytes.TrimLeft(term, "\t")
			}
			if string(term) == h.Name {
				out = append(out, heredocBody{body: b.done(off), name: h.Name, nameOff: off + len(raw) - len(term)})
				n++
				found = true
				break
			}
			end := len(d.src.data)
			if n < d.src.lines() {
				end = d.src.start[n]
			}
			b.add(d.src.data[off:end], off)
		}
		if !found || out[len(out)-1].body.s != h.Content {
			return nil, false
		}
	}
	return out, true
}

// chompTabs strips leading tabs from each line, as <<- asks.
func chompTabs(t text) text {
	var b textBuilder
	bol := true
	for i := 0; i < len(t.s); i++ {
		c := t.s[i]
		if bol && c == '\t' {
			continue
		}
		bol = c == '\n'
		b.add([]byte{c}, t.off[i])
	}
	return b.done(t.at(len(t.s)))
}
