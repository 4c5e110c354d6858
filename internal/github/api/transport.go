package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// retryTransport retries what GitHub or the network asks to be retried,
// within the policy's attempt count and time budget (the shape of
// go-containerregistry's transport.NewRetry, with GitHub's rate limits).
//
// POST is retried only where the request surely did not take effect: a
// connection that was never made, and rate-limit answers (GitHub refuses
// those before acting). A 5xx or a broken connection after a POST was
// sent may have created the comment or check run, and a duplicate is
// worse than a failure that the sticky-comment logic repairs on its next
// pass. GET, PATCH, PUT and DELETE are idempotent here and always retried.
type retryTransport struct {
	next    http.RoundTripper
	p       RetryPolicy
	timeout time.Duration // per attempt
	warn    func(string)
}

type decision struct {
	retry  bool
	wait   time.Duration
	why    string // what happened, for warnings and notes
	giveUp string // set when not retrying something retryable in principle
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req, err := replayable(req)
	if err != nil {
		return nil, err
	}
	tr := traceFrom(req.Context())
	start := t.p.Now()
	secondary := t.p.SecondaryWait
	for attempt := 1; ; attempt++ {
		resp, err := t.attempt(req, attempt, start)
		tr.attempts = attempt
		d := t.decide(req, resp, err, attempt, &secondary)
		switch {
		case !d.retry:
			tr.note = d.giveUp
			return resp, err
		case attempt >= t.p.MaxAttempts:
			tr.note = fmt.Sprintf("gave up after %d attempts", attempt)
			return resp, err
		case t.p.Now().Sub(start)+d.wait > t.p.Budget:
			tr.note = fmt.Sprintf("gave up after %d attempts: waiting %s more would exceed the %s allowed for one request",
				attempt, d.wait.Round(time.Second), t.p.Budget)
			return resp, err
		}
		t.warn(fmt.Sprintf("GitHub API: %s %s: %s; retrying in %s (attempt %d of %d)",
			req.Method, req.URL.Path, d.why, d.wait.Round(time.Second), attempt+1, t.p.MaxAttempts))
		discard(resp)
		if err := t.p.Sleep(req.Context(), d.wait); err != nil {
			return nil, err
		}
	}
}

// attempt sends one copy of req with a fresh body, bounded by the
// per-attempt timeout and by what is left of the budget.
func (t *retryTransport) attempt(req *http.Request, n int, start time.Time) (*http.Response, error) {
	r := req.Clone(req.Context())
	if n > 1 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("replaying the request body: %w", err)
		}
		r.Body = body
	}
	timeout := t.timeout
	if left := t.p.Budget - t.p.Now().Sub(start); left < timeout {
		timeout = max(left, time.Second) // the last attempt still gets a chance
	}
	ctx, cancel := context.WithTimeout(req.Context(), timeout)
	resp, err := t.next.RoundTrip(r.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

func (t *retryTransport) decide(req *http.Request, resp *http.Response, err error, attempt int, secondary *time.Duration) decision {
	if err != nil {
		return t.decideNetwork(req, err, attempt)
	}
	switch code := resp.StatusCode; {
	case code == http.StatusForbidden || code == http.StatusTooManyRequests:
		return t.decideLimit(resp, secondary)
	case code >= 500 && code != http.StatusNotImplemented && code != http.StatusHTTPVersionNotSupported:
		why := "answered " + resp.Status
		if req.Method == http.MethodPost {
			return decision{giveUp: "not retried: a POST answered " + resp.Status + " may have taken effect"}
		}
		return decision{retry: true, wait: t.p.Backoff(attempt), why: why}
	}
	return decision{}
}

func (t *retryTransport) decideNetwork(req *http.Request, err error, attempt int) decision {
	if req.Context().Err() != nil {
		return decision{} // the caller gave up
	}
	if req.Method == http.MethodPost && !neverSent(err) {
		return decision{giveUp: "not retried: the POST may have reached GitHub"}
	}
	return decision{retry: true, wait: t.p.Backoff(attempt), why: "network error"}
}

// neverSent tells errors raised before any byte of the request left: no
// connection, no name.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// decideLimit follows GitHub's "Rate limits for the REST API", section
// "Exceeding the rate limit": a Retry-After says how long to wait; else an
// exhausted primary limit (X-RateLimit-Remaining: 0) waits for
// X-RateLimit-Reset; else a secondary limit (a 429, or the documented
// message) waits at least a minute, longer each time. Any other 403 is a
// permission problem and is not retried.
func (t *retryTransport) decideLimit(resp *http.Response, secondary *time.Duration) decision {
	now := t.p.Now()
	if d, ok := retryAfter(resp.Header, now); ok {
		return decision{retry: true, wait: d, why: fmt.Sprintf("rate limited (%d, Retry-After %s)", resp.StatusCode, d)}
	}
	if strings.TrimSpace(resp.Header.Get("X-RateLimit-Remaining")) == "0" {
		return t.decidePrimary(resp, now)
	}
	if resp.StatusCode == http.StatusTooManyRequests || secondaryMessage(resp) {
		d := *secondary
		*secondary *= 2
		return decision{retry: true, wait: d, why: fmt.Sprintf("secondary rate limit (%d)", resp.StatusCode)}
	}
	return decision{}
}

func (t *retryTransport) decidePrimary(resp *http.Response, now time.Time) decision {
	reset, ok := rateReset(resp.Header)
	if !ok {
		return decision{giveUp: "the rate limit is exhausted and GitHub did not say when it resets; retry later"}
	}
	wait := reset.Sub(now) + time.Second // the reset second itself may still be refused
	if wait > t.p.MaxResetWait {
		return decision{giveUp: fmt.Sprintf("the rate limit resets at %s (in %s), later than the %s this client waits; retry then",
			reset.UTC().Format("15:04:05 MST"), wait.Round(time.Second), t.p.MaxResetWait)}
	}
	return decision{retry: true, wait: max(wait, 0), why: fmt.Sprintf("rate limit exhausted until %s", reset.UTC().Format("15:04:05 MST"))}
}

// secondaryMessage looks for GitHub's documented wording in a 403's body,
// leaving the body readable for the caller.
func secondaryMessage(resp *http.Response) bool {
	b := peek(resp, 64<<10)
	return bytes.Contains(bytes.ToLower(b), []byte("secondary rate limit"))
}

func peek(resp *http.Response, n int64) []byte {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, n))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
	return b
}

// replayable returns req with a GetBody, reading a body that has none
// into memory, so that every attempt can send it again.
func replayable(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return req, nil
	}
	const maxBody = 16 << 20
	b, err := io.ReadAll(io.LimitReader(req.Body, maxBody+1))
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	if len(b) > maxBody {
		return nil, fmt.Errorf("request body over %d bytes", maxBody)
	}
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return r, nil
}

func discard(resp *http.Response) {
	if resp == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	resp.Body.Close()
}

// cancelOnClose ends an attempt's context once its body is closed, not
// when RoundTrip returns, so that the caller can still read the body.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
