package apitest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Registry is an HTTP server that answers only what the test registered.
type Registry struct {
	t     testing.TB
	srv   *httptest.Server
	mu    sync.Mutex
	stubs []*Stub
	reqs  []Request
}

// Request is what the server received, kept for assertions.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
}

// Response is what a stub answers.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Responder builds a stub's answer to a request.
type Responder func(Request) Response

// Stub is one registered answer.
type Stub struct {
	m     Matcher
	resp  Responder
	times int
	used  int
}

// Times lets the stub answer n matching requests instead of one.
func (s *Stub) Times(n int) *Stub {
	s.times = n
	return s
}

// New starts the server; when the test ends it is closed and every stub
// must have been used as often as it was registered for.
func New(t testing.TB) *Registry {
	r := &Registry{t: t}
	r.srv = httptest.NewServer(r)
	t.Cleanup(func() {
		r.srv.Close()
		r.Verify()
	})
	return r
}

// URL is the server's base URL, without a trailing slash.
func (r *Registry) URL() string { return r.srv.URL }

// Register adds a stub; stubs are tried in the order they were added, so
// a sequence (502, then 200) is two registrations.
func (r *Registry) Register(m Matcher, resp Responder) *Stub {
	s := &Stub{m: m, resp: resp, times: 1}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stubs = append(r.stubs, s)
	return s
}

// Requests returns the requests received so far, in order.
func (r *Registry) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.reqs...)
}

// Verify fails the test for every stub used fewer times than registered.
func (r *Registry) Verify() {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.stubs {
		if s.used < s.times {
			r.t.Errorf("apitest: stub %s answered %d of %d times", s.m, s.used, s.times)
		}
	}
}

func (r *Registry) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	body, _ := io.ReadAll(hr.Body)
	req := Request{Method: hr.Method, Path: hr.URL.Path, Query: hr.URL.Query(), Header: hr.Header.Clone(), Body: body}
	s := r.match(req)
	if s == nil {
		// Errorf, not Fatalf: this runs on the server's goroutine.
		r.t.Errorf("apitest: no stub for %s %s", hr.Method, hr.URL.RequestURI())
		http.Error(w, `{"message":"apitest: no stub for this request"}`, http.StatusNotImplemented)
		return
	}
	resp := s.resp(req)
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, r.rebase(v))
		}
	}
	// The recorded length no longer holds once a body is derived.
	w.Header().Del("Content-Length")
	w.Header().Del("Transfer-Encoding")
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(resp.Body)
}

func (r *Registry) match(req Request) *Stub {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, req)
	for _, s := range r.stubs {
		if s.used < s.times && s.m.matches(req) {
			s.used++
			return s
		}
	}
	return nil
}

// rebase points recorded absolute URLs (Link, Location) at this server,
// so that a client following them stays on the fake.
func (r *Registry) rebase(v string) string {
	return strings.ReplaceAll(v, "https://api.github.com", r.srv.URL)
}

// Matcher selects the requests a stub answers.
type Matcher struct {
	method, path string
	query        url.Values
	body         func([]byte) bool
	bodyDesc     string
}

// REST matches a method and a URL path ("repos/o/r/issues/2/comments";
// the leading slash is optional); the query is not looked at unless
// Query adds conditions.
func REST(method, path string) Matcher {
	return Matcher{method: strings.ToUpper(method), path: "/" + strings.TrimPrefix(path, "/")}
}

// Query adds key, value pairs the request's query must hold (each key
// with exactly the values listed for it).
func (m Matcher) Query(kv ...string) Matcher {
	q := url.Values{}
	for k, v := range m.query {
		q[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Add(kv[i], kv[i+1])
	}
	m.query = q
	return m
}

// Body adds a condition on the request body; desc names it in failures.
func (m Matcher) Body(desc string, f func([]byte) bool) Matcher {
	m.body, m.bodyDesc = f, desc
	return m
}

// BodyContains matches requests whose body contains s.
func (m Matcher) BodyContains(s string) Matcher {
	return m.Body(fmt.Sprintf("containing %q", s), func(b []byte) bool { return bytes.Contains(b, []byte(s)) })
}

func (m Matcher) matches(r Request) bool {
	if r.Method != m.method || r.Path != m.path {
		return false
	}
	for k, want := range m.query {
		got := r.Query[k]
		if len(got) != len(want) {
			return false
		}
		for i := range want {
			if got[i] != want[i] {
				return false
			}
		}
	}
	return m.body == nil || m.body(r.Body)
}

func (m Matcher) String() string {
	s := m.method + " " + m.path
	if len(m.query) > 0 {
		s += "?" + m.query.Encode()
	}
	if m.bodyDesc != "" {
		s += " with a body " + m.bodyDesc
	}
	return s
}
