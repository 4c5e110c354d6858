package osvapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

func TestRetries(t *testing.T) {
	q := []osv.Query{{Ecosystem: "npm", Name: "ansi-html", Version: "0.0.1"}}
	tests := []struct {
		name   string
		faults []osvtest.Fault
		want   map[string]int // requests per endpoint
	}{
		{"5xx then success", []osvtest.Fault{{Endpoint: "querybatch", Status: 503}, {Endpoint: "vulns", Status: 502}},
			map[string]int{"querybatch": 2, "vulns": 2}},
		{"429 then success", []osvtest.Fault{{Endpoint: "querybatch", Status: 429, RetryAfter: "7"}},
			map[string]int{"querybatch": 2, "vulns": 1}},
		{"timeout then success", []osvtest.Fault{{Endpoint: "vulns", Hang: 5 * time.Second}},
			map[string]int{"querybatch": 1, "vulns": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := osvtest.NewServer(t, false)
			s.Fail(tt.faults...)
			var waits []time.Duration
			var mu sync.Mutex
			c := newClient(s, Options{Timeout: 200 * time.Millisecond, Backoff: func(n int, ra time.Duration) time.Duration {
				mu.Lock()
				waits = append(waits, ra)
				mu.Unlock()
				return 0
			}})
			found, err := c.Find(context.Background(), q)
			if err != nil || found[0].Err != nil || len(found[0].Records) != 1 {
				t.Fatalf("Find = %+v, %v", found, err)
			}
			for ep, n := range tt.want {
				if got := s.Requests(ep); got != n {
					t.Errorf("%s: %d requests, want %d", ep, got, n)
				}
			}
			if tt.faults[0].RetryAfter != "" && (len(waits) != 1 || waits[0] != 7*time.Second) {
				t.Errorf("backoff saw Retry-After %v, want [7s]", waits)
			}
		})
	}
}

// TestFailures: after the last attempt the error says what failed; a
// client error is not retried.
func TestFailures(t *testing.T) {
	q := []osv.Query{{Ecosystem: "npm", Name: "ansi-html", Version: "0.0.1"}}
	t.Run("server keeps failing", func(t *testing.T) {
		s := osvtest.NewServer(t, false)
		s.Fail(osvtest.Fault{Endpoint: "querybatch", Status: 503}, osvtest.Fault{Endpoint: "querybatch", Status: 503},
			osvtest.Fault{Endpoint: "querybatch", Status: 503})
		_, err := newClient(s, Options{Attempts: 3}).Find(context.Background(), q)
		var se *StatusError
		if !errors.As(err, &se) || se.Code != 503 || s.Requests("querybatch") != 3 {
			t.Fatalf("err = %v after %d requests", err, s.Requests("querybatch"))
		}
		if want := fmt.Sprintf("query OSV: POST %s/v1/querybatch: 503 Service Unavailable: fake failure", s.URL); err.Error() != want {
			t.Errorf("err = %q, want %q", err, want)
		}
	})
	t.Run("client error", func(t *testing.T) {
		s := osvtest.NewServer(t, false)
		s.Fail(osvtest.Fault{Endpoint: "querybatch", Status: 400})
		_, err := newClient(s, Options{}).Find(context.Background(), q)
		if err == nil || s.Requests("querybatch") != 1 {
			t.Fatalf("err = %v after %d requests", err, s.Requests("querybatch"))
		}
	})
	t.Run("every attempt times out", func(t *testing.T) {
		s := osvtest.NewServer(t, false)
		s.Fail(osvtest.Fault{Endpoint: "querybatch", Hang: time.Minute}, osvtest.Fault{Endpoint: "querybatch", Hang: time.Minute})
		_, err := newClient(s, Options{Attempts: 2, Timeout: 100 * time.Millisecond}).Find(context.Background(), q)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "2 attempts") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("record fetch keeps failing", func(t *testing.T) {
		s := osvtest.NewServer(t, false)
		s.Fail(osvtest.Fault{Endpoint: "vulns", Status: 500}, osvtest.Fault{Endpoint: "vulns", Status: 500})
		_, err := newClient(s, Options{Attempts: 2}).Find(context.Background(), q)
		if err == nil || !strings.Contains(err.Error(), "fetch OSV record GHSA-whgm-jr23-g3j9") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("network down", func(t *testing.T) {
		s := osvtest.NewServer(t, false)
		c := newClient(s, Options{Attempts: 2})
		s.Close()
		if _, err := c.Find(context.Background(), q); err == nil || !strings.Contains(err.Error(), "connect") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		s := osvtest.NewServer(t, false)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := newClient(s, Options{}).Find(ctx, q); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	})
}
