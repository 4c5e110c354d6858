package event

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/imagedrift/imagedrift/internal/fixtures"
)

// recorded reads a webhook payload recorded from GitHub's documentation
// (../shared/fixtures/github/webhooks).
func recorded(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures.Shared(t, "fixtures", "github", "webhooks"), name))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// writeEvent writes a payload for ReadEvent.
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

// derived is a recorded payload changed by edit, for the variants no
// recording has (a bad commit id, no number).
func derived(t *testing.T, name string, edit func(pr map[string]any)) string {
	t.Helper()
	v := recorded(t, name)
	edit(v["pull_request"].(map[string]any))
	return writeEvent(t, v)
}

func TestReadEventPullRequest(t *testing.T) {
	tests := []struct {
		file string
		want *PullRequest
	}{
		{"pull_request.opened.json", &PullRequest{Number: 2, BaseSHA: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
			HeadSHA: "ec26c3e57ca3a959ca5aad62de7213c562f8c821", HeadRef: "changes",
			Title: "Update the README with new information.", Author: "Codertocat"}},
		{"pull_request.opened.null-body.json", &PullRequest{Number: 2, BaseSHA: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
			HeadSHA: "ec26c3e57ca3a959ca5aad62de7213c562f8c821", HeadRef: "changes",
			Title: "Update the README with new information.", Author: "Codertocat"}},
		{"pull_request.synchronize.renovate-fork.json", &PullRequest{Number: 1, BaseSHA: "23a5ce0485d1156fc53484b7579fc9e4f272821b",
			HeadSHA: "65f14b92a8135948008c6e26344167a2dac9f066", HeadRef: "renovate/requests-2.x",
			Title: "chore(deps): update dependency requests to v2.26.0", Author: "renovate-bot", HeadFork: true}},
	}
	for _, tt := range tests {
		for _, name := range []string{"pull_request", "pull_request_target"} {
			path := filepath.Join(fixtures.Shared(t, "fixtures", "github", "webhooks"), tt.file)
			ev, err := ReadEvent(name, path)
			if err != nil {
				t.Fatal(err)
			}
			want := &Event{Name: name, PR: tt.want}
			if diff := cmp.Diff(want, ev, cmpopts.IgnoreFields(PullRequest{}, "Body")); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", name, tt.file, diff)
			}
		}
	}
}

// The body is kept whole: Renovate lists its updates in a table there.
func TestReadEventBody(t *testing.T) {
	dir := fixtures.Shared(t, "fixtures", "github")
	ev, err := ReadEvent("pull_request", filepath.Join(dir, "webhooks", "pull_request.synchronize.renovate-fork.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "bots", "renovate", "googleapis.python-docs-samples-1.requests-2.26.0.pr-body.md"))
	if err != nil {
		t.Fatal(err)
	}
	if ev.PR.Body != string(want) {
		t.Errorf("body differs from the recorded one:\n%s", cmp.Diff(string(want), ev.PR.Body))
	}
	null, err := ReadEvent("pull_request", filepath.Join(dir, "webhooks", "pull_request.opened.null-body.json"))
	if err != nil || null.PR.Body != "" {
		t.Errorf("null body: %v, %q", err, null.PR.Body)
	}
}

func TestReadEventWorkflowRun(t *testing.T) {
	const msg = "build(test): check workflow run event payload"
	tests := []struct {
		file string
		prs  []int
	}{
		{"workflow_run.completed.with-pull-requests.json", []int{2}},
		{"workflow_run.completed.json", nil},
	}
	for _, tt := range tests {
		ev, err := ReadEvent("workflow_run", filepath.Join(fixtures.Shared(t, "fixtures", "github", "webhooks"), tt.file))
		if err != nil {
			t.Fatal(err)
		}
		want := &WorkflowRun{Event: "repository_dispatch", HeadSHA: "3484a3fb816e0859fd6e1cea078d76385ff50625",
			PullRequests: tt.prs, HeadBranch: "master", Actor: "Codertocat"}
		if ev.Run == nil || !strings.HasPrefix(ev.Run.HeadCommitMessage, msg) {
			t.Fatalf("%s: run %+v, want a head commit message starting %q", tt.file, ev.Run, msg)
		}
		ev.Run.HeadCommitMessage = ""
		if diff := cmp.Diff(want, ev.Run); diff != "" || ev.PR != nil {
			t.Errorf("%s (-want +got):\n%s", tt.file, diff)
		}
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
		{"no pull request", "pull_request", writeEvent(t, map[string]any{"action": "opened"}), "no pull_request in the payload"},
		{"bad head sha", "pull_request", derived(t, "pull_request.opened.json", func(pr map[string]any) {
			pr["head"].(map[string]any)["sha"] = "--upload-pack=x"
		}), `head sha "--upload-pack=x" is not a commit id`},
		{"short base sha", "pull_request_target", derived(t, "pull_request.opened.json", func(pr map[string]any) {
			pr["base"].(map[string]any)["sha"] = "9c2f5e3"
		}), "base sha"},
		{"no number", "pull_request", derived(t, "pull_request.opened.json", func(pr map[string]any) {
			pr["number"] = 0
		}), "pull request number 0"},
		{"no run", "workflow_run", writeEvent(t, map[string]any{"action": "completed"}), "no workflow_run"},
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
