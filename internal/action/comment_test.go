package action

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/github/api/fakegithub"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

const (
	testRepo  = "acme/web"
	testToken = "ghs_test0token0value"
)

// fakeGitHub serves an in-process GitHub, whose bodies are shaped from
// the recorded API responses, to the action's real client. The pull
// request #7 has head at first.
func fakeGitHub(t *testing.T, env *runnerEnv, o *Options, head string) *fakegithub.Server {
	t.Helper()
	srv, err := fakegithub.New(fakegithub.Options{Fixtures: fixtures.Shared(t, "fixtures", "github")})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetPullRequest(testRepo, 7, head, false)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	fakeGitHubAt(env, o, hs.URL)
	return srv
}

// fakeGitHubAt points a run at a GitHub served at url.
func fakeGitHubAt(env *runnerEnv, o *Options, url string) {
	env.vars["GITHUB_API_URL"] = url
	env.vars["GITHUB_SERVER_URL"] = "https://github.com"
	env.vars["GITHUB_RUN_ID"] = "42"
	env.input("github-token", testToken)
	o.NewGitHub = func(tg Target) (GitHub, error) {
		return api.New(api.Config{BaseURL: tg.APIURL, Token: tg.Token, UserAgent: "imagedrift/test", Warn: tg.Warn,
			ForkAdvice: tg.ForkAdvice, Retry: api.RetryPolicy{Backoff: func(int) time.Duration { return 0 },
				Sleep: func(context.Context, time.Duration) error { return nil }}})
	}
}

// dependabotRun is a pull_request run of the action on Dependabot's
// update of express, with the in-process GitHub.
func dependabotRun(t *testing.T) (*runnerEnv, *Options, *fakegithub.Server, *fakeImages, string) {
	repo, ev, head := dependabotPR(t)
	env := newRunnerEnv(t, repo.Dir, "pull_request")
	env.setEventFile(ev)
	env.input("comment-key", "web")
	o := env.options()
	f := npmImages(t)
	f.install(&o)
	srv := fakeGitHub(t, env, &o, head)
	return env, &o, srv, f, head
}

func TestCommentCreatedThenEdited(t *testing.T) {
	env, o, srv, f, _ := dependabotRun(t)
	if err := Run(context.Background(), *o); err != nil {
		t.Fatal(err)
	}
	comments := srv.Comments(testRepo, 7)
	if len(comments) != 1 || !strings.HasPrefix(comments[0].Body, "<!-- imagedrift:web -->\n### ") || !comments[0].Bot {
		t.Fatalf("after the first run: %+v", comments)
	}
	first := comments[0]
	if url := env.outputs()["comment-url"]; !strings.Contains(url, "/pull/7#issuecomment-") {
		t.Errorf("comment-url %q", url)
	}
	if md, _ := os.ReadFile(env.outputs()["markdown"]); string(md) != first.Body {
		t.Errorf("the comment is not the report's Markdown")
	}
	// The token is masked first and never printed otherwise.
	out := env.stdout.String()
	if !strings.HasPrefix(out, "::add-mask::"+testToken+"\n") || strings.Count(out, testToken) != 1 {
		t.Errorf("token not masked first or printed again:\n%s", out)
	}

	// A new push that changes nothing in the images: the comment is
	// edited to say so, no second one.
	f.head = f.base
	env.reset()
	if err := Run(context.Background(), *o); err != nil {
		t.Fatal(err)
	}
	comments = srv.Comments(testRepo, 7)
	if len(comments) != 1 || comments[0].ID != first.ID || !strings.Contains(comments[0].Body, "### ✅ No changes") {
		t.Fatalf("after a push with no changes: %+v", comments)
	}

	// Someone deletes it; the images stay the same: none is created.
	gh, _ := o.NewGitHub(Target{APIURL: env.vars["GITHUB_API_URL"], Token: testToken})
	if err := gh.(*api.Client).DeleteComment(context.Background(), testRepo, first.ID); err != nil {
		t.Fatal(err)
	}
	env.reset()
	if err := Run(context.Background(), *o); err != nil {
		t.Fatal(err)
	}
	if comments := srv.Comments(testRepo, 7); len(comments) != 0 {
		t.Errorf("a comment was created for identical images: %+v", comments)
	}
	if url := env.outputs()["comment-url"]; url != "" {
		t.Errorf("comment-url %q without a comment", url)
	}
}

