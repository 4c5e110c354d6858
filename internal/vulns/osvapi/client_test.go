package osvapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvcache"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

func noBackoff(int, time.Duration) time.Duration { return 0 }

func newClient(s *osvtest.Server, o Options) *Client {
	o.BaseURL = s.URL
	o.Transport = s.Client().Transport
	if o.Backoff == nil {
		o.Backoff = noBackoff
	}
	return New(o)
}

// recorder keeps the request bodies a client sends.
type recorder struct {
	next   http.RoundTripper
	mu     sync.Mutex
	bodies [][]byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.mu.Lock()
		r.bodies = append(r.bodies, b)
		r.mu.Unlock()
	}
	return r.next.RoundTrip(req)
}

// TestRecordedExchange replays the smallest recorded exchange: one npm
// query, then the record it lists. The request body must say what
// osv-scanner's said.
func TestRecordedExchange(t *testing.T) {
	s := osvtest.NewServer(t, false)
	rec := &recorder{next: s.Client().Transport}
	c := New(Options{BaseURL: s.URL, Transport: rec, Backoff: noBackoff})
	found, err := c.Find(context.Background(), []osv.Query{{Ecosystem: "npm", Name: "ansi-html", Version: "0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].Err != nil || len(found[0].Records) != 1 || found[0].Records[0].GetId() != "GHSA-whgm-jr23-g3j9" {
		t.Fatalf("found %+v", found)
	}
	exs := osvtest.LoadExchanges(t, "querybatch-then-get.GHSA-whgm-jr23-g3j9.2025-08-24.json")
	var want, got any
	json.Unmarshal(exs[0].Request.Body, &want)
	json.Unmarshal(rec.bodies[0], &got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request body differs from the recorded one (-recorded +sent):\n%s", diff)
	}
	if gets := s.Gets(); !slices.Equal(gets, []string{"GHSA-whgm-jr23-g3j9"}) {
		t.Errorf("fetched %v", gets)
	}
}

// TestQueryBatchOrder: the alpine:3.18.9 image's 15 queries (duplicates
// kept) come back in order, {} as no hits, exactly as recorded.
func TestQueryBatchOrder(t *testing.T) {
	s := osvtest.NewServer(t, false)
	ex := osvtest.LoadExchanges(t, "querybatch.alpine-3.18.9-image.json")[0]
	hits, err := newClient(s, Options{}).QueryBatch(context.Background(), ex.Queries())
	if err != nil {
		t.Fatal(err)
	}
	var want [][]Hit
	for _, r := range ex.Results() {
		var hs []Hit
		for _, v := range r.Vulns {
			hs = append(hs, Hit{v.ID, v.Modified})
		}
		want = append(want, hs)
	}
	if diff := cmp.Diff(want, hits); diff != "" {
		t.Errorf("(-recorded +got):\n%s", diff)
	}
}

// TestFetchOnce: musl is queried twice and listed twice; its record is
// fetched once, and both answers share it.
func TestFetchOnce(t *testing.T) {
	s := osvtest.NewServer(t, false)
	ex := osvtest.LoadExchanges(t, "querybatch.alpine-3.18.9-image.json")[0]
	found, err := newClient(s, Options{}).Find(context.Background(), ex.Queries())
	if err != nil {
		t.Fatal(err)
	}
	gets := s.Gets()
	slices.Sort(gets)
	if want := []string{"ALPINE-CVE-2024-13176", "ALPINE-CVE-2024-9143", "ALPINE-CVE-2025-26519"}; !slices.Equal(gets, want) {
		t.Errorf("fetched %v, want each listed id once: %v", gets, want)
	}
	var musl []osv.Found
	for i, q := range ex.Queries() {
		if q.Name == "musl" {
			musl = append(musl, found[i])
		}
	}
	if len(musl) != 2 || musl[0].Err != nil || musl[0].Records[0] != musl[1].Records[0] {
		t.Errorf("musl answers %+v", musl)
	}
	// The two openssl records have no body in the fixtures: the API's
	// 404 fails openssl's queries only.
	for i, q := range ex.Queries() {
		if q.Name == "openssl" && !errors.Is(found[i].Err, ErrNotFound) {
			t.Errorf("openssl: err = %v, want ErrNotFound", found[i].Err)
		}
	}
}

// TestPaging: with answers paged one vulnerability at a time (the fake
// applies the documented rules with a threshold of 1), every hit arrives
// and follow-ups carry only the paged queries with their tokens.
func TestPaging(t *testing.T) {
	s := osvtest.NewServer(t, true)
	s.PageSize = 1
	qs := []osv.Query{
		{Ecosystem: "PyPI", Name: "requests", Version: "2.20.0"},
		{Ecosystem: "npm", Name: "left-pad", Version: "1.3.0"},
		{Ecosystem: "PyPI", Name: "urllib3", Version: "1.24.3"},
		{Ecosystem: "PyPI", Name: "pip", Version: "23.0.1"},
	}
	hits, err := newClient(s, Options{}).QueryBatch(context.Background(), qs)
	if err != nil {
		t.Fatal(err)
	}
	got := make([][]string, len(hits))
	for i, hs := range hits {
		for _, h := range hs {
			got[i] = append(got[i], h.ID)
		}
	}
	want := [][]string{
		{"GHSA-9wx4-h78v-vm56", "GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"},
		nil,
		{"GHSA-34jh-p97f-mpxf", "GHSA-g4mx-q9vg-27p4", "PYSEC-2020-148"},
		{"GHSA-mq26-g339-26xf"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := s.Requests("querybatch"); n != 3 {
		t.Errorf("%d batch requests, want 3 (the answer, then two pages)", n)
	}
	if n := len(s.Queries()); n != 4+2+2 {
		t.Errorf("%d queries sent, want 8: the follow-ups re-send only the paged ones", n)
	}
}

// TestPagingBounded: a server that never stops paging is an error.
func TestPagingBounded(t *testing.T) {
	s := osvtest.NewServer(t, true)
	s.PageSize = 1
	_, err := newClient(s, Options{MaxPages: 1}).QueryBatch(context.Background(), []osv.Query{{Ecosystem: "PyPI", Name: "requests", Version: "2.20.0"}})
	if err == nil || !strings.Contains(err.Error(), "still paging") {
		t.Errorf("err = %v", err)
	}
}

// TestMaxBatch: more than 1,000 queries go in several requests, answers
// still in order.
func TestMaxBatch(t *testing.T) {
	s := osvtest.NewServer(t, true)
	qs := make([]osv.Query, 1001)
	for i := range qs {
		qs[i] = osv.Query{Ecosystem: "npm", Name: "left-pad", Version: fmt.Sprintf("1.0.%d", i)}
	}
	qs[1000] = osv.Query{Ecosystem: "npm", Name: "ansi-html", Version: "0.0.1"}
	hits, err := newClient(s, Options{}).QueryBatch(context.Background(), qs)
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests("querybatch") != 2 || len(hits) != 1001 || len(hits[1000]) != 1 || hits[1000][0].ID != "GHSA-whgm-jr23-g3j9" {
		t.Errorf("%d requests, last answer %v", s.Requests("querybatch"), hits[1000])
	}
}

// TestCache: a second run finds every record in the cache; a damaged
// entry is fetched again.
func TestCache(t *testing.T) {
	s := osvtest.NewServer(t, true)
	dir := t.TempDir()
	cache, err := osvcache.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	q := osvtest.LoadExchanges(t, "querybatch.python-3.9-slim-buster-image.debian10-pypi.json")[0].Queries()
	c := newClient(s, Options{Cache: cache})
	first, err := c.Find(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	n := len(s.Gets())
	if n != 9 {
		t.Fatalf("first run fetched %d records, want the 9 stored ones", n)
	}
	second, err := c.Find(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Gets()) != n {
		t.Errorf("second run fetched %v", s.Gets()[n:])
	}
	for i := range first {
		if len(first[i].Records) != len(second[i].Records) {
			t.Errorf("query %d: %d records, then %d", i, len(first[i].Records), len(second[i].Records))
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "PYSEC-2023-74.json"), []byte(`{"id":"PYSEC-2023-74"`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Find(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if got := s.Gets()[n:]; !slices.Equal(got, []string{"PYSEC-2023-74"}) {
		t.Errorf("after damaging one entry, fetched %v", got)
	}
}
