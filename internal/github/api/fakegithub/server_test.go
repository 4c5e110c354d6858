package fakegithub

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/github/api/recorded"
)

const secret = "ghs_fakeTOKENfakeTOKENfakeTOKEN0123"

type fixture struct {
	s   *Server
	url string
	log *bytes.Buffer
}

func newFixture(t *testing.T, mod func(*Options)) *fixture {
	t.Helper()
	if _, err := recorded.Dir(); err != nil {
		t.Skip(err)
	}
	f := &fixture{log: &bytes.Buffer{}}
	opts := Options{Log: f.log, Now: func() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }}
	if mod != nil {
		mod(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	f.s, f.url = s, srv.URL
	s.SetPullRequest("octo/hello", 7, "1111111111111111111111111111111111111111", false)
	return f
}

// call sends a request and decodes a JSON answer into out (if not nil).
func (f *fixture) call(t *testing.T, method, path string, in any, out any) (int, http.Header) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	url := path
	if !strings.HasPrefix(path, "http") {
		url = f.url + path
	}
	req, _ := http.NewRequest(method, url, body)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode, resp.Header
}

func TestCommentLifecycle(t *testing.T) {
	f := newFixture(t, nil)
	var c map[string]any
	code, h := f.call(t, "POST", "/repos/octo/hello/issues/7/comments", map[string]string{"body": "hello"}, &c)
	if code != 201 || c["body"] != "hello" || h.Get("Location") == "" {
		t.Fatalf("create: %d %v", code, c)
	}
	user := c["user"].(map[string]any)
	if user["login"] != "github-actions[bot]" || user["type"] != "Bot" ||
		c["html_url"] != "https://github.com/octo/hello/pull/7#issuecomment-"+itoa(int64(c["id"].(float64))) || c["created_at"] != "2025-03-01T12:00:00Z" {
		t.Errorf("created comment %v", c)
	}
	id := itoa(int64(c["id"].(float64)))
	if code, _ := f.call(t, "PATCH", "/repos/octo/hello/issues/comments/"+id, map[string]string{"body": "edited"}, &c); code != 200 || c["body"] != "edited" {
		t.Errorf("edit: %d %v", code, c)
	}
	var list []map[string]any
	if code, _ := f.call(t, "GET", "/repos/octo/hello/issues/7/comments", nil, &list); code != 200 || len(list) != 1 || list[0]["body"] != "edited" {
		t.Errorf("list: %d %v", code, list)
	}
	if code, _ := f.call(t, "DELETE", "/repos/octo/hello/issues/comments/"+id, nil, nil); code != 204 {
		t.Errorf("delete: %d", code)
	}
	var nf map[string]any
	if code, _ := f.call(t, "PATCH", "/repos/octo/hello/issues/comments/"+id, map[string]string{"body": "x"}, &nf); code != 404 || nf["message"] != "Not Found" {
		t.Errorf("edit after delete: %d %v", code, nf)
	}
	if code, _ := f.call(t, "POST", "/repos/octo/hello/issues/8/comments", map[string]string{"body": "x"}, nil); code != 404 {
		t.Errorf("comment on an unknown number: %d", code)
	}
	if got := f.s.Comments("octo/hello", 7); len(got) != 0 {
		t.Errorf("state %v", got)
	}
}

func TestPagination(t *testing.T) {
	f := newFixture(t, nil)
	for _, b := range []string{"a", "b", "c", "d", "e"} {
		f.s.AddComment("octo/hello", 7, "someone", b)
	}
	var bodies []string
	next, pages := f.url+"/repos/octo/hello/issues/7/comments?per_page=2", 0
	for next != "" {
		var list []map[string]any
		_, h := f.call(t, "GET", next, nil, &list)
		for _, c := range list {
			bodies = append(bodies, c["body"].(string))
		}
		pages++
		next = ""
		for _, l := range strings.Split(h.Get("Link"), ", ") {
			if u, ok := strings.CutSuffix(l, `>; rel="next"`); ok {
				next = strings.TrimPrefix(u, "<")
			}
		}
		if next != "" && !strings.Contains(next, "/repositories/") {
			t.Errorf("next link %q does not use /repositories/ID as GitHub's do", next)
		}
	}
	if pages != 3 || strings.Join(bodies, "") != "abcde" {
		t.Errorf("%d pages, bodies %v", pages, bodies)
	}
}

