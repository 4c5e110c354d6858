package action

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/report"
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
// exit status ErrPolicyFailed, the files written, no pr.json without a
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
	if !errors.Is(err, ErrPolicyFailed) {
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
	if err == nil || errors.Is(err, ErrPolicyFailed) {
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

var digestRe = regexp.MustCompile(`sha256:[0-9a-f]{12,64}`)

func maskDigests(s string) string { return digestRe.ReplaceAllString(s, "sha256:…") }
