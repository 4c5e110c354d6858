package action

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	gh "github.com/google/go-github/v57/github"

	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

func workflowRunEvent(t *testing.T, head string, prs ...int) []byte {
	run := &gh.WorkflowRun{Event: gh.String("pull_request"), HeadSHA: gh.String(head)}
	for _, n := range prs {
		run.PullRequests = append(run.PullRequests, &gh.PullRequest{Number: gh.Int(n)})
	}
	b, err := json.Marshal(&gh.WorkflowRunEvent{Action: gh.String("completed"), WorkflowRun: run})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func commentPhase(t *testing.T, dir, head, reportMarkdown string) {
	tests := []struct {
		name    string
		event   []byte
		wantErr string
	}{
		{"same head", workflowRunEvent(t, head, 7), ""},
		{"fork: no pull requests listed", workflowRunEvent(t, head), ""},
		{"other head", workflowRunEvent(t, baseSHA, 7), "refusing to publish it"},
		{"other pull request", workflowRunEvent(t, head, 8), "names pull request #7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newRunnerEnv(t, t.TempDir(), "workflow_run")
			env.setEventFile(tt.event)
			env.input("mode", "comment")
			env.input("report-dir", dir)
			err := Run(context.Background(), env.options())
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
			out := env.stdout.String()
			if n := strings.Count(out, "::notice::"); n != 1 || !strings.Contains(out, "cannot post the pull request comment") {
				t.Errorf("want one notice about the comment, got %d in:\n%s", n, out)
			}
			if got := env.outputs(); got["failed"] != "true" || got["comment-url"] != "" {
				t.Errorf("outputs %v", got)
			}
		})
	}
}

type fakeCommenter struct {
	target Target
	keys   []string
	bodies []string
}

func (c *fakeCommenter) Upsert(_ context.Context, key, body string) (string, error) {
	c.keys, c.bodies = append(c.keys, key), append(c.bodies, body)
	return "https://github.com/acme/web/pull/7#issuecomment-1", nil
}

func TestCommenter(t *testing.T) {
	for _, tt := range []struct {
		comment string
		posts   int
	}{{"always", 1}, {"changes", 1}, {"risk", 1}, {"never", 0}} {
		t.Run(tt.comment, func(t *testing.T) {
			repo, ev, head := dependabotPR(t)
			env := newRunnerEnv(t, repo.Dir, "pull_request")
			env.setEventFile(ev)
			env.input("comment", tt.comment)
			env.input("comment-key", "web")
			env.input("github-token", "ghs_test0token0value")
			c := &fakeCommenter{}
			o := env.options()
			o.NewCommenter = func(tg Target) (Commenter, error) { c.target = tg; return c, nil }
			npmImages(t).install(&o)
			if err := Run(context.Background(), o); err != nil {
				t.Fatal(err)
			}
			if len(c.bodies) != tt.posts {
				t.Fatalf("%d posts, want %d", len(c.bodies), tt.posts)
			}
			url := env.outputs()["comment-url"]
			if tt.posts == 0 {
				if url != "" {
					t.Errorf("comment-url %q without a comment", url)
				}
				return
			}
			want := Target{APIURL: "https://api.github.com", Repository: "acme/web", PR: 7, HeadSHA: head, Token: "ghs_test0token0value"}
			if c.target != want || c.keys[0] != "web" || !strings.HasPrefix(c.bodies[0], "<!-- imagedrift:web -->") {
				t.Errorf("target %+v, key %q, body %.40q", c.target, c.keys[0], c.bodies[0])
			}
			if url != "https://github.com/acme/web/pull/7#issuecomment-1" {
				t.Errorf("comment-url %q", url)
			}
			// The token is masked first and never printed otherwise.
			out := env.stdout.String()
			if !strings.HasPrefix(out, "::add-mask::ghs_test0token0value\n") || strings.Count(out, "ghs_test0token0value") != 1 {
				t.Errorf("token not masked first or printed again:\n%s", out)
			}
		})
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
