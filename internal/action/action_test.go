package action

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

const (
	baseSHA = "9c2f5e3b1a7d4e6f8a0b2c4d6e8f0a1b3c5d7e9f"
	headSHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
)

func npmPackage(name, version string) packages.Package {
	return packages.Package{Ecosystem: "npm", Name: name, Version: version, Location: "/app/node_modules/" + name + "/package.json"}
}

// npmImages are an application image before and after a Dependabot
// update of express whose lock file also moved body-parser.
func npmImages(t *testing.T) *fakeImages {
	base := &inventory.Inventory{Digest: "sha256:" + strings.Repeat("1", 64), Packages: []packages.Package{
		npmPackage("body-parser", "1.20.1"), npmPackage("express", "4.18.2"), npmPackage("ws", "8.16.0"),
	}}
	head := &inventory.Inventory{Digest: "sha256:" + strings.Repeat("2", 64), Packages: []packages.Package{
		npmPackage("body-parser", "1.20.2"), npmPackage("express", "4.19.2"), npmPackage("ws", "8.16.0"),
	}}
	return &fakeImages{t: t, base: base, head: head}
}

const dependabotMessage = `Bump express from 4.18.2 to 4.19.2

Bumps [express](https://github.com/expressjs/express) from 4.18.2 to 4.19.2.
- [Release notes](https://github.com/expressjs/express/releases)
- [Changelog](https://github.com/expressjs/express/blob/master/History.md)
- [Commits](https://github.com/expressjs/express/compare/4.18.2...4.19.2)

---
updated-dependencies:
- dependency-name: express
  dependency-version: 4.19.2
  dependency-type: direct:production
  update-type: version-update:semver-minor
...

Signed-off-by: dependabot[bot] <support@github.com>`

// dependabotPR makes a checkout whose head commit is Dependabot's and a
// pull_request event for it. No webhook payload of a Dependabot pull
// request was recorded: it is derived from the recorded synchronize
// payload, with Dependabot's login, title and branch.
func dependabotPR(t *testing.T) (*buildtest.Repo, []byte, string) {
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{"Dockerfile": "FROM node:20-bookworm-slim@sha256:" + strings.Repeat("a", 64) + "\nCOPY . /app\n"})
	base := repo.Commit("base")
	repo.Write(map[string]string{"package-lock.json": "{}\n"})
	head := repo.Commit(dependabotMessage)
	ev := dependabotEvent(t, 7, "Bump express from 4.18.2 to 4.19.2", "dependabot/npm_and_yarn/express-4.19.2", base, head, nil)
	return repo, ev, head
}

func TestDependabotPullRequest(t *testing.T) {
	repo, ev, head := dependabotPR(t)
	env := newRunnerEnv(t, repo.Dir, "pull_request")
	env.setEventFile(ev)
	env.input("fail-on", "undeclared-change")
	env.input("mode", "report")
	env.input("report-dir", "imagedrift-report")
	f := npmImages(t)
	o := env.options()
	f.install(&o)
	err := Run(context.Background(), o)
	if !errors.Is(err, risk.ErrPolicyFailed) {
		t.Fatalf("Run: %v, want the policy to fail on undeclared-change", err)
	}
	if f.got.BaseRef == "" || f.got.Event != "pull_request" || f.got.RepoDir != repo.Dir {
		t.Errorf("build options %+v: want the event's base sha and the workspace", f.got)
	}
	dir := filepath.Join(repo.Dir, "imagedrift-report")
	var rep report.Report
	readJSON(t, filepath.Join(dir, reportJSON), &rep)
	var undeclared []string
	for _, r := range rep.Risks {
		if r.ID == "undeclared-change" {
			undeclared = append(undeclared, r.Subject)
		}
	}
	if diff := cmp.Diff([]string{"npm:body-parser"}, undeclared); diff != "" {
		t.Errorf("undeclared-change risks (-want +got):\n%s", diff)
	}
	md, _ := os.ReadFile(filepath.Join(dir, reportMD))
	for _, want := range []string{"<!-- imagedrift:Dockerfile -->", "#### Declared vs. measured", "| `express` | `4.18.2` → `4.19.2` · minor | npm `4.18.2` → `4.19.2` · **minor** |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.TrimSuffix(env.summary(), "\n") != string(md) {
		t.Error("the job summary is not the report's Markdown")
	}
	var info PRInfo
	readJSON(t, filepath.Join(dir, prJSON), &info)
	if info.Number != 7 || info.HeadSHA != head || info.Key != "Dockerfile" || info.Declared == nil || len(info.Declared.Updates) != 1 {
		t.Errorf("pr.json %+v", info)
	}
	// body-parser moved with the declared npm update: a low risk, which
	// fail-on undeclared-change still fails on.
	if got := env.outputs(); got["failed"] != "true" || got["risk-level"] != "low" || got["packages-changed"] != "2" {
		t.Errorf("outputs %v", got)
	}
	out := env.stdout.String()
	if !strings.Contains(out, "::error::imagedrift: policy failed (fail-on undeclared-change)") {
		t.Errorf("no policy error annotation in:\n%s", out)
	}
	// The report phase does not comment: no notice about comments.
	if strings.Contains(out, "::notice::") {
		t.Errorf("report mode spoke of comments:\n%s", out)
	}

	// The comment phase, in a workflow_run workflow, reads the artifact.
	t.Run("comment phase", func(t *testing.T) {
		commentPhase(t, dir, head, string(md))
	})
}

// fakeCommenter records what it is asked to post.
func TestErrors(t *testing.T) {
	tests := []struct {
		name    string
		event   string
		inputs  map[string]string
		wantErr string
	}{
		{"no base", "workflow_dispatch", nil, "input base-ref: the workflow_dispatch event has no pull request to compare against"},
		{"bad mode", "push", map[string]string{"mode": "publish"}, "input mode"},
		{"missing config", "push", map[string]string{"config": "nope.yml", "base-ref": "main"}, "read config"},
		{"pull request without payload", "pull_request", nil, "decode"},
		{"comment without artifact", "workflow_run", map[string]string{"mode": "comment"}, "decode"},
		// The runner's temporary directory holds a file where the
		// report directory goes: fail before building, naming the input.
		{"report-dir is a file", "push", map[string]string{"base-ref": "main", "report-dir": "Dockerfile"}, "report directory (input report-dir)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := t.TempDir()
			if err := os.WriteFile(filepath.Join(ws, "Dockerfile"), []byte("FROM scratch\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			env := newRunnerEnv(t, ws, tt.event)
			env.setEventFile([]byte("[]"))
			for k, v := range tt.inputs {
				env.input(k, v)
			}
			o := env.options()
			o.build = func(context.Context, build.Options) (*build.Result, error) {
				t.Fatal("built although the run should have stopped")
				return nil, nil
			}
			err := Run(context.Background(), o)
			if err == nil || errors.Is(err, risk.ErrPolicyFailed) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Run: %v, want %q", err, tt.wantErr)
			}
			if !strings.Contains(env.stdout.String(), "::error::imagedrift: ") {
				t.Errorf("no error annotation:\n%s", env.stdout.String())
			}
			if !strings.Contains(env.summary(), "imagedrift failed") {
				t.Errorf("no summary of the failure: %q", env.summary())
			}
		})
	}
}

// readInputs reads exactly the inputs InputNames lists, which the
// repository's action.yml is checked against.
// The outputs set are exactly OutputNames.
// Without a way to post, a pull request run says once where the report
// is, and does not fail for it.
