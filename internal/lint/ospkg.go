package lint

import (
	"strings"
)

// apt handles apt-get, apt and aptitude.
func (l *linter) apt(in *instr, c call) {
	cl := parseArgs(c.args[1:], "-o -c -t --option --config-file --target-release --default-release")
	if len(cl.pos) == 0 {
		return
	}
	switch sub := cl.pos[0].s; sub {
	case "upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade":
		l.upgrade(in, c, c.name()+" "+sub)
	case "install", "reinstall":
		var loose []word
		for _, p := range cl.pos[1:] {
			if strings.Contains(p.s, "=") || !p.known || isLocalPath(p.s) || strings.HasSuffix(p.s, ".deb") {
				continue
			}
			loose = append(loose, p)
		}
		if len(loose) > 0 {
			l.report(in, RuleAptUnpinned, loose[0].off,
				"%s install of %s without a version takes whatever the archive has on build day: pin each as name=version (apt-cache policy NAME shows the candidate)",
				c.name(), listWords(loose))
		}
	}
}

// apk handles Alpine's apk.
func (l *linter) apk(in *instr, c call) {
	cl := parseArgs(c.args[1:], "-t --virtual -X --repository -p --root --arch --cache-dir --keys-dir --repositories-file")
	if len(cl.pos) == 0 {
		return
	}
	switch cl.pos[0].s {
	case "upgrade":
		l.upgrade(in, c, "apk upgrade")
	case "add":
		var loose []word
		for _, p := range cl.pos[1:] {
			if strings.ContainsAny(p.s, "=~") || !p.known || isLocalPath(p.s) || strings.HasSuffix(p.s, ".apk") {
				continue
			}
			loose = append(loose, p)
		}
		if len(loose) > 0 {
			l.report(in, RuleApkUnpinned, loose[0].off,
				"apk add of %s without a version takes whatever the index has on build day: pin each as name=version (apk policy NAME shows them)",
				listWords(loose))
		}
	}
}

var rpmTools = map[string]bool{"yum": true, "dnf": true, "dnf5": true, "microdnf": true, "tdnf": true, "zypper": true}

// rpm handles yum, dnf, microdnf, tdnf and zypper.
func (l *linter) rpm(in *instr, c call) {
	cl := parseArgs(c.args[1:], "-x --exclude --enablerepo --disablerepo --repo --repoid --installroot --releasever "+
		"-c --config --disableplugin --enableplugin --forcearch --downloaddir --destdir --rpmverbosity -d --debuglevel "+
		"-e --errorlevel --setopt -R --root -r --repo --from")
	if len(cl.pos) == 0 {
		return
	}
	switch sub := cl.pos[0].s; sub {
	case "update", "upgrade", "upgrade-minimal", "distro-sync", "dist-upgrade", "dup", "up", "patch", "update-minimal":
		l.upgrade(in, c, c.name()+" "+sub)
	case "install", "in", "reinstall":
		var loose []word
		for _, p := range cl.pos[1:] {
			if rpmPinned(p.s) || !p.known || isLocalPath(p.s) || isURL(p.s) || strings.HasSuffix(p.s, ".rpm") ||
				strings.HasPrefix(p.s, "@") || strings.ContainsAny(p.s, "()*") {
				continue
			}
			loose = append(loose, p)
		}
		if len(loose) > 0 {
			l.report(in, RuleRpmUnpinned, loose[0].off,
				"%s install of %s without a version takes whatever the repositories have on build day: install name-version (dnf list --showduplicates NAME shows them)",
				c.name(), listWords(loose))
		}
	}
}

// rpmPinned recognises name-version[-release] and zypper's name=version:
// a dash-separated part after the name that starts with a digit and has a
// dot or ends the word (java-17-openjdk is a name; nginx-1.24.0 and
// tzdata-2024a are pinned). Names ending in a number (gcc-toolset-13)
// read as pinned too: better silent than wrong.
func rpmPinned(s string) bool {
	if strings.ContainsAny(s, "=:") {
		return true
	}
	parts := strings.Split(s, "-")
	for i, p := range parts[1:] {
		if p != "" && p[0] >= '0' && p[0] <= '9' && (strings.Contains(p, ".") || i == len(parts)-2) {
			return true
		}
	}
	return false
}

func (l *linter) upgrade(in *instr, c call, what string) {
	l.report(in, RulePackageUpgrade, c.off,
		"%s installs the newest version of every package on build day, so two builds of one commit differ: move the base image to a newer pinned digest instead, and pin what you install",
		what)
}
