package fakegithub

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

func (s *Server) onIssues(req request) reply {
	switch req.Method {
	case http.MethodGet:
		return s.listIssues(req)
	case http.MethodPost:
		var in struct {
			Title  string   `json:"title"`
			Body   string   `json:"body"`
			Labels []string `json:"labels"`
		}
		if err := json.Unmarshal(req.body, &in); err != nil || in.Title == "" {
			return *invalid("title wasn't supplied")
		}
		r := req.repo
		r.last++
		is := &Issue{ID: s.id(), Number: r.last, Title: in.Title, Body: in.Body, State: "open", Labels: in.Labels,
			User: s.opts.User, Bot: isBot(s.opts.User), CreatedAt: s.now()}
		r.issues[is.Number] = is
		s.changed()
		return reply{status: http.StatusCreated, body: s.renderIssue(req, is)}
	}
	return s.notFound()
}

// listIssues filters by labels (all of them) and state (open by
// default), newest first as GitHub sorts; pull requests are listed too,
// as GitHub lists them, unless a label filter leaves them out.
func (s *Server) listIssues(req request) reply {
	q := req.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var want []string
	if l := q.Get("labels"); l != "" {
		want = strings.Split(l, ",")
	}
	var items []any
	for _, n := range s.numbersDesc(req.repo) {
		if is := req.repo.issues[n]; is != nil && (state == "all" || is.State == state) && hasAll(is.Labels, want) {
			items = append(items, s.renderIssue(req, is))
		}
		if pr := req.repo.pulls[n]; pr != nil && len(want) == 0 && (state == "all" || pr.State == state) {
			items = append(items, s.renderPullAsIssue(req, pr))
		}
	}
	from, to, h := s.page(req, len(items))
	return reply{status: http.StatusOK, header: h, body: append([]any{}, items[from:to]...)}
}

func (s *Server) numbersDesc(r *repo) []int {
	var ns []int
	for n := range r.issues {
		ns = append(ns, n)
	}
	for n := range r.pulls {
		ns = append(ns, n)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ns)))
	return ns
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || strings.EqualFold(h, strings.TrimSpace(w))
		}
		if !found {
			return false
		}
	}
	return true
}

func (s *Server) onIssue(req request, num string) reply {
	n, err := strconv.Atoi(num)
	is := req.repo.issues[n]
	if err != nil || is == nil {
		return s.notFound()
	}
	if req.Method == http.MethodPatch {
		var in struct {
			Title, Body, State *string
			Labels             *[]string
		}
		if err := json.Unmarshal(req.body, &in); err != nil {
			return *invalid("the body is not JSON")
		}
		if in.State != nil && *in.State != "open" && *in.State != "closed" {
			return *invalid("state is not open or closed")
		}
		set(&is.Title, in.Title)
		set(&is.Body, in.Body)
		set(&is.State, in.State)
		if in.Labels != nil {
			is.Labels = *in.Labels
		}
		s.changed()
	} else if req.Method != http.MethodGet {
		return s.notFound()
	}
	return reply{status: http.StatusOK, body: s.renderIssue(req, is)}
}

func set(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}
