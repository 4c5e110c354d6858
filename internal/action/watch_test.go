package action

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/github/api/fakegithub"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/load"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/risk"
)

const deployedRef = "registry:ghcr.io/acme/web:main"

// watchImages stands for the fresh build and the loader in watch mode:
// the reference is the image deployed, the head a fresh build whose
// packages the test sets before each run (drift, or none).
type watchImages struct {
	t         *testing.T
	reference *inventory.Inventory
	fresh     *inventory.Inventory
	got       build.Options
}

func (w *watchImages) build(_ context.Context, o build.Options) (*build.Result, error) {
	w.got = o
	return &build.Result{
		Base: build.Side{Ref: o.BaseImage},
		Head: build.Side{Ref: "docker-archive:/work/head.tar", Commit: headSHA, Built: true},
	}, nil
}

func (w *watchImages) load(_ context.Context, base, head string, _ load.Options) (*inventory.Inventory, *inventory.Inventory, error) {
	if base != deployedRef || head != "docker-archive:/work/head.tar" {
		w.t.Fatalf("unexpected references %q %q", base, head)
	}
	return w.reference, w.fresh, nil
}

// drift makes the fresh build differ from the reference (a newer
// tzdata, as an unpinned apt-get install takes), or not.
func (w *watchImages) drift(on bool) {
	cp := *w.reference
	cp.Digest = "sha256:" + strings.Repeat("f", 64)
	if on {
		cp.Packages = []packages.Package{dpkgPkg("tzdata", "2026f-0+deb12u1")}
	}
	w.fresh = &cp
}

func dpkgPkg(name, version string) packages.Package {
	return packages.Package{Ecosystem: packages.Dpkg, Name: name, Version: version, Location: "/var/lib/dpkg/status", Arch: "all"}
}

// watchRun is a scheduled run of the action in watch mode against the
// in-process GitHub.
func watchRun(t *testing.T) (*runnerEnv, *Options, *fakegithub.Server, *watchImages, *time.Time) {
	t.Helper()
	repo, _, _ := e2eRepo(t)
	repo.Write(map[string]string{"Dockerfile": "FROM debian:bookworm\nRUN apt-get update && apt-get install -y tzdata\n"})
	repo.Commit("apt")
	env := newRunnerEnv(t, repo.Dir, "schedule")
	env.input("mode", "watch")
	env.input("base-image", deployedRef)
	o := env.options()
	w := &watchImages{t: t, reference: &inventory.Inventory{Digest: "sha256:" + strings.Repeat("1", 64),
		Packages: []packages.Package{dpkgPkg("tzdata", "2025b-0+deb12u1")}}}
	o.build, o.load = w.build, w.load
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	o.now = func() time.Time { return now }
	srv := fakeGitHub(t, env, &o, headSHA)
	return env, &o, srv, w, &now
}

// TestWatchIssueLifecycle: the first drift opens one issue, labelled and
// marked; a second run edits it (last seen later); a clean run closes it
// with a comment; another clean run does nothing; drift again reopens
// the same issue. The fake answers the issue endpoints in the shapes of
// GitHub's REST documentation where no exchange was recorded: "List
// repository issues" (labels, state=all), "Create an issue" and "Update
// an issue" (state) at https://docs.github.com/en/rest/issues/issues, and
// "Create an issue comment" at https://docs.github.com/en/rest/issues/comments.
func TestWatchIssueLifecycle(t *testing.T) {
	env, o, srv, w, now := watchRun(t)
	run := func(drift bool) {
		t.Helper()
		w.drift(drift)
		env.reset()
		if err := Run(context.Background(), *o); err != nil {
			t.Fatalf("Run: %v\n%s", err, env.stdout.String())
		}
		*now = now.Add(24 * time.Hour)
	}
	issues := func() []fakegithub.Issue { return srv.State().Issues[testRepo] }

	run(true)
	if !w.got.Pull || !w.got.NoCache || w.got.BaseImage != deployedRef {
		t.Errorf("build options %+v: want a fresh build (--pull --no-cache) against the reference", w.got)
	}
	is := issues()
	if len(is) != 1 || is[0].State != "open" || !is[0].Bot || len(is[0].Labels) != 1 || is[0].Labels[0] != IssueLabel {
		t.Fatalf("first drift: issues %+v", is)
	}
	first := is[0]
	for _, want := range []string{"<!-- imagedrift:Dockerfile -->\n", "**A fresh build of `Dockerfile` differs from `registry:ghcr.io/acme/web:main`.**", "Last seen 2026-11-30 03:00 UTC in [run 42](https://github.com/acme/web/actions/runs/42)",
		"#### What drifted", "tzdata", "`apt-unpinned`", "`unpinned-base-digest`"} {
		if !strings.Contains(first.Body, want) {
			t.Errorf("issue body lacks %q:\n%s", want, first.Body)
		}
	}
	if !strings.HasPrefix(first.Body, "<!-- imagedrift:Dockerfile -->\n") || !strings.Contains(first.Title, "Dockerfile") {
		t.Errorf("issue %q: the marker is not the first line or the title does not name the key", first.Title)
	}
	out := env.outputs()
	if out["drifted"] != "true" || !strings.HasSuffix(out["issue-url"], fmt.Sprintf("/acme/web/issues/%d", first.Number)) || out["comment-url"] != "" {
		t.Errorf("outputs %v", out)
	}

	run(true)
	if is = issues(); len(is) != 1 || is[0].Number != first.Number || !strings.Contains(is[0].Body, "Last seen 2026-12-01 03:00 UTC") {
		t.Fatalf("second drift: issues %+v, want the first one edited", is)
	}

	run(false)
	is = issues()
	comments := srv.Comments(testRepo, first.Number)
	if len(is) != 1 || is[0].State != "closed" || len(comments) != 1 || !strings.HasPrefix(comments[0].Body, "No drift") {
		t.Fatalf("clean run: issues %+v, comments %+v", is, comments)
	}
	if out := env.outputs(); out["drifted"] != "false" || out["issue-url"] != "" {
		t.Errorf("clean run: outputs %v", out)
	}

	run(false)
	if c := srv.Comments(testRepo, first.Number); len(c) != 1 || issues()[0].State != "closed" {
		t.Errorf("second clean run: %d comments, state %s; want nothing done", len(c), issues()[0].State)
	}

	run(true)
	if is = issues(); len(is) != 1 || is[0].Number != first.Number || is[0].State != "open" || !strings.Contains(is[0].Body, "Last seen 2026-12-04") {
		t.Fatalf("drift again: issues %+v, want the first one reopened", is)
	}
}