func TestCommentSetting(t *testing.T) {
	for _, tt := range []struct {
		comment string
		want    int
	}{{"always", 1}, {"changes", 1}, {"risk", 1}, {"never", 0}} {
		t.Run(tt.comment, func(t *testing.T) {
			env, o, srv, _, _ := dependabotRun(t)
			env.input("comment", tt.comment)
			if err := Run(context.Background(), *o); err != nil {
				t.Fatal(err)
			}
			if got := len(srv.Comments(testRepo, 7)); got != tt.want {
				t.Errorf("%d comments, want %d", got, tt.want)
			}
		})
	}
}

// With comment: risk, a push that leaves no risk edits the comment to one
// line and creates none.
func TestCommentRiskGoesAway(t *testing.T) {
	env, o, srv, f, head := dependabotRun(t)
	env.input("comment", "risk")
	if err := Run(context.Background(), *o); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Comments(testRepo, 7)); n != 1 {
		t.Fatalf("%d comments after a risky run", n)
	}
	// Another image with the same packages: no risk left.
	same := *f.base
	same.Digest = "sha256:" + strings.Repeat("3", 64)
	f.head = &same
	env.reset()
	if err := Run(context.Background(), *o); err != nil {
		t.Fatal(err)
	}
	c := srv.Comments(testRepo, 7)
	if len(c) != 1 || !strings.Contains(c[0].Body, "### ✅ No risks found") || !strings.Contains(c[0].Body, head[:12]) {
		t.Errorf("comments %+v", c)
	}
}

// A token that may not write (a fork's pull request, Dependabot without
// permissions): no failure for that, one notice with the fix, the report
// in the job summary.
func TestCommentReadOnlyToken(t *testing.T) {
	env, o, srv, _, _ := dependabotRun(t)
	srv.SetReadOnly(true)
	env.input("check-run", "true")
	if err := Run(context.Background(), *o); err != nil {
		t.Fatalf("Run: %v, want success: a read-only token is not the policy's failure", err)
	}
	out := env.stdout.String()
	if n := strings.Count(out, "::notice::"); n != 1 || !strings.Contains(out, "pull-requests: write") || !strings.Contains(out, "mode: report") {
		t.Errorf("want one notice naming the permission and the fork setup, got %d:\n%s", n, out)
	}
	if strings.Contains(out, "::warning::") || strings.Contains(out, "::error::") {
		t.Errorf("warnings or errors for a read-only token:\n%s", out)
	}
	if !strings.Contains(env.summary(), "#### Risks") {
		t.Error("no report in the job summary")
	}
}

// A report of a commit the pull request has left behind is not posted.
func TestCommentHeadMoved(t *testing.T) {
	env, o, srv, _, _ := dependabotRun(t)
	srv.SetPullRequest(testRepo, 7, headSHA, false)
	if err := Run(context.Background(), *o); err != nil {
		t.Fatal(err)
	}
	if c := srv.Comments(testRepo, 7); len(c) != 0 {
		t.Errorf("posted on a pull request that moved on: %+v", c)
	}
	if out := env.stdout.String(); !strings.Contains(out, "has moved on to "+headSHA[:12]) {
		t.Errorf("no notice about the newer head:\n%s", out)
	}
}

// The check run carries the policy's conclusion, the report and the
// findings on the Dockerfile's lines.
func TestCheckRun(t *testing.T) {
	env, o, srv, _, head := dependabotRun(t)
	env.input("check-run", "true")
	env.input("fail-on", "undeclared-change")
	if err := Run(context.Background(), *o); err != risk.ErrPolicyFailed {
		t.Fatalf("Run: %v, want the policy to fail", err)
	}
	runs := srv.State().CheckRuns[testRepo]
	if len(runs) != 1 {
		t.Fatalf("check runs %+v", runs)
	}
	cr := runs[0]
	if cr.Name != "imagedrift (web)" || cr.HeadSHA != head || cr.Conclusion != "failure" || !strings.HasPrefix(cr.Summary, "<!-- imagedrift:web -->") {
		t.Errorf("check run %+v", cr)
	}
	if len(cr.Annotations) == 0 || cr.Annotations[0]["path"] != "Dockerfile" {
		t.Errorf("annotations %v", cr.Annotations)
	}
}

func TestWanted(t *testing.T) {
	identical := &report.Report{Identical: true}
	quiet := &report.Report{}
	risky := &report.Report{Risks: []risk.Risk{{ID: "major-bump"}}}
	for _, tt := range []struct {
		when string
		rep  *report.Report
		want bool
	}{
		{"always", identical, true},
		{"changes", identical, false}, {"changes", quiet, true},
		{"risk", quiet, false}, {"risk", risky, true},
		{"never", risky, false},
	} {
		if got := wanted(tt.when, tt.rep); got != tt.want {
			t.Errorf("wanted(%q, %+v) = %v", tt.when, tt.rep, got)
		}
	}
}

