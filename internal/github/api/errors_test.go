package api_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/github/api/apitest"
)

// Docs for the shapes no recording holds:
//   - 403 "Resource not accessible by integration": docs.github.com
//     "Automatic token authentication" and "Troubleshooting the REST API";
//     body as quoted in observed-in-issue-reports.json (entry 3).
//   - rate limits, 429: docs.github.com "Rate limits for the REST API",
//     section "Exceeding the rate limit".
//   - 422 too long: observed-in-issue-reports.json (entries 0 and 2).
func TestErrorKinds(t *testing.T) {
	secondary := map[string]string{"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
		"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}
	tests := []struct {
		name     string
		resp     func(t *testing.T) apitest.Responder
		times    int
		kind     api.Kind
		status   int
		contains []string
		is       func(error) bool
	}{
		{"401 recorded", func(t *testing.T) apitest.Responder { return apitest.Recorded(t, fx401, 0) }, 1,
			api.Unauthorized, 401, []string{"401 Bad credentials", "token is missing, invalid or expired"}, nil},
		{"403 read-only token", func(t *testing.T) apitest.Responder { return apitest.JSON(403, observed(t, 3)) }, 1,
			api.Forbidden, 403, []string{"Resource not accessible by integration", `"pull-requests: read"`, "mode: report"}, api.IsPermission},
		{"403 other", func(*testing.T) apitest.Responder {
			return apitest.JSON(403, map[string]string{"message": "Must have admin rights to Repository."})
		}, 1,
			api.Forbidden, 403, []string{"Must have admin rights", "the token may not do this"}, api.IsPermission},
		{"404 recorded", func(t *testing.T) apitest.Responder { return apitest.Recorded(t, fxNotFound, 6) }, 1,
			api.NotFound, 404, []string{"404 Not Found", "check the repository"}, api.IsNotFound},
		{"422 recorded", func(t *testing.T) apitest.Responder { return apitest.Recorded(t, fx422, 0) }, 1,
			api.Validation, 422, []string{"422 Validation Failed (Label color invalid)"}, nil},
		{"422 too long, create shape", func(t *testing.T) apitest.Responder { return apitest.JSON(422, observed(t, 0)) }, 1,
			api.Validation, 422, []string{"IssueComment data unprocessable: Body is too long (maximum is 65536 characters)", "shorten"}, api.IsTooLong},
		{"422 too long, edit shape", func(t *testing.T) apitest.Responder { return apitest.JSON(422, observed(t, 2)) }, 1,
			api.Validation, 422, []string{"IssueComment body custom: body is too long"}, api.IsTooLong},
		{"secondary limit beyond the budget", func(*testing.T) apitest.Responder { return apitest.JSON(403, secondary, "Retry-After", "3600") }, 1,
			api.RateLimited, 403, []string{"secondary rate limit", "waiting 1h0m0s more would exceed the 3m0s"}, nil},
		{"429 every time", func(*testing.T) apitest.Responder {
			return apitest.JSON(429, map[string]string{"message": "Too Many Requests"})
		}, 3,
			api.RateLimited, 429, []string{"429 Too Many Requests", "gave up after 3 attempts: waiting 4m0s more would exceed the 3m0s"}, nil},
		{"500 every time", func(*testing.T) apitest.Responder {
			return apitest.JSON(500, map[string]string{"message": "Server Error"})
		}, 5,
			api.Server, 500, []string{"500 Server Error", "gave up after 5 attempts", "githubstatus"}, nil},
		{"502 HTML page", func(*testing.T) apitest.Responder {
			return func(apitest.Request) apitest.Response {
				return apitest.Response{Status: 502, Body: []byte("<html>\n<body>Bad gateway</body>\n</html>")}
			}
		}, 5, api.Server, 502, []string{"GitHub answered 502 Bad Gateway"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.on("GET", listPath, tt.resp(t)).Times(tt.times)
			_, err := e.c.ListComments(context.Background(), repo, pr)
			checkError(t, err, tt.kind, tt.status, tt.contains)
			if tt.is != nil && !tt.is(err) {
				t.Errorf("the Is function is false for %v", err)
			}
		})
	}
}

func checkError(t *testing.T, err error, kind api.Kind, status int, contains []string) {
	t.Helper()
	var ae *api.Error
	if !errors.As(err, &ae) {
		t.Fatalf("got %T %v, want *api.Error", err, err)
	}
	if ae.Kind != kind || ae.Status != status {
		t.Errorf("kind %v status %d, want %v %d: %v", ae.Kind, ae.Status, kind, status, err)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("not one line: %q", msg)
	}
	if !strings.HasPrefix(msg, ae.Op+": ") {
		t.Errorf("does not start with what was being done: %s", msg)
	}
	for _, s := range contains {
		if !strings.Contains(msg, s) {
			t.Errorf("error lacks %q: %s", s, msg)
		}
	}
}

func TestNetworkError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	clk := newClock()
	c, err := api.New(api.Config{BaseURL: "http://" + addr, Token: token,
		Retry: api.RetryPolicy{MaxAttempts: 2, Now: clk.Now, Sleep: clk.Sleep}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateComment(context.Background(), repo, pr, "x")
	checkError(t, err, api.Network, 0, []string{"cannot reach http://" + addr, "check that http://" + addr + " can be reached"})
	if len(clk.Slept()) != 1 {
		t.Errorf("a POST that never connected is retried: slept %v", clk.Slept())
	}
}

func TestCanceled(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.c.ListComments(ctx, repo, pr)
	checkError(t, err, api.Network, 0, []string{"canceled"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is(context.Canceled) false: %v", err)
	}
}

// Every kind of error, with a server that echoes the Authorization header
// into its messages (as a misbehaving proxy might): neither the errors,
// their causes, nor the warnings may show the token.
func TestTokenNeverShown(t *testing.T) {
	echo := func(status int, headerKV ...string) apitest.Responder {
		return func(r apitest.Request) apitest.Response {
			auth := r.Header.Get("Authorization")
			return apitest.JSON(status, map[string]any{"message": "you sent " + auth,
				"errors": []map[string]string{{"resource": "IssueComment", "field": auth, "code": "custom", "message": auth}}},
				headerKV...)(r)
		}
	}
	kinds := []struct {
		status int
		hdr    []string
		times  int
	}{
		{401, nil, 1}, {403, nil, 1}, {404, nil, 1}, {422, nil, 1}, {400, nil, 1},
		{429, nil, 3}, {403, []string{"X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1"}, 5},
		{403, []string{"Retry-After", "1"}, 5}, {500, nil, 5}, {503, nil, 5},
	}
	for _, k := range kinds {
		t.Run(fmt.Sprint(k.status, k.hdr), func(t *testing.T) {
			e := newEnv(t)
			e.on("GET", listPath, echo(k.status, k.hdr...)).Times(k.times)
			_, err := e.c.ListComments(context.Background(), repo, pr)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(fmt.Sprint(e.reg.Requests()[0].Header), token) {
				t.Fatal("the fake did not receive the token: the test proves nothing")
			}
			noToken(t, err, e.warnings())
		})
	}
	t.Run("network", func(t *testing.T) {
		c, err := api.New(api.Config{BaseURL: "http://127.0.0.1:1", Token: token, Retry: api.RetryPolicy{MaxAttempts: 1}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListComments(context.Background(), repo, pr)
		noToken(t, err, nil)
	})
}

func noToken(t *testing.T, err error, warnings []string) {
	t.Helper()
	texts := append([]string{fmt.Sprintf("%v|%+v", err, err)}, warnings...)
	for e := err; e != nil; e = errors.Unwrap(e) {
		texts = append(texts, e.Error())
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		texts = append(texts, fmt.Sprintf("%+v", *ae))
	}
	for _, s := range texts {
		if strings.Contains(s, token) {
			t.Errorf("token shown: %s", s)
		}
	}
}

func TestIsFunctionsOnOtherErrors(t *testing.T) {
	for _, err := range []error{nil, errors.New("x"), context.Canceled} {
		if api.IsPermission(err) || api.IsNotFound(err) || api.IsTooLong(err) {
			t.Errorf("an Is function is true for %v", err)
		}
	}
	wrapped := fmt.Errorf("posting: %w", &api.Error{Kind: api.NotFound})
	if !api.IsNotFound(wrapped) {
		t.Error("IsNotFound misses a wrapped *Error")
	}
}
