package build

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Options says what to build. Paths are relative to RepoDir and the same on
// both sides, so base and head are built the same way.
type Options struct {
	RepoDir    string   // the checkout, whose working tree is the head (default ".")
	Dockerfile string   // Dockerfile path relative to RepoDir (default "Dockerfile")
	Context    string   // build context relative to RepoDir (default ".")
	Target     string   // build stage, optional
	BuildArgs  []string // KEY=VALUE, see ParseBuildArgs
	Platform   string   // one os/arch[/variant], optional

	BaseRef   string // commit SHA or ref of the base; fetched when the checkout lacks it
	BaseImage string // an image reference that replaces building the base
	HeadImage string // an image reference that replaces building the head

	WorkDir string // archives and the base worktree go here; the caller removes it

	// Event is the GitHub event name. Under pull_request_target the head is
	// only built when AllowUntrustedHead is set.
	Event              string
	AllowUntrustedHead bool

	Log           io.Writer // build output; nil discards it
	GitHubActions bool      // fold the output in ::group:: blocks

	// Pull asks for the newest base images (--pull) and NoCache for no
	// cached step (--no-cache): a fresh build of the commit, as watch mode
	// and the reproducibility check need.
	Pull, NoCache bool
	// SourceDateEpoch, when set (decimal seconds), is given to the build
	// as SOURCE_DATE_EPOCH, in the environment and as a build argument:
	// BuildKit from v0.11 dates the image config and history by it, and
	// from v0.13 rewrites the layers' file times to it.
	SourceDateEpoch string

	Docker, Git string // binaries (default "docker", "git")
}

// Result is what Build produced for each side.
type Result struct {
	Base, Head Side
}

// Side is one built (or supplied, or missing) image.
type Side struct {
	Ref     string // "docker-archive:PATH", the supplied reference, or "" when Missing
	Commit  string // the commit built, when known
	Missing bool   // the Dockerfile does not exist at this commit: compare against nothing
	Built   bool   // Ref was built here (false when supplied or missing)
	// Dockerfile is the content of the Dockerfile a built side was built
	// from (nil otherwise), so that its layers can be matched with their
	// instructions once the base's worktree is gone.
	Dockerfile []byte
}

// Name names the side in reports, "docker/Dockerfile#runtime@9c2f5e3b1a7d",
// since a built image's temporary archive means nothing once it is gone;
// a side without the Dockerfile reads "(absent)".
func (s Side) Name(dockerfile, target string) string {
	name := filepath.ToSlash(dockerfile)
	if target != "" {
		name += "#" + target
	}
	at := "working tree"
	if s.Commit != "" {
		at = s.Commit[:min(12, len(s.Commit))]
	}
	if s.Missing {
		return name + "@" + at + " (absent)"
	}
	return name + "@" + at
}

// errUntrustedHead is wrapped by the refusal under pull_request_target.
var errUntrustedHead = errors.New("refusing to build the pull request head under pull_request_target")

// normalize fills defaults and checks the options before anything runs.
func (o *Options) normalize() error {
	if err := o.defaults(); err != nil {
		return err
	}
	return o.checkSides()
}

