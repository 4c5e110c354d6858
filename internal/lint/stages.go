package lint

import (
	"fmt"
	"regexp"
	"strings"
)

// stageState carries what earlier instructions of a stage tell later
// ones.
type stageState struct {
	clones       []pendingClone
	pipLocked    bool // an earlier pip install used a requirements or constraints file
	composerJSON bool // composer.json was copied by name
	composerLock bool // composer.lock was copied, by name or with the whole context
}

// checkStages runs the per-instruction rules, stage by stage, in order.
func (l *linter) checkStages() {
	builds := l.buildsAnything()
	for _, s := range l.d.stages {
		st := &stageState{}
		for _, in := range s.instrs {
			switch in.kw {
			case "run":
				if info := l.runs[in]; info != nil {
					l.checkRun(in, info, st)
				}
			case "add":
				l.checkAdd(in, builds)
			case "copy":
				l.checkCopy(in, st, builds)
			}
		}
		l.flushClones(st)
	}
}

func (l *linter) checkRun(in *instr, info *runInfo, st *stageState) {
	for _, p := range info.pipes {
		l.report(in, RulePipeToShell, p.off,
			"%s runs a script straight from the network, so whatever the server returns on build day is executed: download a versioned file, verify it (sha256sum -c or ADD --checksum) and run it",
			p.what)
	}
	for _, c := range info.calls {
		switch n := c.name(); {
		case n == "apt-get" || n == "apt" || n == "aptitude":
			l.apt(in, c)
		case n == "apk":
			l.apk(in, c)
		case rpmTools[n]:
			l.rpm(in, c)
		case n == "npm" || n == "yarn" || n == "pnpm" || n == "corepack":
			l.node(in, c)
		case n == "gem" || n == "bundle":
			l.gem(in, c)
		case n == "go":
			l.goCmd(in, c)
		case n == "git":
			l.git(in, c, st)
		case isComposer(c):
			l.composer(in, c, st)
		default:
			if args, ok := pipArgs(c); ok {
				l.pip(in, c, args, st)
			}
		}
	}
}

// cmdLine is a command's arguments split into options and positionals.
type cmdLine struct {
	pos  []word
	opts map[string][]word // option → values ("" for a flag)
}

func (c cmdLine) has(names ...string) bool {
	for _, n := range names {
		if _, ok := c.opts[n]; ok {
			return true
		}
	}
	return false
}

func (c cmdLine) values(names ...string) []word {
	var out []word
	for _, n := range names {
		out = append(out, c.opts[n]...)
	}
	return out
}

// parseArgs splits arguments; the options named in withValue take the
// next word as value unless written --opt=value. Options after "--" are
// positionals.
func parseArgs(args []word, withValue string) cmdLine {
	takes := map[string]bool{}
	for _, o := range strings.Fields(withValue) {
		takes[o] = true
	}
	c := cmdLine{opts: map[string][]word{}}
	for i := 0; i < len(args); i++ {
		w := args[i]
		switch {
		case w.s == "--":
			c.pos = append(c.pos, args[i+1:]...)
			return c
		case strings.HasPrefix(w.s, "-") && len(w.s) > 1:
			name, val, eq := strings.Cut(w.s, "=")
			if !strings.HasPrefix(w.s, "--") {
				name, eq = w.s, false
			}
			switch {
			case eq:
				v := w
				v.s = val
				c.opts[name] = append(c.opts[name], v)
			case takes[name] && i+1 < len(args):
				i++
				c.opts[name] = append(c.opts[name], args[i])
			default:
				c.opts[name] = append(c.opts[name], word{known: true, off: w.off})
			}
		default:
			c.pos = append(c.pos, w)
		}
	}
	return c
}

// listWords names up to four words for a message.
func listWords(ws []word) string {
	var names []string
	for i, w := range ws {
		if i == 4 {
			names = append(names, fmt.Sprintf("%d more", len(ws)-4))
			break
		}
		names = append(names, w.s)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

var (
	hexSHA      = regexp.MustCompile(`^[0-9a-f]{7,64}$`)
	versionTag  = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+)+([-+._][0-9A-Za-z.+_-]*)?$`)
	exactSemver = regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
)

// fixedRef reports whether a git ref names a commit or a release tag.
func fixedRef(ref string) bool { return hexSHA.MatchString(ref) || versionTag.MatchString(ref) }

// isLocalPath reports whether a package argument is a file or directory
// rather than a name to resolve.
func isLocalPath(s string) bool {
	return s == "." || s == ".." || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") ||
		strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~/") || strings.HasPrefix(s, "file:")
}

func isURL(s string) bool { return strings.Contains(s, "://") }