// Without issues: write the run passes: the report is in the job
// summary, one notice names the permission, no issue is made.
func TestWatchReadOnlyToken(t *testing.T) {
	env, o, srv, w, _ := watchRun(t)
	srv.SetReadOnly(true)
	w.drift(true)
	if err := Run(context.Background(), *o); err != nil {
		t.Fatalf("Run: %v\n%s", err, env.stdout.String())
	}
	log := env.stdout.String()
	if n := strings.Count(log, "::notice::"); n != 1 || !strings.Contains(log, `issues: write`) {
		t.Errorf("%d notices, want one naming issues: write:\n%s", n, log)
	}
	if len(srv.State().Issues[testRepo]) != 0 || !strings.Contains(env.summary(), "What drifted") {
		t.Errorf("issues %+v; summary:\n%s", srv.State().Issues[testRepo], env.summary())
	}
}

// fail-on works as in the pull request modes: a scheduled job goes red.
func TestWatchFailOn(t *testing.T) {
	env, o, _, w, _ := watchRun(t)
	env.input("fail-on", "minor-bump")
	if err := Run(context.Background(), *o); err == nil || !strings.Contains(err.Error(), "minor-bump") {
		t.Fatalf("unknown risk id: %v", err)
	}
	env.input("fail-on", "low")
	w.drift(true)
	env.reset()
	err := Run(context.Background(), *o)
	if !errors.Is(err, risk.ErrPolicyFailed) || env.outputs()["failed"] != "true" {
		t.Errorf("Run: %v, outputs %v; want a failed policy", err, env.outputs())
	}
}

// Watch mode needs the reference.
func TestWatchNeedsReference(t *testing.T) {
	env, o, _, _, _ := watchRun(t)
	delete(env.vars, "INPUT_BASE-IMAGE")
	err := Run(context.Background(), *o)
	if err == nil || !strings.Contains(err.Error(), "input base-image: watch mode compares") {
		t.Errorf("error %v", err)
	}
}

// TestWatchEndToEnd runs watch mode on the Docker engine: the image of
// the repository's first commit stands for the one deployed, the checkout
// (a newer tzdata) is built fresh, and the in-process GitHub gets one
// issue naming the drift.
func TestWatchEndToEnd(t *testing.T) {
	buildtest.RequireDocker(t)
	repo, base, _ := e2eRepo(t)
	built, err := build.Build(context.Background(), build.Options{RepoDir: repo.Dir, BaseRef: base, HeadImage: "unused",
		WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	env := newRunnerEnv(t, repo.Dir, "schedule")
	env.input("mode", "watch")
	env.input("base-image", built.Base.Ref)
	o := env.options()
	srv := fakeGitHub(t, env, &o, headSHA)
	start := time.Now()
	if err := Run(context.Background(), o); err != nil {
		t.Fatalf("Run: %v\n%s", err, env.stdout.String())
	}
	t.Logf("watch run (fresh build, report, issue) in %s", time.Since(start).Round(100*time.Millisecond))
	is := srv.State().Issues[testRepo]
	if len(is) != 1 || !strings.Contains(is[0].Body, "tzdata") || !strings.Contains(is[0].Body, "What drifted") {
		t.Fatalf("issues %+v", is)
	}
	if log := env.stdout.String(); !strings.Contains(log, "--pull --no-cache") {
		t.Errorf("the build was not fresh:\n%s", log)
	}
	if out := env.outputs(); out["drifted"] != "true" || out["issue-url"] == "" {
		t.Errorf("outputs %v", out)
	}
}
