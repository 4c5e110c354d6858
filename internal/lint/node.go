package lint

import "strings"

const npmValueOpts = "--prefix -C --registry --cache --omit --include --loglevel -w --workspace --userconfig " +
	"--location --install-strategy --tag --before --cpu --os --libc --script-shell"

// node handles npm, yarn, pnpm and corepack.
func (l *linter) node(in *instr, c call) {
	cl := parseArgs(c.args[1:], npmValueOpts+" --cwd --modules-folder --cache-folder --mutex --network-timeout --filter -F --dir")
	var sub string
	var rest []word
	if len(cl.pos) > 0 {
		sub, rest = cl.pos[0].s, cl.pos[1:]
	}
	switch c.name() {
	case "npm":
		l.npm(in, c, cl, sub, rest)
	case "yarn":
		if sub == "global" && len(rest) > 0 {
			sub, rest = rest[0].s, rest[1:]
		}
		l.yarnOrPnpm(in, c, cl, sub, rest, "--frozen-lockfile", "--immutable")
	case "pnpm":
		l.yarnOrPnpm(in, c, cl, sub, rest, "--frozen-lockfile", "--offline")
	case "corepack":
		if sub == "prepare" || sub == "install" || sub == "use" {
			l.exactVersions(in, "corepack "+sub, rest)
		}
	}
}

func (l *linter) npm(in *instr, c call, cl cmdLine, sub string, rest []word) {
	switch sub {
	case "install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "add":
		if len(rest) == 0 {
			l.report(in, RuleNpmInstall, c.off,
				"npm install may update package-lock.json and pick newer versions: use npm ci, which installs exactly what the lockfile says")
			return
		}
		l.exactVersions(in, "npm install", rest)
	case "update", "up", "upgrade", "udpate":
		l.report(in, RuleNpmInstall, c.off,
			"npm update moves dependencies to the newest versions their ranges allow on build day: update the lockfile in a pull request and run npm ci")
	}
}

func (l *linter) yarnOrPnpm(in *instr, c call, cl cmdLine, sub string, rest []word, locked ...string) {
	tool := c.name()
	switch {
	case sub == "" || sub == "install" || (tool == "pnpm" && sub == "i"):
		if !cl.has(locked...) {
			l.report(in, RuleNpmInstall, c.off,
				"%s install without %s may resolve newer versions than the lockfile: add %s so the build fails instead",
				tool, locked[0], strings.Join(locked, " or "))
		}
	case sub == "add":
		l.exactVersions(in, tool+" add", rest)
	case sub == "upgrade" || sub == "up" || sub == "update":
		l.report(in, RuleNpmInstall, c.off,
			"%s %s moves dependencies to the newest versions on build day: update the lockfile in a pull request and install with %s",
			tool, sub, locked[0])
	}
}

// exactVersions reports packages named without an exact version:
// name, name@latest, name@^1.2.
func (l *linter) exactVersions(in *instr, what string, specs []word) {
	var loose []word
	for _, p := range specs {
		s := p.s
		if !p.known || isLocalPath(s) || isURL(s) || strings.HasSuffix(s, ".tgz") ||
			strings.HasPrefix(s, "git+") || strings.HasPrefix(s, "github:") || strings.HasPrefix(s, "npm:") {
			continue
		}
		if i := strings.LastIndexByte(s, '@'); i > 0 && exactSemver.MatchString(s[i+1:]) {
			continue
		}
		loose = append(loose, p)
	}
	if len(loose) > 0 {
		l.report(in, RuleNpmInstall, loose[0].off,
			"%s %s without an exact version takes the newest release on build day: write name@1.2.3",
			what, listWords(loose))
	}
}
