package osvapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvcache"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
)

// DefaultBaseURL is the public OSV API.
const DefaultBaseURL = "https://api.osv.dev"

// MaxBatch is the API's limit of queries per querybatch request
// (MaxQueriesPerQueryBatchRequest in osv.dev's Go bindings).
const MaxBatch = 1000

// ErrNotFound is wrapped when the API has no record of an id.
var ErrNotFound = errors.New("not found")

// Options configure a Client; the zero value talks to api.osv.dev.
type Options struct {
	BaseURL string // DefaultBaseURL when empty
	// Transport is the network below the retries (http.DefaultTransport
	// when nil); tests pass their httptest server's.
	Transport http.RoundTripper
	Attempts  int           // per request, see Retry
	Timeout   time.Duration // per attempt, see Retry
	Backoff   func(n int, retryAfter time.Duration) time.Duration
	// Concurrency caps the record fetches in flight; 32 when 0.
	Concurrency int
	// Cache keeps records between runs; nil for none.
	Cache     *osvcache.Dir
	UserAgent string
	// MaxPages bounds the follow-up requests of a paged batch; 100 when 0.
	MaxPages int
}

// Client queries the OSV API. It is safe for concurrent use.
type Client struct {
	base        string
	shown       string // base for error lines, a mirror's password hidden
	http        *http.Client
	cache       *osvcache.Dir
	concurrency int
	userAgent   string
	maxPages    int
}

// New returns a client.
func New(o Options) *Client {
	c := &Client{
		base:        strings.TrimRight(o.BaseURL, "/"),
		http:        &http.Client{Transport: &Retry{Next: o.Transport, Attempts: o.Attempts, Timeout: o.Timeout, Backoff: o.Backoff}},
		cache:       o.Cache,
		concurrency: o.Concurrency,
		userAgent:   o.UserAgent,
		maxPages:    o.MaxPages,
	}
	if c.base == "" {
		c.base = DefaultBaseURL
	}
	c.shown = c.base
	if u, err := url.Parse(c.base); err == nil {
		c.shown = u.Redacted()
	}
	if c.concurrency <= 0 {
		c.concurrency = 32
	}
	if c.maxPages <= 0 {
		c.maxPages = 100
	}
	if c.userAgent == "" {
		c.userAgent = "imagedrift"
	}
	return c
}

// StatusError is an answer other than 200 OK, after retries.
type StatusError struct {
	Method, URL string
	Code        int
	Message     string // the API's error message, when it sent one
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.Code, http.StatusText(e.Code))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

func (e *StatusError) Unwrap() error {
	if e.Code == http.StatusNotFound {
		return ErrNotFound
	}
	return nil
}

// do sends a request and returns the 200 answer's body.
func (c *Client) do(ctx context.Context, method, path string, body []byte, limit int64) ([]byte, error) {
	var rd *bytes.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	u := c.base + path
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequestWithContext(ctx, method, u, rd)
		req.Header.Set("Content-Type", "application/json")
	} else {
		req, err = http.NewRequestWithContext(ctx, method, u, nil)
	}
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := osv.ReadAll(resp.Body, limit)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, c.shown+path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Method: method, URL: c.shown + path, Code: resp.StatusCode, Message: apiMessage(b)}
	}
	return b, nil
}

// apiMessage reads the API's error body, {"code":5,"message":"..."},
// capped: it ends up in an error line.
func apiMessage(b []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(b, &e) != nil {
		return ""
	}
	m := strings.Join(strings.Fields(e.Message), " ")
	if r := []rune(m); len(r) > 200 {
		m = string(r[:200]) + "…"
	}
	return m
}

// Get fetches one record.
func (c *Client) Get(ctx context.Context, id string) (*osvschema.Vulnerability, error) {
	v, _, err := c.get(ctx, id)
	return v, err
}

// get also returns the body, for the cache.
func (c *Client) get(ctx context.Context, id string) (*osvschema.Vulnerability, []byte, error) {
	b, err := c.do(ctx, http.MethodGet, "/v1/vulns/"+url.PathEscape(id), nil, osv.MaxRecordSize)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch OSV record %s: %w", id, err)
	}
	v, err := osv.Decode(b)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch OSV record %s: %w", id, err)
	}
	if v.GetId() != id {
		return nil, nil, fmt.Errorf("fetch OSV record %s: the API sent %q", id, v.GetId())
	}
	return v, b, nil
}