func TestReadOnlyAndTooLong(t *testing.T) {
	f := newFixture(t, nil)
	var e map[string]any
	if code, _ := f.call(t, "POST", "/repos/octo/hello/issues/7/comments", map[string]string{"body": strings.Repeat("é", 65537)}, &e); code != 422 ||
		!strings.Contains(jsonText(e), "Body is too long (maximum is 65536 characters)") {
		t.Errorf("too long: %d %v", code, e)
	}
	if code, _ := f.call(t, "POST", "/repos/octo/hello/issues/7/comments", map[string]string{"body": strings.Repeat("é", 65536)}, nil); code != 201 {
		t.Errorf("at the limit: %d", code)
	}
	f.s.SetReadOnly(true)
	if code, _ := f.call(t, "POST", "/repos/octo/hello/issues/7/comments", map[string]string{"body": "x"}, &e); code != 403 || e["message"] != "Resource not accessible by integration" {
		t.Errorf("read-only: %d %v", code, e)
	}
	if code, _ := f.call(t, "GET", "/repos/octo/hello/issues/7/comments", nil, nil); code != 200 {
		t.Errorf("read-only GET: %d", code)
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestTokenAndLog(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Token = "other" })
	var e map[string]any
	if code, _ := f.call(t, "GET", "/repos/octo/hello/pulls/7", nil, &e); code != 401 || e["message"] != "Bad credentials" {
		t.Errorf("wrong token: %d %v", code, e)
	}
	if strings.Contains(f.log.String(), secret) {
		t.Errorf("the log shows the token: %s", f.log)
	}
	var line logLine
	sc := bufio.NewScanner(f.log)
	n := 0
	for sc.Scan() {
		n++
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
	}
	if n != 1 || line.Method != "GET" || line.Path != "/repos/octo/hello/pulls/7" || line.Status != 401 || line.Auth != "bearer" {
		t.Errorf("%d lines, last %+v", n, line)
	}
}

func TestPullRequest(t *testing.T) {
	f := newFixture(t, nil)
	f.s.SetPullRequest("octo/hello", 7, "2222222222222222222222222222222222222222", true)
	var pr struct {
		Number int    `json:"number"`
		State  string `json:"state"`
		Head   struct {
			SHA  string `json:"sha"`
			Repo struct {
				FullName string `json:"full_name"`
				Fork     bool   `json:"fork"`
			} `json:"repo"`
		} `json:"head"`
		Base struct {
			Repo struct {
				FullName string `json:"full_name"`
			} `json:"repo"`
		} `json:"base"`
	}
	if code, _ := f.call(t, "GET", "/repos/octo/hello/pulls/7", nil, &pr); code != 200 {
		t.Fatal(code)
	}
	if pr.Number != 7 || pr.State != "open" || pr.Head.SHA != "2222222222222222222222222222222222222222" ||
		pr.Head.Repo.FullName != "contributor/hello" || !pr.Head.Repo.Fork || pr.Base.Repo.FullName != "octo/hello" {
		t.Errorf("%+v", pr)
	}
}

