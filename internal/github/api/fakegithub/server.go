package fakegithub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/imagedrift/imagedrift/internal/github/api/recorded"
)

// Options configure a Server.
type Options struct {
	// Fixtures is the recorded-fixture folder (default: recorded.Dir()).
	Fixtures string
	// User is who the token stands for, the author of what clients create
	// (default "github-actions[bot]"; a login ending in "[bot]" is a Bot).
	User string
	// Token, when set, is the only token accepted; others get a 401.
	Token string
	// ReadOnly answers every write 403 "Resource not accessible by
	// integration", as GitHub does to a fork's pull_request token.
	ReadOnly bool
	// Log receives one JSON line per request (never the token).
	Log io.Writer
	// OnChange is called after every change with the new state; calls are
	// serialized and must not call back into the Server.
	OnChange func(State)
	// Hook, when set, runs at the start of every request, outside the
	// lock: tests use it to hold requests back and force an interleaving.
	Hook func(method, path string)
	// Now is the clock for timestamps (default time.Now).
	Now func() time.Time
}

// Server is the fake GitHub API; it is an http.Handler.
type Server struct {
	opts   Options
	t      *templates
	mu     sync.Mutex
	repos  map[string]*repo
	byID   map[int64]*repo
	nextID int64
	logMu  sync.Mutex
}

// New loads the templates and returns an empty Server.
func New(opts Options) (*Server, error) {
	if opts.Fixtures == "" {
		dir, err := recorded.Dir()
		if err != nil {
			return nil, err
		}
		opts.Fixtures = dir
	}
	t, err := loadTemplates(opts.Fixtures)
	if err != nil {
		return nil, fmt.Errorf("fake GitHub: loading recorded bodies: %w", err)
	}
	if opts.User == "" {
		opts.User = "github-actions[bot]"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Server{opts: opts, t: t, repos: map[string]*repo{}, byID: map[int64]*repo{}, nextID: 1000}, nil
}

// SetReadOnly switches read-only mode (see Options.ReadOnly).
func (s *Server) SetReadOnly(ro bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.ReadOnly = ro
}

// SetPullRequest creates or updates pull request number of name
// ("owner/name") with its head SHA; fork puts the head in a fork.
func (s *Server) SetPullRequest(name string, number int, headSHA string, fork bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(name)
	if pr := r.pulls[number]; pr != nil {
		pr.HeadSHA, pr.Fork = headSHA, fork
	} else {
		r.pulls[number] = &PullRequest{ID: s.id(), Number: number, HeadSHA: headSHA, Fork: fork, State: "open"}
	}
	r.last = max(r.last, number)
	s.changed()
}

// AddComment stores a comment as if user had posted it (a login ending
// in "[bot]" is a Bot), and returns it.
func (s *Server) AddComment(name string, issue int, user, body string) Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.addComment(s.repo(name), issue, user, body)
	s.changed()
	return *c
}

// State returns a copy of everything stored.
func (s *Server) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshot()
}

// Comments returns the comments of issue or pull request number, oldest first.
func (s *Server) Comments(name string, number int) []Comment {
	return s.State().Comments[fmt.Sprintf("%s#%d", name, number)]
}

func (s *Server) repo(name string) *repo {
	r := s.repos[name]
	if r == nil {
		s.nextID++
		r = &repo{id: s.nextID, name: name, issues: map[int]*Issue{}, pulls: map[int]*PullRequest{}}
		s.repos[name], s.byID[r.id] = r, r
	}
	return r
}

func (s *Server) id() int64 {
	s.nextID++
	return s.nextID
}

func (s *Server) now() time.Time { return s.opts.Now().UTC().Truncate(time.Second) }

func (s *Server) addComment(r *repo, issue int, user, body string) *Comment {
	now := s.now()
	c := &Comment{ID: s.id(), Issue: issue, User: user, Bot: isBot(user), Body: body, CreatedAt: now, UpdatedAt: now}
	r.comments = append(r.comments, c)
	return c
}

func isBot(login string) bool { return strings.HasSuffix(login, "[bot]") }

// changed reports the new state; called with the lock held so that
// reports keep the order of changes.
func (s *Server) changed() {
	if s.opts.OnChange != nil {
		s.opts.OnChange(s.snapshot())
	}
}

