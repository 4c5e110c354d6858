package api_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/github/api/apitest"
)

// The rate-limit answers follow docs.github.com "Rate limits for the REST
// API", sections "About secondary rate limits" and "Exceeding the rate
// limit": no recording of them exists. The secondary message is the one
// quoted in observed-in-issue-reports.json.
var secondaryBody = map[string]string{
	"message":           "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
	"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
}

func primaryLimit(reset time.Time) apitest.Responder {
	return apitest.JSON(403, map[string]string{"message": "API rate limit exceeded for installation ID 1.",
		"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-rate-limits"},
		"X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "0", "X-RateLimit-Used", "5000",
		"X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10), "X-RateLimit-Resource", "core")
}

func TestRetry(t *testing.T) {
	start := newClock().Now()
	ok := func(t *testing.T) apitest.Responder { return apitest.Recorded(t, fxList, 0) }
	tests := []struct {
		name     string
		budget   time.Duration
		answers  []func(t *testing.T) apitest.Responder
		wantErr  string // "" for success
		wantKind api.Kind
		slept    []time.Duration
	}{
		{name: "502 then success",
			answers: []func(*testing.T) apitest.Responder{fixed(apitest.JSON(502, map[string]string{"message": "Server Error"})), ok},
			slept:   []time.Duration{0}},
		{name: "secondary limit with Retry-After",
			answers: []func(*testing.T) apitest.Responder{fixed(apitest.JSON(403, secondaryBody, "Retry-After", "20")), ok},
			slept:   []time.Duration{20 * time.Second}},
		{name: "secondary limit without Retry-After waits a minute, then longer",
			answers: []func(*testing.T) apitest.Responder{fixed(apitest.JSON(403, secondaryBody)), fixed(apitest.JSON(403, secondaryBody)), ok},
			slept:   []time.Duration{time.Minute, 2 * time.Minute}},
		{name: "429 without headers is a secondary limit",
			answers: []func(*testing.T) apitest.Responder{fixed(apitest.JSON(429, map[string]string{"message": "Too Many Requests"})), ok},
			slept:   []time.Duration{time.Minute}},
		{name: "429 with Retry-After",
			answers: []func(*testing.T) apitest.Responder{fixed(apitest.JSON(429, map[string]string{"message": "Too Many Requests"}, "Retry-After", "5")), ok},
			slept:   []time.Duration{5 * time.Second}},
		{name: "primary limit resetting in 30s: waited for",
			answers: []func(*testing.T) apitest.Responder{fixed(primaryLimit(start.Add(30 * time.Second))), ok},
			slept:   []time.Duration{31 * time.Second}},
		{name: "primary limit resetting in an hour: given up at once",
			answers:  []func(*testing.T) apitest.Responder{fixed(primaryLimit(start.Add(time.Hour)))},
			wantErr:  "the rate limit resets at 13:00:00 UTC (in 1h0m1s), later than the 1m0s this client waits; retry then",
			wantKind: api.RateLimited},
		{name: "budget: the second secondary-limit wait does not fit",
			budget:   90 * time.Second,
			answers:  []func(*testing.T) apitest.Responder{fixed(apitest.JSON(403, secondaryBody)), fixed(apitest.JSON(403, secondaryBody))},
			wantErr:  "gave up after 2 attempts: waiting 2m0s more would exceed the 1m30s allowed for one request",
			wantKind: api.RateLimited, slept: []time.Duration{time.Minute}},
		{name: "budget: a Retry-After beyond it is not waited",
			budget:   time.Minute,
			answers:  []func(*testing.T) apitest.Responder{fixed(apitest.JSON(429, map[string]string{"message": "Too Many Requests"}, "Retry-After", "61"))},
			wantErr:  "waiting 1m1s more would exceed the 1m0s",
			wantKind: api.RateLimited},
		{name: "attempts: five 503 answers",
			answers:  slices.Repeat([]func(*testing.T) apitest.Responder{fixed(apitest.JSON(503, map[string]string{"message": "Unavailable"}))}, 5),
			wantErr:  "GitHub answered 503 Unavailable; gave up after 5 attempts",
			wantKind: api.Server, slept: []time.Duration{0, 0, 0, 0}},
		{name: "a 403 that is not a limit is not retried",
			answers:  []func(*testing.T) apitest.Responder{func(t *testing.T) apitest.Responder { return apitest.JSON(403, observed(t, 3)) }},
			wantErr:  "Resource not accessible by integration",
			wantKind: api.Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *api.Config) { c.Retry.Budget = tt.budget })
			for _, a := range tt.answers {
				e.on("GET", listPath, a(t))
			}
			_, err := e.c.ListComments(context.Background(), repo, pr)
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" {
				checkError(t, err, tt.wantKind, statusOf(err), []string{tt.wantErr})
			}
			if got := e.clock.Slept(); !slices.Equal(got, tt.slept) {
				t.Errorf("slept %v, want %v", got, tt.slept)
			}
			if n := len(e.warnings()); n != len(tt.slept) {
				t.Errorf("%d warnings for %d waits: %q", n, len(tt.slept), e.warnings())
			}
		})
	}
}