func TestCheckRuns(t *testing.T) {
	f := newFixture(t, nil)
	anns := func(n int) []map[string]any {
		var a []map[string]any
		for i := range n {
			a = append(a, map[string]any{"path": "Dockerfile", "start_line": i + 1, "end_line": i + 1, "annotation_level": "notice", "message": "m"})
		}
		return a
	}
	in := map[string]any{"name": "imagedrift", "head_sha": "abc", "status": "completed", "conclusion": "neutral",
		"output": map[string]any{"title": "t", "summary": "s", "annotations": anns(50)}}
	var run map[string]any
	if code, _ := f.call(t, "POST", "/repos/octo/hello/check-runs", in, &run); code != 201 || run["conclusion"] != "neutral" {
		t.Fatalf("%d %v", code, run)
	}
	id := itoa(int64(run["id"].(float64)))
	upd := map[string]any{"name": "imagedrift", "output": map[string]any{"title": "t", "summary": "s", "annotations": anns(51)}}
	if code, _ := f.call(t, "PATCH", "/repos/octo/hello/check-runs/"+id, upd, nil); code != 422 {
		t.Errorf("51 annotations: %d", code)
	}
	upd["output"].(map[string]any)["annotations"] = anns(20)
	if code, _ := f.call(t, "PATCH", "/repos/octo/hello/check-runs/"+id, upd, &run); code != 200 {
		t.Errorf("update: %d", code)
	}
	if out := run["output"].(map[string]any); out["annotations_count"] != float64(70) || run["html_url"] != "https://github.com/octo/hello/runs/"+id {
		t.Errorf("run %v", run)
	}
}

func TestIssues(t *testing.T) {
	f := newFixture(t, nil)
	var is map[string]any
	f.call(t, "POST", "/repos/octo/hello/issues", map[string]any{"title": "drift", "body": "<!-- m -->\nx", "labels": []string{"watch"}}, &is)
	f.call(t, "POST", "/repos/octo/hello/issues", map[string]any{"title": "other"}, nil)
	num := itoa(int64(is["number"].(float64)))
	if num != "8" {
		t.Errorf("issue number %s, want 8 (after pull request 7)", num)
	}
	f.call(t, "PATCH", "/repos/octo/hello/issues/"+num, map[string]any{"state": "closed"}, &is)
	var list []map[string]any
	f.call(t, "GET", "/repos/octo/hello/issues?labels=watch&state=all", nil, &list)
	if len(list) != 1 || list[0]["state"] != "closed" || list[0]["labels"].([]any)[0].(map[string]any)["name"] != "watch" {
		t.Errorf("labelled: %v", list)
	}
	f.call(t, "GET", "/repos/octo/hello/issues", nil, &list)
	if len(list) != 2 || list[0]["title"] != "other" || list[1]["pull_request"] == nil {
		t.Errorf("open issues and pull requests, newest first: %v", list)
	}
}

func TestStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	f := newFixture(t, func(o *Options) { o.OnChange = WriteStateFile(path) })
	f.call(t, "POST", "/repos/octo/hello/issues/7/comments", map[string]string{"body": "hi"}, nil)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if c := st.Comments["octo/hello#7"]; len(c) != 1 || c[0].Body != "hi" || !c[0].Bot {
		t.Errorf("state %s", b)
	}
}

// A state written by one fake, loaded by the next: the same comments,
// and new ids above the loaded ones.
func TestLoadState(t *testing.T) {
	a := newFixture(t, nil)
	a.call(t, "POST", "/repos/octo/hello/issues/7/comments", map[string]string{"body": "from run 1"}, nil)
	a.call(t, "POST", "/repos/octo/hello/issues", map[string]any{"title": "watch"}, nil)
	b := newFixture(t, nil)
	if err := b.s.Load(a.s.State()); err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	b.call(t, "POST", "/repos/octo/hello/issues/7/comments", map[string]string{"body": "from run 2"}, &c)
	got := b.s.Comments("octo/hello", 7)
	if len(got) != 2 || got[0].Body != "from run 1" || int64(c["id"].(float64)) <= got[0].ID {
		t.Errorf("comments %+v, new id %v", got, c["id"])
	}
	if err := b.s.Load(State{Comments: map[string][]Comment{"octo/hello": nil}}); err == nil {
		t.Error("a comment key without #N was accepted")
	}
}
