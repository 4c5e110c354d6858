package event

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/google/go-github/v57/github"
	"github.com/imagedrift/imagedrift/internal/oneline"
)

// Event is what the action needs of the event that started the run.
type Event struct {
	Name string // GITHUB_EVENT_NAME
	// PR is the pull request of pull_request and pull_request_target
	// events; nil for events without one (push, schedule,
	// workflow_dispatch, workflow_run).
	PR *PullRequest
	// Run is the triggering run of a workflow_run event.
	Run *WorkflowRun
}

// PullRequest holds the fields of a pull request the action uses. Title,
// Author and HeadRef are written by whoever opened it: untrusted.
type PullRequest struct {
	Number  int
	BaseSHA string
	HeadSHA string
	HeadRef string
	Title   string
	Author  string
	// Body is the description, where Renovate tables its updates;
	// untrusted, bounded, line breaks kept.
	Body string
	// HeadFork is set when the head branch lives in another repository:
	// such runs get a read-only token and no secrets.
	HeadFork bool
}

// WorkflowRun is the run a workflow_run event reports on: the comment
// phase of the two-workflow setup checks its artifact against it.
type WorkflowRun struct {
	Event   string // the event of the triggering run, e.g. pull_request
	HeadSHA string
	// PullRequests are the numbers GitHub lists for the run; empty for
	// pull requests from forks.
	PullRequests []int
	// HeadBranch and HeadCommitMessage are the pull request's, untrusted.
	HeadBranch        string
	HeadCommitMessage string
	Actor             string
}

// MaxEventSize bounds the event file read: GitHub caps payloads at 25 MB.
const MaxEventSize = 25 << 20

// PR events carry a pull request; the others need no payload.
func isPREvent(name string) bool {
	return name == "pull_request" || name == "pull_request_target"
}

// ReadEvent reads the event payload at path (GITHUB_EVENT_PATH) for the
// event name (GITHUB_EVENT_NAME). Events the action does not read a
// payload for (push, schedule, workflow_dispatch, …) only need the name.
func ReadEvent(name, path string) (*Event, error) {
	ev := &Event{Name: name}
	if !isPREvent(name) && name != "workflow_run" {
		return ev, nil
	}
	if path == "" {
		return nil, fmt.Errorf("%s event: GITHUB_EVENT_PATH is not set", name)
	}
	data, err := readBounded(path, MaxEventSize)
	if err != nil {
		return nil, fmt.Errorf("read %s event: %w", name, err)
	}
	if err := ev.decode(data); err != nil {
		return nil, fmt.Errorf("%s event %s: %w", name, path, err)
	}
	return ev, nil
}

// decode reads the payload of a pull request or workflow_run event.
func (ev *Event) decode(data []byte) (err error) {
	if isPREvent(ev.Name) {
		var e github.PullRequestEvent
		if err := json.Unmarshal(data, &e); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		ev.PR, err = pullRequest(e.GetPullRequest())
		return err
	}
	var e github.WorkflowRunEvent
	if err := json.Unmarshal(data, &e); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	ev.Run, err = workflowRun(e.GetWorkflowRun())
	return err
}

var shaRe = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// IsSHA reports whether s is a full commit id (SHA-1 or SHA-256).
func IsSHA(s string) bool { return shaRe.MatchString(s) }

func pullRequest(p *github.PullRequest) (*PullRequest, error) {
	if p == nil {
		return nil, errors.New("no pull_request in the payload")
	}
	pr := &PullRequest{
		Number:  p.GetNumber(),
		BaseSHA: p.GetBase().GetSHA(),
		HeadSHA: p.GetHead().GetSHA(),
		HeadRef: untrusted(p.GetHead().GetRef(), maxField),
		Title:   untrusted(p.GetTitle(), maxTitle),
		Body:    oneline.Cap(strings.ToValidUTF8(p.GetBody(), "\uFFFD"), maxBody),
		Author:  untrusted(p.GetUser().GetLogin(), maxField),
		HeadFork: p.GetHead().GetRepo().GetFork() ||
			p.GetHead().GetRepo().GetFullName() != "" && p.GetHead().GetRepo().GetFullName() != p.GetBase().GetRepo().GetFullName(),
	}
	if pr.Number <= 0 {
		return nil, fmt.Errorf("pull request number %d", pr.Number)
	}
	for _, side := range [][2]string{{"base", pr.BaseSHA}, {"head", pr.HeadSHA}} {
		if !IsSHA(side[1]) {
			return nil, fmt.Errorf("pull request %s sha %q is not a commit id", side[0], clip(side[1]))
		}
	}
	return pr, nil
}

func workflowRun(r *github.WorkflowRun) (*WorkflowRun, error) {
	if r == nil {
		return nil, errors.New("no workflow_run in the payload")
	}
	run := &WorkflowRun{
		Event:             untrusted(r.GetEvent(), maxField),
		HeadSHA:           r.GetHeadSHA(),
		HeadBranch:        untrusted(r.GetHeadBranch(), maxField),
		HeadCommitMessage: oneline.Cap(strings.ToValidUTF8(r.GetHeadCommit().GetMessage(), "\uFFFD"), maxMessage),
		Actor:             untrusted(r.GetActor().GetLogin(), maxField),
	}
	if !IsSHA(run.HeadSHA) {
		return nil, fmt.Errorf("workflow run head sha %q is not a commit id", clip(run.HeadSHA))
	}
	for _, p := range r.PullRequests {
		if n := p.GetNumber(); n > 0 && len(run.PullRequests) < maxPullRequests {
			run.PullRequests = append(run.PullRequests, n)
		}
	}
	return run, nil
}

func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, nil
}

func clip(s string) string {
	return untrusted(s, 60)
}

// Bounds on the untrusted text of a payload. GitHub caps titles at 256
// characters; commit messages are not capped.
const (
	maxTitle        = 1024
	maxMessage      = 64 << 10
	maxBody         = 256 << 10
	maxField        = 256
	maxPullRequests = 500
)

// untrusted keeps one line of text written by whoever opened the pull
// request: valid UTF-8, control characters as spaces, trimmed, at most n
// bytes.
func untrusted(s string, n int) string {
	return oneline.Cap(strings.TrimSpace(oneline.Clean(s)), n)
}