func TestCommentPhaseWithoutArtifact(t *testing.T) {
	env := newRunnerEnv(t, t.TempDir(), "workflow_dispatch")
	env.input("mode", "comment")
	env.input("report-dir", t.TempDir())
	err := Run(context.Background(), env.options())
	if err == nil || !strings.Contains(err.Error(), "no report.json in the report directory") {
		t.Fatalf("Run: %v", err)
	}
}

// Without a way to post (no client, no token), a pull request run says
// once where the report is, and does not fail for it.
func TestCommentNotAvailable(t *testing.T) {
	repo, ev, _ := dependabotPR(t)
	env := newRunnerEnv(t, repo.Dir, "pull_request")
	env.setEventFile(ev)
	o := env.options()
	npmImages(t).install(&o)
	if err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	out := env.stdout.String()
	if n := strings.Count(out, "::notice::"); n != 1 || !strings.Contains(out, "the report is in the job summary") {
		t.Errorf("want one notice, got %d:\n%s", n, out)
	}
	env.reset()
	env.input("comment", "never")
	if err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(env.stdout.String(), "::notice::") {
		t.Errorf("a notice with comment: never:\n%s", env.stdout.String())
	}
}

// workflowRunEvent is the recorded workflow_run payload, derived: the
// triggering run's head and its pull requests (none for a fork).
func workflowRunEvent(t *testing.T, head string, prs ...int) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures.Shared(t, "fixtures", "github", "webhooks"), "workflow_run.completed.with-pull-requests.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	run := ev["workflow_run"].(map[string]any)
	run["event"], run["head_sha"] = "pull_request", head
	var list []any
	for _, n := range prs {
		list = append(list, map[string]any{"number": n, "head": map[string]any{"sha": head}})
	}
	run["pull_requests"] = list
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// commentPhase runs mode: comment on the report phase's artifact in dir,
// as the fork-safe workflow_run workflow does.
func commentPhase(t *testing.T, dir, head, reportMarkdown string) {
	tests := []struct {
		name     string
		event    []byte
		prHead   string // the pull request's head as the API says
		wantErr  string
		comments int
	}{
		{"same head", workflowRunEvent(t, head, 7), head, "", 1},
		{"fork: no pull requests listed", workflowRunEvent(t, head), head, "", 1},
		{"pull request moved on", workflowRunEvent(t, head), baseSHA, "", 0},
		{"other head", workflowRunEvent(t, baseSHA, 7), head, "refusing to publish it", 0},
		{"other pull request", workflowRunEvent(t, head, 8), head, "names pull request #7", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newRunnerEnv(t, t.TempDir(), "workflow_run")
			env.setEventFile(tt.event)
			env.input("mode", "comment")
			env.input("report-dir", dir)
			o := env.options()
			srv := fakeGitHub(t, env, &o, tt.prHead)
			err := Run(context.Background(), o)
			if got := len(srv.Comments(testRepo, 7)); got != tt.comments {
				t.Errorf("%d comments, want %d", got, tt.comments)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Run: %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSuffix(env.summary(), "\n") != reportMarkdown {
				t.Errorf("the comment phase's summary differs from the report phase's Markdown:\n%s", env.summary())
			}
			if got := env.outputs(); got["failed"] != "true" || (got["comment-url"] != "") != (tt.comments == 1) {
				t.Errorf("outputs %v", got)
			}
		})
	}

	// A matrix: two report folders, posted as one comment.
	t.Run("set of images", func(t *testing.T) {
		root := t.TempDir()
		for _, name := range []string{"api", "worker"} {
			d := filepath.Join(root, "imagedrift-"+name)
			copyDir(t, dir, d)
			var info PRInfo
			readJSON(t, filepath.Join(d, prJSON), &info)
			info.Key = name
			b, _ := json.Marshal(info)
			if err := os.WriteFile(filepath.Join(d, prJSON), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		env := newRunnerEnv(t, root, "workflow_run")
		env.setEventFile(workflowRunEvent(t, head))
		env.input("mode", "comment")
		env.input("report-dir", "imagedrift-*/")
		o := env.options()
		srv := fakeGitHub(t, env, &o, head)
		if err := Run(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		c := srv.Comments(testRepo, 7)
		if len(c) != 1 || !strings.HasPrefix(c[0].Body, "<!-- imagedrift:all_images -->\n### 🟡 Low risk across 2 images") ||
			!strings.Contains(c[0].Body, "### 1. `api` · ") || !strings.Contains(c[0].Body, "### 2. `worker` · ") {
			t.Errorf("comments %+v", c)
		}
		if got := env.outputs(); got["failed"] != "true" || got["packages-changed"] != "4" {
			t.Errorf("outputs %v", got)
		}
	})
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
