package fakegithub

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// webURL is where html_url fields point, as on github.com.
const webURL = "https://github.com"

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (s *Server) htmlKind(r *repo, n int) string {
	if r.pulls[n] != nil {
		return "pull"
	}
	return "issues"
}

func (s *Server) renderComment(req request, c *Comment) map[string]any {
	m := clone(s.t.comment)
	api := fmt.Sprintf("%s/repos/%s", req.base, req.repo.name)
	m["id"], m["body"], m["user"] = c.ID, c.Body, s.t.user(c.User)
	m["created_at"], m["updated_at"] = ts(c.CreatedAt), ts(c.UpdatedAt)
	m["url"] = fmt.Sprintf("%s/issues/comments/%d", api, c.ID)
	m["issue_url"] = fmt.Sprintf("%s/issues/%d", api, c.Issue)
	m["html_url"] = fmt.Sprintf("%s/%s/%s/%d#issuecomment-%d", webURL, req.repo.name, s.htmlKind(req.repo, c.Issue), c.Issue, c.ID)
	return m
}

func (s *Server) renderIssue(req request, is *Issue) map[string]any {
	m := s.issueBase(req, is.Number, "issues")
	m["id"], m["title"], m["body"], m["state"] = is.ID, is.Title, is.Body, is.State
	m["user"], m["created_at"], m["updated_at"] = s.t.user(is.User), ts(is.CreatedAt), ts(is.CreatedAt)
	var labels []any
	for _, name := range is.Labels {
		l := clone(s.t.label)
		l["name"] = name
		l["url"] = fmt.Sprintf("%s/repos/%s/labels/%s", req.base, req.repo.name, name)
		labels = append(labels, l)
	}
	m["labels"] = append([]any{}, labels...)
	if is.State == "closed" {
		m["closed_at"] = ts(is.CreatedAt)
	}
	return m
}

// issueBase fills the URLs every issue-shaped object carries.
func (s *Server) issueBase(req request, n int, kind string) map[string]any {
	m := clone(s.t.issue)
	api := fmt.Sprintf("%s/repos/%s/issues/%d", req.base, req.repo.name, n)
	m["number"], m["url"], m["repository_url"] = n, api, fmt.Sprintf("%s/repos/%s", req.base, req.repo.name)
	m["labels_url"], m["comments_url"], m["events_url"] = api+"/labels{/name}", api+"/comments", api+"/events"
	m["html_url"] = fmt.Sprintf("%s/%s/%s/%d", webURL, req.repo.name, kind, n)
	delete(m, "pull_request")
	return m
}

// renderPullAsIssue is a pull request as the issues listing shows it.
func (s *Server) renderPullAsIssue(req request, pr *PullRequest) map[string]any {
	m := s.issueBase(req, pr.Number, "pull")
	m["id"], m["title"], m["state"], m["user"] = pr.ID, fmt.Sprintf("Pull request %d", pr.Number), pr.State, s.t.user("octocat")
	m["pull_request"] = map[string]any{"url": fmt.Sprintf("%s/repos/%s/pulls/%d", req.base, req.repo.name, pr.Number),
		"html_url": fmt.Sprintf("%s/%s/pull/%d", webURL, req.repo.name, pr.Number)}
	return m
}

func (s *Server) renderPull(req request, pr *PullRequest) map[string]any {
	m := clone(s.t.pull)
	m["number"], m["state"] = pr.Number, pr.State
	m["url"] = fmt.Sprintf("%s/repos/%s/pulls/%d", req.base, req.repo.name, pr.Number)
	m["html_url"] = fmt.Sprintf("%s/%s/pull/%d", webURL, req.repo.name, pr.Number)
	base, _ := m["base"].(map[string]any)
	head, _ := m["head"].(map[string]any)
	if base == nil || head == nil {
		return m
	}
	head["sha"] = pr.HeadSHA
	setRepo(base, req.repo.name, false)
	name := req.repo.name
	if pr.Fork {
		_, short, _ := strings.Cut(name, "/")
		name = "contributor/" + short
	}
	setRepo(head, name, pr.Fork)
	return m
}

// setRepo renames the repository of a pull request's head or base.
func setRepo(side map[string]any, fullName string, fork bool) {
	r, _ := side["repo"].(map[string]any)
	if r == nil {
		return
	}
	owner, name, _ := strings.Cut(fullName, "/")
	r["full_name"], r["name"], r["fork"] = fullName, name, fork
	if o, ok := r["owner"].(map[string]any); ok {
		o["login"] = owner
	}
	side["label"] = owner + ":" + fmt.Sprint(side["ref"])
}

func (s *Server) renderRun(req request, run *CheckRun) map[string]any {
	m := clone(s.t.checkRun)
	api := fmt.Sprintf("%s/repos/%s/check-runs/%d", req.base, req.repo.name, run.ID)
	m["id"], m["name"], m["head_sha"], m["status"] = run.ID, run.Name, run.HeadSHA, run.Status
	m["url"], m["html_url"] = api, fmt.Sprintf("%s/%s/runs/%d", webURL, req.repo.name, run.ID)
	m["conclusion"], m["completed_at"] = nil, nil
	if run.Conclusion != "" {
		m["conclusion"], m["completed_at"] = run.Conclusion, ts(run.CompletedAt)
	}
	m["output"] = map[string]any{"title": nilIfEmpty(run.Title), "summary": nilIfEmpty(run.Summary), "text": nilIfEmpty(run.Text),
		"annotations_count": len(run.Annotations), "annotations_url": api + "/annotations"}
	return m
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
