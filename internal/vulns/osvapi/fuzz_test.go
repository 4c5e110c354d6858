package osvapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

type answer []byte

func (a answer) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(a)), Request: req}, nil
}

// FuzzQueryBatchAnswer: whatever the API answers, QueryBatch returns one
// answer per query or an error, never a panic or an endless paging loop.
func FuzzQueryBatchAnswer(f *testing.F) {
	for _, name := range []string{"querybatch.no-vulns.json", "querybatch.alpine-3.18.9-image.json"} {
		f.Add([]byte(osvtest.LoadExchanges(f, name)[0].Response.Body), uint8(4))
	}
	f.Add([]byte(`{"results":[{"vulns":[{"id":"X","modified":"m"}],"next_page_token":"t"}]}`), uint8(1))
	f.Fuzz(func(t *testing.T, body []byte, n uint8) {
		qs := make([]osv.Query, int(n%16)+1)
		c := New(Options{BaseURL: "http://osv.invalid", Transport: answer(body), Attempts: 1, MaxPages: 3})
		hits, err := c.QueryBatch(context.Background(), qs)
		if err == nil && len(hits) != len(qs) {
			t.Fatalf("%d answers for %d queries", len(hits), len(qs))
		}
	})
}
