package api

import (
	"context"
	"fmt"
	"net/http"

	gh "github.com/google/go-github/v57/github"
)

// PullRequest is what a check needs to know about a pull request.
type PullRequest struct {
	Number  int
	State   string // open or closed
	HTMLURL string
	HeadSHA string
	HeadRef string
	BaseSHA string
	BaseRef string
	// HeadRepo is the head repository's owner/name; empty when that
	// repository was deleted.
	HeadRepo string
	// HeadRepoFork is the head repository's fork flag, as GitHub gives it.
	HeadRepoFork bool
	// CrossRepository is true when the head lives in another repository
	// than the base (or in a deleted one): the case where a pull_request
	// workflow gets a read-only token.
	CrossRepository bool
}

// PullRequest reads pull request number.
func (c *Client) PullRequest(ctx context.Context, repo string, number int) (PullRequest, error) {
	o := op{what: fmt.Sprintf("read pull request #%d of %s", number, repo), perm: permPRRead}
	p, err := repoPath(repo)
	if err != nil {
		return PullRequest{}, usage(o, err)
	}
	var pr gh.PullRequest
	if _, err := c.do(ctx, o, http.MethodGet, fmt.Sprintf("%s/pulls/%d", p, number), nil, &pr); err != nil {
		return PullRequest{}, err
	}
	out := PullRequest{Number: pr.GetNumber(), State: pr.GetState(), HTMLURL: pr.GetHTMLURL(),
		HeadSHA: pr.GetHead().GetSHA(), HeadRef: pr.GetHead().GetRef(),
		BaseSHA: pr.GetBase().GetSHA(), BaseRef: pr.GetBase().GetRef()}
	if hr := pr.GetHead().GetRepo(); hr != nil {
		out.HeadRepo, out.HeadRepoFork = hr.GetFullName(), hr.GetFork()
	}
	out.CrossRepository = out.HeadRepo == "" || out.HeadRepo != pr.GetBase().GetRepo().GetFullName()
	return out, nil
}
