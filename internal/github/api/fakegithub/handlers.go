package fakegithub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxBody is GitHub's comment length limit, in characters, as its 422
// message gives it.
const maxBody = 65536

func (s *Server) dispatch(req request) reply {
	m, rest := req.Method, req.rest
	switch {
	case len(rest) == 1 && rest[0] == "issues":
		return s.onIssues(req)
	case len(rest) == 3 && rest[0] == "issues" && rest[1] == "comments":
		return s.onComment(req, rest[2])
	case len(rest) == 2 && rest[0] == "issues":
		return s.onIssue(req, rest[1])
	case len(rest) == 3 && rest[0] == "issues" && rest[2] == "comments":
		return s.onIssueComments(req, rest[1])
	case len(rest) == 2 && rest[0] == "pulls" && m == http.MethodGet:
		return s.getPull(req, rest[1])
	case len(rest) == 1 && rest[0] == "check-runs" && m == http.MethodPost:
		return s.createRun(req)
	case len(rest) == 2 && rest[0] == "check-runs":
		return s.onRun(req, rest[1])
	}
	return s.notFound()
}

func (s *Server) onIssueComments(req request, num string) reply {
	n, err := strconv.Atoi(num)
	if err != nil || !req.repo.hasNumber(n) {
		return s.notFound()
	}
	switch req.Method {
	case http.MethodGet:
		all := req.repo.commentsOf(n)
		from, to, h := s.page(req, len(all))
		items := make([]any, 0, to-from)
		for _, c := range all[from:to] {
			items = append(items, s.renderComment(req, c))
		}
		return reply{status: http.StatusOK, header: h, body: items}
	case http.MethodPost:
		body, bad := s.commentBody(req, s.t.tooLongCreate)
		if bad != nil {
			return *bad
		}
		c := s.addComment(req.repo, n, s.opts.User, body)
		s.changed()
		h := http.Header{"Location": {req.base + "/repos/" + req.repo.name + "/issues/comments/" + itoa(c.ID)}}
		return reply{status: http.StatusCreated, header: h, body: s.renderComment(req, c)}
	}
	return s.notFound()
}

func (s *Server) onComment(req request, idStr string) reply {
	id, err := strconv.ParseInt(idStr, 10, 64)
	if err != nil {
		return s.notFound()
	}
	i, c := req.repo.comment(id)
	if c == nil {
		return s.notFound()
	}
	switch req.Method {
	case http.MethodGet:
		return reply{status: http.StatusOK, body: s.renderComment(req, c)}
	case http.MethodPatch:
		body, bad := s.commentBody(req, s.t.tooLongEdit)
		if bad != nil {
			return *bad
		}
		c.Body, c.UpdatedAt = body, s.now()
		s.changed()
		return reply{status: http.StatusOK, body: s.renderComment(req, c)}
	case http.MethodDelete:
		req.repo.comments = append(req.repo.comments[:i], req.repo.comments[i+1:]...)
		s.changed()
		return reply{status: http.StatusNoContent}
	}
	return s.notFound()
}

// commentBody reads {"body": ...}; over GitHub's limit it answers the
// observed 422 (tooLong: the create or the edit shape).
func (s *Server) commentBody(req request, tooLong map[string]any) (string, *reply) {
	var in struct {
		Body *string `json:"body"`
	}
	if err := json.Unmarshal(req.body, &in); err != nil || in.Body == nil {
		return "", invalid("body wasn't supplied")
	}
	if utf8.RuneCountInString(*in.Body) > maxBody {
		return "", &reply{status: http.StatusUnprocessableEntity, body: tooLong}
	}
	return *in.Body, nil
}

// invalid is a 422 shaped like GitHub's validation errors (see the
// recorded errors.json): message, errors[], documentation_url.
func invalid(msg string) *reply {
	return &reply{status: http.StatusUnprocessableEntity, body: map[string]any{"message": "Validation Failed",
		"errors":            []map[string]string{{"code": "custom", "message": msg}},
		"documentation_url": "https://docs.github.com/rest"}}
}

func (s *Server) getPull(req request, num string) reply {
	n, err := strconv.Atoi(num)
	if err != nil || req.repo.pulls[n] == nil {
		return s.notFound()
	}
	return reply{status: http.StatusOK, body: s.renderPull(req, req.repo.pulls[n])}
}

// page cuts a listing like GitHub: per_page (default 30, at most 100) and
// page, with a Link header whose URLs use /repositories/ID as GitHub's do.
func (s *Server) page(req request, total int) (from, to int, h http.Header) {
	q := req.URL.Query()
	per := clamp(atoiOr(q.Get("per_page"), 30), 1, 100)
	pages := max(1, (total+per-1)/per)
	p := clamp(atoiOr(q.Get("page"), 1), 1, pages+1)
	from, to = min((p-1)*per, total), min(p*per, total)
	link := func(page int, rel string) string {
		q.Set("per_page", strconv.Itoa(per))
		q.Set("page", strconv.Itoa(page))
		return fmt.Sprintf(`<%s/repositories/%d/%s?%s>; rel="%s"`, req.base, req.repo.id, strings.Join(req.rest, "/"), q.Encode(), rel)
	}
	var links []string
	if p > 1 {
		links = append(links, link(p-1, "prev"))
	}
	if p < pages {
		links = append(links, link(p+1, "next"), link(pages, "last"))
	}
	if p > 1 {
		links = append(links, link(1, "first"))
	}
	h = http.Header{}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, ", "))
	}
	return from, to, h
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

func clamp(n, lo, hi int) int { return min(max(n, lo), hi) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
