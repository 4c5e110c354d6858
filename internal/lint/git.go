package lint

import "strings"

// pendingClone is a git clone not yet followed by a checkout of a fixed
// commit.
type pendingClone struct {
	in  *instr
	off int
	url string
}

const gitValueOpts = "-C -c --git-dir --work-tree --namespace -b --branch -o --origin -u --upload-pack --reference " +
	"--reference-if-able --separate-git-dir --depth --shallow-since --shallow-exclude -j --jobs --filter --template " +
	"--config --server-option --bundle-uri --revision"

// git tracks clones and the checkouts that pin them. A checkout, reset or
// fetch of a commit or release tag later in the stage pins every clone
// before it; a value the Dockerfile cannot tell ($REF) is trusted.
func (l *linter) git(in *instr, c call, st *stageState) {
	cl := parseArgs(c.args[1:], gitValueOpts)
	if len(cl.pos) == 0 {
		return
	}
	sub, rest := cl.pos[0].s, cl.pos[1:]
	switch sub {
	case "clone":
		if len(rest) == 0 {
			return
		}
		for _, v := range cl.values("-b", "--branch", "--revision") {
			if !v.known || fixedRef(v.s) {
				return
			}
		}
		st.clones = append(st.clones, pendingClone{in: in, off: c.off, url: rest[0].s})
	case "checkout", "switch", "reset", "fetch":
		for _, p := range rest {
			if !p.known || fixedRef(p.s) || (sub != "fetch" && p.s == "FETCH_HEAD") {
				st.clones = nil
				return
			}
		}
	}
}

// flushClones reports the clones of a stage that nothing pinned.
func (l *linter) flushClones(st *stageState) {
	for _, c := range st.clones {
		l.report(c.in, RuleGitCloneUnpinned, c.off,
			"git clone %s builds whatever its branch holds on build day: check out a commit after cloning (git -C DIR checkout <sha>) or clone a release tag (--branch v1.2.3)",
			shorten(c.url))
	}
	st.clones = nil
}

// shorten caps untrusted text quoted in messages.
func shorten(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// gitSource recognises the git URLs ADD accepts and returns the ref
// after '#' (without a :subdir), or after ?ref=.
func gitSource(src string) (ref string, ok bool) {
	u, frag, _ := strings.Cut(src, "#")
	base, query, _ := strings.Cut(u, "?")
	isGit := strings.HasPrefix(base, "git@") || strings.HasPrefix(base, "git://") ||
		((strings.HasPrefix(base, "https://") || strings.HasPrefix(base, "http://") || strings.HasPrefix(base, "ssh://")) &&
			strings.HasSuffix(base, ".git"))
	if !isGit {
		return "", false
	}
	ref, _, _ = strings.Cut(frag, ":")
	for _, kv := range strings.Split(query, "&") {
		if v, ok := strings.CutPrefix(kv, "ref="); ok && ref == "" {
			ref = v
		}
		if v, ok := strings.CutPrefix(kv, "commit="); ok {
			ref = v
		}
	}
	return ref, true
}
