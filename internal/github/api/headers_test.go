package api

import (
	"net/http"
	"testing"
	"time"
)

func TestNextLink(t *testing.T) {
	tests := []struct {
		name string
		link []string
		want string
	}{
		{"none", nil, ""},
		{"next and last", []string{`<https://api.github.com/repositories/1000/issues?per_page=3&page=2>; rel="next", <https://api.github.com/repositories/1000/issues?per_page=3&page=5>; rel="last"`},
			"https://api.github.com/repositories/1000/issues?per_page=3&page=2"},
		{"next after prev", []string{`<https://x/a?page=1>; rel="prev", <https://x/a?page=3>; rel="next"`}, "https://x/a?page=3"},
		{"last page", []string{`<https://x/a?page=4>; rel="prev", <https://x/a?page=1>; rel="first"`}, ""},
		{"unquoted rel, extra params", []string{`<https://x/a?page=2>; title="a, b"; rel=next`}, "https://x/a?page=2"},
		{"rel list", []string{`<https://x/a?page=2>; rel="last next"`}, "https://x/a?page=2"},
		{"two header lines", []string{`<https://x/a?page=1>; rel="prev"`, `<https://x/a?page=3>; rel="next"`}, "https://x/a?page=3"},
		{"unterminated", []string{`<https://x/a?page=2; rel="next"`}, ""},
		{"empty url", []string{`<>; rel="next"`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextLink(tt.link); got != tt.want {
				t.Errorf("nextLink = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		v      string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"20", 20 * time.Second, true},
		{" 0 ", 0, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{"99999999999999999999", 0, false},
		{"999999999", maxRetryAfter, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	}
	for _, tt := range tests {
		got, ok := retryAfter(http.Header{"Retry-After": {tt.v}}, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.v, got, ok, tt.want, tt.wantOK)
		}
	}
}

func FuzzParseLink(f *testing.F) {
	f.Add(`<https://api.github.com/repositories/1000/issues?per_page=3&page=2>; rel="next", <https://api.github.com/repositories/1000/issues?per_page=3&page=5>; rel="last"`)
	f.Add(`<a>; rel="next"; title="x,y", <b>`)
	f.Add(`<<>>;;,,"`)
	f.Fuzz(func(t *testing.T, h string) {
		for _, l := range parseLink(h) {
			if l.url == "" {
				t.Fatalf("empty url from %q", h)
			}
		}
		_ = nextLink([]string{h})
	})
}

// FuzzRetryAfter also feeds X-RateLimit-Reset, the other header the
// retry layer turns into a wait.
func FuzzRetryAfter(f *testing.F) {
	now := time.Unix(1700000000, 0)
	f.Add("20")
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add("-1")
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := retryAfter(http.Header{"Retry-After": {v}}, now)
		if d < 0 || d > maxRetryAfter || (!ok && d != 0) {
			t.Fatalf("retryAfter(%q) = %v, %v", v, d, ok)
		}
		if reset, ok := rateReset(http.Header{"X-Ratelimit-Reset": {v}}); ok && (reset.Unix() <= 0 || reset.Unix() > 1<<40) {
			t.Fatalf("rateReset(%q) = %v", v, reset)
		}
	})
}
