package action

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// fixture reads a real Debian file: this package's testdata, or the build
// stage's.
func fixture(t *testing.T, name string) string {
	t.Helper()
	for _, dir := range []string{"testdata", filepath.Join("..", "build", "testdata")} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			return string(b)
		}
	}
	t.Fatalf("no fixture %s", name)
	return ""
}

// The Dockerfile takes its root file system from a build argument, which
// lint reports (arg-not-recorded, on line 2).
const e2eDockerfile = "FROM scratch\nARG ROOTFS=rootfs\nCOPY ${ROOTFS}/ /\n"

// e2eRepo is a repository whose head commit upgrades tzdata (2025b →
// 2026f, a minor calendar bump), adds debianutils and a file, and removes
// another: real dpkg databases in root file systems built FROM scratch.
func e2eRepo(t *testing.T) (repo *buildtest.Repo, base, head string) {
	repo = buildtest.NewRepo(t)
	repo.Write(map[string]string{
		"Dockerfile":                 e2eDockerfile,
		"rootfs/etc/os-release":      fixture(t, "os-release"),
		"rootfs/etc/legacy.conf":     "legacy=1\n",
		"rootfs/var/lib/dpkg/status": fixture(t, "status-hostname") + fixture(t, "status-tzdata-2025b"),
	})
	base = repo.Commit("base")
	repo.Write(map[string]string{
		"rootfs/var/lib/dpkg/status": fixture(t, "status-hostname") + fixture(t, "status-tzdata-2026f") + fixture(t, "status-debianutils"),
		"rootfs/usr/bin/which":       "#!/bin/sh\n# which\n",
	})
	repo.Remove("rootfs/etc/legacy.conf")
	head = repo.Commit("head")
	return repo, base, head
}

