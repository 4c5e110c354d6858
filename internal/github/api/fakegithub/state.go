package fakegithub

import (
	"fmt"
	"sort"
	"time"
)

// Comment is a stored issue or pull request comment.
type Comment struct {
	ID        int64     `json:"id"`
	Issue     int       `json:"issue"`
	User      string    `json:"user"`
	Bot       bool      `json:"bot"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Issue is a stored issue.
type Issue struct {
	ID        int64     `json:"id"`
	Number    int       `json:"number"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	State     string    `json:"state"`
	Labels    []string  `json:"labels"`
	User      string    `json:"user"`
	Bot       bool      `json:"bot"`
	CreatedAt time.Time `json:"created_at"`
}

// PullRequest is a stored pull request; only what clients read of it.
type PullRequest struct {
	ID      int64  `json:"id"`
	Number  int    `json:"number"`
	HeadSHA string `json:"head_sha"`
	Fork    bool   `json:"fork"` // the head is in contributor/NAME, a fork
	State   string `json:"state"`
}

// CheckRun is a stored check run.
type CheckRun struct {
	ID          int64            `json:"id"`
	Name        string           `json:"name"`
	HeadSHA     string           `json:"head_sha"`
	Status      string           `json:"status"`
	Conclusion  string           `json:"conclusion,omitempty"`
	Title       string           `json:"title,omitempty"`
	Summary     string           `json:"summary,omitempty"`
	Text        string           `json:"text,omitempty"`
	Annotations []map[string]any `json:"annotations,omitempty"`
	CompletedAt time.Time        `json:"completed_at,omitzero"`
}

// State is everything the fake holds, as a script would check it:
// comments by "owner/name#N", the rest by "owner/name".
type State struct {
	Comments     map[string][]Comment     `json:"comments"`
	Issues       map[string][]Issue       `json:"issues"`
	PullRequests map[string][]PullRequest `json:"pull_requests"`
	CheckRuns    map[string][]CheckRun    `json:"check_runs"`
}

// repo is one repository's data; numbers are shared by issues and pull
// requests, as on GitHub.
type repo struct {
	id       int64
	name     string
	comments []*Comment // by id
	issues   map[int]*Issue
	pulls    map[int]*PullRequest
	runs     []*CheckRun
	last     int // highest issue or pull request number
}

func (r *repo) hasNumber(n int) bool { return r.issues[n] != nil || r.pulls[n] != nil }

func (r *repo) comment(id int64) (int, *Comment) {
	for i, c := range r.comments {
		if c.ID == id {
			return i, c
		}
	}
	return -1, nil
}

func (r *repo) commentsOf(n int) []*Comment {
	var out []*Comment
	for _, c := range r.comments {
		if c.Issue == n {
			out = append(out, c)
		}
	}
	return out
}

func (r *repo) run(id int64) *CheckRun {
	for _, c := range r.runs {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// snapshot copies the state; called with the lock held.
func (s *Server) snapshot() State {
	st := State{Comments: map[string][]Comment{}, Issues: map[string][]Issue{},
		PullRequests: map[string][]PullRequest{}, CheckRuns: map[string][]CheckRun{}}
	for name, r := range s.repos {
		for _, c := range r.comments {
			k := fmt.Sprintf("%s#%d", name, c.Issue)
			st.Comments[k] = append(st.Comments[k], *c)
		}
		for _, n := range sortedKeys(r.issues) {
			is := *r.issues[n]
			is.Labels = append([]string(nil), is.Labels...)
			st.Issues[name] = append(st.Issues[name], is)
		}
		for _, n := range sortedKeys(r.pulls) {
			st.PullRequests[name] = append(st.PullRequests[name], *r.pulls[n])
		}
		for _, c := range r.runs {
			cr := *c
			cr.Annotations = append([]map[string]any(nil), c.Annotations...)
			st.CheckRuns[name] = append(st.CheckRuns[name], cr)
		}
	}
	return st
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}
