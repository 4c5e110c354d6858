package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/github/api/apitest"
)

// No recording creates a check run with annotations in the POST; the
// 50-per-request limit and the output fields follow docs.github.com "REST
// API endpoints for check runs" ("Create a check run", "Update a check
// run": annotations sent in an update are added to the run's). The
// answers are the recorded create (201) and update (200).
func TestCreateCheckRunAnnotationsInBatches(t *testing.T) {
	e := newEnv(t)
	e.on("POST", "repos/octo/hello/check-runs", apitest.Recorded(t, fxCheckRun, 0))
	e.on("PATCH", "repos/octo/hello/check-runs/51295429", apitest.Recorded(t, fxCheckUpd, 0)).Times(2)
	var anns []api.Annotation
	for i := range 120 {
		anns = append(anns, api.Annotation{Path: "Dockerfile", StartLine: i + 1, Level: "warning", Message: fmt.Sprint("finding ", i)})
	}
	run := api.CheckRun{Name: "imagedrift", HeadSHA: "e1db7418a77db065d1900e579c82ef0aad1da2b1", Conclusion: "failure",
		Title: "2 risks", Summary: strings.Repeat("s", 70000), Text: "details", Annotations: anns}
	got, err := e.c.CreateCheckRun(context.Background(), repo, run)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != 51295429 || got.HTMLURL != "https://github.com/<GITHUB_LOGIN>/<GITHUB_TEST_REPOSITORY>/runs/51295429" {
		t.Errorf("got %+v", got)
	}
	reqs := e.reg.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests: %v", len(reqs), e.requests())
	}
	next := 0
	for i, r := range reqs {
		b := bodyOf(t, r)
		out := b["output"].(map[string]any)
		n := len(out["annotations"].([]any))
		if want := []int{50, 50, 20}[i]; n != want {
			t.Errorf("request %d (%s) has %d annotations, want %d", i, r.Method, n, want)
		}
		first := out["annotations"].([]any)[0].(map[string]any)
		if first["start_line"] != float64(next+1) || first["end_line"] != float64(next+1) {
			t.Errorf("request %d starts at annotation %v, want %d", i, first["start_line"], next+1)
		}
		next += n
		summary := out["summary"].(string)
		if out["title"] != "2 risks" || utf8.RuneCountInString(summary) > 65535 || !strings.HasSuffix(summary, "(cut to GitHub's limit)") {
			t.Errorf("request %d output: title %v, summary of %d characters ending %q", i, out["title"], len(summary), summary[len(summary)-30:])
		}
		if b["name"] != "imagedrift" {
			t.Errorf("request %d name %v", i, b["name"])
		}
	}
	post := bodyOf(t, reqs[0])
	if post["status"] != "completed" || post["conclusion"] != "failure" || post["head_sha"] != run.HeadSHA || post["completed_at"] == nil {
		t.Errorf("POST body %v", post)
	}
}

func TestCreateCheckRunFewAnnotations(t *testing.T) {
	e := newEnv(t)
	e.on("POST", "repos/octo/hello/check-runs", apitest.Recorded(t, fxCheckRun, 0))
	_, err := e.c.CreateCheckRun(context.Background(), repo, api.CheckRun{Name: "imagedrift", HeadSHA: "abc", Conclusion: "success",
		Title: "no change", Summary: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.CreateCheckRun(context.Background(), repo, api.CheckRun{Name: "imagedrift"}); err == nil {
		t.Error("a check run without head SHA and conclusion was sent")
	}
}

// docs.github.com "Automatic token authentication": without checks: write
// the GITHUB_TOKEN is refused with "Resource not accessible by integration".
func TestCreateCheckRunPermission(t *testing.T) {
	e := newEnv(t)
	e.on("POST", "repos/octo/hello/check-runs", apitest.JSON(403, map[string]string{"message": "Resource not accessible by integration",
		"documentation_url": "https://docs.github.com/rest/checks/runs#create-a-check-run"}))
	_, err := e.c.CreateCheckRun(context.Background(), repo, api.CheckRun{Name: "imagedrift", HeadSHA: "abc", Conclusion: "success"})
	if !api.IsPermission(err) || !strings.Contains(err.Error(), `"checks: write"`) {
		t.Errorf("got %v", err)
	}
}
