package apitest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that keeps failures instead of failing, and
// runs cleanups when told, so that the fake's own failures can be tested.
type recorder struct {
	testing.TB
	mu       sync.Mutex
	errs     []string
	cleanups []func()
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

func (r *recorder) finish() []string {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
	return r.errs
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestRegistry(t *testing.T) {
	tests := []struct {
		name     string
		register func(r *Registry)
		get      []string // paths requested in order
		status   []int
		errs     []string // failures the test would have had
	}{
		{"answers once", func(r *Registry) { r.Register(REST("GET", "a"), JSON(200, "x")) },
			[]string{"/a", "/a"}, []int{200, 501}, []string{"apitest: no stub for GET /a"}},
		{"answers n times", func(r *Registry) { r.Register(REST("GET", "/a"), JSON(200, "x")).Times(2) },
			[]string{"/a", "/a"}, []int{200, 200}, nil},
		{"in order of registration", func(r *Registry) {
			r.Register(REST("GET", "a"), JSON(502, "x"))
			r.Register(REST("GET", "a"), JSON(200, "x"))
		}, []string{"/a", "/a"}, []int{502, 200}, nil},
		{"unused stub", func(r *Registry) { r.Register(REST("GET", "a"), JSON(200, "x")).Times(2) },
			[]string{"/a"}, []int{200}, []string{"apitest: stub GET /a answered 1 of 2 times"}},
		{"query", func(r *Registry) { r.Register(REST("GET", "a").Query("page", "2"), JSON(200, "x")) },
			[]string{"/a?page=1", "/a?page=2"}, []int{501, 200}, []string{"apitest: no stub for GET /a?page=1"}},
		{"method", func(r *Registry) { r.Register(REST("post", "a"), JSON(201, "x")) },
			[]string{"/a"}, []int{501}, []string{"apitest: no stub for GET /a", "apitest: stub POST /a answered 0 of 1 times"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			r := New(rec)
			tt.register(r)
			for i, p := range tt.get {
				if code, _, _ := get(t, r.URL()+p); code != tt.status[i] {
					t.Errorf("GET %s: %d, want %d", p, code, tt.status[i])
				}
			}
			errs := rec.finish()
			if strings.Join(errs, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("failures %q, want %q", errs, tt.errs)
			}
		})
	}
}

// A recorded Link (and Location) points at api.github.com; served by the
// fake, it must point at the fake so that a client following it stays there.
func TestRecordedLinkRebased(t *testing.T) {
	r := New(t)
	r.Register(REST("GET", "repos/octokit-fixture-org/paginate-issues/issues"), Recorded(t, "api/octokit-fixtures/paginate-issues.json", 0))
	code, body, h := get(t, r.URL()+"/repos/octokit-fixture-org/paginate-issues/issues?per_page=3")
	want := "<" + r.URL() + "/repositories/1000/issues?per_page=3&page=2>; rel=\"next\""
	if code != 200 || !strings.HasPrefix(h.Get("Link"), want) || !strings.HasPrefix(body, "[") {
		t.Errorf("%d, Link %q, body %.20q", code, h.Get("Link"), body)
	}
}

func TestBodyMatcher(t *testing.T) {
	m := REST("POST", "a").BodyContains(`"body":"x"`)
	if !m.matches(Request{Method: "POST", Path: "/a", Body: []byte(`{"body":"x"}`)}) ||
		m.matches(Request{Method: "POST", Path: "/a", Body: []byte(`{"body":"y"}`)}) {
		t.Error("body matcher")
	}
	if got := m.String(); got != `POST /a with a body containing "\"body\":\"x\""` {
		t.Errorf("String %q", got)
	}
}
