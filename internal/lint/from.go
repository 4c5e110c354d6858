package lint

import (
	"strings"
)

// checkBaseImages applies the base image rules to every FROM.
func (l *linter) checkBaseImages() {
	for _, s := range l.d.stages {
		off := s.from.offsetOf(s.image)
		switch s.kind {
		case baseUnresolved:
			l.checkFromArgs(s, off)
		case baseImage:
			l.checkImageRef(s, off)
		}
	}
}

// checkFromArgs reports FROM variables that have no value: declared
// without a default, or not declared before the first FROM at all.
func (l *linter) checkFromArgs(s *stage, off int) {
	for _, name := range s.missing {
		if isPlatformArg(name) {
			continue
		}
		v, declared := l.d.globals.lookup(name)
		switch {
		case !declared:
			l.report(s.from, RuleFromArgNoDefault, off,
				"FROM %s uses ${%s}, which no ARG before the first FROM declares, so it is empty unless passed with --build-arg: declare it with a default, e.g. ARG %s=<image>:<tag>@sha256:<digest>",
				s.image, name, name)
		case !v.known && v.s == "":
			l.report(s.from, RuleFromArgNoDefault, off,
				"FROM %s uses build argument %s, which has no default, so the base image is whatever the caller passes: give it one, e.g. ARG %s=<image>:<tag>@sha256:<digest>",
				s.image, name, name)
		}
	}
}

func isPlatformArg(name string) bool {
	for _, p := range platformArgs {
		if p == name {
			return true
		}
	}
	return false
}

// imageRef splits an image reference into repository, tag and digest.
func imageRef(ref string) (repo, tag, digest string) {
	repo, digest, _ = strings.Cut(ref, "@")
	if i := strings.LastIndexByte(repo, ':'); i > strings.LastIndexByte(repo, '/') {
		repo, tag = repo[:i], repo[i+1:]
	}
	return repo, tag, digest
}

func (l *linter) checkImageRef(s *stage, off int) {
	repo, tag, digest := imageRef(s.ref)
	if digest != "" {
		return
	}
	shown := s.ref
	where := ""
	if s.ref != s.image {
		where = " (the default of the build argument in " + s.image + ")"
	}
	if tag == "" || tag == "latest" {
		how := "has no tag, so it means latest"
		if tag == "latest" {
			how = "uses the latest tag"
		}
		l.report(s.from, RuleLatestTag, off,
			"base image %s%s %s, which follows every release including major ones: name a version tag, e.g. %s:<version>, and pin its digest",
			shown, where, how, repo)
	}
	fix := "imagedrift lint --fix writes it"
	if where != "" {
		fix = "pin it in the ARG default"
	}
	l.report(s.from, RuleUnpinnedBaseDigest, off,
		"base image %s%s is not pinned to a digest, so it changes when the tag is pushed again: write %s@sha256:<digest> (%s)",
		shown, where, shown, fix)
}
