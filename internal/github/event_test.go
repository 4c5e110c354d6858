package github

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	gh "github.com/google/go-github/v57/github"
)

const (
	baseSHA = "9c2f5e3b1a7d4e6f8a0b2c4d6e8f0a1b3c5d7e9f"
	headSHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
)

// writeEvent writes a payload built from go-github's event types, which
// carry the field names of GitHub's payloads.
func writeEvent(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func prEvent(number int, base, head string) *gh.PullRequestEvent {
	return &gh.PullRequestEvent{
		Action: gh.String("synchronize"),
		Number: gh.Int(number),
		PullRequest: &gh.PullRequest{
			Number: gh.Int(number),
			Title:  gh.String("Bump lodash from 4.17.15 to 4.17.21"),
			User:   &gh.User{Login: gh.String("dependabot[bot]")},
			Head:   &gh.PullRequestBranch{Ref: gh.String("dependabot/npm_and_yarn/lodash-4.17.21"), SHA: gh.String(head)},
			Base:   &gh.PullRequestBranch{Ref: gh.String("main"), SHA: gh.String(base)},
		},
	}
}

func TestReadEventPullRequest(t *testing.T) {
	for _, name := range []string{"pull_request", "pull_request_target"} {
		ev, err := ReadEvent(name, writeEvent(t, prEvent(42, baseSHA, headSHA)))
		if err != nil {
			t.Fatal(err)
		}
		want := &Event{Name: name, PR: &PullRequest{Number: 42, BaseSHA: baseSHA, HeadSHA: headSHA,
			HeadRef: "dependabot/npm_and_yarn/lodash-4.17.21", Title: "Bump lodash from 4.17.15 to 4.17.21", Author: "dependabot[bot]"}}
		if diff := cmp.Diff(want, ev); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}

func TestReadEventWorkflowRun(t *testing.T) {
	path := writeEvent(t, &gh.WorkflowRunEvent{
		Action: gh.String("completed"),
		WorkflowRun: &gh.WorkflowRun{
			Event:        gh.String("pull_request"),
			HeadSHA:      gh.String(headSHA),
			HeadBranch:   gh.String("dependabot/npm_and_yarn/lodash-4.17.21"),
			HeadCommit:   &gh.HeadCommit{Message: gh.String("Bump lodash from 4.17.15 to 4.17.21\n\nSigned-off-by: dependabot[bot] <support@github.com>")},
			Actor:        &gh.User{Login: gh.String("dependabot[bot]")},
			PullRequests: []*gh.PullRequest{{Number: gh.Int(42)}},
		},
	})
	ev, err := ReadEvent("workflow_run", path)
	if err != nil {
		t.Fatal(err)
	}
	want := &WorkflowRun{Event: "pull_request", HeadSHA: headSHA, PullRequests: []int{42},
		HeadBranch: "dependabot/npm_and_yarn/lodash-4.17.21", Actor: "dependabot[bot]",
		HeadCommitMessage: "Bump lodash from 4.17.15 to 4.17.21\n\nSigned-off-by: dependabot[bot] <support@github.com>"}
	if diff := cmp.Diff(want, ev.Run); diff != "" || ev.PR != nil {
		t.Errorf("workflow_run (-want +got):\n%s", diff)
	}
}

// Events without a pull request need no payload.
func TestReadEventWithoutPR(t *testing.T) {
	for _, name := range []string{"push", "schedule", "workflow_dispatch", "merge_group"} {
		ev, err := ReadEvent(name, "")
		if err != nil || ev.PR != nil || ev.Run != nil || ev.Name != name {
			t.Errorf("%s: %+v, %v", name, ev, err)
		}
	}
}

func TestReadEventErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.json")
	os.WriteFile(garbage, []byte("{not json"), 0o600)
	big := filepath.Join(dir, "big.json")
	f, _ := os.Create(big)
	f.Truncate(MaxEventSize + 1)
	f.Close()
	tests := []struct {
		name, event, path, want string
	}{
		{"no path", "pull_request", "", "GITHUB_EVENT_PATH is not set"},
		{"missing file", "pull_request", filepath.Join(dir, "nope.json"), "no such file"},
		{"not json", "pull_request", garbage, "pull_request event"},
		{"too big", "pull_request", big, "larger than"},
		{"no pull request", "pull_request", writeEvent(t, &gh.PullRequestEvent{Action: gh.String("opened")}), "no pull_request in the payload"},
		{"bad head sha", "pull_request", writeEvent(t, prEvent(7, baseSHA, "--upload-pack=x")), `head sha "--upload-pack=x" is not a commit id`},
		{"short base sha", "pull_request_target", writeEvent(t, prEvent(7, "9c2f5e3", headSHA)), "base sha"},
		{"no number", "pull_request", writeEvent(t, prEvent(0, baseSHA, headSHA)), "pull request number 0"},
		{"no run", "workflow_run", writeEvent(t, &gh.WorkflowRunEvent{Action: gh.String("completed")}), "no workflow_run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadEvent(tt.event, tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