// WriteStateFile returns an OnChange that writes the state as JSON to
// path, through a temporary file renamed over it so that a reader never
// sees half of it. Failures go to stderr: the fake keeps serving.
func WriteStateFile(path string) func(State) {
	return func(st State) {
		b, err := json.MarshalIndent(st, "", "  ")
		if err == nil {
			tmp := path + ".tmp"
			if err = os.WriteFile(tmp, append(b, '\n'), 0o644); err == nil {
				err = os.Rename(tmp, path)
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "fakegithub: writing state: %v\n", err)
		}
	}
}

// request is what a handler gets: the parsed route and the body.
type request struct {
	*http.Request
	repo *repo
	rest []string // path segments after the repository
	body []byte
	base string // this server's URL, for the url fields of answers
}

// reply is a handler's answer.
type reply struct {
	status int
	header http.Header
	body   any
}

func (s *Server) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	if s.opts.Hook != nil {
		s.opts.Hook(hr.Method, hr.URL.Path)
	}
	body, _ := io.ReadAll(io.LimitReader(hr.Body, 8<<20))
	rep := s.handle(hr, body)
	out := marshal(rep.body)
	for k, vs := range rep.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if rep.status == http.StatusNoContent {
		out = nil
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(out)
	s.log(hr, body, rep.status)
}

func (s *Server) handle(hr *http.Request, body []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.Token != "" && !hasToken(hr, s.opts.Token) {
		return reply{status: http.StatusUnauthorized, body: s.t.unauthorized}
	}
	req, ok := s.route(hr, body)
	if !ok {
		return s.notFound()
	}
	if hr.Method != http.MethodGet && s.opts.ReadOnly {
		return reply{status: http.StatusForbidden, body: s.t.forbidden}
	}
	return s.dispatch(req)
}

func hasToken(r *http.Request, token string) bool {
	a := r.Header.Get("Authorization")
	return a == "Bearer "+token || a == "token "+token
}

// route finds the repository: /repos/OWNER/NAME/... or, as GitHub's Link
// URLs use, /repositories/ID/...; a GHES /api/v3 prefix is ignored.
func (s *Server) route(hr *http.Request, body []byte) (request, bool) {
	segs := strings.Split(strings.Trim(strings.TrimPrefix(hr.URL.Path, "/api/v3"), "/"), "/")
	req := request{Request: hr, body: body, base: "http://" + hr.Host}
	switch {
	case len(segs) >= 3 && segs[0] == "repos" && segs[1] != "" && segs[2] != "":
		req.repo, req.rest = s.repo(segs[1]+"/"+segs[2]), segs[3:]
	case len(segs) >= 2 && segs[0] == "repositories":
		var id int64
		if _, err := fmt.Sscan(segs[1], &id); err != nil || s.byID[id] == nil {
			return req, false
		}
		req.repo, req.rest = s.byID[id], segs[2:]
	default:
		return req, false
	}
	return req, true
}

func (s *Server) notFound() reply { return reply{status: http.StatusNotFound, body: s.t.notFound} }

// logLine is one request in the log: never the Authorization value, only
// its scheme.
type logLine struct {
	Time   string `json:"time"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Query  string `json:"query,omitempty"`
	Status int    `json:"status"`
	Auth   string `json:"auth"`
	Body   string `json:"body,omitempty"`
}

func (s *Server) log(hr *http.Request, body []byte, status int) {
	if s.opts.Log == nil {
		return
	}
	auth := "none"
	if a := hr.Header.Get("Authorization"); a != "" {
		auth, _, _ = strings.Cut(a, " ")
		auth = strings.ToLower(auth)
	}
	const maxBody = 64 << 10
	if len(body) > maxBody {
		body = append(body[:maxBody:maxBody], "…"...)
	}
	b := marshal(logLine{Time: s.opts.Now().UTC().Format(time.RFC3339Nano), Method: hr.Method, Path: hr.URL.Path,
		Query: hr.URL.RawQuery, Status: status, Auth: auth, Body: string(bytes.ToValidUTF8(body, []byte("?")))})
	s.logMu.Lock()
	defer s.logMu.Unlock()
	_, _ = s.opts.Log.Write(b)
}

// marshal encodes v as GitHub does, without escaping <, > and & (which
// bodies holding HTML comments, such as markers, are full of); the result
// ends with a newline.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // maps and slices decoded from JSON, and plain structs
	return buf.Bytes()
}
