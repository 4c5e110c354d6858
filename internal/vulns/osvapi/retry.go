package osvapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
)

// Retry is an http.RoundTripper that retries a request on a network
// error, a timeout of the attempt, a 5xx answer or 429 Too Many Requests.
// Each attempt has its own timeout covering the whole response: the body
// is read, within MaxBody bytes, before RoundTrip returns, so a connection
// that stalls mid-body is retried too. Request bodies are replayed with
// GetBody (set by http.NewRequest for in-memory bodies).
type Retry struct {
	Next     http.RoundTripper // the network; http.DefaultTransport when nil
	Attempts int               // in all, including the first; 4 when 0
	Timeout  time.Duration     // per attempt; 30s when 0
	// Backoff says how long to wait before attempt n (1 for the first
	// retry), given the Retry-After the server sent (0 when none). Nil
	// means DefaultBackoff; tests pass a function returning 0.
	Backoff func(n int, retryAfter time.Duration) time.Duration
	MaxBody int64 // response bytes buffered; 32 MiB when 0
}

// DefaultBackoff waits 0.5s, 1s, 2s... (at most 8s) with ±25% jitter,
// or what Retry-After asks when that is longer, up to 30s.
func DefaultBackoff(n int, retryAfter time.Duration) time.Duration {
	d := 500 * time.Millisecond << min(n-1, 4)
	d += time.Duration(rand.Int64N(int64(d/2))) - d/4
	return max(d, min(retryAfter, 30*time.Second))
}

// errTooLarge is not retried: the answer would be as large again.
var errTooLarge = fmt.Errorf("response %w", osv.ErrTooLarge)

func (r *Retry) RoundTrip(req *http.Request) (*http.Response, error) {
	attempts := r.Attempts
	if attempts <= 0 {
		attempts = 4
	}
	backoff := r.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	var last *http.Response
	var lastErr error
	for n := 0; n < attempts; n++ {
		if n > 0 {
			if err := sleep(req.Context(), backoff(n, retryAfter(last))); err != nil {
				return nil, err
			}
			if req.Body != nil && req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				req = req.Clone(req.Context())
				req.Body = body
			}
		}
		resp, err := r.attempt(req)
		switch {
		case err == nil && !retryable(resp.StatusCode):
			return resp, nil
		case err == nil:
			last, lastErr = resp, nil
		case req.Context().Err() != nil || errors.Is(err, errTooLarge):
			return nil, err
		default:
			last, lastErr = nil, err
		}
		if req.Body != nil && req.GetBody == nil {
			break // the body cannot be sent again
		}
	}
	if last != nil {
		return last, nil
	}
	return nil, fmt.Errorf("%d attempts: %w", attempts, lastErr)
}

// attempt sends the request once and buffers the answer.
func (r *Retry) attempt(req *http.Request) (*http.Response, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	ctx, cancel := context.WithTimeout(req.Context(), timeout)
	defer cancel()
	resp, err := next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	limit := r.MaxBody
	if limit <= 0 {
		limit = 32 << 20
	}
	body, err := osv.ReadAll(resp.Body, limit)
	if errors.Is(err, osv.ErrTooLarge) {
		return nil, errTooLarge
	}
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

func retryable(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500
}

// retryAfter reads a Retry-After of delay-seconds; the HTTP-date form is
// not used by the OSV API and counts as none.
func retryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	s, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || s < 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
