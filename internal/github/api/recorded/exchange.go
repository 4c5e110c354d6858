package recorded

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Exchange is one recorded request and GitHub's answer to it.
type Exchange struct {
	Method      string   // upper case
	URL         *url.URL // as recorded, on https://api.github.com
	RequestBody []byte   // JSON, nil when the request had none
	Status      int
	Header      http.Header // canonical names, recorded values
	Body        []byte      // as GitHub sent it; nil when empty
}

// Integration is the GitHub App id that octokit.rb's recordings hide
// behind an unquoted <GITHUB_TEST_INTEGRATION> placeholder; the app's
// node_id in the same bodies (MDM6QXBwMjM3ODM=, "03:App23783") gives it.
const Integration = "23783"

// Load reads every exchange of a recording, rel being relative to Dir.
func Load(rel string) ([]Exchange, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	return LoadFile(filepath.Join(dir, filepath.FromSlash(rel)))
}

// Get returns exchange i (from 0) of the recording rel.
func Get(rel string, i int) (Exchange, error) {
	xs, err := Load(rel)
	if err != nil {
		return Exchange{}, err
	}
	if i < 0 || i >= len(xs) {
		return Exchange{}, fmt.Errorf("%s: exchange %d of %d: %w", rel, i, len(xs), ErrNoExchange)
	}
	return xs[i], nil
}

// LoadFile reads a recording in either format the fixtures use: nock's
// normalized fixtures (octokit/fixtures) or VCR cassettes converted to
// JSON (octokit.rb). The format is told by the fields of its entries.
func LoadFile(path string) ([]Exchange, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading recording: %w", err)
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("reading recording %s: %w", path, err)
	}
	xs := make([]Exchange, 0, len(raw))
	for i, r := range raw {
		var x Exchange
		switch {
		case r["scope"] != nil:
			x, err = fromNock(r)
		case r["uri"] != nil:
			x, err = fromVCR(r)
		default:
			err = fmt.Errorf("neither a nock nor a VCR entry")
		}
		if err != nil {
			return nil, fmt.Errorf("reading recording %s, exchange %d: %w", path, i, err)
		}
		xs = append(xs, x)
	}
	return xs, nil
}

// nockEntry is one octokit/fixtures entry; response headers are under
// "headers" and some values (x-ratelimit-used) are JSON numbers.
type nockEntry struct {
	Scope    string                     `json:"scope"`
	Method   string                     `json:"method"`
	Path     string                     `json:"path"`
	Body     json.RawMessage            `json:"body"`
	Status   int                        `json:"status"`
	Response json.RawMessage            `json:"response"`
	Headers  map[string]json.RawMessage `json:"headers"`
}

func fromNock(r map[string]json.RawMessage) (Exchange, error) {
	var e nockEntry
	if err := remarshal(r, &e); err != nil {
		return Exchange{}, err
	}
	u, err := url.Parse(strings.TrimSuffix(e.Scope, ":443") + e.Path)
	if err != nil {
		return Exchange{}, err
	}
	h := http.Header{}
	for k, v := range e.Headers {
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v) // a number, kept as its JSON text
		}
		h.Add(k, s)
	}
	return Exchange{Method: strings.ToUpper(e.Method), URL: u, RequestBody: jsonOrNil(e.Body),
		Status: e.Status, Header: h, Body: responseBody(e.Response, h.Get("Content-Type"))}, nil
}

// responseBody turns nock's decoded response back into bytes: JSON stays
// as recorded, a string served as another media type (a raw file) is the
// string itself.
func responseBody(raw json.RawMessage, contentType string) []byte {
	var s string
	if !strings.Contains(contentType, "json") && json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return nil
		}
		return []byte(s)
	}
	return jsonOrNil(raw)
}

type vcrEntry struct {
	Method      string              `json:"method"`
	URI         string              `json:"uri"`
	RequestBody json.RawMessage     `json:"request_body"`
	Status      int                 `json:"status"`
	Headers     map[string][]string `json:"headers"`
	BodyFormat  string              `json:"body_format"`
	Body        json.RawMessage     `json:"body"`
}

func fromVCR(r map[string]json.RawMessage) (Exchange, error) {
	var e vcrEntry
	if err := remarshal(r, &e); err != nil {
		return Exchange{}, err
	}
	u, err := url.Parse(e.URI)
	if err != nil {
		return Exchange{}, err
	}
	h := http.Header{}
	for k, vs := range e.Headers {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	x := Exchange{Method: strings.ToUpper(e.Method), URL: u, RequestBody: jsonOrNil(e.RequestBody), Status: e.Status, Header: h}
	switch e.BodyFormat {
	case "json":
		x.Body = jsonOrNil(e.Body)
	case "text":
		var s string
		if err := json.Unmarshal(e.Body, &s); err != nil {
			return Exchange{}, fmt.Errorf("text body: %w", err)
		}
		x.Body = []byte(strings.ReplaceAll(s, "<GITHUB_TEST_INTEGRATION>", Integration))
	case "empty":
	default:
		return Exchange{}, fmt.Errorf("unknown body_format %q", e.BodyFormat)
	}
	return x, nil
}

func remarshal(r map[string]json.RawMessage, v any) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func jsonOrNil(raw json.RawMessage) []byte {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil
	}
	return append([]byte(nil), t...)
}
