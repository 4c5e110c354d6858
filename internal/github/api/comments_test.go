package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/github/api/apitest"
)

// Page 1 is the recorded repository-wide comment listing (30 comments,
// Link next to /repositories/417862/issues/comments?page=2), served here
// for the issue's own listing; page 2 is the recorded 3-comment listing of
// octokit.rb#25, which has no Link. The client must follow the Link URL
// as given, /repositories/ID path included.
func TestListCommentsFollowsLink(t *testing.T) {
	e := newEnv(t)
	e.reg.Register(apitest.REST("GET", "repos/octokit/octokit.rb/issues/25/comments").Query("per_page", "100"),
		apitest.Recorded(t, fxListPage, 0))
	e.reg.Register(apitest.REST("GET", "repositories/417862/issues/comments").Query("page", "2"),
		apitest.Recorded(t, fxList, 0))
	got, err := e.c.ListComments(context.Background(), "octokit/octokit.rb", 25)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 33 {
		t.Fatalf("got %d comments, want 30 + 3", len(got))
	}
	last := got[32]
	if last.ID != 1199663 || last.Author != "sferik" || last.AuthorIsBot || last.Body != "Thanks for digging in on this." ||
		!strings.HasPrefix(last.HTMLURL, "https://github.com/") || last.CreatedAt.IsZero() {
		t.Errorf("last comment %+v", last)
	}
}

// paginate-issues.json's Link headers, served on comment listings: the
// page cap must stop a listing that never ends and say so.
func TestListCommentsPageCap(t *testing.T) {
	e := newEnv(t, func(c *api.Config) { c.MaxPages = 2 })
	page := apitest.Exchange(t, fxIssues, 1) // has a Link next
	page.Body = []byte("[]")
	e.on("GET", "repos/octo/hello/issues/2/comments", apitest.Serve(page))
	e.on("GET", "repositories/1000/issues", apitest.Serve(page))
	_, err := e.c.ListComments(context.Background(), repo, pr)
	if err == nil || !strings.Contains(err.Error(), "stopped after 2 pages") {
		t.Fatalf("got %v", err)
	}
}

// A Link pointing at another host is not followed: the token would go with it.
func TestListCommentsRefusesForeignLink(t *testing.T) {
	e := newEnv(t)
	page := apitest.Exchange(t, fxList, 0)
	page.Header.Set("Link", `<https://elsewhere.example/repos/octo/hello/issues/2/comments?page=2>; rel="next"`)
	e.on("GET", "repos/octo/hello/issues/2/comments", apitest.Serve(page))
	_, err := e.c.ListComments(context.Background(), repo, pr)
	if err == nil || !strings.Contains(err.Error(), "https://elsewhere.example") || !strings.Contains(err.Error(), "not following") {
		t.Fatalf("got %v", err)
	}
}

func TestCommentCRUD(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.reg.Register(apitest.REST("POST", "repos/octo/hello/issues/2/comments").BodyContains(`"body":"A test comment"`),
		apitest.Recorded(t, fxCreate, 2))
	e.reg.Register(apitest.REST("PATCH", "repos/octo/hello/issues/comments/255559982").BodyContains(`"body":"A test comment update"`),
		apitest.Recorded(t, fxUpdate, 3))
	e.on("DELETE", "repos/octo/hello/issues/comments/255559987", apitest.Recorded(t, fxDelete, 3))

	c, err := e.c.CreateComment(ctx, repo, pr, "A test comment")
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != 255559959 || c.Body != "A test comment" || c.AuthorIsBot || c.Author != "<GITHUB_LOGIN>" {
		t.Errorf("created %+v", c)
	}
	u, err := e.c.EditComment(ctx, repo, 255559982, "A test comment update")
	if err != nil {
		t.Fatal(err)
	}
	if u.Body != "A test comment update" {
		t.Errorf("edited %+v", u)
	}
	if err := e.c.DeleteComment(ctx, repo, 255559987); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.reg.Requests() {
		if got := r.Header.Get("Authorization"); got != "Bearer "+token {
			t.Errorf("%s %s: Authorization %q", r.Method, r.Path, got)
		}
		if got := r.Header.Get("User-Agent"); got != "imagedrift/test" {
			t.Errorf("User-Agent %q", got)
		}
	}
}

func TestBadRepository(t *testing.T) {
	e := newEnv(t)
	for _, r := range []string{"", "octo", "octo/", "/hello", "octo/hello/x", "../x", "octo/.."} {
		if _, err := e.c.ListComments(context.Background(), r, 1); err == nil || !strings.Contains(err.Error(), "want owner/name") {
			t.Errorf("%q: %v", r, err)
		}
	}
}

// A GHES base URL keeps its /api/v3 path, with nothing appended.
func TestBaseURLPath(t *testing.T) {
	reg := apitest.New(t)
	reg.Register(apitest.REST("GET", "api/v3/repos/octo/hello/issues/2/comments"), apitest.Recorded(t, fxList, 0))
	c, err := api.New(api.Config{BaseURL: reg.URL() + "/api/v3"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListComments(context.Background(), repo, pr); err != nil {
		t.Fatal(err)
	}
	if _, err := api.New(api.Config{BaseURL: "ftp://x"}); err == nil {
		t.Error("ftp base URL accepted")
	}
}
