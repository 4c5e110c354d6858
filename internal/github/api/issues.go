package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	gh "github.com/google/go-github/v57/github"
)

// Issue is an issue as a watch needs it.
type Issue struct {
	Number      int
	HTMLURL     string
	Title       string
	Body        string
	State       string // open or closed
	Labels      []string
	Author      string
	AuthorIsBot bool
	CreatedAt   time.Time
}

func issueOf(i *gh.Issue) Issue {
	out := Issue{Number: i.GetNumber(), HTMLURL: i.GetHTMLURL(), Title: i.GetTitle(), Body: i.GetBody(),
		State: i.GetState(), CreatedAt: i.GetCreatedAt().Time}
	for _, l := range i.Labels {
		out.Labels = append(out.Labels, l.GetName())
	}
	if u := i.GetUser(); u != nil {
		out.Author, out.AuthorIsBot = u.GetLogin(), u.GetType() == "Bot"
	}
	return out
}

const (
	permIssuesRead  = "issues: read"
	permIssuesWrite = "issues: write"
)

// FindIssue looks among the issues labelled label, open or closed, for
// one of ours: opened by a bot, its body's first line being marker. An
// open one is preferred (the oldest); else the most recently created
// closed one, to be reopened. ok is false when there is none.
func (c *Client) FindIssue(ctx context.Context, repo, label, marker string) (Issue, bool, error) {
	o := op{what: fmt.Sprintf("find the issue %s labelled %q in %s", marker, label, repo), perm: permIssuesRead}
	p, err := repoPath(repo)
	if err != nil {
		return Issue{}, false, usage(o, err)
	}
	q := url.Values{"labels": {label}, "state": {"all"}, "per_page": {fmt.Sprint(perPage)}}
	raw, err := getAll[*gh.Issue](ctx, c, o, p+"/issues?"+q.Encode())
	if err != nil {
		return Issue{}, false, err
	}
	var open, closed *Issue
	for _, r := range raw {
		if r.IsPullRequest() {
			continue // the issues listing holds pull requests too
		}
		is := issueOf(r)
		if !is.AuthorIsBot || firstLine(is.Body) != marker {
			continue
		}
		switch {
		case is.State == "open" && (open == nil || is.Number < open.Number):
			open = &is
		case is.State != "open" && (closed == nil || is.Number > closed.Number):
			closed = &is
		}
	}
	switch {
	case open != nil:
		return *open, true, nil
	case closed != nil:
		return *closed, true, nil
	}
	return Issue{}, false, nil
}

// NewIssue is an issue to create.
type NewIssue struct {
	Title  string
	Body   string // its first line should be the marker FindIssue looks for
	Labels []string
}

// CreateIssue opens an issue.
func (c *Client) CreateIssue(ctx context.Context, repo string, in NewIssue) (Issue, error) {
	o := op{what: fmt.Sprintf("create issue %q in %s", in.Title, repo), perm: permIssuesWrite}
	p, err := repoPath(repo)
	if err != nil {
		return Issue{}, usage(o, err)
	}
	req := gh.IssueRequest{Title: &in.Title, Body: &in.Body}
	if len(in.Labels) > 0 {
		req.Labels = &in.Labels
	}
	var out gh.Issue
	if _, err := c.do(ctx, o, http.MethodPost, p+"/issues", &req, &out); err != nil {
		return Issue{}, err
	}
	return issueOf(&out), nil
}

// IssueEdit lists what EditIssue changes; nil fields are left alone.
type IssueEdit struct {
	Title *string
	Body  *string
	State *string // open or closed
}

// EditIssue changes an issue's title, body or state.
func (c *Client) EditIssue(ctx context.Context, repo string, number int, e IssueEdit) (Issue, error) {
	o := op{what: fmt.Sprintf("edit issue #%d of %s", number, repo), perm: permIssuesWrite}
	p, err := repoPath(repo)
	if err != nil {
		return Issue{}, usage(o, err)
	}
	var out gh.Issue
	req := gh.IssueRequest{Title: e.Title, Body: e.Body, State: e.State}
	if _, err := c.do(ctx, o, http.MethodPatch, fmt.Sprintf("%s/issues/%d", p, number), &req, &out); err != nil {
		return Issue{}, err
	}
	return issueOf(&out), nil
}

// AddIssueComment comments on issue number.
func (c *Client) AddIssueComment(ctx context.Context, repo string, number int, body string) (Comment, error) {
	o := op{what: fmt.Sprintf("comment on issue #%d of %s", number, repo), perm: permIssuesWrite}
	return c.createComment(ctx, o, repo, number, body)
}
