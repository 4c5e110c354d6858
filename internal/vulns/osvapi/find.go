package osvapi

import (
	"context"
	"errors"
	"sync"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
)

// Find answers each query with the records the API lists for it: one
// batch query (paged as needed), then each distinct record fetched once,
// from the cache when it holds the same id at the same modified time,
// else from the API, Concurrency at a time. A listed record the API then
// does not have fails the queries that listed it (osv.Found.Err); any
// other failure fails the whole call.
func (c *Client) Find(ctx context.Context, queries []osv.Query) ([]osv.Found, error) {
	hits, err := c.QueryBatch(ctx, queries)
	if err != nil {
		return nil, err
	}
	type want struct{ id, modified string }
	var wants []want
	seen := map[want]bool{}
	for _, hs := range hits {
		for _, h := range hs {
			w := want{h.ID, h.Modified}
			if !seen[w] {
				seen[w] = true
				wants = append(wants, w)
			}
		}
	}
	type got struct {
		rec *osvschema.Vulnerability
		err error
	}
	results := make([]got, len(wants))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, c.concurrency)
	var wg sync.WaitGroup
	for i, w := range wants {
		if v, ok := c.cache.Get(w.id, w.modified); ok {
			results[i].rec = v
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				results[i].err = context.Cause(ctx)
				return
			}
			v, data, err := c.get(ctx, w.id)
			results[i] = got{v, err}
			switch {
			case err == nil:
				// A cache that cannot be written only costs the next run a fetch.
				_ = c.cache.Put(w.id, w.modified, data)
			case !errors.Is(err, ErrNotFound):
				cancel(err)
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	byID := map[want]got{}
	for i, w := range wants {
		byID[w] = results[i]
	}
	out := make([]osv.Found, len(queries))
	for i, hs := range hits {
		out[i].Claimed = true
		for _, h := range hs {
			g := byID[want{h.ID, h.Modified}]
			if g.err != nil {
				out[i].Err = g.err
				break
			}
			out[i].Records = append(out[i].Records, g.rec)
		}
	}
	return out, nil
}
