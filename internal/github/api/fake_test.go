package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/github/api/fakegithub"
	"github.com/imagedrift/imagedrift/internal/github/api/recorded"
)

const head = "1111111111111111111111111111111111111111"

// newFake serves a stateful fake GitHub holding pull request 2 of
// octo/hello, and returns a Client for it.
func newFake(t *testing.T, opts fakegithub.Options) (*fakegithub.Server, *api.Client) {
	t.Helper()
	if _, err := recorded.Dir(); err != nil {
		t.Skip(err)
	}
	s, err := fakegithub.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	s.SetPullRequest(repo, pr, head, false)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := api.New(api.Config{BaseURL: srv.URL, Token: token, Retry: api.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// ours returns the fake's comments that carry the marker first and come
// from a bot.
func oursIn(s *fakegithub.Server) []fakegithub.Comment {
	var out []fakegithub.Comment
	for _, c := range s.Comments(repo, pr) {
		if c.Bot && strings.HasPrefix(c.Body, marker+"\n") {
			out = append(out, c)
		}
	}
	return out
}

// Two runs that both find no comment and both create one (the fake holds
// each POST until both have arrived) must end with exactly one: the
// oldest, carrying one of the two bodies. Others' comments stay.
func TestUpsertStickyRace(t *testing.T) {
	var posts atomic.Int32
	release := make(chan struct{})
	hook := func(method, path string) {
		if method == "POST" && strings.HasSuffix(path, "/comments") {
			if posts.Add(1) == 2 {
				close(release)
			}
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
		}
	}
	s, c := newFake(t, fakegithub.Options{Hook: hook})
	s.AddComment(repo, pr, "alice", marker+"\nquoting the bot")
	s.AddComment(repo, pr, "snippet-bot-googleapis[bot]", "<!-- probot comment [11359653]-->\nanother tool")

	results := make([]api.StickyResult, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = c.UpsertSticky(context.Background(), repo, pr, marker, fmt.Sprint("run ", i), api.StickyOptions{CreateIfMissing: true})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	if posts.Load() != 2 {
		t.Fatalf("%d creations: the race was not exercised", posts.Load())
	}
	got := oursIn(s)
	if len(got) != 1 {
		t.Fatalf("%d comments of ours: %+v", len(got), got)
	}
	if results[0].CommentID != got[0].ID || results[1].CommentID != got[0].ID {
		t.Errorf("results %+v and %+v do not both name the kept comment %d", results[0], results[1], got[0].ID)
	}
	if n := len(s.Comments(repo, pr)); n != 3 {
		t.Errorf("%d comments in all, want the 2 others' and ours", n)
	}
}

// Several runs at once, several times: always exactly one comment.
func TestUpsertStickyConcurrentRuns(t *testing.T) {
	s, c := newFake(t, fakegithub.Options{})
	for round := range 5 {
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.UpsertSticky(context.Background(), repo, pr, marker, fmt.Sprintf("round %d run %d", round, i),
					api.StickyOptions{CreateIfMissing: true})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := oursIn(s); len(got) != 1 || !strings.Contains(got[0].Body, fmt.Sprintf("round %d ", round)) {
			t.Fatalf("round %d: %+v", round, got)
		}
	}
}

// The stateful fake through a whole pull request's life: created, edited,
// unchanged, emptied (CreateIfMissing false), deleted by a person and
// recreated, too long, head moved, read-only token.
func TestUpsertStickyLifecycle(t *testing.T) {
	s, c := newFake(t, fakegithub.Options{})
	ctx := context.Background()
	up := func(body string, opts api.StickyOptions) api.StickyResult {
		t.Helper()
		r, err := c.UpsertSticky(ctx, repo, pr, marker, body, opts)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	create := api.StickyOptions{CreateIfMissing: true, ExpectHeadSHA: head}
	if r := up("first", api.StickyOptions{}); r.Action != api.StickyNoneFound {
		t.Errorf("nothing to edit: %+v", r)
	}
	if r := up("first", create); r.Action != api.StickyCreated || r.HeadSHA != head {
		t.Errorf("create: %+v", r)
	}
	if r := up("second", create); r.Action != api.StickyEdited {
		t.Errorf("edit: %+v", r)
	}
	if r := up("second", create); r.Action != api.StickyUnchanged {
		t.Errorf("same body: %+v", r)
	}
	if r := up("no change any more", api.StickyOptions{}); r.Action != api.StickyEdited {
		t.Errorf("emptied: %+v", r)
	}
	if err := c.DeleteComment(ctx, repo, oursIn(s)[0].ID); err != nil {
		t.Fatal(err)
	}
	if r := up("third", create); r.Action != api.StickyCreated {
		t.Errorf("recreated: %+v", r)
	}
	r := up(strings.Repeat("x", 70000), api.StickyOptions{CreateIfMissing: true, ShortBody: "too long for a comment"})
	if r.Action != api.StickyEdited || !r.Shortened || oursIn(s)[0].Body != marker+"\ntoo long for a comment" {
		t.Errorf("too long: %+v, %q", r, oursIn(s)[0].Body)
	}
	s.SetPullRequest(repo, pr, "2222222222222222222222222222222222222222", false)
	if r := up("stale", create); r.Action != api.StickySkippedHead || r.HeadSHA != "2222222222222222222222222222222222222222" {
		t.Errorf("head moved: %+v", r)
	}
	s.SetReadOnly(true)
	_, err := c.UpsertSticky(ctx, repo, pr, marker, "fourth", api.StickyOptions{CreateIfMissing: true})
	if !api.IsPermission(err) {
		t.Errorf("read-only: %v", err)
	}
	if got := oursIn(s); len(got) != 1 || got[0].Body != marker+"\ntoo long for a comment" {
		t.Errorf("final state %+v", got)
	}
}

// A listing longer than a page, through the fake's Link headers.
func TestListCommentsFakePages(t *testing.T) {
	s, c := newFake(t, fakegithub.Options{})
	for i := range 230 {
		s.AddComment(repo, pr, "alice", fmt.Sprint(i))
	}
	got, err := c.ListComments(context.Background(), repo, pr)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 230 || got[229].Body != "229" {
		t.Errorf("%d comments", len(got))
	}
}
