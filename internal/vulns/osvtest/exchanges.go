package osvtest

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"testing"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
)

// Exchange is one recorded HTTP interaction of api/osv-scanner/*.json,
// with the bodies parsed.
type Exchange struct {
	Request struct {
		Method string          `json:"method"`
		URL    string          `json:"url"`
		Body   json.RawMessage `json:"body"`
	} `json:"request"`
	Response struct {
		Code    int                 `json:"code"`
		Headers map[string][]string `json:"headers"`
		Body    json.RawMessage     `json:"body"`
	} `json:"response"`
}

// BatchQuery and BatchResponse are the querybatch bodies, as recorded.
type BatchQuery struct {
	Queries []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
		Version   string `json:"version"`
		Commit    string `json:"commit"`
		PageToken string `json:"page_token"`
	} `json:"queries"`
}

type BatchResponse struct {
	Results []BatchResult `json:"results"`
}

type BatchResult struct {
	Vulns []struct {
		ID       string `json:"id"`
		Modified string `json:"modified"`
	} `json:"vulns,omitempty"`
	NextPageToken string `json:"next_page_token,omitempty"`
}

// Recordings lists the JSON conversions in api/osv-scanner.
func Recordings(tb testing.TB) []string {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(Dir(tb), "api", "osv-scanner", "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	sort.Strings(names)
	return names
}

// LoadExchanges reads api/osv-scanner/<name>.
func LoadExchanges(tb testing.TB, name string) []Exchange {
	tb.Helper()
	var exs []Exchange
	if err := json.Unmarshal(Read(tb, "api/osv-scanner/"+name), &exs); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return exs
}

// Queries returns the package queries of a recorded querybatch request
// (commit queries have an empty ecosystem), nil for other requests.
func (e Exchange) Queries() []osv.Query {
	if e.Request.Method != "POST" {
		return nil
	}
	var b BatchQuery
	if json.Unmarshal(e.Request.Body, &b) != nil {
		return nil
	}
	qs := make([]osv.Query, len(b.Queries))
	for i, q := range b.Queries {
		qs[i] = osv.Query{Ecosystem: q.Package.Ecosystem, Name: q.Package.Name, Version: q.Version}
	}
	return qs
}

// Results returns the recorded answers of a querybatch exchange.
func (e Exchange) Results() []BatchResult {
	var b BatchResponse
	if e.Request.Method != "POST" || json.Unmarshal(e.Response.Body, &b) != nil {
		return nil
	}
	return b.Results
}