// TestEndToEnd runs the action on the Docker engine as a runner would for
// a workflow_dispatch event, twice: the same outputs, summary and report.
func TestEndToEnd(t *testing.T) {
	buildtest.RequireDocker(t)
	repo, base, head := e2eRepo(t)
	env := newRunnerEnv(t, repo.Dir, "workflow_dispatch")
	env.input("base-ref", base)
	env.input("comment", "always")

	type result struct {
		outputs       map[string]string
		summary, json string
	}
	var runs []result
	for i := 0; i < 2; i++ {
		env.reset()
		if err := Run(context.Background(), env.options()); err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, env.stdout.String())
		}
		out := env.outputs()
		b, err := os.ReadFile(out["report"])
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, result{out, env.summary(), string(b)})
		log := env.stdout.String()
		if !strings.Contains(log, "::notice col=5,file=Dockerfile,line=2,title=imagedrift arg-not-recorded::build argument ROOTFS") {
			t.Errorf("run %d: no lint annotation on Dockerfile line 2 in:\n%s", i+1, log)
		}
		// No pull request: no notice about a comment.
		if strings.Contains(log, "cannot post the pull request comment") {
			t.Errorf("run %d: comment notice without a pull request", i+1)
		}
		if !strings.Contains(log, "::group::Build base image") || !strings.Contains(log, "::group::Build head image") {
			t.Errorf("run %d: build output not grouped:\n%s", i+1, log)
		}
	}
	first := runs[0]
	wantDir := filepath.Join(env.vars["RUNNER_TEMP"], "imagedrift")
	want := map[string]string{
		"risk-level": "medium", "failed": "false", "major-bumps": "0", "packages-changed": "2",
		"report": filepath.Join(wantDir, "report.json"), "markdown": filepath.Join(wantDir, "report.md"), "comment-url": "",
		// No source of vulnerability data in this run: nothing looked up.
		"vulnerabilities-fixed": "", "vulnerabilities-introduced": "",
	}
	if diff := cmp.Diff(want, first.outputs); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	var rep report.Report
	readJSON(t, first.outputs["report"], &rep)
	// Both come from the Dockerfile's COPY, line 3.
	copied := &report.Origin{Side: "head", Kind: "instruction", Dockerfile: "Dockerfile", Line: 3, Instruction: "COPY ${ROOTFS}/ /"}
	wantPkgs := report.Packages{
		Added:   []report.Package{{Ecosystem: "dpkg", Name: "debianutils", Version: "5.7-0.5~deb12u1", Location: "/var/lib/dpkg/status", Arch: "amd64", Origin: copied}},
		Removed: []report.Package{},
		Changed: []report.PackageChange{{Ecosystem: "dpkg", Name: "tzdata", Location: "/var/lib/dpkg/status", Arch: "all",
			From: "2025b-0+deb12u1", To: "2026f-0+deb12u1", Bump: "minor", Origin: copied}},
	}
	if diff := cmp.Diff(wantPkgs, rep.Packages); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if rep.Base.Ref != "Dockerfile@"+base[:12] || rep.Head.Ref != "Dockerfile@"+head[:12] {
		t.Errorf("sides named %q and %q", rep.Base.Ref, rep.Head.Ref)
	}
	if rep.Files.Added == 0 || rep.Files.Removed == 0 || len(rep.Lint) != 1 || rep.Lint[0].Rule != "arg-not-recorded" {
		t.Errorf("files %+v, lint %+v", rep.Files, rep.Lint)
	}
	var ids []string
	for _, r := range rep.Risks {
		ids = append(ids, string(r.Level)+" "+r.ID+" "+r.Subject)
	}
	// tzdata's calendar bump is minor: no major-bump.
	// FROM scratch: no base image to change.
	wantRisks := []string{"medium size-increase image size", "low package-added dpkg:debianutils", "low lint:arg-not-recorded Dockerfile:2"}
	if diff := cmp.Diff(wantRisks, ids); diff != "" {
		t.Errorf("risks (-want +got):\n%s", diff)
	}
	md, err := os.ReadFile(first.outputs["markdown"])
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSuffix(runs[1].summary, "\n") != string(md) || !strings.Contains(string(md), "tzdata") {
		t.Errorf("summary is not the report's Markdown:\n%s", first.summary)
	}
	// Each build makes new images (a FROM scratch build is not cached by
	// the classic builder, and its creation time differs): apart from
	// their digests, the second run reports the same.
	second := runs[1]
	if diff := cmp.Diff(first.outputs, second.outputs); diff != "" {
		t.Errorf("second run's outputs differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(maskDigests(first.summary), maskDigests(second.summary)); diff != "" {
		t.Errorf("second run's summary differs (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(maskDigests(first.json), maskDigests(second.json)); diff != "" {
		t.Errorf("second run's report differs (-first +second):\n%s", diff)
	}
	// The archives and the base worktree are gone.
	if left, _ := filepath.Glob(filepath.Join(env.vars["RUNNER_TEMP"], "imagedrift-build-*")); len(left) > 0 {
		t.Errorf("work directories left behind: %v", left)
	}
	if wt := buildtest.Worktrees(t, repo.Dir); len(wt) != 1 {
		t.Errorf("worktrees left behind: %v", wt)
	}
}

// TestEndToEndPolicy fails the policy on a push event in report mode:
// exit status risk.ErrPolicyFailed, the files written, no pr.json without a
// pull request.
func TestEndToEndPolicy(t *testing.T) {
	buildtest.RequireDocker(t)
	repo, base, _ := e2eRepo(t)
	env := newRunnerEnv(t, repo.Dir, "push")
	env.input("base-ref", base)
	env.input("mode", "report")
	env.input("report-dir", "imagedrift-report")
	env.input("fail-on", "package-added")
	env.input("lint", "false")
	err := Run(context.Background(), env.options())
	if !errors.Is(err, risk.ErrPolicyFailed) {
		t.Fatalf("Run: %v, want a failed policy\n%s", err, env.stdout.String())
	}
	out := env.outputs()
	dir := filepath.Join(repo.Dir, "imagedrift-report")
	if out["failed"] != "true" || out["report"] != filepath.Join(dir, "report.json") {
		t.Errorf("outputs %v", out)
	}
	var rep report.Report
	readJSON(t, out["report"], &rep)
	if !rep.Verdict.Failed || len(rep.Lint) != 0 {
		t.Errorf("verdict %+v, lint %+v", rep.Verdict, rep.Lint)
	}
	if _, err := os.Stat(filepath.Join(dir, "pr.json")); !os.IsNotExist(err) {
		t.Errorf("pr.json without a pull request: %v", err)
	}
	log := env.stdout.String()
	if !strings.Contains(log, "::error::imagedrift: policy failed (fail-on package-added): package-added: 1 risk (package-added dpkg:debianutils)") {
		t.Errorf("no policy annotation:\n%s", log)
	}
	if bytes.Contains([]byte(log), []byte("::notice col=")) {
		t.Errorf("lint annotations with lint: false:\n%s", log)
	}
}

// A broken build says why in its annotation and summary, not only in the
// folded build log.
func TestEndToEndBuildFailure(t *testing.T) {
	buildtest.RequireDocker(t)
	repo, base, _ := e2eRepo(t)
	repo.Write(map[string]string{"Dockerfile": "FROM scratch\nCOPY missing-dir/ /\n"})
	repo.Commit("head: broken")
	env := newRunnerEnv(t, repo.Dir, "push")
	env.input("base-ref", base)
	err := Run(context.Background(), env.options())
	if err == nil || errors.Is(err, risk.ErrPolicyFailed) {
		t.Fatalf("Run: %v, want a build failure", err)
	}
	var annotation string
	for _, line := range strings.Split(env.stdout.String(), "\n") {
		if strings.HasPrefix(line, "::error::") {
			annotation = line
		}
	}
	if !strings.Contains(annotation, "build head image") || !strings.Contains(annotation, "missing-dir") {
		t.Errorf("error annotation %q: want the side and the builder's complaint", annotation)
	}
	if sum := env.summary(); !strings.Contains(sum, "The last lines of the head build") || !strings.Contains(sum, "missing-dir") {
		t.Errorf("summary lacks the build's last lines:\n%s", sum)
	}
}

// openedEvent is the recorded pull_request.opened payload adapted to a
// repository's base and head commits.
func openedEvent(t *testing.T, base, head string) []byte {
	return recordedEvent(t, "pull_request.opened.json", func(ev, pr map[string]any) {
		ev["number"], pr["number"] = 7, 7
		pr["base"].(map[string]any)["sha"] = base
		pr["head"].(map[string]any)["sha"] = head
	})
}

// TestEndToEndComment runs the action on the Docker engine as a runner
// does for a pull request, against the in-process GitHub: the first run
// creates one comment, the second edits it, two racing runs leave one, a
// read-only token passes with the job summary only, and the fork's comment
// phase of a commit the pull request left behind posts nothing.
func TestEndToEndComment(t *testing.T) {
	buildtest.RequireDocker(t)
	repo, base, head := e2eRepo(t)
	newEnv := func() (*runnerEnv, Options) {
		env := newRunnerEnv(t, repo.Dir, "pull_request")
		env.setEventFile(openedEvent(t, base, head))
		env.input("lint", "false")
		return env, env.options()
	}
	env, o := newEnv()
	srv := fakeGitHub(t, env, &o, head)
	run := func(env *runnerEnv, o Options) {
		t.Helper()
		env.reset()
		if err := Run(context.Background(), o); err != nil {
			t.Fatalf("Run: %v\n%s", err, env.stdout.String())
		}
	}

	run(env, o)
	c := srv.Comments(testRepo, 7)
	if len(c) != 1 || !strings.HasPrefix(c[0].Body, "<!-- imagedrift:Dockerfile -->\n### 🟠 Medium risk") || !strings.Contains(c[0].Body, "tzdata") {
		t.Fatalf("first run: %+v", c)
	}
	first := c[0]

	run(env, o)
	c = srv.Comments(testRepo, 7)
	if len(c) != 1 || c[0].ID != first.ID {
		t.Fatalf("second run: %+v, want the first comment edited", c)
	}

	// Two runs at once, no comment yet: one comment in the end. The
	// builds take turns (the engine's classic builder is not the subject
	// here); the two posts start together.
	srv = fakeGitHub(t, env, &o, head)
	env2, o2 := newEnv()
	for k, v := range env.vars {
		if strings.HasPrefix(k, "GITHUB_API") || strings.HasPrefix(k, "INPUT_GITHUB") {
			env2.vars[k] = v
		}
	}
	var builds sync.Mutex
	var ready sync.WaitGroup
	ready.Add(2)
	plain := o.NewGitHub
	for _, opts := range []*Options{&o, &o2} {
		opts.build = func(ctx context.Context, bo build.Options) (*build.Result, error) {
			builds.Lock()
			defer builds.Unlock()
			return build.Build(ctx, bo)
		}
		opts.NewGitHub = func(tg Target) (GitHub, error) {
			gh, err := plain(tg)
			return barrier{GitHub: gh, ready: &ready}, err
		}
	}
	errs := make(chan error, 2)
	for _, opts := range []Options{o, o2} {
		go func() { errs <- Run(context.Background(), opts) }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("racing runs: %v", err)
		}
	}
	if c := srv.Comments(testRepo, 7); len(c) != 1 {
		t.Fatalf("racing runs left %d comments", len(c))
	}
	o.build, o.NewGitHub = nil, plain

	// A read-only token: the run passes, the report is in the summary.
	srv.SetReadOnly(true)
	run(env, o)
	if !strings.Contains(env.summary(), "tzdata") || !strings.Contains(env.stdout.String(), "pull-requests: write") {
		t.Errorf("read-only run: summary or notice missing:\n%s", env.stdout.String())
	}
	srv.SetReadOnly(false)

	// The fork setup: the report phase, then a comment phase whose pull
	// request has moved on to another commit.
	env3, o3 := newEnv()
	env3.input("mode", "report")
	env3.input("report-dir", "fork-report")
	run(env3, o3)
	env4 := newRunnerEnv(t, t.TempDir(), "workflow_run")
	env4.setEventFile(workflowRunEvent(t, head))
	env4.input("mode", "comment")
	env4.input("report-dir", filepath.Join(repo.Dir, "fork-report"))
	o4 := env4.options()
	srv = fakeGitHub(t, env4, &o4, base)
	run(env4, o4)
	if c := srv.Comments(testRepo, 7); len(c) != 0 {
		t.Errorf("the comment phase posted for a head the pull request left: %+v", c)
	}
}

// barrier holds each run's post until both runs are ready to post.
type barrier struct {
	GitHub
	ready *sync.WaitGroup
}

func (b barrier) UpsertSticky(ctx context.Context, repo string, pr int, marker, body string, o api.StickyOptions) (api.StickyResult, error) {
	b.ready.Done()
	b.ready.Wait()
	return b.GitHub.UpsertSticky(ctx, repo, pr, marker, body, o)
}

var digestRe = regexp.MustCompile(`sha256:[0-9a-f]{12,64}`)

func maskDigests(s string) string { return digestRe.ReplaceAllString(s, "sha256:…") }
