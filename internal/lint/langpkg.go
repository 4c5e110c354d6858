package lint

import (
	"regexp"
	"strings"

	"golang.org/x/mod/semver"
)

// gem handles gem install/update and bundle update.
func (l *linter) gem(in *instr, c call) {
	cl := parseArgs(c.args[1:], "-v --version -i --install-dir -n --bindir --source -s --platform -P --trust-policy --build-root -g --file --document --gemfile -j --jobs --path --without --with")
	if len(cl.pos) == 0 {
		return
	}
	sub, rest := cl.pos[0].s, cl.pos[1:]
	if c.name() == "bundle" {
		if sub == "update" {
			l.report(in, RuleGemUnpinned, c.off,
				"bundle update ignores Gemfile.lock and takes the newest versions on build day: update the lockfile in a pull request and run bundle install")
		}
		return
	}
	switch sub {
	case "install", "i":
		if cl.has("-v", "--version") {
			return
		}
		var loose []word
		for _, p := range rest {
			if strings.Contains(p.s, ":") || !p.known || strings.HasSuffix(p.s, ".gem") || isLocalPath(p.s) {
				continue
			}
			loose = append(loose, p)
		}
		if len(loose) > 0 {
			l.report(in, RuleGemUnpinned, loose[0].off,
				"gem install of %s without -v takes the newest release on build day: add -v VERSION (or write NAME:VERSION)",
				listWords(loose))
		}
	case "update":
		for _, p := range rest {
			if versionTag.MatchString(p.s) || !p.known {
				return
			}
		}
		l.report(in, RuleGemUnpinned, c.off,
			"gem update installs the newest releases on build day: install the versions you need with gem install NAME -v VERSION (gem update --system VERSION for RubyGems itself)")
	}
}

// goCmd handles go install, go get and go run of module@version.
func (l *linter) goCmd(in *instr, c call) {
	cl := parseArgs(c.args[1:], "-o -ldflags -gcflags -asmflags -tags -mod -modfile -p -pkgdir -toolexec -buildmode -compiler -gccgoflags -installsuffix -overlay -pgo -C -exec")
	if len(cl.pos) == 0 {
		return
	}
	sub := cl.pos[0].s
	if sub != "install" && sub != "get" && sub != "run" {
		return
	}
	gopath := false
	if v, ok := in.vars.lookup("GO111MODULE"); ok && v.known && v.s == "off" {
		gopath = true
	}
	for _, p := range cl.pos[1:] {
		path, version, hasVersion := strings.Cut(p.s, "@")
		switch {
		case !p.known && !hasVersion:
		case hasVersion:
			if !goVersionFixed(version) {
				l.report(in, RuleGoInstallLatest, p.off,
					"go %s %s resolves to whatever is newest on build day: name a full version, e.g. %s@v1.2.3",
					sub, p.s, path)
			}
		case sub == "run" || !isRemoteImport(path):
		case sub == "get" || gopath:
			l.report(in, RuleGoInstallLatest, p.off,
				"go %s %s without a version takes the newest release on build day: write %s@v1.2.3",
				sub, p.s, path)
		}
		if sub == "run" {
			return // the rest are the program's arguments
		}
	}
}

// goVersionFixed accepts full semantic versions, pseudo-versions and
// commit hashes; latest, upgrade, patch, branch names and v1/v1.2
// queries move.
func goVersionFixed(v string) bool {
	if hexSHA.MatchString(v) {
		return true
	}
	if strings.ContainsAny(v, "$<>") {
		return true // a variable or comparison the Dockerfile cannot tell
	}
	base := strings.TrimSuffix(v, "+incompatible")
	return semver.IsValid(base) && semver.Canonical(base) == strings.SplitN(base, "+", 2)[0]
}

// isRemoteImport reports a module path such as github.com/x/y (the first
// element has a dot), as opposed to ./cmd/x or a standard package.
func isRemoteImport(p string) bool {
	if isLocalPath(p) {
		return false
	}
	first, _, _ := strings.Cut(p, "/")
	return strings.Contains(first, ".")
}

var composerExact = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+){0,3}(-[0-9A-Za-z.]+)?$`)

func isComposer(c call) bool {
	n := c.name()
	if n == "composer" || n == "composer.phar" {
		return true
	}
	return n == "php" && len(c.args) > 1 && strings.HasPrefix(commandName(c.args[1].s), "composer")
}

// composer handles composer update, require and install.
func (l *linter) composer(in *instr, c call, st *stageState) {
	args := c.args[1:]
	if c.name() == "php" {
		args = args[1:]
	}
	cl := parseArgs(args, "-d --working-dir --ignore-platform-req")
	if len(cl.pos) > 0 && cl.pos[0].s == "global" {
		cl.pos = cl.pos[1:]
	}
	if len(cl.pos) == 0 {
		return
	}
	switch sub, rest := cl.pos[0].s, cl.pos[1:]; sub {
	case "update", "u", "upgrade":
		l.report(in, RuleComposerUnpinned, c.off,
			"composer %s resolves every package afresh on build day: update composer.lock in a pull request and run composer install",
			sub)
	case "require", "r":
		var loose []word
		for i, p := range rest {
			name, version, ok := cutComposerVersion(p.s)
			if !ok && i+1 < len(rest) && !strings.Contains(rest[i+1].s, "/") {
				version, ok = rest[i+1].s, true
			}
			if !p.known || !strings.Contains(name, "/") || (ok && composerExact.MatchString(version)) {
				continue
			}
			loose = append(loose, p)
		}
		if len(loose) > 0 {
			l.report(in, RuleComposerUnpinned, loose[0].off,
				"composer require of %s without an exact version resolves to the newest match on build day: write vendor/package:1.2.3",
				listWords(loose))
		}
	case "install", "i":
		if st.composerJSON && !st.composerLock {
			l.report(in, RuleComposerUnpinned, c.off,
				"composer install runs without composer.lock (only composer.json was copied), so it resolves versions afresh: commit composer.lock and COPY it along with composer.json")
		}
	}
}

func cutComposerVersion(s string) (string, string, bool) {
	if i := strings.IndexAny(s, ":= "); i > 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}