// defaults fills defaults and checks what every build needs.
func (o *Options) defaults() error {
	if o.RepoDir == "" {
		o.RepoDir = "."
	}
	if o.Dockerfile == "" {
		o.Dockerfile = "Dockerfile"
	}
	if o.Context == "" {
		o.Context = "."
	}
	if o.Docker == "" {
		o.Docker = "docker"
	}
	if o.Git == "" {
		o.Git = "git"
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	// git runs in RepoDir and docker in ours: absolute paths mean the same
	// to both.
	for _, p := range []*string{&o.RepoDir, &o.WorkDir} {
		if *p == "" {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			return fmt.Errorf("resolve %s: %w", *p, err)
		}
		*p = abs
	}
	if err := checkRel("Dockerfile", o.Dockerfile); err != nil {
		return err
	}
	if filepath.Clean(o.Dockerfile) == "." {
		return fmt.Errorf("Dockerfile path %q names no file", o.Dockerfile)
	}
	if err := checkRel("context", o.Context); err != nil {
		return err
	}
	if err := checkWord("target", o.Target); err != nil {
		return err
	}
	if err := checkPlatform(o.Platform); err != nil {
		return err
	}
	for i, kv := range o.BuildArgs {
		if _, err := checkBuildArg(kv); err != nil {
			return fmt.Errorf("build argument %d: %w", i+1, err)
		}
	}
	return checkEpoch(o.SourceDateEpoch)
}

// checkEpoch accepts decimal seconds, as SOURCE_DATE_EPOCH is defined.
func checkEpoch(s string) error {
	if s == "" {
		return nil
	}
	if _, err := strconv.ParseUint(s, 10, 63); err != nil {
		return fmt.Errorf("SOURCE_DATE_EPOCH %q: want decimal seconds since 1970", clip(s, 30))
	}
	return nil
}

// checkSides checks what each side needs: a base, a work dir, and trust.
func (o *Options) checkSides() error {
	if o.BaseImage == "" {
		if o.BaseRef == "" {
			return errors.New("no base: set the base commit (base ref) or a base image")
		}
		if err := checkWord("base ref", o.BaseRef); err != nil {
			return err
		}
	}
	if err := o.checkTrust(); err != nil {
		return err
	}
	if o.BaseImage != "" && o.HeadImage != "" {
		return nil
	}
	return o.checkWorkDir()
}

// checkTrust refuses to build a pull request's head where it would run
// with a write token and secrets.
func (o *Options) checkTrust() error {
	if o.HeadImage == "" && o.Event == "pull_request_target" && !o.AllowUntrustedHead {
		return fmt.Errorf("%w: this event runs with a write token and the repository's secrets, "+
			"and building runs the pull request's Dockerfile, which anyone who opens a pull request controls; "+
			"build on the pull_request event instead, supply a head image, or opt in with the action input "+
			"allow-untrusted-build: true (Options.AllowUntrustedHead) if the workflow is safe for untrusted code", errUntrustedHead)
	}
	return nil
}

// checkWorkDir checks that the archives have somewhere to go.
func (o *Options) checkWorkDir() error {
	if o.WorkDir == "" {
		return errors.New("no work directory for the image archives")
	}
	if fi, err := os.Stat(o.WorkDir); err != nil {
		return fmt.Errorf("work directory: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("work directory %s is not a directory", o.WorkDir)
	}
	return nil
}

// checkRel accepts a path that stays inside the repository.
func checkRel(what, p string) error {
	if !filepath.IsLocal(p) {
		return fmt.Errorf("%s path %q must be relative to the repository and stay inside it", what, p)
	}
	return nil
}

// checkWord rejects values that a command line could take for an option or
// that hold white space or control characters.
func checkWord(what, s string) error {
	if strings.HasPrefix(s, "-") {
		return fmt.Errorf("%s %q must not start with '-'", what, clip(s, 60))
	}
	if len(s) > 256 {
		return fmt.Errorf("%s is longer than 256 bytes", what)
	}
	for _, c := range s {
		if c <= ' ' || c == 0x7f {
			return fmt.Errorf("%s %q contains white space or a control character", what, clip(s, 60))
		}
	}
	return nil
}

// checkPlatform accepts one os/arch[/variant]. A list is refused: the
// archive holds one image, and the diff compares one platform.
func checkPlatform(p string) error {
	if p == "" {
		return nil
	}
	if strings.Contains(p, ",") {
		return fmt.Errorf("platform %q: build one platform at a time", p)
	}
	parts := strings.Split(p, "/")
	if len(parts) < 2 || len(parts) > 3 {
		return fmt.Errorf("platform %q: expected os/arch or os/arch/variant", p)
	}
	for _, s := range parts {
		if s == "" || strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789_.-") != "" || s[0] == '-' {
			return fmt.Errorf("platform %q: expected os/arch or os/arch/variant in lower case", p)
		}
	}
	return nil
}
