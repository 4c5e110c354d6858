package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// nextLink returns the URL of the rel="next" entry of a Link header
// (RFC 8288), or "" when there is none. GitHub's next URL may differ from
// the first request's path (/repositories/ID/... instead of
// /repos/owner/name/...), so it is followed as given, not rebuilt.
func nextLink(values []string) string {
	for _, v := range values {
		for _, l := range parseLink(v) {
			for _, rel := range strings.Fields(l.rel) {
				if strings.EqualFold(rel, "next") {
					return l.url
				}
			}
		}
	}
	return ""
}

type link struct{ url, rel string }

// parseLink reads `<url>; rel="next", <url>; rel="last"`. Malformed
// entries are skipped, never guessed at.
func parseLink(h string) []link {
	var out []link
	for {
		start := strings.IndexByte(h, '<')
		if start < 0 {
			return out
		}
		end := strings.IndexByte(h[start:], '>')
		if end < 0 {
			return out
		}
		l := link{url: strings.TrimSpace(h[start+1 : start+end])}
		h = h[start+end+1:]
		params, rest := splitParams(h)
		h = rest
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(p, "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "rel") {
				l.rel = strings.Trim(strings.TrimSpace(v), `"`)
			}
		}
		if l.url != "" {
			out = append(out, l)
		}
	}
}

// splitParams returns the parameters of one link (up to a comma outside
// quotes) and what follows.
func splitParams(h string) (params, rest string) {
	quoted := false
	for i := 0; i < len(h); i++ {
		switch h[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				return h[:i], h[i+1:]
			}
		}
	}
	return h, ""
}

// maxRetryAfter caps a Retry-After value before it becomes a duration, so
// that an absurd header cannot overflow; the retry budget refuses such
// waits anyway.
const maxRetryAfter = 24 * time.Hour

// retryAfter reads a Retry-After header: delay-seconds (what GitHub
// sends) or an HTTP date (RFC 9110 allows both). ok is false when absent
// or unreadable.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	return min(max(d, 0), maxRetryAfter), true
}

// rateReset reads X-RateLimit-Reset (Unix seconds).
func rateReset(h http.Header) (time.Time, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil || n <= 0 || n > 1<<40 {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}
