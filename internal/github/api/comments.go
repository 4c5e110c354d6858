package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	gh "github.com/google/go-github/v57/github"
)

// Comment is an issue or pull request comment.
type Comment struct {
	ID          int64
	HTMLURL     string
	Body        string
	CreatedAt   time.Time
	Author      string // login
	AuthorIsBot bool   // user.type is "Bot" (a GitHub App such as github-actions)
}

func commentOf(c *gh.IssueComment) Comment {
	out := Comment{ID: c.GetID(), HTMLURL: c.GetHTMLURL(), Body: c.GetBody(), CreatedAt: c.GetCreatedAt().Time}
	if u := c.GetUser(); u != nil {
		out.Author, out.AuthorIsBot = u.GetLogin(), u.GetType() == "Bot"
	}
	return out
}

// The permissions: entries a GITHUB_TOKEN needs for pull request comments.
const (
	permPRRead  = "pull-requests: read"
	permPRWrite = "pull-requests: write"
)

// ListComments returns every comment of pull request (or issue) number,
// oldest first, reading all pages.
func (c *Client) ListComments(ctx context.Context, repo string, number int) ([]Comment, error) {
	o := op{what: fmt.Sprintf("list comments of pull request #%d of %s", number, repo), perm: permPRRead}
	return c.listComments(ctx, o, repo, number)
}

func (c *Client) listComments(ctx context.Context, o op, repo string, number int) ([]Comment, error) {
	p, err := repoPath(repo)
	if err != nil {
		return nil, usage(o, err)
	}
	raw, err := getAll[*gh.IssueComment](ctx, c, o, fmt.Sprintf("%s/issues/%d/comments?per_page=%d", p, number, perPage))
	if err != nil {
		return nil, err
	}
	out := make([]Comment, 0, len(raw))
	for _, r := range raw {
		out = append(out, commentOf(r))
	}
	return out, nil
}

// CreateComment posts a comment on pull request number.
func (c *Client) CreateComment(ctx context.Context, repo string, number int, body string) (Comment, error) {
	o := op{what: fmt.Sprintf("create comment on pull request #%d of %s", number, repo), perm: permPRWrite}
	return c.createComment(ctx, o, repo, number, body)
}

func (c *Client) createComment(ctx context.Context, o op, repo string, number int, body string) (Comment, error) {
	p, err := repoPath(repo)
	if err != nil {
		return Comment{}, usage(o, err)
	}
	var out gh.IssueComment
	if _, err := c.do(ctx, o, http.MethodPost, fmt.Sprintf("%s/issues/%d/comments", p, number), &gh.IssueComment{Body: &body}, &out); err != nil {
		return Comment{}, err
	}
	return commentOf(&out), nil
}

// EditComment replaces the body of comment id.
func (c *Client) EditComment(ctx context.Context, repo string, id int64, body string) (Comment, error) {
	o := op{what: fmt.Sprintf("edit comment %d of %s", id, repo), perm: permPRWrite}
	p, err := repoPath(repo)
	if err != nil {
		return Comment{}, usage(o, err)
	}
	var out gh.IssueComment
	if _, err := c.do(ctx, o, http.MethodPatch, fmt.Sprintf("%s/issues/comments/%d", p, id), &gh.IssueComment{Body: &body}, &out); err != nil {
		return Comment{}, err
	}
	return commentOf(&out), nil
}

// DeleteComment deletes comment id.
func (c *Client) DeleteComment(ctx context.Context, repo string, id int64) error {
	o := op{what: fmt.Sprintf("delete comment %d of %s", id, repo), perm: permPRWrite}
	p, err := repoPath(repo)
	if err != nil {
		return usage(o, err)
	}
	_, err = c.do(ctx, o, http.MethodDelete, fmt.Sprintf("%s/issues/comments/%d", p, id), nil, nil)
	return err
}

// getAll reads a listing page by page, following each answer's Link
// rel="next" URL as GitHub gives it, up to the client's page cap.
func getAll[T any](ctx context.Context, c *Client, o op, first string) ([]T, error) {
	var all []T
	next := first
	for page := 1; next != ""; page++ {
		if page > c.maxPages {
			return nil, &Error{Op: o.what, Message: fmt.Sprintf("stopped after %d pages (%d items): "+
				"more than this client reads in one listing", c.maxPages, len(all))}
		}
		var items []T
		resp, err := c.do(ctx, o, http.MethodGet, next, nil, &items)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next, err = c.nextPage(resp); err != nil {
			return nil, &Error{Op: o.what, Message: err.Error(), Err: err}
		}
	}
	return all, nil
}

// nextPage returns the absolute next-page URL, or "" on the last page. A
// next URL on another host is refused rather than followed.
func (c *Client) nextPage(resp *gh.Response) (string, error) {
	raw := nextLink(resp.Header.Values("Link"))
	if raw == "" {
		return "", nil
	}
	u, err := resp.Request.URL.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("GitHub's Link header names an unreadable next page: %w", err)
	}
	if !sameOrigin(u, c.base) {
		return "", fmt.Errorf("GitHub's Link header puts the next page on %s, not on %s; not following it",
			(&url.URL{Scheme: u.Scheme, Host: u.Host}).String(), (&url.URL{Scheme: c.base.Scheme, Host: c.base.Host}).String())
	}
	return u.String(), nil
}
