package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/github/api/apitest"
)

const (
	listPath   = "repos/octo/hello/issues/2/comments"
	createPath = listPath
	body       = "## imagedrift\nno change"
	want       = marker + "\n" + body
)

func commentPath(id int64) string { return "repos/octo/hello/issues/comments/" + itoa(id) }

// notFound is the recorded 404 of a second DELETE of a commit comment: no
// issue-comment 404 was recorded, and docs.github.com "REST API endpoints
// for issue comments" gives the same "Not Found" shape for them.
func notFound(t *testing.T) apitest.Responder { return apitest.Recorded(t, fxNotFound, 6) }

// tooLong answers the 422 quoted in observed-in-issue-reports.json (no
// recording exists): entry 0 is the create shape (code unprocessable,
// field data), entry 2 the older edit shape (code custom, field body).
func tooLong(t *testing.T, entry int) apitest.Responder {
	return apitest.JSON(422, observed(t, entry))
}

func TestUpsertSticky(t *testing.T) {
	type stub struct {
		method, path string
		resp         func(t *testing.T) apitest.Responder
	}
	tests := []struct {
		name     string
		opts     api.StickyOptions
		stubs    func(t *testing.T) []stub
		want     api.StickyResult
		wantBody map[string]string // "METHOD path" → the body it must have sent
	}{
		{
			name: "no comment of ours: a person quoting the marker, the marker below the first line, another tool's marker",
			opts: api.StickyOptions{CreateIfMissing: true},
			stubs: func(t *testing.T) []stub {
				others := list(t,
					commentJSON(t, 11, marker+"\nquoted by a person", false),
					commentJSON(t, 12, "see below\n"+marker, true),
					probotSticky(t))
				return []stub{
					{"GET", listPath, func(*testing.T) apitest.Responder { return others }},
					{"GET", listPath, func(*testing.T) apitest.Responder { return others }},
					{"POST", createPath, func(t *testing.T) apitest.Responder { return created(t, commentJSON(t, 50, want, true)) }},
					{"GET", listPath, func(t *testing.T) apitest.Responder {
						return list(t, commentJSON(t, 11, marker+"\nquoted by a person", false), probotSticky(t), commentJSON(t, 50, want, true))
					}},
				}
			},
			want:     api.StickyResult{Action: api.StickyCreated, CommentID: 50, URL: "https://github.com/octo/hello/pull/2#issuecomment-50"},
			wantBody: map[string]string{"POST " + createPath: want},
		},
		{
			name: "ours found: edited in place",
			opts: api.StickyOptions{CreateIfMissing: true},
			stubs: func(t *testing.T) []stub {
				return []stub{
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t, commentJSON(t, 7, marker+"\nold", true)) }},
					{"PATCH", commentPath(7), func(t *testing.T) apitest.Responder { return edited(t, commentJSON(t, 7, want, true)) }},
				}
			},
			want:     api.StickyResult{Action: api.StickyEdited, CommentID: 7, URL: "https://github.com/octo/hello/pull/2#issuecomment-7"},
			wantBody: map[string]string{"PATCH " + commentPath(7): want},
		},
		{
			name: "ours already says it: nothing sent",
			opts: api.StickyOptions{CreateIfMissing: true},
			stubs: func(t *testing.T) []stub {
				return []stub{{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t, commentJSON(t, 7, want, true)) }}}
			},
			want: api.StickyResult{Action: api.StickyUnchanged, CommentID: 7, URL: "https://github.com/octo/hello/pull/2#issuecomment-7"},
		},
		{
			name: "ours deleted meanwhile: the edit's 404 creates a new one",
			opts: api.StickyOptions{CreateIfMissing: true},
			stubs: func(t *testing.T) []stub {
				return []stub{
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t, commentJSON(t, 7, marker+"\nold", true)) }},
					{"PATCH", commentPath(7), notFound},
					{"POST", createPath, func(t *testing.T) apitest.Responder { return created(t, commentJSON(t, 8, want, true)) }},
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t, commentJSON(t, 8, want, true)) }},
				}
			},
			want: api.StickyResult{Action: api.StickyCreated, CommentID: 8, URL: "https://github.com/octo/hello/pull/2#issuecomment-8"},
		},
		{
			name: "duplicates: the oldest is kept and edited, the others deleted",
			opts: api.StickyOptions{CreateIfMissing: true},
			stubs: func(t *testing.T) []stub {
				return []stub{
					{"GET", listPath, func(t *testing.T) apitest.Responder {
						return list(t, commentJSON(t, 30, marker+"\nc", true), commentJSON(t, 10, marker+"\na", true), commentJSON(t, 20, marker+"\nb", true))
					}},
					{"PATCH", commentPath(10), func(t *testing.T) apitest.Responder { return edited(t, commentJSON(t, 10, want, true)) }},
					{"DELETE", commentPath(20), func(t *testing.T) apitest.Responder { return apitest.Recorded(t, fxDelete, 3) }},
					{"DELETE", commentPath(30), notFound}, // another run deleted it first
				}
			},
			want:     api.StickyResult{Action: api.StickyEdited, CommentID: 10, URL: "https://github.com/octo/hello/pull/2#issuecomment-10", DuplicatesDeleted: 1},
			wantBody: map[string]string{"PATCH " + commentPath(10): want},
		},
		{
			name: "another run created one meanwhile: after creating, the older one is kept with this body",
			opts: api.StickyOptions{CreateIfMissing: true},
			stubs: func(t *testing.T) []stub {
				return []stub{
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t) }},
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t) }},
					{"POST", createPath, func(t *testing.T) apitest.Responder { return created(t, commentJSON(t, 50, want, true)) }},
					{"GET", listPath, func(t *testing.T) apitest.Responder {
						return list(t, commentJSON(t, 40, marker+"\nother run", true), commentJSON(t, 50, want, true))
					}},
					{"PATCH", commentPath(40), func(t *testing.T) apitest.Responder { return edited(t, commentJSON(t, 40, want, true)) }},
					{"DELETE", commentPath(50), func(t *testing.T) apitest.Responder { return apitest.Recorded(t, fxDelete, 3) }},
				}
			},
			want: api.StickyResult{Action: api.StickyEdited, CommentID: 40, URL: "https://github.com/octo/hello/pull/2#issuecomment-40", DuplicatesDeleted: 1},
		},
		{
			name: "another run already deleted the one created here: its older one is kept with this body",
			opts: api.StickyOptions{CreateIfMissing: true},
			stubs: func(t *testing.T) []stub {
				return []stub{
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t) }},
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t) }},
					{"POST", createPath, func(t *testing.T) apitest.Responder { return created(t, commentJSON(t, 50, want, true)) }},
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t, commentJSON(t, 40, marker+"\nother run", true)) }},
					{"PATCH", commentPath(40), func(t *testing.T) apitest.Responder { return edited(t, commentJSON(t, 40, want, true)) }},
				}
			},
			want: api.StickyResult{Action: api.StickyEdited, CommentID: 40, URL: "https://github.com/octo/hello/pull/2#issuecomment-40"},
		},
		{
			name: "no comment and CreateIfMissing false: nothing posted",
			stubs: func(t *testing.T) []stub {
				return []stub{{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t, probotSticky(t)) }}}
			},
			want: api.StickyResult{Action: api.StickyNoneFound},
		},
		{
			name: "CreateIfMissing false still edits ours",
			stubs: func(t *testing.T) []stub {
				return []stub{
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t, commentJSON(t, 7, marker+"\nold", true)) }},
					{"PATCH", commentPath(7), func(t *testing.T) apitest.Responder { return edited(t, commentJSON(t, 7, want, true)) }},
				}
			},
			want: api.StickyResult{Action: api.StickyEdited, CommentID: 7, URL: "https://github.com/octo/hello/pull/2#issuecomment-7"},
		},
		{
			name: "head moved: nothing posted",
			opts: api.StickyOptions{CreateIfMissing: true, ExpectHeadSHA: "0123456789abcdef0123456789abcdef01234567"},
			stubs: func(t *testing.T) []stub {
				return []stub{{"GET", "repos/octo/hello/pulls/2", func(t *testing.T) apitest.Responder { return apitest.Recorded(t, fxPR, 4) }}}
			},
			want: api.StickyResult{Action: api.StickySkippedHead, HeadSHA: "9bf22dff54fd6a7650230b70417b55e8cccfc4f2"},
		},
		{
			name: "head as expected: posted",
			opts: api.StickyOptions{CreateIfMissing: true, ExpectHeadSHA: "9bf22dff54fd6a7650230b70417b55e8cccfc4f2"},
			stubs: func(t *testing.T) []stub {
				return []stub{
					{"GET", "repos/octo/hello/pulls/2", func(t *testing.T) apitest.Responder { return apitest.Recorded(t, fxPR, 4) }},
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t, commentJSON(t, 7, want, true)) }},
				}
			},
			want: api.StickyResult{Action: api.StickyUnchanged, CommentID: 7, URL: "https://github.com/octo/hello/pull/2#issuecomment-7",
				HeadSHA: "9bf22dff54fd6a7650230b70417b55e8cccfc4f2"},
		},
		{
			name: "create refused as too long: the short body is posted",
			opts: api.StickyOptions{CreateIfMissing: true, ShortBody: "too big, see the job summary"},
			stubs: func(t *testing.T) []stub {
				return []stub{
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t) }},
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t) }},
					{"POST", createPath, func(t *testing.T) apitest.Responder { return tooLong(t, 0) }},
					{"POST", createPath, func(t *testing.T) apitest.Responder {
						return created(t, commentJSON(t, 9, marker+"\ntoo big, see the job summary", true))
					}},
					{"GET", listPath, func(t *testing.T) apitest.Responder {
						return list(t, commentJSON(t, 9, marker+"\ntoo big, see the job summary", true))
					}},
				}
			},
			want: api.StickyResult{Action: api.StickyCreated, CommentID: 9, URL: "https://github.com/octo/hello/pull/2#issuecomment-9", Shortened: true},
		},
		{
			name: "edit refused as too long (older shape): the short body is posted",
			opts: api.StickyOptions{CreateIfMissing: true, ShortBody: "too big"},
			stubs: func(t *testing.T) []stub {
				return []stub{
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t, commentJSON(t, 7, marker+"\nold", true)) }},
					{"PATCH", commentPath(7), func(t *testing.T) apitest.Responder { return tooLong(t, 2) }},
					{"PATCH", commentPath(7), func(t *testing.T) apitest.Responder { return edited(t, commentJSON(t, 7, marker+"\ntoo big", true)) }},
				}
			},
			want: api.StickyResult{Action: api.StickyEdited, CommentID: 7, URL: "https://github.com/octo/hello/pull/2#issuecomment-7", Shortened: true},
		},
		{
			name: "a create answered 502 had taken effect: found on the next listing and kept",
			opts: api.StickyOptions{CreateIfMissing: true},
			stubs: func(t *testing.T) []stub {
				return []stub{
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t) }},
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t) }},
					{"POST", createPath, func(*testing.T) apitest.Responder {
						return apitest.JSON(502, map[string]string{"message": "Server Error"})
					}},
					{"GET", listPath, func(t *testing.T) apitest.Responder { return list(t, commentJSON(t, 60, want, true)) }},
				}
			},
			want: api.StickyResult{Action: api.StickyUnchanged, CommentID: 60, URL: "https://github.com/octo/hello/pull/2#issuecomment-60"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			for _, s := range tt.stubs(t) {
				e.on(s.method, s.path, s.resp(t))
			}
			got, err := e.c.UpsertSticky(context.Background(), repo, pr, marker, body, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			for _, r := range e.reg.Requests() {
				if wb, ok := tt.wantBody[r.Method+" "+r.Path]; ok {
					if b := bodyOf(t, r)["body"]; b != wb {
						t.Errorf("%s %s sent body %q, want %q", r.Method, r.Path, b, wb)
					}
				}
			}
		})
	}
}

