package fakegithub

import (
	"fmt"
	"strconv"
	"strings"
)

// Load adds a state (as State returns it, or as a state file holds it)
// to the fake, keeping its ids: a later run can start where an earlier
// one ended. Ids given out afterwards are higher than any loaded.
func (s *Server) Load(st State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, prs := range st.PullRequests {
		r := s.repo(name)
		for _, pr := range prs {
			r.pulls[pr.Number], r.last = &pr, max(r.last, pr.Number)
			s.nextID = max(s.nextID, pr.ID)
		}
	}
	for name, iss := range st.Issues {
		r := s.repo(name)
		for _, is := range iss {
			r.issues[is.Number], r.last = &is, max(r.last, is.Number)
			s.nextID = max(s.nextID, is.ID)
		}
	}
	for key, cs := range st.Comments {
		name, num, ok := strings.Cut(key, "#")
		n, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("loading state: comment key %q: want owner/name#N", key)
		}
		r := s.repo(name)
		for _, c := range cs {
			c.Issue = n
			r.comments = append(r.comments, &c)
			s.nextID = max(s.nextID, c.ID)
		}
	}
	for name, runs := range st.CheckRuns {
		r := s.repo(name)
		for _, run := range runs {
			r.runs = append(r.runs, &run)
			s.nextID = max(s.nextID, run.ID)
		}
	}
	s.changed()
	return nil
}
