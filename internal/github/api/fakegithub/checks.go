package fakegithub

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// checkRunInput is the body of "Create a check run" and "Update a check
// run" (docs.github.com REST checks/runs), as far as the fake keeps it.
type checkRunInput struct {
	Name       *string `json:"name"`
	HeadSHA    string  `json:"head_sha"`
	Status     *string `json:"status"`
	Conclusion *string `json:"conclusion"`
	Output     *struct {
		Title       string           `json:"title"`
		Summary     string           `json:"summary"`
		Text        string           `json:"text"`
		Annotations []map[string]any `json:"annotations"`
	} `json:"output"`
}

// maxAnnotations is GitHub's per-request limit on output.annotations.
const maxAnnotations = 50

func (s *Server) createRun(req request) reply {
	var in checkRunInput
	if err := json.Unmarshal(req.body, &in); err != nil || in.Name == nil || *in.Name == "" || in.HeadSHA == "" {
		return *invalid("name and head_sha are required")
	}
	run := &CheckRun{ID: s.id(), HeadSHA: in.HeadSHA, Status: "queued"}
	if bad := s.apply(run, in); bad != nil {
		return *bad
	}
	req.repo.runs = append(req.repo.runs, run)
	s.changed()
	return reply{status: http.StatusCreated, body: s.renderRun(req, run)}
}

func (s *Server) onRun(req request, idStr string) reply {
	id, err := strconv.ParseInt(idStr, 10, 64)
	run := req.repo.run(id)
	if err != nil || run == nil {
		return s.notFound()
	}
	switch req.Method {
	case http.MethodGet:
	case http.MethodPatch:
		var in checkRunInput
		if err := json.Unmarshal(req.body, &in); err != nil {
			return *invalid("the body is not JSON")
		}
		if bad := s.apply(run, in); bad != nil {
			return *bad
		}
		s.changed()
	default:
		return s.notFound()
	}
	return reply{status: http.StatusOK, body: s.renderRun(req, run)}
}

// apply sets what the input gives; annotations are appended, as GitHub
// appends those of an update to the run's.
func (s *Server) apply(run *CheckRun, in checkRunInput) *reply {
	if in.Output != nil && len(in.Output.Annotations) > maxAnnotations {
		return invalid("only 50 annotations are allowed per request")
	}
	set(&run.Name, in.Name)
	set(&run.Status, in.Status)
	if in.Conclusion != nil {
		run.Conclusion, run.Status, run.CompletedAt = *in.Conclusion, "completed", s.now()
	}
	if o := in.Output; o != nil {
		run.Title, run.Summary, run.Text = o.Title, o.Summary, o.Text
		run.Annotations = append(run.Annotations, o.Annotations...)
	}
	return nil
}
