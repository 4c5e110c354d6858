package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v57/github"
)

// Config says how to reach GitHub.
type Config struct {
	// BaseURL is the REST root, GITHUB_API_URL: https://api.github.com,
	// https://HOST/api/v3 on GitHub Enterprise Server, or a local fake.
	// It is used as given (nothing is appended). Empty means api.github.com.
	BaseURL string
	// Token authenticates every request to BaseURL's host and to no other.
	// It never appears in an error or a warning.
	Token     string
	UserAgent string // e.g. "imagedrift/1.2.3"
	// Transport sends the requests (default: a clone of
	// http.DefaultTransport); tests point it at a fake.
	Transport http.RoundTripper
	// Timeout bounds each attempt of a request (default 30s).
	Timeout time.Duration
	Retry   RetryPolicy
	// MaxPages caps the pages (of 100 items) one listing reads (default 100).
	MaxPages int
	// ForkAdvice ends the hint of a permission error: what the caller's
	// users should do when a pull request from a fork gets a read-only
	// token. Empty means a generic advice to post from a workflow_run
	// workflow.
	ForkAdvice string
	// Warn receives one line per retry or wait (default: dropped).
	Warn func(string)
}

// Defaults of Config.
const (
	DefaultTimeout  = 30 * time.Second
	DefaultMaxPages = 100
	perPage         = 100
)

// Client calls GitHub's REST API. It is safe for concurrent use.
type Client struct {
	gh       *gh.Client
	base     *url.URL
	token    string
	maxPages int
	fork     string
	now      func() time.Time
}

// New checks cfg and builds a Client; it makes no request.
func New(cfg Config) (*Client, error) {
	base, err := parseBase(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{base: base, token: cfg.Token, maxPages: cfg.MaxPages, fork: cfg.ForkAdvice}
	if c.maxPages <= 0 {
		c.maxPages = DefaultMaxPages
	}
	if c.fork == "" {
		c.fork = "post from a separate workflow triggered by workflow_run, which gets a writable token"
	}
	next := cfg.Transport
	if next == nil {
		next = http.DefaultTransport.(*http.Transport).Clone()
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	p := cfg.Retry.withDefaults()
	c.now = p.Now
	rt := &retryTransport{next: &authTransport{next: next, base: base, token: cfg.Token}, p: p, timeout: timeout,
		warn: c.warner(cfg.Warn)}
	c.gh = gh.NewClient(&http.Client{Transport: rt})
	c.gh.BaseURL = base
	if cfg.UserAgent != "" {
		c.gh.UserAgent = cfg.UserAgent
	}
	return c, nil
}

func parseBase(s string) (*url.URL, error) {
	if s == "" {
		s = "https://api.github.com"
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("GitHub API URL %q: want http(s)://host[/path] without credentials", s)
	}
	u.RawQuery, u.Fragment = "", ""
	// go-github resolves relative paths against BaseURL, which therefore
	// must end with a slash; /api/v3 is not appended, unlike
	// WithEnterpriseURLs, since GITHUB_API_URL already holds it.
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

// warner wraps the caller's hook so that nothing it receives holds the token.
func (c *Client) warner(w func(string)) func(string) {
	return func(s string) {
		if w != nil {
			w(c.scrub(s))
		}
	}
}

// scrub removes the token from text that leaves the client, whatever put
// it there (a proxy echoing headers into a message, say).
func (c *Client) scrub(s string) string {
	if c.token == "" {
		return s
	}
	return strings.ReplaceAll(s, c.token, "***")
}

// authTransport adds the token to requests for the API host only, so that
// a Link or redirect to elsewhere never carries it.
type authTransport struct {
	next  http.RoundTripper
	base  *url.URL
	token string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.token != "" && sameOrigin(req.URL, t.base) {
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	return t.next.RoundTrip(req)
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

// op describes an operation for its errors: what was being done and the
// permissions: entry a GITHUB_TOKEN needs for it.
type op struct {
	what string
	perm string
}

// call runs f with a context that lets the retry layer report back, and
// turns its failure into an *Error.
func (c *Client) call(ctx context.Context, o op, f func(context.Context) (*gh.Response, error)) (*gh.Response, error) {
	tr := &trace{}
	resp, err := f(withTrace(ctx, tr))
	if err != nil {
		return resp, c.newError(o, err, tr)
	}
	return resp, nil
}

// do sends one request; urlStr is relative to BaseURL or absolute (a
// Link URL), body is encoded as JSON, v receives the decoded answer.
func (c *Client) do(ctx context.Context, o op, method, urlStr string, body, v any) (*gh.Response, error) {
	req, err := c.gh.NewRequest(method, urlStr, body)
	if err != nil {
		return nil, &Error{Op: o.what, Message: c.scrub(err.Error()), Err: err}
	}
	return c.call(ctx, o, func(ctx context.Context) (*gh.Response, error) { return c.gh.Do(ctx, req, v) })
}

// repoPath returns "repos/OWNER/NAME" for "owner/name", escaped.
func repoPath(repo string) (string, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || !validName(owner) || !validName(name) {
		return "", fmt.Errorf("repository %q: want owner/name", repo)
	}
	return "repos/" + url.PathEscape(owner) + "/" + url.PathEscape(name), nil
}

func validName(s string) bool {
	if s == "" || s == "." || s == ".." || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == '/' || r == '\\' || r == 0x7f || r == '?' || r == '#' || r == '%' {
			return false
		}
	}
	return true
}

// usage builds the error for a call the client refuses before sending.
func usage(o op, err error) *Error {
	return &Error{Op: o.what, Message: err.Error(), Err: err}
}
