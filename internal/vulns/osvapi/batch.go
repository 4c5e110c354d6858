package osvapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
)

// Hit is a vulnerability a batch query lists: the API gives only the id
// and the record's modified time, never the record.
type Hit struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
}

type batchRequest struct {
	Queries []batchQuery `json:"queries"`
}

type batchQuery struct {
	Package struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
	} `json:"package"`
	Version   string `json:"version"`
	PageToken string `json:"page_token,omitempty"`
}

type batchResponse struct {
	Results []struct {
		Vulns         []Hit  `json:"vulns"`
		NextPageToken string `json:"next_page_token"`
	} `json:"results"`
}

// maxBatchResponse bounds one querybatch answer: the API pages past 1,000
// vulnerabilities per query or 3,000 per request, about 100 bytes each.
const maxBatchResponse = 16 << 20

// QueryBatch asks which vulnerabilities affect each query, in order
// (POST /v1/querybatch, at most MaxBatch queries per request). Paged
// answers are followed as the API documents: the next request carries
// only the queries that returned a next_page_token, each with its token,
// and their hits are appended.
func (c *Client) QueryBatch(ctx context.Context, queries []osv.Query) ([][]Hit, error) {
	out := make([][]Hit, len(queries))
	for start := 0; start < len(queries); start += MaxBatch {
		end := min(start+MaxBatch, len(queries))
		if err := c.batch(ctx, queries[start:end], out[start:end]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// batch answers up to MaxBatch queries into out, following pages.
func (c *Client) batch(ctx context.Context, queries []osv.Query, out [][]Hit) error {
	pending := make([]int, len(queries)) // indexes still to ask
	tokens := make([]string, len(queries))
	for i := range pending {
		pending[i] = i
	}
	for page := 0; len(pending) > 0; page++ {
		if page > c.maxPages {
			return fmt.Errorf("query OSV: still paging after %d requests", c.maxPages)
		}
		req := batchRequest{Queries: make([]batchQuery, len(pending))}
		for j, i := range pending {
			q := &req.Queries[j]
			q.Package.Ecosystem, q.Package.Name, q.Version = queries[i].Ecosystem, queries[i].Name, queries[i].Version
			q.PageToken = tokens[i]
		}
		body, err := json.Marshal(req)
		if err != nil {
			return err
		}
		b, err := c.do(ctx, http.MethodPost, "/v1/querybatch", body, maxBatchResponse)
		if err != nil {
			return fmt.Errorf("query OSV: %w", err)
		}
		var resp batchResponse
		if err := json.Unmarshal(b, &resp); err != nil {
			return fmt.Errorf("query OSV: decode answer: %w", err)
		}
		if len(resp.Results) != len(pending) {
			return fmt.Errorf("query OSV: %d results for %d queries", len(resp.Results), len(pending))
		}
		var next []int
		for j, i := range pending {
			r := resp.Results[j]
			out[i] = append(out[i], r.Vulns...)
			if r.NextPageToken != "" {
				tokens[i] = r.NextPageToken
				next = append(next, i)
			}
		}
		pending = next
	}
	return nil
}
