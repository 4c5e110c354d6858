package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/github/api/apitest"
)

const watchMarker = "<!-- imagedrift-watch:prod -->"

// The five recorded pages of paginate-issues.json: page 1 answers the
// repository's issue listing, and its Link sends the client on to
// /repositories/1000/issues?page=2..5. Derivations make some issues ours.
func TestFindIssue(t *testing.T) {
	ours := func(state string) func(t *testing.T, m map[string]any) {
		return func(t *testing.T, m map[string]any) {
			m["user"], m["body"], m["state"] = botUser(t), watchMarker+"\ndrift found", state
		}
	}
	tests := []struct {
		name   string
		derive map[[2]int]func(t *testing.T, m map[string]any) // {page, index} → change to the recorded issue
		want   int                                             // issue number; 0 for none
	}{
		{name: "recorded: no issue of ours (authors are users, bodies empty)"},
		{name: "a closed one of ours, on page 3", derive: map[[2]int]func(*testing.T, map[string]any){{2, 1}: ours("closed")}, want: 6},
		{name: "an open one is preferred to a closed one", derive: map[[2]int]func(*testing.T, map[string]any){
			{1, 0}: ours("closed"), {4, 0}: ours("open")}, want: 1},
		{name: "a person's issue with the marker is not ours", derive: map[[2]int]func(*testing.T, map[string]any){
			{0, 0}: func(_ *testing.T, m map[string]any) { m["body"] = watchMarker }}},
		{name: "a pull request with the marker is not an issue", derive: map[[2]int]func(*testing.T, map[string]any){
			{3, 2}: func(t *testing.T, m map[string]any) {
				ours("open")(t, m)
				m["pull_request"] = map[string]any{"url": "https://api.github.com/repos/o/r/pulls/1"}
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			for page := range 5 {
				x := apitest.Exchange(t, fxIssues, page)
				x.Body = apitest.Edit(t, x.Body, func(v any) any {
					for i, is := range v.([]any) {
						if f := tt.derive[[2]int{page, i}]; f != nil {
							f(t, is.(map[string]any))
						}
					}
					return v
				})
				m := apitest.REST("GET", "repositories/1000/issues").Query("page", itoa(int64(page+1)))
				if page == 0 {
					m = apitest.REST("GET", "repos/octo/hello/issues").Query("labels", "imagedrift-watch", "state", "all", "per_page", "100")
				}
				e.reg.Register(m, apitest.Serve(x))
			}
			got, ok, err := e.c.FindIssue(context.Background(), repo, "imagedrift-watch", watchMarker)
			if err != nil {
				t.Fatal(err)
			}
			if ok != (tt.want != 0) || got.Number != tt.want {
				t.Errorf("got #%d (%v), want #%d", got.Number, ok, tt.want)
			}
			if ok && (!got.AuthorIsBot || !strings.HasPrefix(got.Body, watchMarker)) {
				t.Errorf("found %+v", got)
			}
		})
	}
}

func TestIssueWrites(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	created := apitest.Exchange(t, fxNewIssue, 0)
	e.reg.Register(apitest.REST("POST", "repos/octo/hello/issues").BodyContains(`"labels":["imagedrift-watch"]`), apitest.Serve(created))
	// No issue PATCH was recorded: the answer is the created issue, closed.
	closed := created
	closed.Status = 200
	closed.Body = apitest.Edit(t, created.Body, func(v any) any { v.(map[string]any)["state"] = "closed"; return v })
	e.reg.Register(apitest.REST("PATCH", "repos/octo/hello/issues/1").BodyContains(`"state":"closed"`), apitest.Serve(closed))
	e.on("POST", "repos/octo/hello/issues/1/comments", apitest.Recorded(t, fxCreate, 2))

	is, err := e.c.CreateIssue(ctx, repo, api.NewIssue{Title: "Issue without a label", Body: watchMarker + "\nx", Labels: []string{"imagedrift-watch"}})
	if err != nil {
		t.Fatal(err)
	}
	if is.Number != 1 || is.State != "open" || is.Title != "Issue without a label" {
		t.Errorf("created %+v", is)
	}
	state := "closed"
	if is, err = e.c.EditIssue(ctx, repo, 1, api.IssueEdit{State: &state}); err != nil || is.State != "closed" {
		t.Errorf("edited %+v, %v", is, err)
	}
	for _, r := range e.reg.Requests() {
		if r.Method == "PATCH" && (strings.Contains(string(r.Body), `"title"`) || strings.Contains(string(r.Body), `"body"`)) {
			t.Errorf("the edit sent fields it was not given: %s", r.Body)
		}
	}
	if _, err := e.c.AddIssueComment(ctx, repo, 1, "A test comment"); err != nil {
		t.Fatal(err)
	}
}

// The issue operations name issues: write in their permission hint.
func TestIssuePermission(t *testing.T) {
	e := newEnv(t)
	e.on("POST", "repos/octo/hello/issues", apitest.JSON(403, map[string]string{"message": "Resource not accessible by integration"}))
	_, err := e.c.CreateIssue(context.Background(), repo, api.NewIssue{Title: "x"})
	if !api.IsPermission(err) || !strings.Contains(err.Error(), `"issues: write"`) {
		t.Errorf("got %v", err)
	}
}
