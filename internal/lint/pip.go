package lint

import (
	"regexp"
	"strings"
)

var pipName = regexp.MustCompile(`^pip[0-9.]*$`)

// pipArgs returns the arguments after "pip" for pip, pip3, pip3.12,
// python -m pip and uv pip.
func pipArgs(c call) ([]word, bool) {
	n := c.name()
	switch {
	case pipName.MatchString(n):
		return c.args[1:], true
	case strings.HasPrefix(n, "python") || n == "py":
		for i := 1; i+1 < len(c.args); i++ {
			if c.args[i].s == "-m" {
				if pipName.MatchString(c.args[i+1].s) {
					return c.args[i+2:], true
				}
				return nil, false
			}
			if !strings.HasPrefix(c.args[i].s, "-") {
				return nil, false
			}
		}
	case n == "uv" && len(c.args) > 1 && c.args[1].s == "pip":
		return c.args[2:], true
	}
	return nil, false
}

const pipValueOpts = "-r --requirement -c --constraint -e --editable -i --index-url --extra-index-url -f --find-links " +
	"-t --target --prefix --root --src --upgrade-strategy --platform --python-version --implementation --abi " +
	"--only-binary --no-binary --progress-bar --cache-dir --log --timeout --retries --proxy --cert --client-cert " +
	"--trusted-host --global-option --config-settings -C --root-user-action --report --python --exists-action " +
	"--use-feature --use-deprecated --keyring-provider -p"

// pip reports pip install of names without == versions. A requirements
// file is trusted to pin (its pins are reviewed with the code); the
// project itself (pip install .) must come after its locked dependencies
// or with --no-deps, or pip resolves them afresh.
func (l *linter) pip(in *instr, c call, args []word, st *stageState) {
	cl := parseArgs(args, pipValueOpts)
	if len(cl.pos) == 0 || cl.pos[0].s != "install" {
		return
	}
	locked := cl.has("-r", "--requirement", "-c", "--constraint")
	if locked {
		st.pipLocked = true
	}
	var loose []word
	var local *word
	for _, p := range cl.pos[1:] {
		s := p.s
		switch {
		case strings.Contains(s, "==") && !strings.Contains(s, "*"):
		case isLocalPath(s) || strings.HasSuffix(s, ".whl") || strings.HasSuffix(s, ".tar.gz") || strings.HasSuffix(s, ".zip"):
			if local == nil {
				local = &p
			}
		case isURL(s) || strings.Contains(s, "@") || !p.known:
		default:
			loose = append(loose, p)
		}
	}
	for _, e := range cl.values("-e", "--editable") {
		if isLocalPath(e.s) && local == nil {
			local = &e
		}
	}
	if len(loose) > 0 {
		l.report(in, RulePipUnpinned, loose[0].off,
			"pip install of %s without ==version takes the newest release on build day: pin name==version or install from a requirements file (pip install -r requirements.txt, best with --require-hashes)",
			listWords(loose))
	}
	if local != nil && !locked && !st.pipLocked && !cl.has("--no-deps") {
		l.report(in, RulePipUnpinned, local.off,
			"pip install %s resolves the project's dependencies afresh on build day: install them first from a locked requirements file (pip install -r requirements.txt) and then pip install --no-deps %s",
			local.s, local.s)
	}
}
