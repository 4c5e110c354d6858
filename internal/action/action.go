package action

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/github/event"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/load"
	"github.com/imagedrift/imagedrift/internal/oneline"
	"github.com/imagedrift/imagedrift/internal/repro"
	"github.com/imagedrift/imagedrift/internal/risk"
	"github.com/imagedrift/imagedrift/internal/vulns"
)

// Options are what Run takes from the process.
type Options struct {
	// Getenv reads the environment the runner sets (INPUT_*, GITHUB_*,
	// RUNNER_TEMP); nil is os.Getenv.
	Getenv func(string) string
	// Stdout is the runner's log: workflow commands and build output.
	Stdout io.Writer
	// Version is imagedrift's, recorded in the report.
	Version string
	// NewGitHub makes the client of GitHub's API, once, when the run
	// first needs it. Nil means none: the report stays in the job summary
	// and the report directory.
	NewGitHub func(Target) (GitHub, error)
	// NewVulnSource makes the source of vulnerability data when the run
	// looks vulnerabilities up (input vulnerabilities). Nil means none:
	// nothing is looked up.
	NewVulnSource func(vulns.SourceOptions) (*vulns.Opened, error)

	// Seams for tests.
	build func(context.Context, build.Options) (*build.Result, error)
	load  func(ctx context.Context, base, head string, o load.Options) (*inventory.Inventory, *inventory.Inventory, error)
	repro func(context.Context, repro.Options) (*repro.Result, error)
	now   func() time.Time
}

// Run is one run of the action. It returns risk.ErrPolicyFailed when the
// policy failed; any other error is a real failure, also reported as an
// error annotation and in the job summary.
func Run(ctx context.Context, o Options) error {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Stdout == nil {
		o.Stdout = os.Stdout
	}
	if o.build == nil {
		o.build = build.Build
	}
	if o.load == nil {
		o.load = load.Pair
	}
	if o.repro == nil {
		o.repro = repro.Check
	}
	if o.now == nil {
		o.now = time.Now
	}
	r := &runner{o: o, env: o.Getenv,
		gha: githubactions.New(githubactions.WithWriter(o.Stdout), githubactions.WithGetenv(o.Getenv))}
	err := r.run(ctx)
	if err != nil && !errors.Is(err, risk.ErrPolicyFailed) {
		r.failure(err)
	}
	return err
}

// failure reports a real error as an error annotation and in the job
// summary. A failed build adds the builder's own complaint to the
// annotation, and the end of its output to the summary: the cause is
// otherwise only inside the folded build log.
func (r *runner) failure(err error) {
	msg := oneline.Fold(err.Error())
	details := ""
	var be *build.BuildError
	if errors.As(err, &be) {
		if cause := be.Cause(); cause != "" {
			msg += ": " + cause
		}
		if tail := be.Tail(); tail != "" {
			details = fmt.Sprintf("\nThe last lines of the %s build:\n\n%s\n", be.Side, fenced(strings.TrimRight(tail, "\n")))
		}
	}
	r.gha.Errorf("imagedrift: %s", msg)
	r.summary("### ❌ imagedrift failed\n\n" + fenced(msg) + "\n" + details)
}

// runner carries one run's state.
type runner struct {
	o         Options
	env       func(string) string
	gha       *githubactions.Action
	in        *Inputs
	cfg       *config.Config
	ev        *event.Event
	workspace string
	reportDir string
	noticed   bool
	gh        GitHub
	ghTried   bool
	repro     *repro.Result // the head built twice, with reproducible: true
}

func (r *runner) run(ctx context.Context) error {
	// The token is masked before anything else can print it.
	if tok := r.gha.GetInput("github-token"); tok != "" {
		r.gha.AddMask(tok)
	}
	in, err := readInputs(r.gha.GetInput)
	if err != nil {
		return err
	}
	r.in = in
	if r.workspace, err = filepath.Abs(or(r.env("GITHUB_WORKSPACE"), ".")); err != nil {
		return fmt.Errorf("workspace: %w", err)
	}
	if r.cfg, err = loadConfig(r.workspace, in.Config); err != nil {
		return err
	}
	if r.ev, err = event.ReadEvent(r.env("GITHUB_EVENT_NAME"), r.env("GITHUB_EVENT_PATH")); err != nil {
		return err
	}
	r.reportDir = r.resolve(in.ReportDir)
	if in.ReportDir == "" {
		r.reportDir = filepath.Join(or(r.env("RUNNER_TEMP"), os.TempDir()), "imagedrift")
	}
	if in.Mode == ModeComment {
		return r.commentPhase(ctx)
	}
	// A report directory that cannot be written fails now, not after
	// minutes of building.
	if err := r.prepareReportDir(); err != nil {
		return err
	}
	if in.Mode == ModeWatch {
		return r.watchPhase(ctx)
	}
	return r.diffPhase(ctx)
}

// resolve makes a path from an input absolute, relative to the workspace.
func (r *runner) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(r.workspace, p)
}

// loadConfig reads the config input, relative to the workspace, or the
// default paths in the workspace.
func loadConfig(workspace, path string) (*config.Config, error) {
	if path != "" {
		if !filepath.IsAbs(path) {
			path = filepath.Join(workspace, path)
		}
		return config.Load(path)
	}
	for _, p := range config.DefaultPaths {
		full := filepath.Join(workspace, p)
		if _, err := os.Stat(full); err == nil {
			return config.Load(full)
		}
	}
	return config.Default(), nil
}

// key is the comment key: the input, the config's, or the Dockerfile and
// target, so that several images in one pull request keep apart.
func (r *runner) key() string {
	switch {
	case r.in.CommentKey != "":
		return r.in.CommentKey
	case r.cfg.Comment.Key != "":
		return r.cfg.Comment.Key
	case r.in.Target != "":
		return filepath.ToSlash(r.in.File) + "#" + r.in.Target
	}
	return filepath.ToSlash(r.in.File)
}

// when is the comment setting: the input, else the config's.
func (r *runner) when() string {
	return or(r.in.Comment, or(r.cfg.Comment.When, config.WhenChanges))
}

// fenced puts text in a Markdown code block whose fence no backtick run
// in the text can close.
func fenced(s string) string {
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + "text\n" + s + "\n" + fence
}
