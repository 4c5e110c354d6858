package osvtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
)

// Hit is one id of a querybatch answer.
type Hit struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
}

// Fault makes the next request to an endpoint ("querybatch" or "vulns")
// fail: with Status (and Retry-After, when set), or by holding the answer
// for Hang, long enough for the client's attempt to time out.
type Fault struct {
	Endpoint   string
	Status     int
	RetryAfter string
	Hang       time.Duration
}

// Server is a fake OSV API. Batch queries are answered from the recorded
// osv-scanner exchanges when the query was recorded (the answer as
// recorded, or only its ids that have a record in records/ when
// OnlyStored is set); any other query is answered by evaluating
// records/<base ecosystem>/ with osv-scalibr's semantic ordering, as
// osv.dev itself orders versions. Records are served from records/.
// Requests it does not know fail the test.
type Server struct {
	*httptest.Server
	tb testing.TB

	// PageSize, when set, pages every answer longer than it, following
	// the documented rules: the result carries next_page_token, and the
	// client must re-send only the paged queries, each with its token.
	// (No paged answer was ever recorded; osv.dev pages past 1,000
	// vulnerabilities per query, scaled down here.)
	PageSize int
	// Latency delays every answer.
	Latency time.Duration

	mu       sync.Mutex
	faults   []Fault
	recorded map[osv.Query][]Hit
	ref      *reference
	records  map[string][]byte
	only     bool
	queries  []osv.Query // every package query received, in order
	gets     []string    // every record id fetched, in order
	requests map[string]int
}

// NewServer starts a fake OSV API; it stops with the test.
func NewServer(tb testing.TB, onlyStored bool) *Server {
	tb.Helper()
	s := &Server{tb: tb, only: onlyStored, recorded: map[osv.Query][]Hit{}, records: map[string][]byte{}, requests: map[string]int{}}
	for _, r := range Records(tb) {
		s.records[r.ID] = r.Data
	}
	for _, name := range Recordings(tb) {
		for _, ex := range LoadExchanges(tb, name) {
			results := ex.Results()
			for i, q := range ex.Queries() {
				if _, dup := s.recorded[q]; dup || q.Ecosystem == "" || i >= len(results) {
					continue
				}
				var hits []Hit
				for _, v := range results[i].Vulns {
					hits = append(hits, Hit{v.ID, v.Modified})
				}
				s.recorded[q] = hits
			}
		}
	}
	s.ref = newReference(tb)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// Fail queues faults, consumed in order by the requests they name.
func (s *Server) Fail(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f...)
}

// Queries returns the package queries received so far.
func (s *Server) Queries() []osv.Query {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]osv.Query(nil), s.queries...)
}

// Gets returns the record ids fetched so far.
func (s *Server) Gets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.gets...)
}

// Requests returns how many requests an endpoint received.
func (s *Server) Requests(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[endpoint]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	var endpoint string
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/querybatch":
		endpoint = "querybatch"
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/vulns/"):
		endpoint = "vulns"
	default:
		s.tb.Errorf("fake OSV API: unexpected request %s %s", r.Method, r.URL)
		http.NotFound(w, r)
		return
	}
	// Reading the body first lets the server notice a client that gives
	// up while the answer is held back.
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		return
	}
	s.mu.Lock()
	s.requests[endpoint]++
	var fault *Fault
	for i, f := range s.faults {
		if f.Endpoint == endpoint {
			fault = &f
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			break
		}
	}
	s.mu.Unlock()
	if s.Latency > 0 && !wait(r, s.Latency) {
		return
	}
	if fault != nil {
		if fault.Hang > 0 && !wait(r, fault.Hang) {
			return
		}
		if fault.Status != 0 {
			if fault.RetryAfter != "" {
				w.Header().Set("Retry-After", fault.RetryAfter)
			}
			writeJSON(w, fault.Status, map[string]any{"code": 14, "message": "fake failure"})
			return
		}
	}
	if endpoint == "querybatch" {
		s.batch(w, body)
	} else {
		s.get(w, strings.TrimPrefix(r.URL.EscapedPath(), "/v1/vulns/"))
	}
}

// wait sleeps d unless the client gives up first.
func wait(r *http.Request, d time.Duration) bool {
	select {
	case <-time.After(d):
		return true
	case <-r.Context().Done():
		return false
	}
}

func (s *Server) get(w http.ResponseWriter, escaped string) {
	id, err := url.PathUnescape(escaped)
	if err != nil {
		id = escaped
	}
	s.mu.Lock()
	s.gets = append(s.gets, id)
	data, ok := s.records[id]
	s.mu.Unlock()
	if !ok {
		// The shape osv.dev answers an unknown id with (code 5, NOT_FOUND).
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 5, "message": "Vulnerability not found."})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

func (s *Server) batch(w http.ResponseWriter, body []byte) {
	var req BatchQuery
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 3, "message": err.Error()})
		return
	}
	if len(req.Queries) > 1000 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 3, "message": "Too many queries."})
		return
	}
	paged := false
	for _, q := range req.Queries {
		paged = paged || q.PageToken != ""
	}
	var resp struct {
		Results []map[string]any `json:"results"`
	}
	resp.Results = make([]map[string]any, len(req.Queries))
	for i, bq := range req.Queries {
		q := osv.Query{Ecosystem: bq.Package.Ecosystem, Name: bq.Package.Name, Version: bq.Version}
		if paged && bq.PageToken == "" {
			s.tb.Errorf("fake OSV API: follow-up request re-sent %s without page_token", q)
		}
		s.mu.Lock()
		s.queries = append(s.queries, q)
		s.mu.Unlock()
		hits := s.answer(q)
		offset := 0
		if bq.PageToken != "" {
			fmt.Sscanf(bq.PageToken, "page:%d", &offset)
		}
		res := map[string]any{}
		if s.PageSize > 0 && len(hits)-offset > s.PageSize {
			res["next_page_token"] = fmt.Sprintf("page:%d", offset+s.PageSize)
			hits = hits[offset : offset+s.PageSize]
		} else if offset < len(hits) {
			hits = hits[offset:]
		} else {
			hits = nil
		}
		if len(hits) > 0 {
			res["vulns"] = hits // an empty answer is {}, as recorded
		}
		resp.Results[i] = res
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) answer(q osv.Query) []Hit {
	hits, ok := s.recorded[q]
	if !ok {
		return s.ref.answer(q)
	}
	if !s.only {
		return hits
	}
	var kept []Hit
	for _, h := range hits {
		if _, stored := s.records[h.ID]; stored {
			kept = append(kept, h)
		}
	}
	return kept
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