func fixed(r apitest.Responder) func(*testing.T) apitest.Responder {
	return func(*testing.T) apitest.Responder { return r }
}

func statusOf(err error) int {
	var ae *api.Error
	if errors.As(err, &ae) {
		return ae.Status
	}
	return -1
}

func TestRetryWarning(t *testing.T) {
	e := newEnv(t)
	e.on("GET", listPath, apitest.JSON(403, secondaryBody, "Retry-After", "20"))
	e.on("GET", listPath, apitest.Recorded(t, fxList, 0))
	if _, err := e.c.ListComments(context.Background(), repo, pr); err != nil {
		t.Fatal(err)
	}
	want := "GitHub API: GET /repos/octo/hello/issues/2/comments: rate limited (403, Retry-After 20s); retrying in 20s (attempt 2 of 5)"
	if w := e.warnings(); len(w) != 1 || w[0] != want {
		t.Errorf("warnings %q, want %q", w, want)
	}
}

// A POST answered 5xx may have created the comment: it is not repeated.
// A POST refused by a rate limit did nothing and is.
func TestRetryPOST(t *testing.T) {
	t.Run("502 not retried", func(t *testing.T) {
		e := newEnv(t)
		e.on("POST", createPath, apitest.JSON(502, map[string]string{"message": "Server Error"}))
		_, err := e.c.CreateComment(context.Background(), repo, pr, "x")
		checkError(t, err, api.Server, 502, []string{"not retried: a POST answered 502 Bad Gateway may have taken effect"})
	})
	t.Run("rate limited, retried", func(t *testing.T) {
		e := newEnv(t)
		e.on("POST", createPath, apitest.JSON(429, map[string]string{"message": "Too Many Requests"}, "Retry-After", "3"))
		e.on("POST", createPath, apitest.Recorded(t, fxCreate, 2))
		if _, err := e.c.CreateComment(context.Background(), repo, pr, "A test comment"); err != nil {
			t.Fatal(err)
		}
		checkSameBodies(t, e.reg.Requests())
	})
}

// Each attempt sends the whole body again.
func TestRetryReplaysBody(t *testing.T) {
	e := newEnv(t)
	e.on("PATCH", commentPath(255559982), apitest.JSON(502, map[string]string{"message": "Server Error"}))
	e.on("PATCH", commentPath(255559982), apitest.Recorded(t, fxUpdate, 3))
	if _, err := e.c.EditComment(context.Background(), repo, 255559982, "A test comment update"); err != nil {
		t.Fatal(err)
	}
	checkSameBodies(t, e.reg.Requests())
}

func checkSameBodies(t *testing.T, reqs []apitest.Request) {
	t.Helper()
	if len(reqs) != 2 || len(reqs[0].Body) == 0 || string(reqs[0].Body) != string(reqs[1].Body) {
		t.Errorf("bodies differ between attempts: %v", reqs)
	}
}

// flaky fails its first round trips with err, then passes them on.
type flaky struct {
	fails int32
	err   error
	next  http.RoundTripper
}

func (f *flaky) RoundTrip(r *http.Request) (*http.Response, error) {
	if atomic.AddInt32(&f.fails, -1) >= 0 {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		return nil, f.err
	}
	return f.next.RoundTrip(r)
}

func TestRetryNetwork(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	tests := []struct {
		name    string
		method  string
		err     error
		wantErr string
	}{
		{"GET after a reset", "GET", reset, ""},
		{"POST that never connected", "POST", dial, ""},
		{"POST after a reset: maybe sent, not repeated", "POST", reset, "not retried: the POST may have reached GitHub"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &flaky{fails: 1, err: tt.err, next: http.DefaultTransport}
			e := newEnv(t, func(c *api.Config) { c.Transport = f })
			var err error
			if tt.method == "GET" {
				e.on("GET", listPath, apitest.Recorded(t, fxList, 0))
				_, err = e.c.ListComments(context.Background(), repo, pr)
			} else {
				if tt.wantErr == "" {
					e.on("POST", createPath, apitest.Recorded(t, fxCreate, 2))
				}
				_, err = e.c.CreateComment(context.Background(), repo, pr, "x")
			}
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" {
				checkError(t, err, api.Network, 0, []string{tt.wantErr})
			}
		})
	}
}

// An attempt that hangs is cut by the per-attempt timeout and retried.
func TestRetryAttemptTimeout(t *testing.T) {
	var calls atomic.Int32
	e := newEnv(t, func(c *api.Config) { c.Timeout = 100 * time.Millisecond })
	e.on("GET", listPath, func(r apitest.Request) apitest.Response {
		calls.Add(1)
		time.Sleep(300 * time.Millisecond) // longer than the attempt may take
		return apitest.Response{Status: 200, Body: []byte("[]")}
	})
	e.on("GET", listPath, apitest.Recorded(t, fxList, 0))
	got, err := e.c.ListComments(context.Background(), repo, pr)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || calls.Load() != 1 {
		t.Errorf("got %d comments after %d slow calls", len(got), calls.Load())
	}
	if w := e.warnings(); len(w) != 1 || !strings.Contains(w[0], "network error") {
		t.Errorf("warnings %q", w)
	}
}
