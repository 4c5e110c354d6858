package api_test

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/github/api/apitest"
)

// token is shaped like a GITHUB_TOKEN; no error or warning may show it.
const token = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"

// Recordings the tests serve, with the exchange used.
const (
	fxCreate    = "api/octokit-rb-vcr/issue-comment.create.json"                          // 2: POST comment, 201
	fxUpdate    = "api/octokit-rb-vcr/issue-comment.update.json"                          // 3: PATCH comment, 200
	fxDelete    = "api/octokit-rb-vcr/issue-comment.delete.json"                          // 3: DELETE comment, 204
	fxList      = "api/octokit-rb-vcr/issue-comments.list-for-issue.json"                 // 0: 3 comments, no Link
	fxListPage  = "api/octokit-rb-vcr/issue-comments.list-for-repo.link-page1-of-73.json" // 0: 30 comments, Link next
	fxNotFound  = "api/octokit-rb-vcr/commit-comment.delete-then-404.json"                // 6: second DELETE, 404
	fxPR        = "api/octokit-rb-vcr/pull-request.create-get-update.json"                // 4: GET pulls/2
	fx401       = "api/octokit-rb-vcr/error.401-bad-credentials.json"                     // 0: 401 Bad credentials
	fx422       = "api/octokit-fixtures/errors.json"                                      // 0: 422 Validation Failed
	fxIssues    = "api/octokit-fixtures/paginate-issues.json"                             // 0-4: 5 pages, Link to /repositories/1000
	fxCheckRun  = "api/octokit-rb-vcr/check-run.create.json"                              // 0: POST check-runs, 201
	fxCheckUpd  = "api/octokit-rb-vcr/check-run.update-completed-with-annotation.json"    // 0: PATCH check run
	fxNewIssue  = "api/octokit-fixtures/add-labels-to-issue.json"                         // 0: POST issues, 201
	fxObserved  = "api/observed-in-issue-reports.json"
	fxBotSticky = "webhooks/issue_comment.edited.on-pr-bot-sticky.json"
)

const (
	repo   = "octo/hello"
	pr     = 2
	marker = "<!-- imagedrift:Dockerfile -->"
)

// clock is the retry layer's time: sleeping advances it, nothing waits.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newClock() *clock { return &clock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

func (c *clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// env is a Client talking to a strict fake, with a fake clock and the
// warnings it gave.
type env struct {
	reg   *apitest.Registry
	c     *api.Client
	clock *clock
	mu    sync.Mutex
	warns []string
}

func newEnv(t *testing.T, mods ...func(*api.Config)) *env {
	t.Helper()
	e := &env{reg: apitest.New(t), clock: newClock()}
	cfg := api.Config{BaseURL: e.reg.URL(), Token: token, UserAgent: "imagedrift/test",
		Retry: api.RetryPolicy{Now: e.clock.Now, Sleep: e.clock.Sleep, Backoff: func(int) time.Duration { return 0 }},
		Warn:  e.warn, ForkAdvice: "run imagedrift with mode: report here and with mode: comment in a workflow_run workflow"}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.c = c
	return e
}

func (e *env) warn(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.warns = append(e.warns, s)
}

func (e *env) warnings() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.warns...)
}

func (e *env) on(method, path string, r apitest.Responder) *apitest.Stub {
	return e.reg.Register(apitest.REST(method, path), r)
}

// commentJSON derives a comment from the recorded created comment: the
// id, body and author change, the rest is GitHub's 2016 shape. A bot
// author is the user object of a real bot comment (snippet-bot, type Bot).
func commentJSON(t *testing.T, id int64, body string, bot bool) map[string]any {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal(apitest.Exchange(t, fxCreate, 2).Body, &c); err != nil {
		t.Fatal(err)
	}
	c["id"], c["body"] = id, body
	c["html_url"] = "https://github.com/octo/hello/pull/2#issuecomment-" + itoa(id)
	c["url"] = "https://api.github.com/repos/octo/hello/issues/comments/" + itoa(id)
	if bot {
		c["user"] = botUser(t)
	}
	return c
}

func botUser(t *testing.T) any {
	t.Helper()
	var ev struct {
		Comment struct {
			User map[string]any `json:"user"`
		} `json:"comment"`
	}
	if err := json.Unmarshal(apitest.File(t, fxBotSticky), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Comment.User["type"] != "Bot" {
		t.Fatalf("the recorded sticky comment's author is %v, not a Bot", ev.Comment.User["type"])
	}
	return ev.Comment.User
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// list answers with the given comments as one page, with the recorded
// list's headers.
func list(t *testing.T, comments ...map[string]any) apitest.Responder {
	t.Helper()
	x := apitest.Exchange(t, fxList, 0)
	if comments == nil {
		comments = []map[string]any{}
	}
	b, err := json.Marshal(comments)
	if err != nil {
		t.Fatal(err)
	}
	x.Body = b
	return apitest.Serve(x)
}

// created answers a POST with the recorded 201, its comment derived.
func created(t *testing.T, c map[string]any) apitest.Responder {
	t.Helper()
	x := apitest.Exchange(t, fxCreate, 2)
	x.Body = []byte(jsonString(c))
	return apitest.Serve(x)
}

// edited answers a PATCH with the recorded 200, its comment derived.
func edited(t *testing.T, c map[string]any) apitest.Responder {
	t.Helper()
	x := apitest.Exchange(t, fxUpdate, 3)
	x.Body = []byte(jsonString(c))
	return apitest.Serve(x)
}

// observed returns the body of a quoted error in observed-in-issue-reports.json.
func observed(t *testing.T, i int) any {
	t.Helper()
	var o struct {
		Entries []struct {
			Body any `json:"body"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(apitest.File(t, fxObserved), &o); err != nil {
		t.Fatal(err)
	}
	return o.Entries[i].Body
}

// requests lists "METHOD path" of what the fake received.
func (e *env) requests() []string {
	var out []string
	for _, r := range e.reg.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func bodyOf(t *testing.T, r apitest.Request) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("request body %q: %v", r.Body, err)
	}
	return m
}