// probotSticky is the recorded sticky comment of another bot, whose first
// line is its own marker.
func probotSticky(t *testing.T) map[string]any {
	t.Helper()
	var ev struct {
		Comment map[string]any `json:"comment"`
	}
	if err := json.Unmarshal(apitest.File(t, fxBotSticky), &ev); err != nil {
		t.Fatal(err)
	}
	if b, _ := ev.Comment["body"].(string); !strings.HasPrefix(b, "<!-- probot comment [11359653]-->") {
		t.Fatalf("recorded body starts %.40q", b)
	}
	return ev.Comment
}

func TestUpsertStickyMarkerFirstLine(t *testing.T) {
	e := newEnv(t)
	e.on("GET", listPath, list(t, commentJSON(t, 7, marker+"\nold", true)))
	e.reg.Register(apitest.REST("PATCH", commentPath(7)).BodyContains(`"body":"`+marker+`\nx"`), edited(t, commentJSON(t, 7, marker+"\nx", true)))
	// The caller put the marker first already: it is not doubled.
	if _, err := e.c.UpsertSticky(context.Background(), repo, pr, marker, marker+"\nx", api.StickyOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"", "two\nlines", " spaced "} {
		if _, err := e.c.UpsertSticky(context.Background(), repo, pr, m, "x", api.StickyOptions{}); err == nil {
			t.Errorf("marker %q accepted", m)
		}
	}
}

// A read-only token (docs.github.com "Automatic token authentication":
// pull requests from public forks get a read-only GITHUB_TOKEN) is
// answered 403 "Resource not accessible by integration"; the body is the
// one quoted in observed-in-issue-reports.json (entry 3), no recording
// exists.
func TestUpsertStickyReadOnlyToken(t *testing.T) {
	e := newEnv(t)
	e.on("GET", listPath, list(t)).Times(2)
	e.on("POST", createPath, apitest.JSON(403, observed(t, 3)))
	_, err := e.c.UpsertSticky(context.Background(), repo, pr, marker, body, api.StickyOptions{CreateIfMissing: true})
	if !api.IsPermission(err) {
		t.Fatalf("got %v, want a permission error", err)
	}
	msg := err.Error()
	for _, s := range []string{"create comment on pull request #2 of octo/hello", "403 Resource not accessible by integration",
		`"pull-requests: write"`, "fork", "mode: report", "mode: comment"} {
		if !strings.Contains(msg, s) {
			t.Errorf("error lacks %q: %s", s, msg)
		}
	}
	if len(e.reg.Requests()) != 3 {
		t.Errorf("a 403 must not be retried: %v", e.requests())
	}
}
