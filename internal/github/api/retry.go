package api

import (
	"context"
	"math/rand/v2"
	"time"
)

// RetryPolicy bounds how one request is retried. The zero value means
// the defaults below; tests inject Now and Sleep so that no test waits.
type RetryPolicy struct {
	// MaxAttempts counts every attempt, the first included (default 5;
	// 1 disables retries).
	MaxAttempts int
	// Budget bounds the time one request may take, waits included
	// (default 3 minutes). A wait that would go past it is not started:
	// the request fails at once and the error says why.
	Budget time.Duration
	// Backoff is the wait before retry n (from 1) after a 5xx or a network
	// error (default 1s, 2s, 4s… up to 30s, ±20% jitter).
	Backoff func(n int) time.Duration
	// MaxResetWait is the longest wait for an exhausted primary rate limit
	// to reset (default 60s). A reset further away fails the request at
	// once rather than holding a CI job for up to an hour.
	MaxResetWait time.Duration
	// SecondaryWait is the first wait after a secondary rate limit that
	// gives no Retry-After, doubled after each such answer (default 60s,
	// the minute GitHub's documentation asks for).
	SecondaryWait time.Duration
	// Now and Sleep are the clock (defaults time.Now and a timer that
	// ends early when the context does).
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// The defaults; see RetryPolicy.
const (
	DefaultMaxAttempts   = 5
	DefaultBudget        = 3 * time.Minute
	DefaultMaxResetWait  = 60 * time.Second
	DefaultSecondaryWait = 60 * time.Second
)

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.Budget <= 0 {
		p.Budget = DefaultBudget
	}
	if p.Backoff == nil {
		p.Backoff = defaultBackoff
	}
	if p.MaxResetWait <= 0 {
		p.MaxResetWait = DefaultMaxResetWait
	}
	if p.SecondaryWait <= 0 {
		p.SecondaryWait = DefaultSecondaryWait
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Sleep == nil {
		p.Sleep = sleep
	}
	return p
}

func defaultBackoff(n int) time.Duration {
	d := min(time.Second<<min(n-1, 5), 30*time.Second)
	// Jitter keeps the jobs of one push (a matrix) from retrying in step.
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
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

// trace is how the retry layer tells the error builder what it did with
// a request: the context carries it from Client down to the transport.
type trace struct {
	attempts int
	note     string
}

type traceKey struct{}

func withTrace(ctx context.Context, t *trace) context.Context {
	return context.WithValue(ctx, traceKey{}, t)
}

func traceFrom(ctx context.Context) *trace {
	if t, ok := ctx.Value(traceKey{}).(*trace); ok {
		return t
	}
	return &trace{} // a request made without Client.call: nobody reads it
}
