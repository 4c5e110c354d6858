package apitest

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/imagedrift/imagedrift/internal/github/api/recorded"
)

// Exchange loads exchange i of a recording (rel relative to the fixture
// folder, e.g. "api/octokit-rb-vcr/issue-comment.create.json"). Where the
// fixture folder is absent the test is skipped, naming where it looked.
func Exchange(t testing.TB, rel string, i int) recorded.Exchange {
	t.Helper()
	if _, err := recorded.Dir(); err != nil {
		t.Skip(err)
	}
	x, err := recorded.Get(rel, i)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// Recorded answers with exchange i of a recording: its status, headers
// (Link and Location pointed at the fake) and body.
func Recorded(t testing.TB, rel string, i int) Responder {
	t.Helper()
	return Serve(Exchange(t, rel, i))
}

// Serve answers with an exchange, typically one a test derived from a
// recording (another id, another body).
func Serve(x recorded.Exchange) Responder {
	return func(Request) Response {
		return Response{Status: x.Status, Header: x.Header.Clone(), Body: x.Body}
	}
}

// JSON answers status with v encoded as JSON and the headers given as
// key, value pairs; tests use it for shapes no recording has, built from
// GitHub's documentation.
func JSON(status int, v any, headerKV ...string) Responder {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // a test's literal that cannot be encoded
	}
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	for i := 0; i+1 < len(headerKV); i += 2 {
		h.Add(headerKV[i], headerKV[i+1])
	}
	return func(Request) Response { return Response{Status: status, Header: h, Body: b} }
}

// Edit decodes a recorded JSON body, lets f change it, and encodes it
// again: the way tests derive a variant (another id, a Bot author) from
// what GitHub sent.
func Edit(t testing.TB, body []byte, f func(v any) any) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("apitest: recorded body is not JSON: %v", err)
	}
	b, err := json.Marshal(f(v))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// File reads a fixture file as it is (a webhook payload, say), skipping
// the test where the fixture folder is absent.
func File(t testing.TB, rel string) []byte {
	t.Helper()
	dir, err := recorded.Dir()
	if err != nil {
		t.Skip(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
